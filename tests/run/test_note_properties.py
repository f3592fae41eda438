"""``properties = true``: the computed properties in key-result and
objective notes, the generated base and the registered types, through
``vaultokr build`` on copies of the committed vaults."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from support.bases import evaluate
from support.cli import invoke
from support.front_matter import notes
from support.snapshot import changed, snapshot
from support.vaults import KINDS, SAMPLE, copy_vault, kr, objective, write

from vaultokr.model.measures import time_fraction

KR_KEYS = ["okr_current", "okr_target", "okr_baseline", "okr_progress", "okr_status",
           "okr_trend", "okr_forecast", "okr_confidence", "okr_last_measured", "okr_start",
           "okr_due"]
OBJECTIVE_KEYS = ["okr_progress", "okr_status", "okr_start", "okr_due"]
#: the keys and functions the generated base may use: those Obsidian's help
#: documents (en/Bases: "Bases syntax", "Functions", "Views")
BASE_KEYS = {"filters", "formulas", "properties", "summaries", "views"}
VIEW_KEYS = {"type", "name", "limit", "groupBy", "filters", "order", "summaries"}
FILTER_KEYS = {"and", "or", "not"}
FUNCTIONS = {"date", "duration", "file", "if", "link", "list", "max", "min", "now", "number",
             "today", "hasProperty", "hasTag", "hasLink", "inFolder", "round", "toFixed",
             "isEmpty", "toString", "contains", "format", "abs", "ceil", "floor"}


def setting_first(root: Path, line: str) -> None:
    """A top-level setting first in vaultokr.toml (before any [section])."""
    path = root / "vaultokr.toml"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(line + "\n" + old, encoding="utf-8")


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8-sig")
    data = yaml.safe_load(text.split("---", 2)[1])
    assert isinstance(data, dict)
    return data


def build(root: Path, as_of: str = "2026-11-20", *more: str) -> str:
    ran = invoke("build", "--vault", str(root), "--as-of", as_of, *more)
    ran.assert_clean()
    assert ran.code == 0, ran.output
    return ran.output


def status(root: Path, as_of: str = "2026-11-20") -> dict[str, Any]:
    ran = invoke("status", "--vault", str(root), "--as-of", as_of, "--json")
    data = json.loads(ran.stdout)
    assert isinstance(data, dict)
    return data


def expected_values(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each note's properties as the JSON report gives them, rounded as written."""
    def pct(share: float | None) -> float | None:
        return None if share is None else round(share * 100, 1)

    def num(value: float | None) -> float | None:
        return None if value is None else round(value, 6)

    def day(text: str | None) -> dt.date | None:
        return None if text is None else dt.date.fromisoformat(text)

    found: dict[str, dict[str, Any]] = {}
    for o in report["objectives"]:
        found[o["path"]] = {"okr_progress": pct(o["progress"]), "okr_status": o["status"],
                            "okr_start": day(o["start"]), "okr_due": day(o["due"])}
        for k in o["key_results"]:
            if "#" in k["id"]:
                continue  # inline: no note of its own
            found[k["path"]] = {
                "okr_current": num(k["current"]), "okr_target": num(k["target"]),
                "okr_baseline": num(k["baseline"]), "okr_progress": pct(k["progress"]),
                "okr_status": k["status"], "okr_trend": k["trend"],
                "okr_forecast": pct(k["forecast_progress"]),
                "okr_confidence": num(k["confidence"]),
                "okr_last_measured": day(k["last_measured"]),
                "okr_start": day(k["start"]), "okr_due": day(k["due"])}
    return found


@pytest.fixture
def kinds(tmp_path: Path) -> Path:
    root = copy_vault(KINDS, tmp_path / "kinds")
    setting_first(root, "properties = true")
    return root


def test_the_values_are_the_reports_rounded(kinds: Path) -> None:
    build(kinds)
    wanted = expected_values(status(kinds))
    assert len(wanted) > 10
    for rel, values in wanted.items():
        data = front_matter(kinds / rel)
        written = {key: data[key] for key in values}
        assert written == values, rel


def test_a_second_build_writes_nothing_and_false_gives_the_notes_back(
        kinds: Path, tmp_path: Path) -> None:
    plain = copy_vault(KINDS, tmp_path / "original")
    build(plain)  # its regions filled, as in the vault with properties
    original = snapshot(plain, caches=False)
    build(kinds)
    first = snapshot(kinds, caches=False)
    assert "0 written" in build(kinds)
    assert snapshot(kinds, caches=False) == first
    (kinds / "vaultokr.toml").write_text(
        (kinds / "vaultokr.toml").read_text().replace("properties = true", "properties = false"))
    build(kinds)
    after = snapshot(kinds, caches=False)
    notes = {rel for rel in original if rel.endswith(".md") and "Reviews/" not in rel
             and rel != "OKRs/Dashboard.md"}
    assert notes
    assert {rel: after[rel] for rel in notes} == {rel: original[rel] for rel in notes}


