"""What ``vaultokr build`` prints: a line per output that changed (every
output at the verbose level, only refused ones at the quiet level), the
problems, and a summary line."""

from __future__ import annotations

import difflib

import click

from vaultokr.core.limits import SHOWN_BY_BUILD
from vaultokr.views.printer import Level, Reporter
from vaultokr.write.outputs import FAILED, KEPT, REFUSED, BuildResult
from vaultokr.write.writer import Outcome

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


def summarize(result: BuildResult, report: Reporter, *, dry_run: bool, check: bool,
              diff: bool) -> None:
    preview = dry_run or check
    for out in result.outputs:
        level = (Level.VERBOSE if out.outcome == Outcome.UNCHANGED
                 else Level.QUIET if out.outcome in (REFUSED, FAILED) else Level.NORMAL)
        label, colour = LABELS.get(out.outcome, (out.outcome, "white"))
        if preview and out.outcome in WOULD:
            label = WOULD[out.outcome]
        report.say(f"{click.style(label, fg=colour):<24} {out.path}", level)
        if diff and out.old != out.new and out.new is not None:
            for line in _diff(out.path, out.old, out.new):
                report.say(line, level)
    for problem in result.problems:
        report.essential(problem.format())
    for problem in result.analysis.problems:
        if problem.code in SHOWN_BY_BUILD:  # a setting ignored or a limit hit
            report.essential(problem.format())
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
    report.info("vaultokr build: " + ", ".join(parts))


def _diff(path: str, old: bytes | None, new: bytes) -> list[str]:
    before = old.decode("utf-8", "replace").splitlines(keepends=True) if old else []
    after = new.decode("utf-8", "replace").splitlines(keepends=True)
    return [line.rstrip("\n") for line in difflib.unified_diff(
        before, after, fromfile=f"a/{path}", tofile=f"b/{path}")]
