"""Source 3: a key result note's log: list items ``- 2026-11-20: 6 (confidence
7) comment`` (the date may be a link to a daily note, the item a task),
tables with date and value columns, and (for ``checklist``) its tasks, with
the history their done dates give.

With a heading named ``Log`` (the setting ``log_heading``; any level, any
case) only its section is the log, up to the next heading of the same or a
higher level; without one, the whole body. A list item of the log that looks
like a measurement but cannot be read is a ``log-unreadable`` warning.
"""

from __future__ import annotations

import re

from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.sources.base import Reading, in_window, parsed_body
from vaultokr.model.measures import rule
from vaultokr.model.okr import KeyResult, Measurement
from vaultokr.read import markdown
from vaultokr.read.entries import Note
from vaultokr.syntax import dates as notedates
from vaultokr.syntax import names as syntax
from vaultokr.syntax.measured import LOG_LEAD
from vaultokr.syntax.values import strip_unit

_TASK = re.compile(r"^\[[ xX]\]\s+")
_LOG_ITEM = re.compile(
    r"^(\d{4}-\d{2}-\d{2}|\[\[[^\[\]]+\]\])\s*(?:[:—–-]\s*|\s+)(.*)$", re.S)
_LOG_VALUE = re.compile(rf"^({LOG_LEAD}|[-+]?[\d.,]*\d%?)", re.I)  # 6, 1h 30m, yes
_LOG_CONFIDENCE = re.compile(
    r"^\(\s*(?:confidence|conf\.?)\s*:?\s*([-+]?\d+(?:\.\d+)?)\s*(?:/\s*10)?\s*\)", re.I
)
_ANY_PAREN_NUMBER = re.compile(r"^\(\s*([A-Za-z.]+)\s*:?\s*[-+]?\d+(?:\.\d+)?\s*(?:/\s*10)?\s*\)")
#: a date in another order or with other separators: 2026/11/18, 18.11.2026, 11/18/26
_OTHER_DATE = re.compile(r"^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4})"
                         r"\s*(?:[:—–-]|\s)")
_ONE_WORD = re.compile(r"^[^\W\d_]+$")
_HAS_DATE = re.compile(r"\d[./-]\d|\[\[")
_HAS_TASK = re.compile(r"\[[ xX]\]")
LOG = MeasurementKind.LOG


def read(reading: Reading) -> None:
    for kr_id, note in reading.kr_notes.items():
        _log(reading, reading.model.key_results[kr_id], note)
    for kr in reading.model.key_results.values():
        if kr.note is not None and rule(kr).reads_tasks:  # note: (SPEC v3)
            kr.tasks = reading.limited_tasks(kr)


def _log(reading: Reading, kr: KeyResult, note: Note) -> None:
    body_text = note.body
    wants_tasks = rule(kr).reads_tasks
    if not (_HAS_DATE.search(body_text) or (wants_tasks and _HAS_TASK.search(body_text))):
        if wants_tasks:
            _no_task(reading, kr, note)
        return
    body = parsed_body(note.cache, body_text, note.body_line)
    if wants_tasks:
        kr.tasks = markdown.tasks(body)
        if not kr.tasks:
            _no_task(reading, kr, note)
        _history(kr, note)
    first, last = markdown.log_section(body, reading.files.config.log_heading) or (0, 10**9)
    for item in body.list_items:
        if first <= item.line <= last:
            _log_item(reading, kr, note.path, item.line, item.text.split("\n", 1)[0])
    for table in body.tables:
        header = table.header
        if "date" not in header or "value" not in header:
            continue
        for line, cells in table.rows:
            if not first <= line <= last:
                continue
            row = {name: cells[i].strip() for i, name in enumerate(header) if i < len(cells)}
            if not row.get("date") and not row.get("value"):
                continue
            reading.add(kr, note.path, line, _day(row.get("date"), reading), row.get("value"),
                        row.get("confidence"), row.get("comment"), LOG)


def _history(kr: KeyResult, note: Note) -> None:
    """A checklist's history (SPEC v3): on each done date (``✅ DATE``) in
    its window, the number of its tasks done by then, with their
    descriptions as the comment (a task done before
    start counts from then on; one done without a date only in the current
    value, since nothing says when it was done)."""
    done = sorted((t.done_on, t.line, markdown.description(t))
                  for t in kr.tasks if t.done and t.done_on)
    names: list[str] = []  # the day's tasks, the comment of its measurement
    for count, (day, line, name) in enumerate(done, 1):
        names.append(name)
        if count < len(done) and done[count][0] == day:
            continue  # the day's last task carries the day's count
        if in_window(kr, day):
            kr.measurements.append(Measurement(kr.id, day, float(count), None,
                                               "; ".join(n for n in names if n) or None,
                                               note.path, line, MeasurementKind.TASK))
        names = []


def _no_task(reading: Reading, kr: KeyResult, note: Note) -> None:
    """A checklist with nothing to check reads 0 of 0: say so (SPEC v3)."""
    reading.problems.warning(
        note.path, note.pos.line_of("measure"), "checklist-empty",
        "measure: checklist counts the tasks of this note and it has none: write them as "
        "- [ ] First step (and - [x] once done, ✅ 2026-11-20 for the day it was done)")


def _day(text: str | None, reading: Reading) -> object:
    """A log date: ``2026-11-20``, or a link to a daily note (its date)."""
    if text and text.startswith("[["):
        return notedates.date_of(text, reading.files.config.daily) or text
    return text


def _log_item(reading: Reading, kr: KeyResult, path: str, line: int, text: str) -> None:
    text = _TASK.sub("", text)  # a task in the log is a log line
    m = _LOG_ITEM.match(text)
    if m is None:
        other = _OTHER_DATE.match(text)
        if other:
            _unreadable(reading, path, line,
                        f"{other[0].rstrip(':—–- ')} is not read as a date: write the date as "
                        "YYYY-MM-DD, e.g. - 2026-11-20: 6")
        return
    day, rest = m[1], m[2].strip()
    if day.startswith("[["):
        when = notedates.date_of(day, reading.files.config.daily)
        if when is None:
            return  # a link to an ordinary note: not a log line
        day = when.isoformat()
    value = _LOG_VALUE.match(rest)
    if value is None:
        reading.problems.error(path, line, "bad-value",
                               f"log entry {day}: no number after the date: write "
                               f"- {day}: 6 (confidence 7) comment")
        return
    rest = rest[value.end():].lstrip()
    if kr.unit:
        after = strip_unit(rest, kr.unit)
        if after is None and _ONE_WORD.match(rest):
            _unreadable(reading, path, line,
                        f"{value[1]} {rest} is not in the key result's unit ({kr.unit}): "
                        f"write - {day}: NUMBER {kr.unit}; the line is skipped")
            return
        rest = rest if after is None else after
    confidence = None
    c = _LOG_CONFIDENCE.match(rest)
    if c:
        confidence = c[1]
        rest = rest[c.end():]
    else:
        slip = _ANY_PAREN_NUMBER.match(rest)
        if slip and syntax.near_miss(slip[1].lower().rstrip("."), ("confidence",)):
            _unreadable(reading, path, line,
                        f"({slip[1]} ...) is not read as a confidence: write (confidence 7); "
                        "it is kept as the comment")
    comment = rest.strip().lstrip("—–-:,").strip()
    reading.add(kr, path, line, day, value[1], confidence, comment, LOG)


def _unreadable(reading: Reading, path: str, line: int, message: str) -> None:
    reading.problems.warning(path, line, "log-unreadable", f"log line: {message}")
