"""Small text helpers shared by the terminal view and the templates (how a
status is shown is ``vaultokr.vocab.STATUS_INFO``)."""

from __future__ import annotations

import math

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(fraction: float | None, width: int = 10) -> str:
    """A Unicode progress bar, ``█████▌░░░░``; empty track for None."""
    if fraction is None or math.isnan(fraction):
        return "░" * width
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full
    if part and full < width:
        text += _EIGHTHS[part]
    return text + "░" * (width - len(text))


def percent(fraction: float | None) -> str:
    if fraction is None or not math.isfinite(fraction):
        return "–"
    return f"{round(fraction * 100):d}%"


def number(value: float | None, unit: str | None = None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit:
        text += unit if unit == "%" else f" {unit}"
    return text
