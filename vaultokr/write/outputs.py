"""What a build did with each output (a review note or a region): the
writer's outcomes (created, written, unchanged) and the build's own (kept,
refused, failed), and the build's result as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from vaultokr.compute.analysis import Analysis
from vaultokr.core.errors import Problem
from vaultokr.write.writer import Outcome

# outcomes beyond the writer's
KEPT = "kept"  # edited by hand: left as it is
REFUSED = "refused"  # not ours, or outside the vault
FAILED = "failed"  # a template or note problem: left as it is


@dataclass
class OutputResult:
    path: str
    kind: str
    outcome: str
    old: bytes | None = None
    new: bytes | None = None

    @property
    def changed(self) -> bool:
        return self.outcome in (Outcome.CREATED, Outcome.WRITTEN)


@dataclass
class BuildResult:
    analysis: Analysis
    outputs: list[OutputResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, *outcomes: str) -> int:
        return sum(1 for o in self.outputs if o.outcome in outcomes)

    def failed(self, check: bool) -> bool:
        """An output could not be written or, with ``check``, is out of date."""
        return bool(self.count(REFUSED, FAILED) or (check and self.out_of_date))

    @property
    def out_of_date(self) -> list[OutputResult]:
        return [o for o in self.outputs if o.changed or o.outcome in (KEPT, REFUSED, FAILED)]


def merged(outputs: list[OutputResult]) -> list[OutputResult]:
    """One result per path, in path order: a file that two steps of one build
    wrote (a retrospective created, then its region filled; a note's regions,
    then its computed properties) is one output, from its first old bytes to
    its last new ones, created or written if either step wrote it."""
    by_path: dict[str, list[OutputResult]] = {}
    for out in outputs:
        by_path.setdefault(out.path, []).append(out)
    found = []
    for path in sorted(by_path):
        steps = by_path[path]
        if len(steps) == 1:
            found.append(steps[0])
            continue
        wrote = [o for o in steps if o.changed]
        outcome = (Outcome.CREATED if any(o.outcome == Outcome.CREATED for o in wrote)
                   else wrote[0].outcome if wrote else steps[-1].outcome)
        found.append(OutputResult(path, steps[-1].kind, outcome, steps[0].old, steps[-1].new))
    return found
