"""Reading the vault: which files count, and bad input of every kind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support.vaults import Vault, codes, kr, kr_result, objective, run

KR = kr(baseline=0, target=10, log=["2026-11-02: 4"])


def test_skips_dot_folders_templates_ignore_filters_and_excludes(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        ".obsidian/templates.json": json.dumps({"folder": "Meta/Templates"}),
        ".obsidian/app.json": json.dumps({"userIgnoreFilters": ["Archive/", "/^Old .*/"]}),
        "vaultokr.toml": 'exclude = ["**/drafts/**", "*.excalidraw.md"]\n',
        ".trash/T.md": objective(),
        "Meta/Templates/Objective.md": objective(period="{{date}}"),
        "Archive/A.md": objective(),
        "Old goals.md": objective(),
        "Projects/drafts/D.md": objective(),
        "Drawing.excalidraw.md": objective(),
        "Keep/K.md": objective(),
    })
    analysis = run(root)
    assert sorted(analysis.model.objectives) == ["Keep/K", "O"]
    assert analysis.files.notes_read == 2
    assert not [p for p in analysis.problems if p.severity == "error"]


def test_crlf_and_bom_notes(vault: Vault) -> None:
    root = vault({
        "O.md": b"\xef\xbb\xbf---\r\ntype: objective\r\nperiod: 2026-Q4\r\n---\r\n",
        "K.md": KR.replace("\n", "\r\n").encode(),
    })
    analysis = run(root)
    assert kr_result(analysis, "K").measurements[0].source == "K.md:7"
    assert analysis.errors == []


def test_malformed_yaml_reports_the_right_line_and_the_rest_is_computed(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": KR,
        "Broken.md": kr(target="[1, 2"),
        "Tabs.md": "---\ntype: objective\ntitle: x\n\tperiod: 2026-Q4\n---\n",
    })
    analysis = run(root)
    found = {(p.path, p.code): p.line for p in analysis.errors}
    assert found[("Broken.md", "yaml-syntax")] in (4, 5)
    assert found[("Tabs.md", "yaml-syntax")] == 4
    assert kr_result(analysis, "K").progress == 0.4


def test_wrong_types_are_problems_with_lines(vault: Vault) -> None:
    root = vault({
        "O.md": objective(period="2026-Q5", status="sleeping", weight=-1),
        "K.md": kr(target="lots"),
        "G.md": kr(growth="fast", baseline=3),
        "T.md": kr(target=3, change='"+5%"'),
        "M.md": kr(measure="average", target=3),
        "List.md": """
            ---
            - just
            - a list
            ---
            """,
    })
    analysis = run(root)
    got = codes(analysis)
    for expected in [
        ("O.md", 3, "bad-period"), ("O.md", 4, "bad-status"), ("O.md", 5, "bad-weight"),
        ("K.md", 4, "bad-target"), ("G.md", 4, "bad-growth"), ("T.md", 5, "target-conflict"),
        ("M.md", 4, "bad-measure"),
    ]:
        assert expected in got
    message = next(p.message for p in analysis.problems if p.code == "bad-period")
    assert message == ('period "2026-Q5" is not a period: write 2026-Q4, 2026-H2, 2026-11, '
                       "2026-W47 or 2026")
    assert "K" not in analysis.model.key_results  # the broken key result is left out
    assert "M" in analysis.model.key_results  # a bad enum falls back to its default


def test_duplicate_and_missing_inline_ids(vault: Vault) -> None:
    root = vault({
        "O.md": """
            ---
            type: objective
            period: 2026-Q4
            key_results:
              - id: talks
                target: 3
              - id: Talks
                target: 5
              - target: 7
            ---
            """,
    })
    analysis = run(root)
    assert ("O.md", 7, "duplicate-id") in codes(analysis)
    assert ("O.md", 9, "inline-kr-id") in codes(analysis)
    assert list(analysis.model.key_results) == ["O#talks"]
    assert analysis.model.key_results["O#talks"].target == 3


def test_non_utf8_and_empty_files(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "Latin1.md": b"---\ntype: objective\n---\ncaf\xe9\n",
        "Empty.md": b"",
        "Dashes.md": b"---\n---\n",
        "Unclosed.md": b"---\ntype: objective\n",
    })
    analysis = run(root)
    assert ("Latin1.md", 4, "not-utf8") in codes(analysis)
    assert ("Unclosed.md", 1, "frontmatter-unclosed") in codes(analysis)
    assert sorted(analysis.model.objectives) == ["O"]


def test_large_note(vault: Vault) -> None:
    big = KR + ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20 + "\n") * 4500
    root = vault({"O.md": objective(), "K.md": big})
    assert len(big.encode()) > 5_000_000
    assert kr_result(run(root), "K").current == 4


def test_yaml_alias_bomb_is_reported(vault: Vault) -> None:
    lines = ["---", "type: objective", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("---")
    root = vault({"O.md": objective(), "Bomb.md": "\n".join(lines) + "\n"})
    analysis = run(root)
    assert any(p.path == "Bomb.md" and p.code == "yaml-too-complex" for p in analysis.problems)
    assert list(analysis.model.objectives) == ["O"]


def test_symlink_loop_and_broken_link(vault: Vault) -> None:
    root = vault({"O.md": objective(), "Sub/K.md": KR})
    os.symlink("..", root / "Sub" / "loop")
    os.symlink("missing.md", root / "Dangling.md")
    (root / "Self.md").symlink_to(root / "Self.md")
    analysis = run(root)
    assert sorted(analysis.model.key_results) == ["Sub/K"]
    assert ("Dangling.md", 1, "read-error") in codes(analysis)


def test_symlinked_folder_outside_the_vault_is_read(tmp_path: Path, vault: Vault) -> None:
    root = vault({"O.md": objective()})
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "K.md").write_text(KR)
    os.symlink(outside, root / "Shared")
    assert "Shared/K" in run(root).model.key_results


def test_broken_config_falls_back_to_defaults(vault: Vault) -> None:
    root = vault({"vaultokr.toml": "stale_days = \n", "O.md": objective()})
    config_problems = [c for c in codes(run(root)) if c[0] == "vaultokr.toml"]
    assert config_problems == [("vaultokr.toml", 1, "config-invalid")]


def test_unknown_and_mistyped_config_keys(vault: Vault) -> None:
    root = vault({
        "vaultokr.toml": """
            stale_day = 3
            stale_days = "x"
            """,
        "O.md": objective(),
    })
    assert [c for c in codes(run(root)) if c[0] == "vaultokr.toml"] == [
        ("vaultokr.toml", 1, "config-unknown-key"),
        ("vaultokr.toml", 2, "config-invalid"),
    ]


@pytest.mark.parametrize("name", ["Zürich talk.md", "日本語.md"])
def test_non_ascii_names(vault: Vault, name: str) -> None:
    root = vault({"O.md": objective(), name: KR})
    assert name[:-3] in run(root).model.key_results


def test_a_kept_pipeline_reports_what_a_one_shot_read_reports(vault: Vault) -> None:
    import datetime as dt

    from vaultokr.run.kept import KeptPipeline
    from vaultokr.run.oneshot import analyse

    root = vault({"O.md": objective(), "K.md": KR, "Notes/a.md": "text\n"})
    (root / "gone.md").symlink_to(root / "nowhere.md")
    (root / "Link").symlink_to(root / "Notes")
    day = dt.date(2026, 11, 20)
    one_shot = analyse(root, day).problems
    assert {p.code for p in one_shot} >= {"read-error", "symlink-inside-vault"}
    kept = KeptPipeline(root)  # as watch keeps it
    kept.load_settings()
    kept.read()
    assert kept.analyse(day).problems == one_shot


def test_a_new_daily_note_format_is_a_reading_setting(vault: Vault) -> None:
    """watch re-reads every note when the daily-note format changes: it decides
    which notes are dated."""
    from vaultokr.run.changes import classify
    from vaultokr.run.kept import KeptPipeline

    root = vault({"O.md": objective(), "K.md": KR})
    kept = KeptPipeline(root)
    kept.load_settings()
    assert not kept.load_settings()
    for rel in (".obsidian/daily-notes.json", ".obsidian/plugins/periodic-notes/data.json"):
        assert classify(rel, False, "modified", kept.config) == "settings"
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "daily-notes.json").write_text('{"format": "DD.MM.YYYY"}')
    assert kept.load_settings()
    assert kept.config.daily is not None and kept.config.daily.format == "DD.MM.YYYY"
