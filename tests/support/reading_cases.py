"""The reading-rule cases of ``tests/read/reading-rules/*.md`` (the format is
in that folder's README.md), parsed: each case is a note (or a few files)
plus what vaultokr must read from it, the measurements of one key result and
the problems of the whole vault."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from support.vaults import TESTS

FIXTURES = TESTS / "read" / "reading-rules"
AS_OF = "2026-11-20"
KR_PATH = "OKRs/KR.md"
GOAL_PATH = "OKRs/Goal.md"
GOAL = "---\ntype: objective\nperiod: 2026-Q4\n---\n"
KR_HEAD = 'type: key-result\nobjective: "[[Goal]]"\nbaseline: 0\ntarget: 10\n'
CONFIG = "stale_days = 100000\n"  # no staleness warnings from the scaffold
OPTIONS = {"status", "as-of", "kr", "why", "modified"}
STATUSES = {"pass", "v2-todo"}

MEASUREMENT = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2}) (?P<value>-?[0-9.]+) (?P<source>.+?:\d+)"
    r"(?: confidence=(?P<confidence>\d+))?(?: comment=(?P<comment>.+))?$")
PROBLEM = re.compile(
    r"(?P<severity>error|warning) (?P<path>.+):(?P<line>\d+) (?P<code>[a-z0-9_-]+)$")
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
    modified: str | None = None  # every note's modification date (noon, local time)


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
        elif key == "modified":
            case.modified = value
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
    set_modified(root, case)


def set_modified(root: Path, case: Case) -> None:
    """Every note's modification time at noon of the case's ``modified:`` date
    (a note followed by ``note:`` is dated by it when the vault has no git)."""
    if case.modified is None:
        return
    when = time.mktime(time.strptime(case.modified + " 12:00", "%Y-%m-%d %H:%M"))
    for path in root.rglob("*.md"):
        os.utime(path, (when, when))
