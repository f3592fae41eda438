"""``vaultokr status``: the terminal view. Titles get the room the terminal
has; key results are listed in natural order ("2 talks" before "10 talks");
ambitions and initiatives follow the objectives."""

from __future__ import annotations

import datetime as dt
import re
import shlex

import click

from vaultokr.compute.analysis import Analysis
from vaultokr.compute.results import InitiativeKR, KRResult, ObjectiveResult
from vaultokr.core import clock
from vaultokr.core.formatting import bar, number, percent
from vaultokr.core.vocab import Commitment, Trend, Verdict, status_info
from vaultokr.model.measures import rule
from vaultokr.views.verdict_words import verdict_words

TITLE_WIDTH = 34  # at least; wider when the terminal is
REST_WIDTH = 100  # what follows a key result's title, about


def natural_key(text: str) -> tuple[tuple[int, float, str], ...]:
    """Numbers in a text sorted as numbers: "2 talks" before "10 talks"."""
    parts = re.split(r"(\d+(?:\.\d+)?)", text.lower())
    return tuple((0, float(p), "") if i % 2 else (1, 0.0, p) for i, p in enumerate(parts) if p)


def title_width(analysis: Analysis, columns: int) -> int:
    longest = max((len(r.kr.title) for r in analysis.results.key_results.values()), default=0)
    return max(TITLE_WIDTH, min(longest, columns - REST_WIDTH))


def render_status(analysis: Analysis, vault_label: str, columns: int = 80) -> str:
    results = analysis.results
    width = title_width(analysis, columns)
    as_of = results.as_of
    lines = [
        click.style("vaultokr", bold=True)
        + f"  {vault_label}  ·  as of {as_of:%a %d %b %Y}  ·  "
        + f"{analysis.files.notes_read} note{'s' * (analysis.files.notes_read != 1)} read",
        "",
    ]
    if not results.objectives:
        lines.append("No objectives yet. Write a note with `type: objective` and a `period`,")
        lines.append("then key results that link to it with `objective: \"[[Its name]]\"`.")
    for o in results.objectives:
        lines.extend(_objective(o, analysis, width))
        lines.append("")
    lines.extend(_ambitions(analysis))
    lines.extend(_initiatives(analysis))
    lines.append(summary_line(analysis, vault_label))
    return "\n".join(lines) + "\n"


def _badge(status: str) -> str:
    info = status_info(status)
    return click.style(f"● {info.label}", fg=info.colour)


def _objective(o: ObjectiveResult, analysis: Analysis, width: int) -> list[str]:
    obj = o.objective
    when = obj.period or (f"{obj.start} – {obj.due}" if obj.start and obj.due
                          else f"by {obj.due}" if obj.due else "no period")
    head = click.style(f"{when}  {obj.title}", bold=True)
    if obj.commitment is Commitment.COMMITTED:
        head += click.style("  (committed)", dim=True)
    lines = [head]
    detail = f"  {bar(o.progress, 20)} {percent(o.progress):>4}"
    if o.expected is not None:
        detail += click.style(f"  expected {percent(o.expected)}", dim=True)
    detail += f"  {_badge(o.status)}"
    if o.grade is not None:
        verdict = "success" if o.success else "short of " + (
            f"{obj.commitment.success_grade:.1f} ({obj.commitment})")
        colour = {"green": "green", "yellow": "yellow", "red": "red"}[o.grade_band or "red"]
        detail += "  grade " + click.style(f"{o.grade:.2f} {o.grade_band}", fg=colour, bold=True)
        detail += click.style(f" · {verdict}", dim=True)
    elif obj.due is not None:
        left = (obj.due - analysis.results.as_of).days
        detail += click.style(f"  · {left} days left" if left >= 0 else "", dim=True)
    lines.append(detail)
    if not o.key_results:
        lines.append(click.style("    no key results yet", dim=True))
    for r in sorted(o.key_results, key=lambda r: natural_key(r.kr.title)):
        lines.append(_kr(r, width))
    return lines


