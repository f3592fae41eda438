"""The generated ``OKRs/OKRs.base``: Obsidian Bases views over the computed
properties (``vaultokr.model.computed_keys``) that ``properties = true``
writes into key-result and objective notes.

Only keys and functions that Obsidian's Bases documentation lists are used
(``filters`` with ``and``/``or``/``not``, ``formulas``, ``properties`` with
``displayName``, ``views`` of ``type: table`` with ``name``, ``filters``,
``order``, ``groupBy``; ``file.hasProperty``, ``today()``, ``if``, ``min``,
``max``, ``round``, ``isEmpty``, ``toString``). Expected progress is a
formula, so a phone shows it as of today, where the stored keys are as of
the last build.
"""

from __future__ import annotations

import json

DAY_MS = 86_400_000  # Bases: a date minus a date is milliseconds


def base_text(prefix: str, stale_days: int) -> str:
    """The base's YAML (before its ownership stamp)."""
    p = prefix
    is_kr = f'file.hasProperty("{p}current")'
    is_objective = f'file.hasProperty("{p}status") && !file.hasProperty("{p}current")'
    running = f'{p}status != "achieved" && {p}status != "missed" && ' \
              f'{p}status != "paused" && {p}status != "dropped"'
    formulas = {
        "title": "if(title, title, file.basename)",
        "expected": expected_formula(p),
        "current_of_target": (f'if({p}target.isEmpty(), {p}current, '
                              f'{p}current.toString() + " / " + {p}target.toString())'),
        "stale": (f"{running} && if({p}last_measured, {p}last_measured, {p}start) "
                  f'< today() - "{stale_days}d"'),
    }
    names = {
        "formula.title": "Key result", "formula.expected": "Expected %",
        "formula.current_of_target": "Current / target", "formula.stale": "Stale",
        f"{p}progress": "Progress %", f"{p}status": "Status", f"{p}trend": "Trend",
        f"{p}forecast": "Forecast %", f"{p}confidence": "Confidence",
        f"{p}last_measured": "Last measured", f"{p}start": "Start", f"{p}due": "Due",
        "objective": "Objective",
    }
    columns = ["formula.title", f"{p}progress", "formula.expected", f"{p}status",
               "formula.current_of_target", f"{p}confidence", f"{p}last_measured"]
    lines = ["filters:", "  or:", f"    - {_q(is_kr)}", f"    - {_q(is_objective)}",
             "formulas:"]
    lines += [f"  {name}: {_q(text)}" for name, text in formulas.items()]
    lines.append("properties:")
    for key, shown in names.items():
        lines += [f"  {key}:", f"    displayName: {_q(shown)}"]
    lines.append("views:")
    lines += _view("This period", [is_kr, f"{p}start <= today()", f"{p}due >= today()"],
                   columns, group="note.objective")
    lines += _view("Needs attention",
                   [is_kr, f'{p}status == "off_track" || {p}status == "at_risk" '
                           "|| formula.stale"],
                   [*columns, f"{p}trend", f"{p}forecast"], group="note.objective")
    lines += _view("Objectives", [is_objective],
                   ["file.name", f"{p}progress", "formula.expected", f"{p}status",
                    f"{p}start", f"{p}due"])
    return "\n".join(lines) + "\n"


def expected_formula(p: str) -> str:
    """Expected progress in percent, to one decimal, from the start and due
    properties and today's date: the share of days from start to due that
    have passed, as vaultokr's linear expected progress (whole days, so a
    clock change does not move it)."""
    passed = f"((today() - {p}start) / {DAY_MS}).round()"
    span = f"(({p}due - {p}start) / {DAY_MS}).round()"
    share = f"max(0, min(1, {passed} / {span}))"
    return (f"if({p}start && {p}due, if({p}due > {p}start, ({share} * 100).round(1), "
            f"if(today() >= {p}due, 100, 0)))")


def _view(name: str, filters: list[str], order: list[str], group: str | None = None
          ) -> list[str]:
    lines = ["  - type: table", f"    name: {_q(name)}", "    filters:", "      and:"]
    lines += [f"        - {_q(f)}" for f in filters]
    if group:
        lines += ["    groupBy:", f"      property: {group}", "      direction: ASC"]
    lines.append("    order:")
    lines += [f"      - {column}" for column in order]
    return lines


def _q(text: str) -> str:
    """A YAML scalar: single-quoted when it holds a double quote, else JSON's quoting."""
    if '"' in text:
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)