def test_a_day_later_only_notes_whose_values_changed_are_written(tmp_path: Path) -> None:
    root = copy_vault(SAMPLE, tmp_path / "sample")
    setting_first(root, "properties = true")
    text = (root / "vaultokr.toml").read_text()
    (root / "vaultokr.toml").write_text(text + "\n[outputs]\nregions = false\n"
                                        if "[outputs]" not in text else text)
    build(root, "2026-11-20")
    before = snapshot(root, caches=False)
    day1 = expected_values(status(root, "2026-11-20"))
    build(root, "2026-11-21")
    day2 = expected_values(status(root, "2026-11-21"))
    rewritten = {rel for rel in changed(before, snapshot(root, caches=False)) if rel in day1}
    assert rewritten == {rel for rel in day1 if day1[rel] != day2[rel]}


def test_unset_never_touches_a_key_with_the_prefix(vault: Any) -> None:
    root = vault({"O.md": objective(), "K.md": kr(target=10, okr_progress=12,
                                                  log=["2026-11-02: 4"])})
    before = snapshot(root, caches=False)
    build(root)
    assert (root / "K.md").read_bytes() == before["K.md"]
    assert not (root / "OKRs" / "OKRs.base").exists()


def test_a_note_an_error_leaves_out_is_left_as_it_is(vault: Any) -> None:
    root = vault({"O.md": objective(), "K.md": kr(target=10, log=["2026-11-02: 4"])})
    setting_first(root, "properties = true")
    (root / "K.md").write_text("---\ntype: key-result\nobjective: \"[[O]]\"\ntarget: 10\n"
                               "okr_status: [open\n---\n- 2026-11-02: 4\n")
    before = (root / "K.md").read_bytes()
    assert "1 error in notes" in build(root)
    assert (root / "K.md").read_bytes() == before
    assert "okr_status: on_track" not in (root / "O.md").read_text()  # no key result: pending


def test_the_base_reads_as_the_documented_bases_language(kinds: Path) -> None:
    build(kinds)
    text = (kinds / "OKRs" / "OKRs.base").read_text(encoding="utf-8")
    assert text.startswith("# vaultokr: generated sha256:")
    base = yaml.safe_load(text)
    assert set(base) <= BASE_KEYS
    names = [v["name"] for v in base["views"]]
    assert names == ["This period", "Needs attention", "Objectives"]
    expressions: list[str] = list(base["formulas"].values())
    for view in base["views"]:
        assert set(view) <= VIEW_KEYS
        assert view["type"] == "table"
        expressions += _filters(view["filters"])
    expressions += _filters(base["filters"])
    for text in expressions:
        called = set(__import__("re").findall(r"([A-Za-z_]+)\(", text))
        assert called <= FUNCTIONS, text


def _filters(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    assert isinstance(node, dict) and set(node) <= FILTER_KEYS
    return [text for items in node.values() for item in items for text in _filters(item)]


@pytest.mark.parametrize("today", [dt.date(2026, 10, 1), dt.date(2026, 11, 20),
                                   dt.date(2026, 12, 31), dt.date(2027, 2, 1),
                                   dt.date(2026, 3, 29)])
def test_the_bases_expected_progress_is_vaultokrs(kinds: Path, today: dt.date) -> None:
    build(kinds)
    formula = yaml.safe_load((kinds / "OKRs" / "OKRs.base").read_text())["formulas"]["expected"]
    start, due = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    props = {"okr_start": start, "okr_due": due}
    assert evaluate(formula, props, today) == round(time_fraction(start, due, today) * 100, 1)


def test_an_edited_base_is_kept_until_force(kinds: Path) -> None:
    build(kinds)
    path = kinds / "OKRs" / "OKRs.base"
    path.write_text(path.read_text() + "# my view\n")
    edited = path.read_bytes()
    assert "kept" in build(kinds, "2026-11-20", "-v")
    assert path.read_bytes() == edited
    build(kinds, "2026-11-20", "--force")
    assert b"# my view" not in path.read_bytes()


def test_types_are_registered_beside_the_users(kinds: Path) -> None:
    (kinds / ".obsidian").mkdir(exist_ok=True)
    (kinds / ".obsidian" / "types.json").write_text('{"types": {"mood": "number", '
                                                    '"okr_status": "multitext"}}')
    build(kinds)
    types = json.loads((kinds / ".obsidian" / "types.json").read_text())["types"]
    assert types["mood"] == "number" and types["okr_status"] == "multitext"  # the user's
    assert types["okr_progress"] == "number" and types["okr_due"] == "date"


KR_FIRST = ("type: key-result", 'objective: "[[O]]"', "measure: sum", "target: 20")


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(note=notes(first=KR_FIRST))
def test_generated_notes_change_only_on_their_computed_lines(
        tmp_path_factory: pytest.TempPathFactory, note: tuple[str, bool]) -> None:
    text, had_keys = note
    root = write(tmp_path_factory.mktemp("v"), {"O.md": objective(), "K.md": "",
                                               "vaultokr.toml": "properties = true\n"})
    (root / "K.md").write_bytes(text.encode("utf-8"))
    build(root)
    after = (root / "K.md").read_bytes()
    report = expected_values(status(root))
    if "K.md" in report:
        data = yaml.safe_load(after.decode("utf-8-sig").split("---", 2)[1])
        assert {key: data[key] for key in KR_KEYS} == report["K.md"]
    else:  # an error left it out (a key twice, say): not touched
        assert after == text.encode("utf-8")
    assert "0 written" in build(root)
    (root / "vaultokr.toml").write_text("properties = false\n")
    build(root)
    if not had_keys:
        assert (root / "K.md").read_bytes() == text.encode("utf-8")
