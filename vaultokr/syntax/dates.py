"""A note's date as Obsidian and Dataview find it (SPEC v2 §3; docs/format.md,
"A note's date"): from a value (a date, a date and time, ``2026-11-05``, or a
link to a daily note) or from the note's path (the vault's daily-note format,
moment.js tokens; else ``YYYY-MM-DD`` anywhere in the name; v3: a periodic
note, by the Periodic Notes plugin's weekly, monthly, quarterly or yearly
format or as ``2026-W47``, ``2026-11``, ``2026-Q4``, ``2026``, is dated by its
period's first day). Part of the one reader of names, tags and dates, with
:mod:`vaultokr.syntax.names`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_ISO_VALUE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_WIKILINK = re.compile(r"^\s*!?\[\[([^\[\]]+)\]\]\s*$")


def iso_in(text: str) -> dt.date | None:
    """The first valid ``YYYY-MM-DD`` in a text (a file name)."""
    m = _ISO.search(text)  # most names have none: one search decides
    while m is not None:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            m = _ISO.search(text, m.start() + 1)
    return None


def link_target(value: str) -> str | None:
    """The target of ``[[Target#sub|alias]]`` (None if not a wikilink)."""
    m = _WIKILINK.match(value)
    if m is None:
        return None
    return m[1].split("|", 1)[0].split("#", 1)[0].strip()


def date_of(value: Any, daily: DailyFormat | None = None) -> dt.date | None:
    """A date value: a date, a date-time, ``2026-11-05`` (with a time), or a
    link to a daily note (``[[2026-11-05]]``, ``[[Daily/05.11.2026|Thu]]``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _ISO_VALUE.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    target = link_target(text)
    if target is None:
        return None
    if target.lower().endswith(".md"):
        target = target[:-3]
    return path_date(target, daily)


def path_date(note_id: str, daily: DailyFormat | None) -> dt.date | None:
    """A note's date from its path: the daily-note format, the periodic
    formats, else ISO in its name (a day anywhere in it, or a period as the
    whole name)."""
    if daily is not None:
        day = daily.match(note_id)
        if day is not None:
            return day
        for period in daily.periods:
            day = period.match(note_id)
            if day is not None:
                return day
    name = note_id.rsplit("/", 1)[-1]
    return iso_in(name) or iso_period(name)


_ISO_PERIOD = re.compile(r"(\d{4})(?:-(?:[Ww](\d{2})|[Qq]([1-4])|(\d{2})))?")


def iso_period(name: str) -> dt.date | None:
    """The first day of the period a whole name writes as ISO: ``2026-W47``
    (its Monday), ``2026-11``, ``2026-Q4``, ``2026``."""
    if not name[:1].isdigit():  # most names: one look decides
        return None
    m = _ISO_PERIOD.fullmatch(name)
    if m is None:
        return None
    year = int(m[1])
    try:
        if m[2]:
            return dt.date.fromisocalendar(year, int(m[2]), 1)
        if m[3]:
            return dt.date(year, 3 * int(m[3]) - 2, 1)
        return dt.date(year, int(m[4]) if m[4] else 1, 1)
    except ValueError:  # week 54, month 13, year 0
        return None


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TOKENS = re.compile(r"\[[^\]]*\]|YYYY|YY|gggg|GGGG|MMMM|MMM|MM|M|Do|DD|D|dddd|ddd|dd|d|"
                     r"ww|WW|w|W|Q|.", re.S)
_MONTH_WORDS = "|".join(MONTHS) + "|" + "|".join(m[:3] for m in MONTHS)
_DAY_WORDS = "|".join(DAYS) + "|" + "|".join(d[:3] for d in DAYS) + "|" + "|".join(
    d[:2] for d in DAYS)
_TOKEN_RE = {
    "YYYY": r"(?P<Y>\d{4})", "YY": r"(?P<y>\d{2})",
    "MMMM": rf"(?P<B>{_MONTH_WORDS})", "MMM": rf"(?P<B>{_MONTH_WORDS})",
    "MM": r"(?P<m>\d{2})", "M": r"(?P<m>\d{1,2})",
    "Do": r"(?P<d>\d{1,2})(?:st|nd|rd|th)", "DD": r"(?P<d>\d{2})", "D": r"(?P<d>\d{1,2})",
    "dddd": rf"(?:{_DAY_WORDS})", "ddd": rf"(?:{_DAY_WORDS})", "dd": rf"(?:{_DAY_WORDS})",
    "d": r"[0-6]",
    # weeks (read as ISO weeks, whatever the locale) and quarters: periodic notes
    "gggg": r"(?P<Y>\d{4})", "GGGG": r"(?P<Y>\d{4})",
    "ww": r"(?P<w>\d{2})", "WW": r"(?P<w>\d{2})", "w": r"(?P<w>\d{1,2})", "W": r"(?P<w>\d{1,2})",
    "Q": r"(?P<q>[1-4])",
}
#: the periods of the Periodic Notes plugin, by its settings' names
PERIODS = ("weekly", "monthly", "quarterly", "yearly")


@dataclass(frozen=True)
class PeriodFormat:
    """One of the Periodic Notes plugin's formats (``weekly``, ``monthly``,
    ``quarterly``, ``yearly``): a note whose path ends in it is dated by its
    period's first day (a week's Monday, as ISO weeks count)."""

    period: str
    format: str
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, period: str, fmt: str) -> PeriodFormat:
        return cls(period, fmt, _compile(fmt))

    def match(self, note_id: str) -> dt.date | None:
        groups = _groups(self.pattern, self.format, note_id)
        year = None if groups is None else _year(groups)
        if groups is None or year is None:
            return None
        try:
            if self.period == "weekly":
                return dt.date.fromisocalendar(year, int(groups["w"]), 1) \
                    if groups.get("w") else None
            if self.period == "quarterly":
                return dt.date(year, 3 * int(groups["q"]) - 2, 1) if groups.get("q") else None
            if self.period == "monthly":
                month = _month(groups)
                return None if month is None else dt.date(year, month, 1)
            return dt.date(year, 1, 1)
        except ValueError:  # week 54, month 13
            return None


@dataclass(frozen=True)
class DailyFormat:
    """The vault's daily-note format (moment.js tokens ``YYYY YY M MM MMM
    MMMM D DD Do d dd ddd dddd`` and ``[literal]``; English names), matched
    against the end of a note's path; with the periodic formats (``periods``)
    the Periodic Notes plugin has on (weeks ``gggg GGGG w ww W WW``, quarters
    ``Q``). A vault with periodic formats and no daily one has an empty format."""

    format: str
    pattern: re.Pattern[str] | None
    periods: tuple[PeriodFormat, ...] = ()

    @classmethod
    def of(cls, fmt: str, periods: tuple[PeriodFormat, ...] = ()) -> DailyFormat:
        return cls(fmt, _compile(fmt) if fmt else None, periods)

    def match(self, note_id: str) -> dt.date | None:
        groups = _groups(self.pattern, self.format, note_id)
        year = None if groups is None else _year(groups)
        month = None if groups is None else _month(groups)
        if groups is None or year is None or month is None or not groups.get("d"):
            return None
        try:
            return dt.date(year, month, int(groups["d"]))
        except ValueError:
            return None


def _groups(pattern: re.Pattern[str] | None, fmt: str, note_id: str) -> dict[str, str] | None:
    """The tokens' values when the end of the path matches the format."""
    if pattern is None:
        return None
    depth = fmt.count("/") + 1
    tail = "/".join(note_id.split("/")[-depth:])
    m = pattern.fullmatch(tail)
    return None if m is None else m.groupdict()


