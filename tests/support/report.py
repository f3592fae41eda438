"""The report of ``vaultokr status --json`` (docs/json.md), and the parts of it
a test looks at: a key result, an objective, the problems of one code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from support.cli import invoke


def status(root: Path, as_of: str = "2026-11-20") -> dict[str, Any]:
    """``vaultokr status ROOT --as-of AS_OF --json``, which must exit 0."""
    ran = invoke("status", str(root), "--as-of", as_of, "--json")
    assert ran.code == 0, ran.output
    report: dict[str, Any] = json.loads(ran.stdout)
    return report


def key_result(report: dict[str, Any], kr_id: str) -> dict[str, Any]:
    for o in report["objectives"]:
        for k in o["key_results"]:
            if k["id"] == kr_id:
                found: dict[str, Any] = k
                return found
    raise AssertionError(f"no key result {kr_id} in the report")


def objective_of(report: dict[str, Any], obj_id: str) -> dict[str, Any]:
    for o in report["objectives"]:
        if o["id"] == obj_id:
            found: dict[str, Any] = o
            return found
    raise AssertionError(f"no objective {obj_id} in the report")


def problems(report_or_list: dict[str, Any] | list[dict[str, Any]],
             code: str) -> list[dict[str, Any]]:
    """The problems of one code, in a report or in ``check --format json``'s list."""
    listed = report_or_list["problems"] if isinstance(report_or_list, dict) else report_or_list
    return [p for p in listed if p["code"] == code]
