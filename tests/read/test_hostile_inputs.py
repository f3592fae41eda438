"""Issue 9, hostile inputs and limits: deep nesting, catastrophic patterns and
huge or impossible numbers are a problem naming the file, never a crash, a
hang or exit 3. Cases that can kill or hang the process run in a child."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import invoke as cli
from support.cli import subprocess_cli
from support.safety import AS_OF, KR, OBJ, build, make_vault

from vaultokr.core.limits import MAX_NESTING, deepest_line, too_deep

DEEP = 100_000


def child_build(root: Path, timeout: float = 8.0) -> str:
    ran = subprocess_cli("build", str(root), "--as-of", AS_OF, timeout=timeout)
    ran.assert_clean()
    assert ran.code >= 0, ran.output  # not killed by a signal, not hung
    return ran.output


def test_a_deeply_nested_config(tmp_path: Path) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR,
                                 "vaultokr.toml": "exclude = " + "[" * DEEP + "]" * DEEP + "\n"})
    assert "vaultokr.toml" in child_build(root)


def test_a_deeply_nested_obsidian_setting(tmp_path: Path) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR, ".obsidian/app.json":
                                 '{"userIgnoreFilters": ' + "[" * DEEP + "]" * DEEP + "}"})
    assert "app.json" in child_build(root)


def test_a_catastrophic_ignore_pattern_is_bounded(tmp_path: Path) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR,
                                 ".obsidian/app.json": json.dumps(
                                     {"userIgnoreFilters": ["/^(a+)+$/"]}),
                                 "a" * 40 + "!.md": "just a note\n"})
    output = child_build(root, timeout=3)
    assert "app.json" in output


@pytest.mark.parametrize("bracket", ["[", "{"])
def test_deeply_nested_front_matter(tmp_path: Path, bracket: str) -> None:
    closing = "]" if bracket == "[" else "}"
    deep = "---\ntype: key-result\nobjective: \"[[O]]\"\ntarget: 10\nbad: " + \
        bracket * DEEP + closing * DEEP + "\n---\n"
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR, "Deep.md": deep})
    assert "Deep.md" in child_build(root)


NUMBERS = {
    "5000-digit-target": ("K.md", KR.replace("target: 10", "target: " + "9" * 5000)),
    "weight-inf": ("K.md", KR.replace("target: 10", "target: 10\nweight: .inf")),
    "weight-nan": ("K.md", KR.replace("target: 10", "target: 10\nweight: .nan")),
    "period-9999-W52": ("O.md", OBJ.replace("2026-Q4", "9999-W52")),
    "period-9999-Q4": ("O.md", OBJ.replace("2026-Q4", "9999-Q4")),
    "growth-over-centuries": ("K.md", KR.replace("baseline: 0\ntarget: 10", "baseline: 1\n"
                                                 "growth: 1000%/week\nstart: 0001-01-01")),
    "start-0001-01-01": ("K.md", KR.replace("target: 10", "target: 10\nstart: 0001-01-01")),
    "growth-over-1000-years": ("K.md", KR.replace("baseline: 0\ntarget: 10", "baseline: 1\n"
                                                  "growth: 1000%/week\nstart: 1900-01-01\n"
                                                  "due: 2899-12-31")),
}
#: the problem each case is reported as (by ``vaultokr check``)
NUMBER_CODES = {"5000-digit-target": "bad-target", "weight-inf": "bad-weight",
                "weight-nan": "bad-weight", "period-9999-W52": "bad-period",
                "period-9999-Q4": "bad-period", "growth-over-centuries": "bad-date",
                "start-0001-01-01": "bad-date", "growth-over-1000-years": "bad-growth"}


@pytest.mark.parametrize("case", NUMBERS)
@pytest.mark.parametrize("command", ["build", "status"])
def test_impossible_numbers_are_problems(tmp_path: Path, case: str, command: str) -> None:
    name, text = NUMBERS[case]
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR} | {name: text})
    if command == "build":
        ran = build(root)
    else:
        ran = cli("status", str(root), "--as-of", AS_OF, "--json")
    ran.assert_clean()
    if command == "status" and ran.code == 0:
        json.loads(ran.output, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))

    checked = cli("check", str(root), "--as-of", AS_OF)
    checked.assert_clean()
    assert f"{name}:" in checked.output and f"[{NUMBER_CODES[case]}]" in checked.output, \
        checked.output


NESTING = [
    "[" * MAX_NESTING + "]" * MAX_NESTING,  # at the limit: fine
    "[" * (MAX_NESTING + 1),  # one more: too deep
    "{" * MAX_NESTING + "\n" + "- " * 1 + "x",  # brackets and a block item on a later line
    "- " * (MAX_NESTING + 1) + "x",  # block items opened on one line
    "? " * MAX_NESTING + "- x",
    "\n".join(f"d{i}: 2026-11-{i % 28 + 1:02d}" for i in range(40)),  # many dashes, flat
    "\n".join(f"- [a, {{b: [c]}}]  # {i}" for i in range(40)),  # many brackets, shallow
    "q: '" + "[" * (MAX_NESTING + 5) + "'",  # quoted: not nesting
]


@pytest.mark.parametrize("text", NESTING)
def test_the_nesting_check_s_shortcut_never_hides_a_level(text: str) -> None:
    # the shortcut: no deeper than the count of the characters that open a level
    assert too_deep(text) == deepest_line(text)
    assert too_deep(text[1:]) == deepest_line(text[1:])
