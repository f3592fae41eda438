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

from vaultokr.model import Task

_CODE_SPAN = re.compile(r"(`+).*?\1", re.S)
_TASK = re.compile(r"^\[([ xX])\]\s?(.*)$", re.S)
_DONE_DATE = re.compile(r"✅\s*(\d{4}-\d{2}-\d{2})")
_BRACKET_FIELD = re.compile(r"[\[(]([^\[\]()]+?)::\s*([^\])]*)[\])]")
_LINE_FIELD = re.compile(r"^\s*([^\s:\[\]()][^:\[\]()]*?)::\s*(.*)$")
_TAG = re.compile(r"(?<![\w/#&])#([^\s#!\"$%&'()*+,.:;<=>?@\[\]^`{|}~\\]+)")


@dataclass
class Block:
    line: int  # 1-based line in the file
    text: str  # inline content (may span lines)


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass
class Body:
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    list_items: list[Block] = field(default_factory=list)


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
    for tok in tokens:
        kind = tok.type
        if kind == "list_item_open":
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
                continue
            line = first_line + tok.map[0] if tok.map else first_line
            block = Block(line, tok.content)
            out.blocks.append(block)
            if list_depth > 0 and item_line is not None:
                # the first paragraph of a list item is the item's text
                out.list_items.append(Block(item_line, tok.content))
                item_line = None
    return out


def without_code_spans(text: str) -> str:
    return _CODE_SPAN.sub(" ", text)


def tasks(body: Body) -> list[Task]:
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
        found.append(Task(item.line, done, when))
    return found


def inline_fields(body: Body, names: set[str]) -> list[tuple[str, int, str]]:
    """Dataview inline fields ``name:: value`` (own line, or ``[name:: value]``)."""
    found = []
    lowered = {n.lower(): n for n in names}
    for block in body.blocks:
        text = without_code_spans(block.text)
        if "::" not in text:
            continue
        for offset, line in enumerate(text.split("\n")):
            matches = list(_BRACKET_FIELD.finditer(line))
            whole = _LINE_FIELD.match(line)
            if whole:
                matches.append(whole)
            for m in matches:
                key = lowered.get(m[1].strip().lower())
                if key:
                    found.append((key, block.line + offset, m[2].strip()))
    return found


def body_tags(body: Body) -> list[tuple[str, int]]:
    """``#tag`` in the text, with its line; tags inside code are not tags."""
    found = []
    for block in body.blocks:
        text = without_code_spans(block.text)
        if "#" not in text:
            continue
        for offset, line in enumerate(text.split("\n")):
            for m in _TAG.finditer(line):
                tag = m[1]
                if not tag.isdigit():
                    found.append((tag.lower(), block.line + offset))
    return found
