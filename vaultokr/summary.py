"""What ``vaultokr build`` prints: a line per output that changed (or all,
with -v), the problems, and a summary line; and its exit code."""

from __future__ import annotations

import difflib

import click

from vaultokr.build import FAILED, KEPT, REFUSED, BuildResult
from vaultokr.writer import Outcome

LABELS = {
    Outcome.CREATED: ("created", "green"),
    Outcome.WRITTEN: ("updated", "green"),
    Outcome.UNCHANGED: ("unchanged", "bright_black"),
    Outcome.CONFLICT: ("changed meanwhile, left for the next run", "yellow"),
    KEPT: ("kept (edited by hand)", "yellow"),
    REFUSED: ("refused", "red"),
    FAILED: ("not written (see the problem)", "red"),
}
WOULD: dict[str, str] = {Outcome.CREATED: "would create", Outcome.WRITTEN: "would update"}


def summarize(result: BuildResult, *, dry_run: bool, check: bool, diff: bool, quiet: bool,
              verbose: bool) -> tuple[str, int]:
    lines: list[str] = []
    preview = dry_run or check
    for out in result.outputs:
        if out.outcome == Outcome.UNCHANGED and not verbose:
            continue
        if quiet and out.outcome not in (REFUSED, FAILED):
            continue
        label, colour = LABELS.get(out.outcome, (out.outcome, "white"))
        if preview and out.outcome in WOULD:
            label = WOULD[out.outcome]
        lines.append(f"{click.style(label, fg=colour):<24} {out.path}")
        if diff and out.old != out.new and out.new is not None:
            lines.extend(_diff(out.path, out.old, out.new))
    for problem in result.problems:
        lines.append(problem.format())
    written = result.count(Outcome.CREATED, Outcome.WRITTEN)
    unchanged = result.count(Outcome.UNCHANGED)
    kept = result.count(KEPT)
    refused = result.count(REFUSED, FAILED)
    conflicts = result.count(Outcome.CONFLICT)
    verb = "would be written" if preview else "written"
    parts = [f"{written} {verb}", f"{unchanged} unchanged"]
    if kept:
        parts.append(f"{kept} kept (edited by hand)")
    if refused:
        parts.append(f"{refused} not written")
    if conflicts:
        parts.append(f"{conflicts} changed meanwhile")
    errors = len(result.analysis.errors)
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)} in notes (vaultokr check)")
    if not quiet:
        lines.append("vaultokr build: " + ", ".join(parts))
    code = 0
    if refused or (check and result.out_of_date):
        code = 1
    return "".join(f"{line}\n" for line in lines), code


def _diff(path: str, old: bytes | None, new: bytes) -> list[str]:
    before = old.decode("utf-8", "replace").splitlines(keepends=True) if old else []
    after = new.decode("utf-8", "replace").splitlines(keepends=True)
    return [line.rstrip("\n") for line in difflib.unified_diff(
        before, after, fromfile=f"a/{path}", tofile=f"b/{path}")]
