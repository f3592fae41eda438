"""The OKR model read from a vault: plain typed dataclasses, no behaviour."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from vaultokr.core.vocab import Commitment, Declared, Keep, Measure, MeasurementKind
from vaultokr.syntax.measured import CountIf
from vaultokr.syntax.values import Growth


@dataclass(slots=True)
class Measurement:
    kr: str
    date: dt.date
    value: float
    confidence: float | None
    comment: str | None
    path: str
    line: int
    kind: MeasurementKind = MeasurementKind.CHECK_IN

    @property
    def explicit(self) -> bool:
        """Written as a measurement (sources 1-3), not read from dated notes."""
        return self.kind.explicit

    @property
    def source(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def order(self) -> tuple[dt.date, str, int]:
        return (self.date, self.path, self.line)


@dataclass
class Task:
    line: int
    done: bool
    done_on: dt.date | None
    text: str = ""  # the task's text after its checkbox (its first paragraph)


@dataclass
class KeyResult:
    id: str
    title: str
    objective: str
    path: str
    line: int
    measure: Measure = Measure.LAST
    metric: str | None = None
    unit: str | None = None
    weight: float = 1.0
    status: Declared = Declared.ACTIVE
    start: dt.date | None = None
    due: dt.date | None = None
    baseline: float | None = None  # as written; a flow's: last period's total
    target: float | None = None
    change: float | None = None
    growth: Growth | None = None
    keep: Keep | None = None
    field: str | None = None  # as shown: the field, or the fields joined by ", "
    tag: str | None = None
    count_if: CountIf | None = None  # with count and field: which values count (None: done)
    fields: list[str] = dataclasses.field(default_factory=list)  # every field it reads (v3)
    note: str | None = None  # the note its sources are limited to (v3); "" when unresolved
    note_heading: str | None = None  # ... and the heading whose section it is
    previous: str | None = None  # the key result it continues (previous:, written by plan)
    task: str | None = None  # SPEC v3: checked tasks with this text, or "#tag"
    done: bool = False
    done_on: dt.date | None = None
    tasks: list[Task] = dataclasses.field(default_factory=list)
    measurements: list[Measurement] = dataclasses.field(default_factory=list)
    inline: bool = False
    created: dt.date | None = None  # when its note was written (SPEC v2 §2)


@dataclass
class Objective:
    id: str
    title: str
    path: str
    period: str | None = None
    start: dt.date | None = None
    due: dt.date | None = None
    ambitions: list[str] = dataclasses.field(default_factory=list)
    parent: str | None = None
    status: Declared = Declared.ACTIVE
    commitment: Commitment = Commitment.ASPIRATIONAL
    weight: float = 1.0
    key_results: list[str] = dataclasses.field(default_factory=list)
    line: int = 1
    created: dt.date | None = None  # when the note was written (SPEC v2 §2)


@dataclass
class Ambition:
    id: str
    title: str
    path: str


@dataclass
class Initiative:
    id: str
    title: str
    path: str
    start: dt.date | None = None
    end: dt.date | None = None
    status: Declared = Declared.ACTIVE
    hypothesis: str | None = None
    key_results: list[str] = dataclasses.field(default_factory=list)


@dataclass
class Model:
    objectives: dict[str, Objective] = dataclasses.field(default_factory=dict)
    key_results: dict[str, KeyResult] = dataclasses.field(default_factory=dict)
    ambitions: dict[str, Ambition] = dataclasses.field(default_factory=dict)
    initiatives: dict[str, Initiative] = dataclasses.field(default_factory=dict)
