"""Reading rules as fixture cases: ``tests/read/reading-rules/*.md``.

Each case is a note (or a few files) plus what vaultokr must read from it:
the measurements of one key result and the problems of the whole vault.
The case format is described in ``tests/read/reading-rules/README.md``. A case
runs through the command line only (``status --json`` and ``check``), so the
cases stay valid whatever the package looks like inside.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.cli import invoke
from support.reading_cases import CASES, Case, parse_cases, set_modified, write_vault
from support.vaults import age

from vaultokr.syntax import names as syntax


def _param(case: Case) -> object:
    marks = []
    if case.status == "v2-todo":
        reason = case.why or "SPEC v2 reading rule, not built yet"
        marks.append(pytest.mark.xfail(strict=True, reason=reason))
    return pytest.param(case, id=f"{case.source} {case.title}", marks=marks)

def problem_rows(problems: Any) -> list[tuple[str, str, int, str]]:
    return sorted((str(p["severity"]), str(p["path"]), int(p["line"]), str(p["code"]))
                  for p in problems)


def find_kr(report: Any, kr_id: str) -> tuple[str | None, Any]:
    for objective in report["objectives"]:
        for kr in objective["key_results"]:
            if kr["id"] == kr_id:
                return str(objective["id"]), kr
    return None, None


def test_the_cases_are_many_and_named_once() -> None:
    names = [case.source for case in CASES]
    assert len(CASES) >= 60
    assert len(set(names)) == len(names)


def test_a_broken_case_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text("## no files\nfield: mood\n.\n.\n.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="at least one file"):
        parse_cases(broken)
    broken.write_text("## bad line\n.\n=== a.md\nx\n.\nsomething else\n.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read expectation"):
        parse_cases(broken)


def no_analysis(*args: object) -> None:
    raise AssertionError("analysed: the answer kept in .vaultokr/ was not used")


@pytest.mark.parametrize("cache", ["--no-cache", "indexed", "answered"])
@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_reading_case(case: Case, tmp_path: Path, cache: str,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "vault"
    write_vault(root, case)
    extra = [cache] if cache == "--no-cache" else []
    if cache == "indexed":  # what follows reads every note from the index this run writes
        age(root)
        set_modified(root, case)
        invoke("check", str(root), "--as-of", case.as_of)
        assert (root / ".vaultokr" / "index").is_file()
    if cache == "answered":  # what follows is printed again from what these runs printed
        age(root)
        set_modified(root, case)
        invoke("status", str(root), "--json", "--as-of", case.as_of)
        invoke("check", str(root), "--as-of", case.as_of, "--format", "json")
        monkeypatch.setattr("vaultokr.run.pipeline.analyse_files", no_analysis)
    status = invoke("status", str(root), "--json", "--as-of", case.as_of, *extra)
    assert status.code == 0, status.output
    report = json.loads(status.stdout)
    objective, kr = find_kr(report, case.kr_id)
    got_measurements = None if kr is None else [
        (m["date"], float(m["value"]), m["confidence"], m["comment"], m["source"])
        for m in kr["measurements"]]
    got_problems = problem_rows(report["problems"])
    assert (got_measurements, got_problems) == (case.measurements, sorted(case.problems))
    if case.objective is not None:
        assert objective == case.objective

    check = invoke("check", str(root), "--as-of", case.as_of, "--format", "json", *extra)
    assert check.code == (1 if any(p[0] == "error" for p in got_problems) else 0), check.output
    assert problem_rows(json.loads(check.stdout)) == got_problems


PRE_CHECKS = ("may_inline", "may_tag", "may_task", "has_top_key", "may_be_role")


def status_json(root: Path, as_of: str) -> Any:
    result = invoke("status", str(root), "--json", "--as-of", as_of)
    assert result.code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("case", [pytest.param(case, id=f"{case.source} {case.title}")
                                  for case in CASES])
def test_the_pre_checks_change_nothing(case: Case, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Every case read with the cheap text pre-checks, and again with all of
    them answering yes (every note parsed): the same report."""
    root = tmp_path / "vault"
    write_vault(root, case)
    fast = status_json(root, case.as_of)
    for name in PRE_CHECKS:
        monkeypatch.setattr(syntax.PRECHECK, name, lambda *args: True)
    assert status_json(root, case.as_of) == fast


def test_a_pre_check_that_misses_a_spelling_is_caught(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above can fail: a pre-check that looks for the name as
    the key result writes it (the old one) misses ``Hours slept::``."""
    case = next(c for c in CASES if "`Hours slept:: 8`" in c.title)
    root = tmp_path / "vault"
    write_vault(root, case)
    slow_is = status_json(root, case.as_of)
    monkeypatch.setattr(syntax.PRECHECK, "may_inline",
                        lambda text, names: any(f"{n}::" in text.lower() for n in names))
    assert status_json(root, case.as_of) != slow_is
