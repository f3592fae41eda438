"""A key result's chart (SPEC v2 §5) as plain data, and its Mermaid text.

Time is drawn truthfully: the x-axis is the key result's window (start..due)
at a regular step, every series has one value per grid date. The actual line
is the value known on each grid date (held at the latest value after as-of),
the expected path and the target are drawn under it, the user's line last and
in the strongest colour (the palette is set per chart, from the series drawn,
so it holds in light and dark themes). The y-axis fits the data and the
target; counts get whole-number ticks.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from typing import Any

from vaultokr.compute.results import KRResult
from vaultokr.core.escape import EscapedList
from vaultokr.core.formatting import number, plural
from vaultokr.core.vocab import status_label
from vaultokr.model.measures import expected_value, rule

MAX_POINTS = 12  # grid dates: labels of a 700 px chart stay apart
COLOURS = {"target": ("#8c8c8c", "grey"), "threshold": ("#8c8c8c", "grey"),
           "limit": ("#8c8c8c", "grey"),
           "expected": ("#6c9bd2", "blue"), "actual": ("#e8590c", "orange")}


def grid(start: dt.date, due: dt.date) -> list[dt.date]:
    """Regular dates from start that cover due: a step dividing the window into
    5..11 parts when there is one, else ceil(days / 11) with the last date the
    first one on or after due. A window across a new year has dated labels
    (2026-12-22), twice as wide: at most 5 parts then."""
    days = (due - start).days
    parts = MAX_POINTS - 1 if start.year == due.year else 5
    if days <= 0:
        return [start]
    if days <= parts:
        return [start + dt.timedelta(days=k) for k in range(days + 1)]
    exact = [s for s in range(1, days + 1) if days % s == 0 and 5 <= days // s <= parts]
    step = exact[0] if exact else math.ceil(days / parts)
    count = math.ceil(days / step) + 1
    return [start + dt.timedelta(days=step * k) for k in range(count)]


def decimals(values: list[float]) -> int:
    """The precision the measurements are written with (0..2 decimals)."""
    most = 0
    for v in values:
        for places in range(3):
            if math.isclose(v, round(v, places), abs_tol=1e-9):
                most = max(most, places)
                break
        else:
            most = 2
    return most


def precision(r: KRResult) -> int:
    """Decimals worth showing for a key result's values: those of its
    measurements and baseline (a target of 53.19 people is shown as 53)."""
    values = [m.value for m in r.measurements] + [r.baseline]
    if not r.measurements and r.target is not None:
        values.append(r.target)
    return decimals(values)


def expected_places(r: KRResult, places: int) -> int:
    """Decimals of the expected path: the measurements' precision, one more for
    a short way to go (a pace of 4 requests in a quarter is 0.6, 1.1, …, not a
    staircase of whole numbers)."""
    if r.target is not None and abs(r.target - r.baseline) < 20:
        return min(places + 1, 2)
    return places


def rounded(value: float, places: int) -> float:
    out = round(value, places)
    return float(int(out)) if places == 0 else out


def chart_data(r: KRResult, as_of: dt.date, points: list[tuple[dt.date, float]] | None = None,
               places: int | None = None) -> dict[str, Any] | None:
    """What the chart draws, or None (not a value series, no window, fewer than
    two measured dates). ``points`` (its measure's series of the measurements)
    and ``places`` (:func:`precision`), when the caller has them already."""
    kr = r.kr
    measure = rule(kr)
    if not measure.charted:
        points = []
    elif points is None:
        points = measure.series(r.measurements, r.baseline)
    if len(points) < 2:
        return None
    start = kr.start or points[0][0]
    due = kr.due or max(points[-1][0], as_of)
    start = min(start, points[0][0])
    dates = grid(start, due)
    if places is None:
        places = precision(r)
    counts = places == 0 and measure.charted
    upto = min(as_of, due)
    # before the first measurement: the baseline, or for a level with none
    # written (a threshold to keep), the first value rather than a made-up 0
    before = (measure.origin(r.baseline)
              if kr.baseline is not None or measure.cumulative or not measure.numeric
              else points[0][1])  # a checklist starts with no task done
    known = [_known(points, min(day, upto), before) for day in dates]
    averaged = bool(kr.keep) and _dense(points, dates)
    if averaged:  # daily values of a threshold: the value on one day zigzags
        known = _averages(points, dates, upto, known)
    actual = [rounded(v, places) for v in known]
    series = [*_target_lines(r, dates, due, places), ("actual", actual)]
    values = [v for _, vs in series for v in vs] + [rounded(before, places)]
    lo, hi = y_range(values, flow=measure.cumulative, counts=counts)
    unit = kr.unit or ""
    title = kr.title
    if kr.due and as_of > kr.due:  # a finished window: the outcome is the headline
        target = rounded(r.target, places) if r.target is not None else None
        title += (f": {measure.shown_now(kr, r.current, target)} of "
                  f"{measure.shown_target(kr, target)}, {status_label(r.status)}")
    # dates and numbers need no escaping (escape.py): the title, unit and legend do
    return {
        "title": title,
        "labels": EscapedList(_label(day, dates) for day in dates),
        "dates": EscapedList(day.isoformat() for day in dates),
        "step": (dates[1] - dates[0]).days if len(dates) > 1 else 0,
        "y": [lo, hi],
        "unit": unit,
        "series": [{"name": name, "colour": COLOURS[name][0], "values": EscapedList(vs)}
                   for name, vs in series],
        "legend": legend(r, series, dates, points, as_of, places, averaged),
        "places": places,
        "expected_places": expected_places(r, places),
    }


def _target_lines(r: KRResult, dates: list[dt.date], due: dt.date,
                  places: int) -> list[tuple[str, list[float]]]:
    """The target (threshold, limit) line and, where the measure has one, the
    expected path, one value per grid date."""
    kr, measure = r.kr, rule(r.kr)
    if r.target is None:
        return []
    cap = measure.is_cap(kr, r.baseline, r.target)  # a flow to keep under a limit
    name = "threshold" if kr.keep else "limit" if cap else "target"
    lines = [(name, [rounded(r.target, places)] * len(dates))]
    if not kr.keep and measure.has_expected:
        expected = [expected_value(kr, r.baseline, r.target, min(day, due)) for day in dates]
        if all(e is not None for e in expected):
            steps = expected_places(r, places)
            lines.append(("expected", [rounded(e, steps) for e in expected if e is not None]))
    return lines


def _dense(points: list[tuple[dt.date, float]], dates: list[dt.date]) -> bool:
    """More than one measurement between two grid dates somewhere."""
    for lo, hi in itertools.pairwise(dates):
        if sum(1 for day, _ in points if lo < day <= hi) > 1:
            return True
    return False


def _averages(points: list[tuple[dt.date, float]], dates: list[dt.date], upto: dt.date,
              known: list[float]) -> list[float]:
    """Per grid date, the mean of the values measured since the previous one;
    held where there is none (after today)."""
    out = [known[0]]
    for k in range(1, len(dates)):
        found = [v for day, v in points if dates[k - 1] < day <= min(dates[k], upto)]
        out.append(sum(found) / len(found) if found else out[-1])
    return out


def _known(points: list[tuple[dt.date, float]], day: dt.date, before: float) -> float:
    value = before
    for when, v in points:
        if when > day:
            break
        value = v
    return value


def _label(day: dt.date, dates: list[dt.date]) -> str:
    """``10-14``; with the year when the window crosses one."""
    if dates[0].year != dates[-1].year:
        return day.isoformat()
    return day.strftime("%m-%d")


def _nice(span: float) -> float:
    """A tick-like step near span / 5: 1, 2, 2.5 or 5 times a power of ten."""
    raw = span / 8
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def y_range(values: list[float], flow: bool, counts: bool) -> tuple[float, float]:
    """Low and high ends that hold every value: from 0 for flows and data near
    0, else padded and rounded outward to a step; counts span 8 or more (whole
    ticks)."""
    lo, hi = min(values), max(values)
    if flow or (lo >= 0 and lo <= 0.25 * hi):
        lo = min(lo, 0.0)
    span = hi - lo
    if span <= 0:
        span = abs(hi) or 1.0
    pad = span * 0.08
    step = _nice(span + 2 * pad)
    low = math.floor((lo - (pad if lo != 0 else 0)) / step) * step
    if lo >= 0 > low:
        low = 0.0
    high = math.ceil((hi + pad) / step) * step
    if counts:
        low, high = math.floor(low), math.ceil(high)
        high = max(high, low + 8)
    return float(low), float(high)


def legend(r: KRResult, series: list[tuple[str, list[float]]], dates: list[dt.date],
           points: list[tuple[dt.date, float]], as_of: dt.date, places: int,
           averaged: bool = False) -> str:
    """One sentence naming each line's colour: the legend every viewer shows."""
    kr = r.kr
    unit = kr.unit
    measure = rule(kr)
    last_day, last_value = points[-1]
    what = "the running total" if measure.cumulative else "the measured value"
    step = (dates[1] - dates[0]).days if len(dates) > 1 else 0
    held = ""
    if dates[-1] > as_of:
        held = (f", held after today ({_day(as_of)}) at the latest value, "
                f"{number(rounded(last_value, places), unit)} on {_day(last_day)}")
    if averaged:
        if dates[-1] > as_of:
            held = f", held after today ({_day(as_of)})"
        parts = [f"Orange: the average of the values measured in each {plural(step, 'day')}"
                 f"{held}"]
    else:
        parts = [f"Orange: {what}, one point per {plural(step, 'day')}{held}"]
    for name, values in sorted(series, key=lambda s: s[0] != "expected"):
        if name == "expected" and any(n == "limit" for n, _ in series):
            parts.append(f"blue: the pace that ends at the limit, {number(values[0], unit)} "
                         f"on {_day(dates[0])} to {number(values[-1], unit)} "
                         f"on {_day(kr.due or dates[-1])}")
        elif name == "expected":
            parts.append(f"blue: the expected pace, {number(values[0], unit)} on "
                         f"{_day(dates[0])} to {number(rounded(r.target or 0, places), unit)} "
                         f"on {_day(kr.due or dates[-1])}")
        elif name in ("target", "threshold", "limit"):
            shown = (measure.shown_target(kr, values[0]) if kr.keep
                     else ("at most " if name == "limit" else "") + number(values[0], unit))
            parts.append(f"grey: the {name}, {shown}")
    return "; ".join(parts) + "."


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def mermaid(data: dict[str, Any]) -> str:
    """The chart as a fenced Mermaid xychart, its palette set by an init
    directive (one colour per series, in order)."""
    palette = ", ".join(s["colour"] for s in data["series"])
    title = _text(data["title"])
    lines = [
        "```mermaid",
        '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "' + palette + '"}}}}%%',
        "xychart-beta",
        f'    title "{title}"',
        "    x-axis [" + ", ".join(f'"{label}"' for label in data["labels"]) + "]",
        "    y-axis " + (f'"{_text(data["unit"])}" ' if data["unit"] else "")
        + f'{_num(data["y"][0])} --> {_num(data["y"][1])}',
    ]
    for s in data["series"]:
        lines.append(f'    line "{s["name"]}" [' + ", ".join(_num(v) for v in s["values"]) + "]")
    lines.append("```")
    return "\n".join(lines)


def _text(value: object) -> str:
    return str(value).replace('"', "'").replace("\n", " ")


def _num(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "0"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
