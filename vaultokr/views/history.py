"""``vaultokr status KR``: one key result's history in the terminal: where
it stands, a sparkline of its values and every measurement up to the as-of
date with its confidence and comment."""

from __future__ import annotations

import click

from vaultokr.compute.analysis import Analysis
from vaultokr.compute.results import KRResult
from vaultokr.core.formatting import number, percent
from vaultokr.core.vocab import Trend, status_info

SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    """One block per value, from the lowest (▁) to the highest (█)."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARKS[3] * len(values)
    step = (high - low) / (len(SPARKS) - 1)
    return "".join(SPARKS[round((v - low) / step)] for v in values)


def render_history(analysis: Analysis, r: KRResult) -> str:
    kr = r.kr
    as_of = analysis.results.as_of
    objective = analysis.model.objectives.get(kr.objective)
    info = status_info(r.status)
    lines = [click.style(kr.title, bold=True) + click.style(
        f"  ({objective.title})" if objective else "", dim=True)
        + f"  ·  as of {as_of:%a %d %b %Y}",
        f"  {percent(r.progress)} done, {percent(r.expected)} expected  "
        + click.style(f"● {info.label}", fg=info.colour)
        + (f"  {Trend(r.trend).arrow} {r.trend}" if r.trend else "")
        + (f"  forecast {percent(r.forecast_progress)}" if r.forecast_progress is not None
           and not kr.keep else ""),
        f"  target {number(r.target, kr.unit)}" + (f" from {number(r.baseline, kr.unit)}"
                                                    if r.baseline else "")
        + f"  ·  {kr.path}"]
    shown = [m for m in r.measurements if m.date <= as_of]
    if not shown:
        lines.append("  no measurements yet: vaultokr checkin "
                     f"\"{kr.title}\" VALUE")
        return "\n".join(lines) + "\n"
    lines += ["", f"  {sparkline([m.value for m in shown])}", ""]
    rows = [("date", "value", "confidence", "comment")]
    rows += [(m.date.isoformat(), number(m.value, kr.unit),
              "" if m.confidence is None else f"{number(m.confidence)}/10",
              m.comment or "") for m in shown]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for i, row in enumerate(rows):
        text = "  " + "  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths, strict=False))
        text = (text + "  " + row[3]).rstrip()
        lines.append(click.style(text, dim=True) if i == 0 else text)
    return "\n".join(lines) + "\n"
