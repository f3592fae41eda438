"""Small text helpers shared by the terminal view and the templates (how a
status is shown is ``vaultokr.core.vocab.STATUS_INFO``)."""

from __future__ import annotations

import math


def bar(fraction: float | None, width: int = 10) -> str:
    """A progress bar of whole cells, ``█████░░░░░`` (partial blocks leave a
    gap in most fonts); empty track for None, full past 100%."""
    if fraction is None or math.isnan(fraction):
        return "░" * width
    fraction = min(max(fraction, 0.0), 1.0)
    full = math.floor(fraction * width + 0.5)
    return "█" * full + "░" * (width - full)


def plural(count: float | None, word: str, many: str | None = None) -> str:
    """``1 day``, ``3 days``, ``1.5 hours``: the count and the word that agrees."""
    if count is None:
        return f"– {many or word + 's'}"
    one = math.isclose(abs(count), 1.0)
    return f"{number(count)} {word if one else (many or word + 's')}"


def percent(fraction: float | None) -> str:
    if fraction is None or not math.isfinite(fraction):
        return "–"
    return f"{round(fraction * 100):d}%"


def number(value: float | None, unit: str | None = None, places: int = 2) -> str:
    """``1,437``, ``7.5 hours``: at most ``places`` decimals, no trailing zeros."""
    if value is None or not math.isfinite(value):
        return "–"
    value = round(value, places)
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.{places}f}".rstrip("0").rstrip(".")
    if unit:
        text += unit if unit == "%" else f" {singular(unit) if value in (1, -1) else unit}"
    return text


def signed(value: float | None, unit: str | None = None, places: int = 2) -> str:
    """``+0.8``, ``−1,200 euros``, ``±0``."""
    if value is None:
        return "–"
    if abs(value) < 1e-9:
        return "±0" + (f" {unit}" if unit else "")
    sign = "+" if value > 0 else "−"
    return sign + number(abs(value), unit, places)


def singular(unit: str) -> str:
    """``invitations`` → ``invitation`` for a count of one (one plain word ending in s)."""
    if unit.isalpha() and len(unit) > 3 and unit.endswith("s") and not unit.endswith("ss"):
        return unit[:-1]
    return unit
