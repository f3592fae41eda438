"""Source 3: a key result note's log: list items ``- 2026-11-20: 6 (confidence
7) comment``, tables with date and value columns, and (for ``checklist``) its
tasks."""

from __future__ import annotations

import re

from vaultokr import markdown
from vaultokr.measures import rule
from vaultokr.model import KeyResult
from vaultokr.sources.base import Reading, parsed_body
from vaultokr.vault import Note
from vaultokr.vocab import MeasurementKind

_LOG_ITEM = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:[:—–-]\s*|\s+)(.*)$", re.S)
_LOG_VALUE = re.compile(r"^([-+]?[\d.,]*\d%?)")
_LOG_CONFIDENCE = re.compile(
    r"^\(\s*(?:confidence|conf\.?)\s*:?\s*([-+]?\d+(?:\.\d+)?)\s*(?:/\s*10)?\s*\)", re.I
)
_HAS_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS_TASK = re.compile(r"\[[ xX]\]")
LOG = MeasurementKind.LOG


def read(reading: Reading) -> None:
    for kr_id, note in reading.kr_notes.items():
        _log(reading, reading.model.key_results[kr_id], note)


def _log(reading: Reading, kr: KeyResult, note: Note) -> None:
    body_text = note.body
    wants_tasks = rule(kr).reads_tasks
    if not (_HAS_DATE.search(body_text) or (wants_tasks and _HAS_TASK.search(body_text))):
        return
    body = parsed_body(note.cache, body_text, note.body_line)
    if wants_tasks:
        kr.tasks = markdown.tasks(body)
    for item in body.list_items:
        m = _LOG_ITEM.match(item.text.split("\n", 1)[0])
        if m:
            _log_item(reading, kr, note.path, item.line, m[1], m[2])
    for table in body.tables:
        header = table.header
        if "date" not in header or "value" not in header:
            continue
        for line, cells in table.rows:
            row = {name: cells[i].strip() for i, name in enumerate(header) if i < len(cells)}
            if not row.get("date") and not row.get("value"):
                continue
            reading.add(kr, note.path, line, row.get("date"), row.get("value"),
                        row.get("confidence"), row.get("comment"), LOG)


def _log_item(reading: Reading, kr: KeyResult, path: str, line: int, day: str,
              rest: str) -> None:
    rest = rest.strip()
    m = _LOG_VALUE.match(rest)
    if m is None:
        reading.problems.error(path, line, "bad-value",
                               f"log entry {day}: no number after the date: write "
                               f"- {day}: 6 (confidence 7) comment")
        return
    value = m[1]
    rest = rest[m.end():].lstrip()
    if kr.unit and rest.lower().startswith(kr.unit.lower()):
        rest = rest[len(kr.unit):].lstrip()
    confidence = None
    c = _LOG_CONFIDENCE.match(rest)
    if c:
        confidence = c[1]
        rest = rest[c.end():]
    comment = rest.strip().lstrip("—–-:,").strip()
    reading.add(kr, path, line, day, value, confidence, comment, LOG)