def _ambitions(analysis: Analysis) -> list[str]:
    if not analysis.results.ambitions:
        return []
    lines = [click.style("Ambitions", bold=True)]
    for a in analysis.results.ambitions:
        served = [f"{o.objective.title} {percent(o.progress)}" for o in a.objectives]
        lines.append(f"  {a.ambition.title}")
        lines.append(click.style("    " + (" · ".join(served) if served else
                                          "no objective serves it yet"), dim=True))
    return [*lines, ""]


def _initiatives(analysis: Analysis) -> list[str]:
    if not analysis.results.initiatives:
        return []
    lines = [click.style("Initiatives", bold=True)]
    for i in analysis.results.initiatives:
        ini = i.initiative
        since = f"since {ini.start}" if ini.start else "no start date"
        lines.append(f"  {ini.title}  " + click.style(since, dim=True))
        lines.extend(f"    {_moved(analysis, k, ini.start)}" for k in i.key_results)
        if not i.key_results:
            lines.append(click.style("    no key results named", dim=True))
    return [*lines, ""]


def _moved(analysis: Analysis, k: InitiativeKR, start: dt.date | None) -> str:
    found = analysis.results.key_results.get(k.id)
    title = found.kr.title if found else k.id.rsplit("/", 1)[-1]
    colour = {Verdict.FASTER: "green", Verdict.SLOWER: "yellow", Verdict.NO_EFFECT: "yellow"}
    words = verdict_words(k, start)
    verdict = (click.style(words, fg=colour[k.verdict]) if k.verdict in colour
               else click.style(words, dim=True))
    return f"{title}: {verdict}"


def _kr(r: KRResult, width: int = TITLE_WIDTH) -> str:
    kr = r.kr
    title = kr.title if len(kr.title) <= width else kr.title[: width - 1] + "…"
    line = f"    {title:<{width}} {bar(r.progress)} {percent(r.progress):>4}"
    line += click.style(f" / {percent(r.expected):>4}" if r.expected is not None else "       ",
                        dim=True)
    line += f"  {_badge(r.status):<{12 + _ansi_extra(_badge(r.status))}}"
    bits = [_values(r)]
    if r.trend:
        bits.append(f"{Trend(r.trend).arrow} {r.trend}")
    if r.forecast_progress is not None and not kr.keep and not r.is_cap:  # a cap shows its pace
        bits.append(f"forecast {percent(r.forecast_progress)}")
    if r.confidence is not None:
        bits.append(f"confidence {number(r.confidence)}/10")
    if r.overachieved:
        bits.append(click.style(f"overachieved {percent(r.progress_raw)}", fg="cyan"))
    if r.stale:
        bits.append(click.style(f"stale since {r.since}", fg="yellow"))
    return line + "  " + click.style("  ".join(b for b in bits if b), dim=False)


def _values(r: KRResult) -> str:
    measure = rule(r.kr)
    flow = measure.terminal_flow(r.kr, r.current, r.target, r.projected)
    return flow or measure.terminal_values(r.kr, r.current, r.target, r.baseline)


def _ansi_extra(text: str) -> int:
    return len(text) - len(click.unstyle(text))


def summary_line(analysis: Analysis, vault_label: str) -> str:
    errors, warnings = len(analysis.errors), len(analysis.warnings)
    if not errors and not warnings:
        return click.style("No problems found.", fg="green")
    parts = []
    if errors:
        parts.append(click.style(f"{errors} error{'s' * (errors != 1)}", fg="red", bold=True))
    if warnings:
        parts.append(click.style(f"{warnings} warning{'s' * (warnings != 1)}", fg="yellow"))
    here = all(part == ".." for part in vault_label.split("/")) or vault_label == "."
    command = "vaultokr check" if here else f"vaultokr check --vault {shlex.quote(vault_label)}"
    if analysis.results.as_of != clock.today():  # the same problems: staleness counts days
        command += f" --as-of {analysis.results.as_of.isoformat()}"
    return f"Problems: {', '.join(parts)} — run `{command}` for details."
