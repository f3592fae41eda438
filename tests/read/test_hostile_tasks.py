"""Hostile input for the task and tag-value readers: one huge line of
checkboxes, one huge paragraph of tag values. Each is read in time (in a
child, bounded) and gives the measurements it holds."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import subprocess_cli
from support.safety import AS_OF, OBJ, make_vault

TASK_KR = ('---\ntype: key-result\nobjective: "[[O]]"\nmeasure: count\ntask: Meditate\n'
           "target: 10\n---\n")
VALUE_KR = ('---\ntype: key-result\nobjective: "[[O]]"\nmeasure: sum\ntag: pushup\n'
            "target: 10\n---\n")


def kr_measurements(root: Path, title: str) -> list[tuple[str, float]]:
    ran = subprocess_cli("status", str(root), "--json", "--as-of", AS_OF, "--no-cache",
                         timeout=20.0)
    assert ran.code == 0, ran.output
    report = json.loads(ran.output)
    kr = next(k for o in report["objectives"] for k in o["key_results"] if k["title"] == title)
    return [(m["date"], m["value"]) for m in kr["measurements"]]


def test_a_huge_line_of_checkboxes_is_checked_once(tmp_path: Path) -> None:
    """The pre-check looks at each line holding ``[x]`` once: a line of a
    million checkboxes without the text, and the text on another line."""
    note = "- " + "[x]" * 1_000_000 + "\n\nMeditate, but not as a task\n- [x] Meditate\n"
    root = make_vault(tmp_path, {"O.md": OBJ, "T.md": TASK_KR, "Daily/2026-11-05.md": note})
    assert kr_measurements(root, "T") == [("2026-11-05", 1)]


def test_a_huge_paragraph_of_tag_values_is_read_in_one_pass(tmp_path: Path) -> None:
    note = "#pushup:1\n" * 100_000
    root = make_vault(tmp_path, {"O.md": OBJ, "P.md": VALUE_KR, "Daily/2026-11-05.md": note})
    found = kr_measurements(root, "P")
    assert len(found) == 100_000 and found[-1] == ("2026-11-05", 1)
