"""What ``vaultokr watch`` says of each rebuild, and the fight over an output
it stops (another program rewriting what it writes, again and again)."""

from __future__ import annotations

import time

from vaultokr.cache.index import content_hash
from vaultokr.core.errors import Problem, Runaway
from vaultokr.run.changes import Change
from vaultokr.views.printer import Level, Reporter
from vaultokr.write.outputs import BuildResult


class Rebuilds:
    def __init__(self, report: Reporter, runaway_writes: int) -> None:
        self.report = report
        self.runaway_writes = runaway_writes
        self.fights = 0  # rebuilds in a row triggered only by changes to our own outputs
        self.problems: set[Problem] = set()  # the problems last printed

    def check_fight(self, outputs_only: bool, changed: set[str], result: BuildResult,
                    ours: dict[str, str]) -> None:
        """Something else (another vaultokr, a sync tool, a plugin) rewriting our
        outputs, we rewriting them back, again and again: stop, do not churn.

        Rewriting back means writing the very bytes we had written before: a
        user's check-in into a note with a region changes what the region
        says, so it is an edit, never a fight."""
        rewrote = {o.path for o in result.outputs if o.changed and o.new is not None
                   and o.path in changed and ours.get(o.path) == content_hash(o.new)}
        self.fights = self.fights + 1 if outputs_only and rewrote else 0
        if self.fights >= self.runaway_writes:
            shown = ", ".join(sorted(rewrote)[:3])
            raise Runaway(
                f"{shown} keeps being changed by something else and rewritten by vaultokr "
                f"({self.fights} times in a row): another vaultokr, a sync tool or a plugin "
                "is fighting over it; stopping rather than churning",
                hint="stop the other program, or set another output path in vaultokr.toml",
            )

    @staticmethod
    def what(changed: set[str], change: Change) -> str:
        """The rebuild's cause, as its line shows it."""
        what = ", ".join(sorted(changed)[:3]) + (f" and {len(changed) - 3} more"
                                                 if len(changed) > 3 else "")
        if change.settings:
            what = (what + ", " if what else "") + "settings"
        if change.templates:
            what = (what + ", " if what else "") + "templates"
        return what or "rescan"

    def tell(self, result: BuildResult, what: str, ms: float, changed: bool,
             start: bool = False) -> None:
        """A line per rebuild (one that wrote nothing for no changed note: only
        at the verbose level; at start: never), then the problems that came
        and went."""
        wrote = [o.path for o in result.outputs if o.changed]
        if wrote or not start:
            shown = ", ".join(wrote[:4]) + (f" and {len(wrote) - 4} more" if len(wrote) > 4
                                            else "")
            stamp = time.strftime("%H:%M:%S")
            self.report.say(
                f"{stamp}  {what} → {'wrote ' + shown if wrote else 'no output changed'}"
                f" ({ms:.0f} ms)", Level.NORMAL if wrote or changed else Level.VERBOSE)
        current = set(result.analysis.problems) | set(result.problems)
        for problem in sorted(current - self.problems):
            self.report.essential(f"  {problem.format()}")
        for problem in sorted(self.problems - current):
            self.report.essential(f"  fixed: {problem.path}:{problem.line}: {problem.message} "
                                  f"[{problem.code}]")
        self.problems = current
