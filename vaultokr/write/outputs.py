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
