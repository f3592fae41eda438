"""Reading rules as fixture cases: ``tests/fixtures/reading/*.md``.

Each case is a note (or a few files) plus what vaultokr must read from it:
the measurements of one key result and the problems of the whole vault.
The case format is described in ``tests/fixtures/reading/README.md``. A case
runs through the command line only (``status --json`` and ``check``), so the
cases stay valid whatever the package looks like inside.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import age
from vaultokr.cli import main
from vaultokr.syntax import names as syntax

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reading"
AS_OF = "2026-11-20"
KR_PATH = "OKRs/KR.md"
GOAL_PATH = "OKRs/Goal.md"
GOAL = "---\ntype: objective\nperiod: 2026-Q4\n---\n"
KR_HEAD = 'type: key-result\nobjective: "[[Goal]]"\nbaseline: 0\ntarget: 10\n'
CONFIG = "stale_days = 100000\n"  # no staleness warnings from the scaffold
OPTIONS = {"status", "as-of", "kr", "why"}
STATUSES = {"pass", "v2-todo"}

MEASUREMENT = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2}) (?P<value>-?[0-9.]+) (?P<source>.+?:\d+)"
    r"(?: confidence=(?P<confidence>\d+))?(?: comment=(?P<comment>.+))?$")
PROBLEM = re.compile(
    r"(?P<severity>error|warning) (?P<path>.+):(?P<line>\d+) (?P<code>[a-z0-9-]+)$")
OBJECTIVE = re.compile(r"objective (?P<id>\S+)$")


@dataclass
class Case:
    source: str  # "fields.md:12"
    title: str
    status: str = "pass"
    why: str = ""
    as_of: str = AS_OF
    kr_id: str = "OKRs/KR"
    kr_lines: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    measurements: list[tuple[object, ...]] | None = field(default_factory=list)
    problems: list[tuple[str, str, int, str]] = field(default_factory=list)
    objective: str | None = None


def _split_blocks(lines: list[str], start: int) -> list[tuple[int, list[str]]]:
    """The ``.``-separated sections that follow a case title: header, files, expected."""
    sections: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = start
    for number, line in enumerate(lines[start:], start):
        if line == ".":
            sections.append((first, current))
            current, first = [], number + 1
            if len(sections) == 3:
                return sections
        else:
            current.append(line)
    raise ValueError(
        f"line {start}: a case needs header, files and expectations, each ended by '.'")


def _parse_header(case: Case, lines: list[str]) -> None:
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"{case.source}: header line without ':': {line!r}")
        value = value.strip()
        if key == "status":
            if value not in STATUSES:
                raise ValueError(f"{case.source}: status must be one of {sorted(STATUSES)}")
            case.status = value
        elif key == "as-of":
            case.as_of = value
        elif key == "kr":
            case.kr_id = value
        elif key == "why":
            case.why = value
        else:
            case.kr_lines.append(line)


def _parse_files(case: Case, lines: list[str]) -> None:
    name: str | None = None
    for line in lines:
        if line.startswith("=== "):
            name = line[4:].strip()
            if name in case.files:
                raise ValueError(f"{case.source}: {name} given twice")
            case.files[name] = ""
        elif name is None:
            raise ValueError(f"{case.source}: text before the first '=== PATH' line")
        else:
            case.files[name] += line + "\n"
    if not case.files:
        raise ValueError(f"{case.source}: a case needs at least one file")


def _parse_expected(case: Case, lines: list[str]) -> None:
    for line in lines:
        if line == "key result missing":
            case.measurements = None
        elif found := MEASUREMENT.match(line):
            confidence = found["confidence"]
            if case.measurements is None:
                raise ValueError(f"{case.source}: measurements of a missing key result")
            case.measurements.append((found["date"], float(found["value"]),
                                      None if confidence is None else int(confidence),
                                      found["comment"], found["source"]))
        elif found := PROBLEM.match(line):
            case.problems.append(
                (found["severity"], found["path"], int(found["line"]), found["code"]))
        elif found := OBJECTIVE.match(line):
            case.objective = found["id"]
        else:
            raise ValueError(f"{case.source}: cannot read expectation {line!r}")


def parse_cases(path: Path) -> list[Case]:
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("## "):
            index += 1
            continue
        case = Case(source=f"{path.name}:{index + 1}", title=line[3:].strip())
        (_, header), (_, files), (end, expected) = _split_blocks(lines, index + 1)
        _parse_header(case, header)
        _parse_files(case, files)
        _parse_expected(case, expected)
        if case.kr_lines and KR_PATH in case.files:
            raise ValueError(
                f"{case.source}: key result properties given and {KR_PATH} written too")
        cases.append(case)
        index = end + len(expected) + 1
    return cases


def all_cases() -> list[Case]:
    return [case for path in sorted(FIXTURES.glob("*.md")) if path.name != "README.md"
            for case in parse_cases(path)]


def _param(case: Case) -> object:
    marks = []
    if case.status == "v2-todo":
        reason = case.why or "SPEC v2 reading rule, not built yet"
        marks.append(pytest.mark.xfail(strict=True, reason=reason))
    return pytest.param(case, id=f"{case.source} {case.title}", marks=marks)


CASES = all_cases()


def write_vault(root: Path, case: Case) -> None:
    files = dict(case.files)
    files.setdefault(GOAL_PATH, GOAL)
    if KR_PATH not in files:
        own = "".join(f"{line}\n" for line in case.kr_lines)
        files[KR_PATH] = "---\n" + KR_HEAD + own + "---\n"
    files["vaultokr.toml"] = CONFIG + files.get("vaultokr.toml", "")
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


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
    runner = CliRunner()
    extra = [cache] if cache == "--no-cache" else []
    if cache == "indexed":  # what follows reads every note from the index this run writes
        age(root)
        runner.invoke(main, ["check", str(root), "--as-of", case.as_of])
        assert (root / ".vaultokr" / "index").is_file()
    if cache == "answered":  # what follows is printed again from what these runs printed
        age(root)
        runner.invoke(main, ["status", str(root), "--json", "--as-of", case.as_of])
        runner.invoke(main, ["check", str(root), "--as-of", case.as_of, "--format", "json"])
        monkeypatch.setattr("vaultokr.run.pipeline.analyse_files", no_analysis)
    status = runner.invoke(main, ["status", str(root), "--json", "--as-of", case.as_of, *extra])
    assert status.exit_code == 0, status.output
    report = json.loads(status.stdout)
    objective, kr = find_kr(report, case.kr_id)
    got_measurements = None if kr is None else [
        (m["date"], float(m["value"]), m["confidence"], m["comment"], m["source"])
        for m in kr["measurements"]]
    got_problems = problem_rows(report["problems"])
    assert (got_measurements, got_problems) == (case.measurements, sorted(case.problems))
    if case.objective is not None:
        assert objective == case.objective

    check = runner.invoke(main, ["check", str(root), "--as-of", case.as_of, "--format", "json",
                                 *extra])
    assert check.exit_code == (1 if any(p[0] == "error" for p in got_problems) else 0), check.output
    assert problem_rows(json.loads(check.stdout)) == got_problems


PRE_CHECKS = ("may_inline", "may_tag", "has_top_key", "may_be_role")


def status_json(root: Path, as_of: str) -> Any:
    result = CliRunner().invoke(main, ["status", str(root), "--json", "--as-of", as_of])
    assert result.exit_code == 0, result.output
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