def _year(groups: dict[str, str]) -> int | None:
    if groups.get("Y"):
        return int(groups["Y"])
    if groups.get("y"):
        return 2000 + int(groups["y"])
    return None


def _month(groups: dict[str, str]) -> int | None:
    if groups.get("m"):
        return int(groups["m"])
    if groups.get("B"):
        word = groups["B"].lower()
        return next(i for i, name in enumerate(MONTHS, 1) if name.startswith(word[:3]))
    return None


def _compile(fmt: str) -> re.Pattern[str] | None:
    parts = []
    seen: set[str] = set()
    for token in _TOKENS.findall(fmt):
        if token.startswith("["):
            parts.append(re.escape(token[1:-1]))
        elif token in _TOKEN_RE:
            piece = _TOKEN_RE[token]
            group = re.search(r"\?P<(\w)>", piece)
            if group:
                if group[1] in seen:  # a second year/month/day: match it, do not capture
                    piece = piece.replace(f"?P<{group[1]}>", "?:")
                seen.add(group[1])
            parts.append(piece)
        elif token.isalpha():
            return None  # a token we do not read (hours): no dates from it
        else:
            parts.append(re.escape(token))
    try:
        return re.compile("".join(parts), re.I)
    except re.error:  # pragma: no cover - every piece is escaped or ours
        return None
