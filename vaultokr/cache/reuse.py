"""Which reviews a ``watch`` rebuild can leave as the last build wrote them.

The rule. A period's review shows the vault as of ``review.period_at`` (today,
or the day after the period's last day), a week's review as of
``review.week_at`` (today, or the week's last day) and the day before the week
starts; besides that date, a review reads only the settings, the templates,
the objectives, key results, ambitions and initiatives, the list of weeks with
check-ins (a week's previous and next links) and where it is written. The
computation (compute.py, measures.py) reads a key result's measurements only
up to the date it is computed as of. So when, since the last build:

- today, the settings and the templates are the same (the same objects: a
  reload is a change),
- every objective, key result (all but its measurements), ambition and
  initiative is equal to what it was, in the same order,
- the list of weeks with check-ins is the same,

and ``since`` is the earliest date of a measurement added, removed, changed or
moved (from the first place where a key result's sorted list differs, every
later one counts), a review whose date is before ``since`` shows exactly what
it showed: it is not computed nor rendered. Its file still goes the full way
when it does not hold the very bytes the last build wrote or found there
(edited, deleted, replaced): only the rendering is skipped, never the checks.
The dashboard and the regions (they show today, the problems, the notes) are
always rendered. Anything else (a structural change, a new day, a rescan, a
build that is not ``watch``'s) is a full build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import operator
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultokr.cache import store
from vaultokr.cache.fingerprint import Digest, code, folders
from vaultokr.cache.fingerprint import settings as settings_stamp
from vaultokr.cache.index import content_hash, restricted_load
from vaultokr.model.okr import Measurement, Model
from vaultokr.reviews.data import weeks_with_checkins

if TYPE_CHECKING:
    from vaultokr.compute.analysis import Analysis
    from vaultokr.write.outputs import OutputResult

#: a key result's measurements as the values of their fields, one after the
#: other in one flat tuple: compared in C, no object a measurement (the
#: collector would walk them all, often), nothing of the analysis kept alive
Rows = tuple[Any, ...]
_FIELDS = [f.name for f in dataclasses.fields(Measurement)]
_WIDTH = len(_FIELDS)
_DATE = _FIELDS.index("date")
_row: Callable[[Measurement], tuple[Any, ...]] = operator.attrgetter(*_FIELDS)


def _rows(measurements: list[Measurement]) -> Rows:
    return tuple(itertools.chain.from_iterable(map(_row, measurements)))

#: outputs whose date is known (review.period_at / week_at): the ones skipped
DATED = ("period", "week", "retrospective")  # a retrospective: its note, region and all
_KEPT_AS = ("created", "written", "unchanged")  # outcomes whose bytes are ours, as rendered


@dataclass
class Snapshot:
    """What a build reads, as values (compared with the next build's); ``made``
    keeps the objects of this build's model they were made from, and nothing
    of an older one."""

    as_of: dt.date
    config: object
    renderer: object
    structure: tuple[Any, ...]
    measurements: dict[str, Rows]  # per key result, its measurements' fields
    weeks: list[str]  # the weeks with check-ins, as the build lists them
    outputs: dict[str, str] = dataclasses.field(default_factory=dict)
    # output path -> hash of the bytes the build left there (filled by ``built``)
    made: Made | None = None  # the values above, by object: for the next snapshot

    def __post_init__(self) -> None:
        if self.made is not None:
            self.made.forget_last()  # one snapshot's objects kept, not every one's

    def built(self, outputs: Iterable[OutputResult]) -> None:
        """Remember the dated reviews the build wrote or found current."""
        self.outputs = {o.path: content_hash(o.new) for o in outputs
                        if o.kind in DATED and o.outcome in _KEPT_AS and o.new is not None}


def snapshot(analysis: Analysis, renderer: object, last: Snapshot | None = None,
             config: object = None) -> Snapshot:
    """What a build of ``analysis`` reads; the values of each object ``last``
    had made already (the very same object: the incremental analysis keeps
    whatever a save did not touch) are taken from it. ``renderer`` and
    ``config`` stand for the templates and the settings: compared by value
    with the next snapshot's (``config`` default: the analysis' settings)."""
    model = analysis.model
    as_of = analysis.results.as_of
    made = Made(last.made if last is not None else None)
    return Snapshot(as_of, analysis.config if config is None else config, renderer,
                    structure(model, made.values),
                    {kr_id: made.rows(kr) for kr_id, kr in model.key_results.items()},
                    weeks_with_checkins(model, as_of), made=made)


class Made:
    """The values and rows made for each object of a model (by id; the object
    is kept, so the id is its own), and those of the last snapshot's."""

    def __init__(self, last: Made | None) -> None:
        self.last_values = last.made_values if last is not None else {}
        self.last_rows = last.made_rows if last is not None else {}
        self.made_values: dict[int, tuple[object, tuple[Any, ...]]] = {}
        self.made_rows: dict[int, tuple[object, Rows]] = {}

    def values(self, obj: Any) -> tuple[Any, ...]:
        found = self.last_values.get(id(obj))
        if found is None or found[0] is not obj:
            found = (obj, _values(obj))
        self.made_values[id(obj)] = found
        return found[1]

    def rows(self, kr: Any) -> Rows:
        found = self.last_rows.get(id(kr))
        if found is None or found[0] is not kr:
            found = (kr, _rows(kr.measurements))
        self.made_rows[id(kr)] = found
        return found[1]

    def forget_last(self) -> None:
        self.last_values, self.last_rows = {}, {}


