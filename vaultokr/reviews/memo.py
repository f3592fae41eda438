"""What one build makes once for all its outputs, where outputs repeat each
other: each measurement's escaped dict (a measurement is in every review
after its date), each key result's history rows (a week's review shows the
rows of the week before and a few more), and each objective's results at
the few dates used last (a week's review computes the day before it starts,
the previous week's its last day).

The memo lives as long as one build (:func:`building`, around
``Builder.run``), and the build passes it to every review function it calls
(``memo=``): the model it refers to is alive and does not change meanwhile,
and the settings are the same. Outside a build a review function gets
:data:`FRESH`, which keeps nothing: everything is made afresh. Whatever is
reused is exactly what would be made again: the oracle test
(tests/run/test_build_shared_work.py) builds every output with :data:`FRESH`
and compares the bytes and the templates' contexts.

A pipeline kept between builds (``watch``) also hands a :class:`Carry` from
one build to the next: the objectives' results at the dates the last build
used, and the template data of every key result and objective it showed.
After a save, the incremental analysis keeps every result the save did not
touch as the very same object, so the next build makes the data of the
changed ones only (tests/cache/test_reuse.py compares every file after each save
with a fresh build of a copy).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable, Iterator
from typing import Any

from vaultokr.compute.results import KRResult, ObjectiveResult, Results
from vaultokr.core.escape import Escaped, EscapedList, escaped, one_line
from vaultokr.model.measures import expected_value
from vaultokr.model.okr import KeyResult, Measurement, Model
from vaultokr.views.json_report import measurement_dict
from vaultokr.views.json_text import identity

DATES = 3  # dates whose results a build keeps: a week's end, the next one's, and its day before
Point = tuple[dt.date, float]


History = tuple[float, float | None, list[Point], list[Escaped]]
View = tuple[object, dict[str, Any], dict[str, Any]]  # the result, its data, escaped


class Fresh:
    """The memo that keeps nothing: every piece of template data is made
    anew. What a review function gets when it is not part of a build (and
    the default of every one of them); :class:`Memo` keeps for one build."""

    def next_output(self) -> None:
        """A new output's context is being made."""

    def objectives_at(self, day: dt.date) -> dict[int, ObjectiveResult] | None:
        """The objectives' results known at a date (None: none kept)."""
        return None

    def measurements(self, r: KRResult) -> EscapedList:
        """A key result's measurements' dicts, escaped."""
        return EscapedList(escaped(measurement_dict(m)) for m in r.measurements)

    def history(self, r: KRResult, points: list[Point]) -> EscapedList:
        """Each point's date, value and the value expected on that date."""
        return EscapedList(_rows(r.kr, r.baseline, r.target, points))

    def view(self, result: object, as_of: dt.date, detail: bool,
             make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The template data ``make`` gives for ``result``."""
        return make()

    def one_line_context(self, context: dict[str, Any]) -> Any:
        """:func:`vaultokr.core.escape.one_line` of a template's context."""
        return one_line(context, None)

    def region_base(self, results: Results, make: Callable[[], dict[str, Any]]
                    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The regions' base context made by ``make``: as made, and a new dict
        of its values to add a region's own data to."""
        made = make()
        return made, dict(made)


#: the memo of a review made outside a build
FRESH = Fresh()


class Memo(Fresh):
    """Measurements' dicts and histories are kept for two outputs, the one
    being made and the one before (:meth:`next_output`): what the next one
    shows again is mostly what the last one showed, and a build never holds
    more than two outputs' worth. The template data of the results as of the
    build's own date (:meth:`view`) are kept for the whole build: one date's
    worth."""

    def __init__(self, results: Results | None = None, carry: Carry | None = None) -> None:
        self.carry = carry
        #: the build's own date: the template data of the results as of it are
        #: kept for the whole build (the dashboard, the period under way, this
        #: week and the regions all show them), and for the next by a carry
        self.as_of = results.as_of if results is not None else None
        self.dicts: dict[tuple[Any, ...], Escaped] = {}
        self.dicts_before: dict[tuple[Any, ...], Escaped] = {}
        self.dates: dict[dt.date, dict[int, ObjectiveResult]] = {}
        #: per key result (by id): the baseline, target, points and rows of its last history
        self.histories: dict[int, History] = {}
        self.histories_before: dict[int, History] = {}

        #: the regions' base context: of which results, as made, escaped
        self.region: tuple[Results, dict[str, Any], dict[str, Any]] | None = None
        #: template data made from a result as of the build's date (by id of
        #: the result, and detail): the result, the data, the data escaped
        self.views: dict[tuple[int, bool], View] = {}
        #: by id of the data of a view: its escaped copy (what one_line gives)
        self.escapes: dict[int, Any] = {}
        if results is not None:  # what compute would make again at that date
            self.dates[results.as_of] = {id(o.objective): o for o in results.objectives}

    def next_output(self) -> None:
        self.dicts_before, self.dicts = self.dicts, {}
        self.histories_before, self.histories = self.histories, {}

    def objectives_at(self, day: dt.date) -> dict[int, ObjectiveResult]:
        """The objectives' results known at a date (by id of the objective);
        only the last DATES dates' are kept, so a build holds a few dates'
        results, not every week's."""
        known = self.dates.pop(day, None)
        if known is None:
            known = {}
            while len(self.dates) >= DATES:
                del self.dates[next(iter(self.dates))]
        self.dates[day] = known
        return known

    def measurements(self, r: KRResult) -> EscapedList:
        return EscapedList(self._measurement(m) for m in r.measurements)

    def _measurement(self, m: Measurement) -> Escaped:
        key = identity(m)  # one dict for the same measurement read for many key results
        found = self.dicts.get(key) or self.dicts_before.get(key)
        if found is None:
            found = escaped(measurement_dict(m))
        self.dicts[key] = found
        return found

    def history(self, r: KRResult, points: list[Point]) -> EscapedList:
        """The rows of the last history of the same key result, as far as its
        baseline, target and points are the very same; new rows after that."""
        last = self.histories.get(id(r.kr)) or self.histories_before.get(id(r.kr))
        same = 0
        if last is not None and _same(last[0], r.baseline) and _same(last[1], r.target):
            for (day, value), (old_day, old_value) in zip(points, last[2], strict=False):
                if day != old_day or not _same(value, old_value):
                    break
                same += 1
        rows = last[3][:same] if last is not None else []
        rows += _rows(r.kr, r.baseline, r.target, points[same:])
        self.histories[id(r.kr)] = (r.baseline, r.target, points, rows)
        return EscapedList(rows)

    def view(self, result: object, as_of: dt.date, detail: bool,
             make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The template data ``make`` gives for ``result`` as of ``as_of``:
        as of the build's date, made and escaped once in a build (and kept
        for the next by a carry); as of another date, made now. Nothing may
        be put into what it returns."""
        if as_of != self.as_of:
            return make()
        key = (id(result), detail)
        found = self.views.get(key)
        if found is None and self.carry is not None:
            found = self.carry.views.get(key)
            if found is not None and found[0] is result:
                self.views[key] = found
                self.escapes[id(found[1])] = found[2]
        if found is None or found[0] is not result:
            made = make()
            done: dict[str, Any] = escaped(made, self.escapes)
            if done == made:  # nothing to escape (the common case): one copy, not two
                done = made
            found = self.views[key] = (result, made, done)
            self.escapes[id(made)] = done
        return found[1]

    def one_line_context(self, context: dict[str, Any]) -> Any:
        """The context escaped; the views in it, escaped once in a build."""
        return one_line(context, self.escapes)

    def region_base(self, results: Results, make: Callable[[], dict[str, Any]]
                    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Made once in a build: the new dict's values are escaped already
        (one_line does not walk them again for every region)."""
        if self.region is None or self.region[0] is not results:
            made = make()
            done = one_line(made, self.escapes)  # the views in it: escaped already
            self.region = (results, made, {key: _escaped(value) for key, value in done.items()})
        return self.region[1], dict(self.region[2])


class Carry:
    """What a kept pipeline's build hands on to its next (see the module's
    text): a result is used again only while its objective and every key
    result it was computed from are the very same objects in the new model,
    under the very same settings; what a build does not use is forgotten
    after it."""

    def __init__(self) -> None:
        self.config: object = None
        self.as_of: dt.date | None = None
        self.dates: dict[dt.date, dict[int, ObjectiveResult]] = {}
        self.views: dict[tuple[int, bool], View] = {}

    def begin(self, model: Model, config: object, results: Results) -> Memo:
        """The memo of a build of ``results`` (of ``model``): what the last
        build made that still holds."""
        if config is not self.config or results.as_of != self.as_of:
            self.config, self.as_of, self.dates, self.views = config, results.as_of, {}, {}
        memo = Memo(results, self)
        for day, known in self.dates.items():
            if day != results.as_of:
                memo.dates[day] = {key: o for key, o in known.items() if _current(o, model)}
        return memo

    def end(self, memo: Memo) -> None:
        """Keep what the build ``memo`` served used."""
        self.dates, self.views = memo.dates, memo.views


def _current(o: ObjectiveResult, model: Model) -> bool:
    """Whether ``o`` was computed from the objective and key results ``model`` has."""
    return (model.objectives.get(o.objective.id) is o.objective
            and all(model.key_results.get(r.kr.id) is r.kr for r in o.key_results))


def _same(one: float | None, other: float | None) -> bool:
    """The very same number: of one type, equal, and of one sign at zero."""
    if one is None or other is None:
        return one is other
    return (type(one) is type(other) and one == other
            and (one != 0 or math.copysign(1.0, one) == math.copysign(1.0, other)))


def _rows(kr: KeyResult, baseline: float, target: float | None,
          points: list[Point]) -> list[Escaped]:
    # dates and numbers: nothing to escape
    return [Escaped(date=day.isoformat(), value=value,
                    expected=expected_value(kr, baseline, target, day))
            for day, value in points]


@contextlib.contextmanager
def building(memo: Memo) -> Iterator[Memo]:
    """One build with ``memo`` for all its outputs; what it made is handed to
    the memo's carry (``watch``) at the end."""
    try:
        yield memo
    finally:
        if memo.carry is not None:
            memo.carry.end(memo)


def _escaped(value: Any) -> Any:
    """An escaped value marked so (its lists and mappings are not walked again)."""
    if type(value) is list:
        return EscapedList(value)
    if type(value) is dict:
        return Escaped(value)
    return value
