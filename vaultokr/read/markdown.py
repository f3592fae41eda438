"""Reading note bodies as Markdown with markdown-it-py.

Code blocks and code spans are text, never data: a log line inside a fence is
not a measurement and ``#tag`` inside backticks is not a tag.  markdown-it-py
is imported on first use, since most runs parse few bodies.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from vaultokr.model.okr import Task
from vaultokr.syntax import names as syntax

_CODE_SPAN = re.compile(r"(`+).*?\1", re.S)
_TASK = re.compile(r"^\[([ xX])\]\s?(.*)$", re.S)
#: a done date: the Tasks plugin's ``✅ 2026-11-05``, or Dataview's
#: ``[completion:: 2026-11-05]`` (its automatic task completion tracking)
_DONE_DATE = re.compile(r"(?:✅\s*|[\[(]completion\s*::\s*)(\d{4}-\d{2}-\d{2})", re.I)
#: the Tasks plugin's fields after a task's description (dates, recurrence,
#: priority, ids): the description ends at the first of them
_TASKS_FIELDS = re.compile("[\U0001F4C5\u23F3\U0001F6EB\u2705\u2795\U0001F501\u23EB\U0001F53C"
                           "\U0001F53D\U0001F53A\u23EC\u274C\U0001F194\u26D4\U0001F3C1]")
_COMPLETION_FIELD = re.compile(r"[\[(]completion\s*::[^\])]*[\])]", re.I)
#: Tracker's tag value: ``#weight:72.5kg`` (a tag as Obsidian reads it, ``:``, a value)
_TAG_VALUE = re.compile(r"(?<!\S)#([^\s!-,.:-@\[-^`{-~]+):(\S+)")


@dataclass
class Block:
    line: int  # 1-based line in the file
    text: str  # inline content (may span lines)


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass
class Heading:
    line: int
    level: int  # 1 for "#"
    text: str


@dataclass
class Body:
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    list_items: list[Block] = field(default_factory=list)
    cells: list[Block] = field(default_factory=list)  # every table cell, header too
    headings: list[Heading] = field(default_factory=list)


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    # block structure only: inline tokens keep their raw text in .content, and
    # skipping the inline pass halves the cost
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def block_tokens(text: str) -> list[Any]:
    return list(_parser().parse(text))


def parse_body(body: str, first_line: int) -> Body:
    out = Body()
    if not body.strip():
        return out
    tokens = _parser().parse(body)
    list_depth = 0
    item_line: int | None = None
    table: Table | None = None
    row: list[str] | None = None
    row_line = 0
    in_head = False
    heading: Heading | None = None
    for tok in tokens:
        kind = tok.type
        if kind == "heading_open" and tok.level == 0:  # not one inside a quote or list
            heading = Heading(first_line + (tok.map[0] if tok.map else 0), int(tok.tag[1:]), "")
            out.headings.append(heading)
        elif kind == "heading_close":
            heading = None
        elif kind == "list_item_open":
            list_depth += 1
            item_line = first_line + tok.map[0] if tok.map else None
        elif kind == "list_item_close":
            list_depth -= 1
        elif kind == "table_open":
            table = Table([], [])
        elif kind == "table_close":
            if table is not None:
                out.tables.append(table)
            table = None
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
            row_line = first_line + tok.map[0] if tok.map else first_line
        elif kind == "tr_close" and table is not None and row is not None:
            if in_head:
                table.header = [cell.strip().lower() for cell in row]
            else:
                table.rows.append((row_line, row))
            row = None
        elif kind == "inline":
            if row is not None:
                row.append(tok.content)
                out.cells.append(Block(row_line, tok.content))
                continue
            line = first_line + tok.map[0] if tok.map else first_line
            if heading is not None:
                heading.text = tok.content.strip()
            block = Block(line, tok.content)
            out.blocks.append(block)
            if list_depth > 0 and item_line is not None:
                # the first paragraph of a list item is the item's text
                out.list_items.append(Block(item_line, tok.content))
                item_line = None
    return out


def log_section(body: Body, heading: str = "Log") -> tuple[int, int] | None:
    """The first and last line of a key result's log: the section under the
    first top-level heading named ``heading`` (any level, any case), up to the
    next heading of the same or a higher level; None when there is no such
    heading (then the whole body is the log). Read by the log source and
    written by ``checkin``."""
    wanted = heading.strip().lower()
    for i, found in enumerate(body.headings):
        if found.text.lower() != wanted:
            continue
        end = next((h.line - 1 for h in body.headings[i + 1:] if h.level <= found.level),
                   10**9)
        return found.line, end
    return None


def without_code_spans(text: str) -> str:
    return _CODE_SPAN.sub(" ", text)


def tasks(body: Body) -> list[Task]:
    """The body's tasks (``- [ ]``, ``- [x]``, ``- [X]``; in lists, quotes and
    callouts, never in code), each with its text after the checkbox and its
    done date (``✅ 2026-11-05``, or Dataview's ``[completion:: 2026-11-05]``)
    when it has a valid one."""
    found = []
    for item in body.list_items:
        m = _TASK.match(item.text)
        if m is None:
            continue
        done = m[1] in "xX"
        when = None
        stamp = _DONE_DATE.search(m[2])
        if stamp:
            try:
                when = dt.date.fromisoformat(stamp[1])
            except ValueError:
                when = None
        found.append(Task(item.line, done, when, m[2]))
    return found


def description(task: Task) -> str:
    """A task's description, as the Tasks plugin reads it: its line up to
    the first of the plugin's fields (dates, recurrence, priority, ids),
    without Dataview's ``[completion:: DATE]``."""
    line = task.text.split("\n", 1)[0]
    return _COMPLETION_FIELD.sub("", _TASKS_FIELDS.split(line, 1)[0]).strip()


def tags_of(text: str) -> list[str]:
    """The tags a line of text carries (lower case; not in code spans)."""
    if "#" not in text:
        return []
    return [tag for tag, _ in syntax.tags_in(without_code_spans(text))]


def open_task_lines(body: Body) -> set[int]:
    """The lines of the body's unchecked tasks (a tag there marks a task still
    to do, not a note to count). A task is its line, as the Tasks plugin
    reads it: the lines that continue its list item are not."""
    return {task.line for task in tasks(body) if not task.done}


def inline_fields(body: Body, names: set[str]) -> list[tuple[str, int, str]]:
    """Dataview inline fields (``name:: value`` on its own line, ``[name::
    value]`` or ``(name:: value)`` anywhere, in table cells only bracketed)
    whose canonical name is one of ``names``; code is not read."""
    found = []
    for blocks, full_lines in ((body.blocks, True), (body.cells, False)):
        for block in blocks:
            if "::" not in block.text:
                continue
            for item in syntax.line_fields(without_code_spans(block.text), full_lines):
                if item.name in names:
                    found.append((item.name, block.line + item.offset, item.value))
    found.sort(key=lambda f: f[1])
    return found


def body_tags(body: Body) -> list[tuple[str, int]]:
    """Obsidian's ``#tag`` in the text and table cells, with its line (see
    :func:`vaultokr.syntax.names.tags_in`); code is not read."""
    found = []
    for block in [*body.blocks, *body.cells]:
        if "#" in block.text:
            found += [(tag, block.line + offset)
                      for tag, offset in syntax.tags_in(without_code_spans(block.text))]
    found.sort(key=lambda t: t[1])
    return found


def tag_values(body: Body) -> list[tuple[str, int, str]]:
    """Tracker's tag values (``#weight:72.5kg``): the tag (lower case), its
    line and the value as written after the colon; code is not read, nor
    math, comments or links (as for tags)."""
    found = []
    for block in [*body.blocks, *body.cells]:
        if "#" not in block.text or ":" not in block.text:
            continue
        text = syntax.without_tag_free_text(without_code_spans(block.text))
        line, seen = block.line, 0  # lines counted up to ``seen``, once over the text
        for m in _TAG_VALUE.finditer(text):
            line += text.count("\n", seen, m.start())
            seen = m.start()
            tag = m[1].rstrip("/").lower()
            if tag and not tag.replace("/", "").isdigit():
                found.append((tag, line, m[2].rstrip(".,;")))
    found.sort(key=lambda t: t[1])
    return found