class Planner:
    """The snapshot of a build and its plan, taken when first asked for (after
    the dashboard is written: it is what the user waits for)."""

    def __init__(self, last: Snapshot | None, analysis: Analysis, renderer: object,
                 config: object = None) -> None:
        self.last = last
        self.analysis = analysis
        self.renderer = renderer
        self.config = config

    @functools.cached_property
    def now(self) -> Snapshot:
        return snapshot(self.analysis, self.renderer, self.last, self.config)

    @functools.cached_property
    def reuse(self) -> Reuse | None:
        return plan(self.last, self.now)


@dataclass
class Reuse:
    """Reviews dated before ``since`` (None: any date) are as last written."""

    since: dt.date | None
    outputs: dict[str, str]

    def keeps(self, rel: str, at: dt.date, digest: str) -> bool:
        """Whether the output at ``rel``, dated ``at``, whose file's bytes hash
        to ``digest``, is what the build would write again."""
        return (self.outputs.get(rel) == digest
                and (self.since is None or at < self.since))


def plan(last: Snapshot | None, now: Snapshot) -> Reuse | None:
    """What a build of ``now`` can leave of the last one (None: nothing, build in full)."""
    if (last is None or now.as_of != last.as_of or now.config != last.config
            or now.renderer != last.renderer or now.structure != last.structure
            or now.weeks != last.weeks or now.measurements.keys() != last.measurements.keys()):
        return None
    since: dt.date | None = None
    for kr_id, ms in now.measurements.items():
        first = _first_change(last.measurements[kr_id], ms)
        if first is not None and (since is None or first < since):
            since = first
    return Reuse(since, last.outputs)


def _first_change(old: Rows, new: Rows) -> dt.date | None:
    """The earliest date among the measurements from the first place the two
    lists differ (None: they are equal)."""
    if old == new:
        return None
    first = 0  # where the first measurement that differs starts
    while (first < min(len(old), len(new))
           and old[first:first + _WIDTH] == new[first:first + _WIDTH]):
        first += _WIDTH
    day: dt.date = min(old[first + _DATE::_WIDTH] + new[first + _DATE::_WIDTH])
    return day


def structure(model: Model, values: Callable[[Any], tuple[Any, ...]] | None = None
              ) -> tuple[Any, ...]:
    """Everything in the model but the key results' measurements, as values
    (``values``: of one object, as :func:`_values` makes them)."""
    of = values or _values
    return (
        tuple((k, of(o)) for k, o in model.objectives.items()),
        tuple((k, of(kr)) for k, kr in model.key_results.items()),
        tuple((k, of(a)) for k, a in model.ambitions.items()),
        tuple((k, of(i)) for k, i in model.initiatives.items()),
    )


def _values(obj: Any) -> tuple[Any, ...]:
    return tuple(_value(getattr(obj, name)) for name in _names(type(obj)))


def _names(cls: type) -> tuple[str, ...]:
    """A dataclass's fields but the measurements (asked once per class)."""
    found = _NAMES.get(cls)
    if found is None:
        found = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)
                                    if f.name != "measurements")
    return found


_NAMES: dict[type, tuple[str, ...]] = {}


#: values that are themselves (most of a model's): no list, tuple or dataclass
_PLAIN = frozenset({str, int, float, bool, type(None), dt.date})


def _value(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, list | tuple):
        return tuple(_value(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _values(value)
    return value


# ------------------------------------------------ kept for one-shot builds
KIND = "reviews"
FORMAT = 1
REVIEWS_REL = ".vaultokr/last-reviews"


def stamp(config: object, templates: list[Path]) -> str:
    """What the reviews are rendered with: the code, the settings and every
    template file. A kept snapshot stands for it in place of the settings and
    the templates (a one-shot build has no renderer to compare with)."""
    return (Digest("reviews").add("code", code()).add("settings", settings_stamp(config))
            .add("templates", folders(templates)).hexdigest())


def save(root: Path, token: str, kept: Snapshot | None) -> None:
    """Keep what a one-shot build read and wrote, for the next one; forget
    it when there is nothing to keep."""
    path = root / REVIEWS_REL
    if kept is None:
        path.unlink(missing_ok=True)
        return
    plain = dataclasses.replace(kept, config=token, renderer=token, made=None)
    try:
        payload = pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, RecursionError, TypeError, ValueError):
        path.unlink(missing_ok=True)
        return
    store.write_atomic(path, store.header(KIND, FORMAT, token) + payload)


def load(root: Path, token: str) -> Snapshot | None:
    """The snapshot the last one-shot build kept, if it was rendered with the
    same code, settings and templates."""
    try:
        data = (root / REVIEWS_REL).read_bytes()
    except OSError:
        return None
    first, _, payload = data.partition(b"\n")
    if not store.check(first + b"\n", KIND, FORMAT, token).usable:
        return None
    try:
        kept = restricted_load(payload)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError,
            KeyError, TypeError, ValueError):  # damaged or foreign: only a missed shortcut
        return None
    return kept if isinstance(kept, Snapshot) and kept.renderer == token else None
