"""Numbers, dates, periods and targets as users write them in notes."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from vaultokr.core.limits import MAX_MAGNITUDE, MAX_NUMBER_DIGITS, MAX_YEAR, MIN_YEAR

DAYS_PER_UNIT = {"day": 1.0, "week": 7.0, "month": 30.4375, "quarter": 91.3125, "year": 365.25}

_GROUPED = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_CHANGE = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*%$")
_GROWTH = re.compile(
    r"^([-+]?\d+(?:\.\d+)?)\s*%\s*(?:/|per\s+)\s*(day|week|month|quarter|year)s?$", re.I
)
_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|W\d{2}|\d{2}))?$", re.I)


class ValueProblem(ValueError):
    """A value that cannot be read; the message says what to write instead."""


def parse_number(value: Any, unit: str | None = None) -> float | int:
    """A measurement or property value as a number.

    Accepts numbers, ``"1,320"``, ``"45%"`` and a number followed by the key
    result's unit (``"12 talks"`` with ``unit: talks``).
    """
    if isinstance(value, bool):
        raise ValueProblem(f"{show_value(value)} is not a number: write a number such as 12 or "
                           "4.5")
    if isinstance(value, int | float):
        return _bounded(value, value)
    if not isinstance(value, str):
        raise ValueProblem(f"{show_value(value)} is not a number: write a number such as 12 or 4.5")
    text = value.strip()
    if unit:
        for form in unit_forms(unit):
            if text.lower().endswith(form) and len(text) > len(form):
                text = text[: -len(form)].strip()
                break
    if text.endswith("%"):
        text = text[:-1].strip()
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if _PLAIN.match(text):
        if len(text) > MAX_NUMBER_DIGITS:
            raise _too_large(value)
        number = float(text)
        if re.match(r"^[-+]?\d+$", text):
            return _bounded(int(text), value)
        return _bounded(number, value)
    hint = f" or a number followed by {show_value(unit)}" if unit else ""
    raise ValueProblem(
        f"{show_value(value)} is not a number: write a number such as 12, 1,320 or 45%{hint}"
    )


def unit_forms(unit: str) -> list[str]:
    """A unit in lower case, singular and plural, longest first: ``requests``,
    ``request``; ``match``, ``matches``; ``km`` (``kms`` too)."""
    u = unit.strip().lower()
    if not u:
        return []
    forms = {u}
    if u[-1].isalpha():
        if u.endswith("es") and len(u) > 3:
            forms.add(u[:-2])
        if u.endswith("s") and len(u) > 2:
            forms.add(u[:-1])
        else:
            forms.update({u + "s", u + "es"})
    return sorted(forms, key=len, reverse=True)


def strip_unit(text: str, unit: str) -> str | None:
    """``text`` after a leading ``unit`` (singular or plural, any case, a whole
    word), or None when it does not start with it."""
    low = text.lower()
    for form in unit_forms(unit):
        if low.startswith(form) and not low[len(form):len(form) + 1].isalpha():
            return text[len(form):].lstrip()
    return None


def _bounded(number: float | int, value: Any) -> float | int:
    """``number`` when it is finite and at most MAX_MAGNITUDE; else ValueProblem."""
    if isinstance(number, float) and math.isnan(number):
        raise ValueProblem(f"{show_value(value)} is not a number (NaN): write a number such as 12")
    if abs(number) > MAX_MAGNITUDE:
        raise _too_large(value)
    return number


def _too_large(value: Any) -> ValueProblem:
    shown = show_value(value)
    shown = shown if len(shown) <= 24 else shown[:20] + "…"
    return ValueProblem(f"{shown} is too large: vaultokr reads numbers up to 10^15 "
                        f"({int(MAX_MAGNITUDE):,}); write a smaller unit")


def parse_date(value: Any) -> dt.date:
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        m = _DATE.match(value.strip())
        if m:
            try:
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                day = None
    if day is not None:
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise ValueProblem(f"{day.isoformat()} is outside the years vaultokr plans in "
                               f"({MIN_YEAR}–{MAX_YEAR}): write a date in that range")
        return day
    raise ValueProblem(
        f"{show_value(value)} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-20"
    )


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    due: dt.date  # the last day


PERIOD_HINT = "write 2026-Q4, 2026-H2, 2026-11, 2026-W47 or 2026"


def parse_period(value: Any) -> Period:
    text = str(value).strip() if isinstance(value, int | str) and value is not True else ""
    m = _PERIOD.match(text)
    if m:
        year, part = int(m[1]), (m[2] or "").upper()
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueProblem(f"period {show_value(value)} is outside the years vaultokr plans "
                               f"in ({MIN_YEAR}–{MAX_YEAR}): {PERIOD_HINT}")
        try:
            return _period(year, part)
        except (ValueError, OverflowError):
            pass
    raise ValueProblem(f"period {show_value(value)} is not a period: {PERIOD_HINT}")


def _period(year: int, part: str) -> Period:
    if not part:
        return Period(f"{year}", dt.date(year, 1, 1), dt.date(year, 12, 31))
    if part[0] == "Q":
        q = int(part[1])
        start = dt.date(year, 3 * q - 2, 1)
        return Period(f"{year}-Q{q}", start, _month_end(year, 3 * q))
    if part[0] == "H":
        h = int(part[1])
        return Period(f"{year}-H{h}", dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h))
    if part[0] == "W":
        week = int(part[1:])
        start = dt.date.fromisocalendar(year, week, 1)
        return Period(f"{year}-W{week:02d}", start, start + dt.timedelta(days=6))
    month = int(part)
    return Period(f"{year}-{month:02d}", dt.date(year, month, 1), _month_end(year, month))


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def iso_week_label(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_change(value: Any) -> float:
    """``"+100%"`` → 1.0, ``"-20%"`` → -0.2."""
    m = _CHANGE.match(str(value).strip()) if isinstance(value, str) else None
    if m is None:
        raise ValueProblem(
            f"change {show_value(value)} is not a percentage change: "
            "write it as \"+100%\" or \"-20%\""
        )
    return float(m[1]) / 100.0


@dataclass(frozen=True)
class Growth:
    rate: float  # per unit, 0.1 for 10%
    unit: str  # day, week, month, quarter, year
    text: str

    @property
    def unit_days(self) -> float:
        return DAYS_PER_UNIT[self.unit]


def parse_growth(value: Any) -> Growth:
    m = _GROWTH.match(str(value).strip()) if isinstance(value, str) else None
    if m is None:
        raise ValueProblem(
            f"growth {show_value(value)} is not a growth rate: "
            "write it as \"10%/month\" or \"5%/week\""
        )
    return Growth(float(m[1]) / 100.0, m[2].lower(), str(value).strip())


def show_value(value: Any) -> str:
    """A value as a message shows it, as the note wrote it (not as Python
    spells it): text quoted, ``true``/``false``, dates ISO, ``null`` for a
    property left empty, numbers as written; a list or mapping by its kind."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f'"{value}"'


def _float_text(value: float) -> str:
    """A float as YAML writes it: ``4.5``, ``1e+16``, ``.inf``, ``.nan``."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return repr(value)
