"""Front-matter written in the plainest YAML, read without libyaml's nodes.

Most notes' front-matter is a few lines of ``key: value``, with a list
written ``[a, b]`` or as ``- item`` lines under its key. For such text,
:func:`read` finds the keys and the scalars' texts line by line, and gives
each scalar the type PyYAML's own resolver gives it (the same function the
full parse calls), built by the full parse's own rules
(``yamlnotes.scalar_value``): the values and their lines are those of the
full parse, which costs about five times more per note.

Anything else (nesting, anchors, tags, multi-line or escaped scalars, a
comment after a value, an unquoted ``[[link]]``, tabs, characters YAML
refuses or reads as line breaks, an invalid line) returns None, and the
full parse reads the note: it also says what is wrong with a front-matter
that is not valid YAML. ``tests/test_plainyaml.py`` compares the two on
generated front-matter and on every note of the test vaults.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from vaultokr.notes import Pos

#: a line of ``key: value`` (or ``key:``) at the start of a line; the key a
#: plain scalar that cannot be read otherwise
_KEY_LINE = re.compile(r"([^\s#:'\"\[\]{}&*!|>%@,?`-][^:#]*?) *:(?: +(.*?))? *")
#: an item of a block list, its dash at the key's column or indented
_ITEM_LINE = re.compile(r"( *)- +(.*?) *")
#: characters the full parse refuses, reads as line breaks, or treats apart
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\u2028\u2029]")
#: what a plain scalar in a flow list cannot hold (the full parse decides)
_FLOW_UNSAFE = re.compile(r"[\[\]{}#:'\"]")
_QUOTED = {'"': re.compile(r'"([^"\\]*)"'), "'": re.compile(r"'([^']*)'")}
#: first characters that make a value something other than a plain scalar
_INDICATORS = frozenset("#&*!|>%@`,?:-{}[\"'")
#: more lines than this: the full parse (it counts nodes against a budget)
MAX_LINES = 1000
#: libyaml reads a key only when its ":" comes within 1,024 characters
MAX_KEY = 1000

Scalar = tuple[str, bool]  # the text, and whether it was plain (not quoted)


def read(fm_text: str, first_line: int, scalar_of: Callable[[str, bool], Any]
         ) -> tuple[dict[Any, Any], Pos] | None:
    """The front-matter's mapping and positions, as the full parse gives
    them; None when the text is not in the plainest YAML. ``scalar_of``
    makes a scalar's value from its text and whether it was plain (not
    quoted), as the full parse does."""
    if _UNUSUAL.search(fm_text):
        return None
    lines = fm_text.split("\n")
    if len(lines) > MAX_LINES:
        return None
    mapping: dict[Any, Any] = {}
    root: Pos | None = None
    i, count = 0, len(lines)
    while i < count:
        line = lines[i]
        if not line or line.lstrip(" ").startswith("#") or not line.strip(" "):
            i += 1
            continue
        m = _KEY_LINE.fullmatch(line)
        if m is None or m.end(1) > MAX_KEY or line.startswith("..."):
            return None
        key_line = first_line + i
        key = scalar_of(m[1], True)
        if root is None:
            root = Pos(key_line)
        i += 1
        text = m[2]
        if text is None or text == "":
            items, i = _block_list(lines, i, first_line)
            if items is None:
                return None
            if not items:
                value: Any = scalar_of("", True)
                children: dict[Any, Pos] = {}
            else:
                value = [scalar_of(*item) for item, _ in items]
                children = {n: Pos(line_no) for n, (_, line_no) in enumerate(items)}
        elif text[0] == "[":
            flow = _flow_list(text)
            if flow is None:
                return None
            value = [scalar_of(item, True) for item in flow]
            children = {n: Pos(key_line) for n in range(len(flow))}
        else:
            scalar = _scalar(text)
            if scalar is None:
                return None
            value = scalar_of(*scalar)
            children = {}
        if isinstance(key, list | dict):  # pragma: no cover - a key line holds a scalar
            return None
        mapping[key] = value
        root.children[key] = Pos(key_line, children)
    if root is None:
        return None  # nothing but blank lines and comments: the full parse says what
    return mapping, root


def _scalar(text: str) -> Scalar | None:
    """A value written on its key's line: a plain scalar, or a quoted one
    with no escape and no quote inside."""
    first = text[0]
    if first in _QUOTED:
        m = _QUOTED[first].fullmatch(text)
        return (m[1], False) if m is not None else None
    if first in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return None
    return text, True


def _flow_list(text: str) -> list[str] | None:
    """The items of ``[a, b]``: plain scalars, on one line."""
    if not text.endswith("]") or text.startswith("[["):
        return None
    inner = text[1:-1]
    if not inner.strip(" "):
        return []
    if _FLOW_UNSAFE.search(inner):
        return None
    items = [item.strip(" ") for item in inner.split(",")]
    if any(not item or item[0] in _INDICATORS for item in items):
        return None
    return items


def _block_list(lines: list[str], i: int, first_line: int
                ) -> tuple[list[tuple[Scalar, int]] | None, int]:
    """The ``- item`` lines after a key with no value on its line (none: the
    value is null); None when what follows is anything else."""
    items: list[tuple[Scalar, int]] = []
    indent: str | None = None
    while i < len(lines):
        line = lines[i]
        if not line.startswith((" ", "-")):
            break
        m = _ITEM_LINE.fullmatch(line)
        if m is None or (indent is not None and m[1] != indent) or not m[2]:
            return None, i
        indent = m[1]
        scalar = _scalar(m[2])
        if scalar is None:
            return None, i
        items.append((scalar, first_line + i))
        i += 1
    return items, i
