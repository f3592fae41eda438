"""``status --json``'s text, made from each distinct measurement's text,
is byte for byte the report encoded at once (``json_report.to_json``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.vaults import KINDS, SAMPLE, Vault, copy_vault, kr, objective, run

from vaultokr.views.json_report import to_json
from vaultokr.views.json_text import MARK, report_json


def unused(analysis: object) -> str:
    raise AssertionError("the whole report was encoded at once")


@pytest.mark.parametrize("source", [SAMPLE, KINDS], ids=["sample", "kinds"])
def test_the_committed_vaults_give_the_same_bytes(tmp_path: Path, source: Path) -> None:
    analysis = run(copy_vault(source, tmp_path / source.name))
    assert report_json(analysis, unused) == to_json(analysis)


def shared(vault: Vault, title: str = "Focus") -> Path:
    """Three key results reading one daily field (two over the same days),
    daily notes with comments, quotes and non-ASCII text in their paths."""
    files: dict[str, str | bytes] = {"O.md": objective(),
                                     "Other.md": objective(period="2026-11")}
    for name, parent, start in [("A", "O", None), ("B", "O", None),
                                ("C", "Other", "2026-11-05")]:
        files[f"{name}.md"] = kr(objective=f"[[{parent}]]", field="focus", measure="sum",
                                 target=100, title=f"{title} {name}", start=start)
    for day in range(1, 20):
        files[f"Daily/2026-11-{day:02d} «ü\".md"] = f"focus:: {day * 1.5}\n\nSome prose.\n"
    files["Daily/2026-11-20.md"] = "focus:: 2\n"
    return vault(files)


def test_key_results_reading_one_field_give_the_same_bytes(vault: Vault) -> None:
    analysis = run(shared(vault))
    measured = [len(r.measurements) for r in analysis.results.key_results.values()]
    assert sorted(measured) == [16, 20, 20]  # the same measurements in three lists
    assert report_json(analysis, unused) == to_json(analysis)


def test_the_marker_in_a_note_s_own_text_encodes_the_report_at_once(vault: Vault) -> None:
    analysis = run(shared(vault, title=f"Focus {MARK}0{MARK}"))
    assert report_json(analysis, lambda a: "at once") == "at once"
    assert report_json(analysis) == to_json(analysis)
