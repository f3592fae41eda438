"""Measurement values as people write them beyond plain numbers (SPEC v3 §2-3):
booleans (``true``/``false``, ``yes``/``no``), durations as Dataview writes
them (``1h 27m``, ``90 min``, ``1.5 hours``) converted to a key result's unit
of time, and ``count_if``, which values of a field count a dated note."""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vaultokr.syntax.values import ValueProblem, parse_number, show_value

TRUE_WORDS = ("true", "yes")
FALSE_WORDS = ("false", "no")

#: a duration's part units, as Dataview reads them (longest spelling first), in seconds;
#: months and years are not read: their length varies
_PART_UNITS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("seconds", "second", "secs", "sec", "s"), 1.0),
    (("minutes", "minute", "mins", "min", "m"), 60.0),
    (("hours", "hour", "hrs", "hr", "h"), 3600.0),
    (("days", "day", "d"), 86400.0),
    (("weeks", "week", "wks", "wk", "w"), 604800.0),
)
_SECONDS = {word: seconds for words, seconds in _PART_UNITS for word in words}
_WORDS = "|".join(sorted(_SECONDS, key=len, reverse=True))
_PART = re.compile(rf"(\d+(?:\.\d+)?|\.\d+)\s*({_WORDS})(?![a-z])", re.I)
_DURATION = re.compile(rf"^(?:(?:\d+(?:\.\d+)?|\.\d+)\s*(?:{_WORDS})(?![a-z])\s*,?\s*)+$", re.I)
#: a value at the start of a log line that is no plain number: a duration (its
#: unit not followed by a letter or ``/``: ``6 w/ Bob`` is 6) or a boolean word
#: alone (``no progress`` is no value)
_LEAD_PART = rf"(?:\d+(?:\.\d+)?|\.\d+)\s*(?:{_WORDS})(?![a-z/])"
LOG_LEAD = (rf"{_LEAD_PART}(?:\s*,?\s*{_LEAD_PART})*"
            r"|(?:true|false|yes|no)(?=\s*(?:\(|$))")
#: a key result's unit of time (singular or plural, any case), in seconds
TIME_UNITS: dict[str, float] = {
    **{w: 1.0 for w in ("s", "sec", "secs", "second", "seconds")},
    **{w: 60.0 for w in ("min", "mins", "minute", "minutes")},
    **{w: 3600.0 for w in ("h", "hr", "hrs", "hour", "hours")},
    **{w: 86400.0 for w in ("day", "days")},
    **{w: 604800.0 for w in ("week", "weeks")},
}
UNIT_HINT = "set unit: minutes (or hours, seconds, days) on the key result"


def boolean(value: Any) -> bool | None:
    """``value`` as a truth value when it is one: a YAML boolean, or
    ``true``/``false``/``yes``/``no`` in any case; else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and len(value) <= 16:
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def duration_seconds(value: Any) -> float | None:
    """A duration as Dataview writes it (``1h 27m``, ``1h27m``, ``90 min``,
    ``2 hours, 30 minutes``, ``1.5 hours``, ``2d``), in seconds; else None."""
    if not isinstance(value, str) or len(value) > 200:
        return None
    text = value.strip()
    if not text or not _DURATION.match(text):
        return None
    return sum(float(number) * _SECONDS[word.lower()] for number, word in _PART.findall(text))


def time_unit(unit: str | None) -> float | None:
    """The seconds in one ``unit`` when it is a unit of time; else None."""
    return TIME_UNITS.get(unit.strip().lower()) if unit else None


class DurationProblem(ValueProblem):
    """A duration where the key result has no unit of time to read it in."""

    def __init__(self, value: str, unit: str | None) -> None:
        self.value = value
        self.unit = unit
        what = (f"the unit {show_value(unit)} is not a unit of time" if unit
                else "the key result has no unit")
        super().__init__(f"{show_value(value)} is a duration and {what}: {UNIT_HINT}")


def parse_measurement(value: Any, unit: str | None = None) -> float | int:
    """A measurement's value: a number (``parse_number``), a boolean as 1 or 0,
    or a duration in the key result's unit of time (``DurationProblem`` when
    it has none)."""
    if isinstance(value, bool):
        return int(value)
    try:
        return parse_number(value, unit)  # first: most values are numbers
    except ValueProblem:
        truth = boolean(value)
        if truth is not None:
            return int(truth)
        seconds = duration_seconds(value)
        if seconds is None:
            raise
    per = time_unit(unit)
    if per is None:
        raise DurationProblem(str(value).strip(), unit)
    amount = seconds / per
    return round(amount) if abs(amount - round(amount)) < 1e-9 else amount


def truthy(value: Any) -> bool:
    """Dataview's truth test, with ``no`` and a text ``0`` false too: true,
    a number other than 0, a duration other than 0, a non-blank text other
    than false/no/0; a list or mapping that is not empty; a date."""
    truth = boolean(value)
    if truth is not None:
        return truth
    if isinstance(value, int | float):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return False
        try:
            return parse_number(text) != 0
        except ValueProblem:
            seconds = duration_seconds(text)
            return seconds is None or seconds != 0
    if isinstance(value, dt.date):
        return True
    return bool(value)


_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, "==": operator.eq, "=": operator.eq,
    ">": operator.gt, "<": operator.lt,
}
_COMPARISON = re.compile(r"^\s*(>=|<=|==|=|>|<)\s*(\S.*)$")
COUNT_IF_HINT = 'write count_if: done, or a comparison such as "> 30", ">= 7", "< 2000", "= 1"'


@dataclass(frozen=True)
class CountIf:
    """Which values of a field count a dated note: ``done`` (Dataview's truth
    test) or a comparison with a number, in a unit of time when the number
    has one (``"> 30 min"``: durations and numbers are read in minutes)."""

    text: str  # as written, for messages
    op: str | None = None  # None: done
    number: float = 0.0
    unit: str | None = None  # the comparison's unit of time, if it has one

    def counts(self, value: Any) -> bool:
        """Whether the value counts; ValueProblem when a comparison cannot read
        it (DurationProblem: a duration, and the comparison has no unit of time)."""
        if self.op is None:
            return truthy(value)
        return _OPS[self.op](parse_measurement(value, self.unit), self.number)

    @property
    def timed_hint(self) -> str:
        """What to write to compare durations: the comparison with a unit of time."""
        return f'give count_if\'s number a unit of time, e.g. count_if: "{self.op} 30 min"'


DONE = CountIf("done")
_AMOUNT = re.compile(r"^([-+]?(?:\d+(?:\.\d+)?|\.\d+))\s*([a-z]+)$", re.I)


def parse_count_if(value: Any) -> CountIf:
    """``done`` (any case) or a comparison: ``"> 30"``, ``">= 7"``, ``"= 1"``;
    the number may carry a unit of time (``"> 30 min"``)."""
    if isinstance(value, str):
        text = value.strip()
        if text.lower() == "done":
            return DONE
        m = _COMPARISON.match(text)
        if m:
            amount, unit = m[2].strip(), None
            timed = _AMOUNT.match(amount)
            if timed and time_unit(timed[2]) is not None:
                amount, unit = timed[1], timed[2]
            try:
                return CountIf(text, m[1], float(parse_number(amount)), unit)
            except ValueProblem:
                pass
    raise ValueProblem(f"count_if {show_value(value)} is neither done nor a comparison with "
                       f"a number: {COUNT_IF_HINT}")
