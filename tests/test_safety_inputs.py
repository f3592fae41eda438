"""Issue 9, hostile inputs and limits: deep nesting, catastrophic patterns and
huge or impossible numbers are a problem naming the file, never a crash, a
hang or exit 3. Cases that can kill or hang the process run in a child."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.safety_support import AS_OF, KR, OBJ, build, cli, make_vault, subprocess_cli

DEEP = 100_000


def child_build(root: Path, timeout: float = 8.0) -> str:
    ran = subprocess_cli("build", str(root), "--as-of", AS_OF, timeout=timeout)
    ran.assert_clean()
    assert ran.code >= 0, ran.output  # not killed by a signal, not hung
    return ran.output


@pytest.mark.xfail(strict=True, reason="issue 9: a deeply nested vaultokr.toml is a RecursionError")
def test_a_deeply_nested_config(tmp_path: Path) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR,
                                 "vaultokr.toml": "exclude = " + "[" * DEEP + "]" * DEEP + "\n"})
    assert "vaultokr.toml" in child_build(root)


@pytest.mark.xfail(strict=True, reason="issue 9: a deeply nested .obsidian/app.json is a "
                   "RecursionError")
def test_a_deeply_nested_obsidian_setting(tmp_path: Path) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR, ".obsidian/app.json":
                                 '{"userIgnoreFilters": ' + "[" * DEEP + "]" * DEEP + "}"})
    assert "app.json" in child_build(root)


@pytest.mark.xfail(strict=True, reason="issue 9: a catastrophic userIgnoreFilters pattern hangs")
@pytest.mark.slow
def test_a_catastrophic_ignore_pattern_is_bounded(tmp_path: Path) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR,
                                 ".obsidian/app.json": json.dumps(
                                     {"userIgnoreFilters": ["/^(a+)+$/"]}),
                                 "a" * 40 + "!.md": "just a note\n"})
    output = child_build(root, timeout=3)
    assert "app.json" in output


@pytest.mark.parametrize("bracket", ["[", "{"])
@pytest.mark.xfail(strict=True, reason="issue 9: 100,000 nested [ or { in front-matter kill the "
                   "process (SIGSEGV)")
@pytest.mark.slow
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
}


XFAIL_NUMBERS = {("build", "5000-digit-target"), ("status", "5000-digit-target"),
                 ("status", "weight-inf"), ("status", "weight-nan"),
                 ("build", "period-9999-W52"), ("status", "period-9999-W52"),
                 ("build", "period-9999-Q4"),
                 ("build", "growth-over-centuries"), ("status", "growth-over-centuries")}


def number_cases() -> list[object]:
    return [pytest.param(command, case, id=f"{command}-{case}", marks=[pytest.mark.xfail(
                strict=True, reason=f"issue 9: {case} in {command}")]
            if (command, case) in XFAIL_NUMBERS else [])
            for command in ("build", "status") for case in NUMBERS]


@pytest.mark.parametrize(("command", "case"), number_cases())
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

