"""Front-matter written in the plainest YAML, read without libyaml's nodes.

Most notes' front-matter is a few lines of ``key: value``, with a list
written ``[a, b]`` or as ``- item`` lines under its key, and a check-in's
``values:`` a mapping of ``"[[Key result]]": {value: 3, confidence: 6}``
lines under its key. For such text,
:func:`read` finds the keys and the scalars' texts line by line, and gives
each scalar the type PyYAML's own resolver gives it (the same function the
full parse calls), built by the full parse's own rules
(``yamlnotes.scalar_value``): the values and their lines are those of the
full parse, which costs two to three times more per note (101 against 39
microseconds for a check-in of the benchmark vault, 43 against 19 for a key
result or an objective).

Anything else (deeper nesting, anchors, tags, multi-line or escaped scalars, a
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

from vaultokr.read.frontmatter import Pos

#: a line of ``key: value`` (or ``key:``) at the start of a line; the key a
#: plain scalar that cannot be read otherwise
_KEY_LINE = re.compile(r"([^\s#:'\"\[\]{}&*!|>%@,?`-][^:#]*?) *:(?: +(.*?))? *")
#: the same with a quoted key (no escape, no quote inside)
_QUOTED_KEY_LINE = re.compile(r"(\"[^\"\\]*\"|'[^']*') *:(?: +(.*?))? *")
#: an item of a block list, its dash at the key's column or indented
_ITEM_LINE = re.compile(r"( *)- +(.*?) *")
_FLOW_PLAIN = r"[^\s\[\]{},:#'\"&*!|>%@`?-][^\[\]{},:#'\"]*?"
#: one ``key: value`` of a flow mapping, and the comma after it (or its end)
_FLOW_ITEM = re.compile(rf' *(?:"([^"\\]*)"|({_FLOW_PLAIN})) *: +'
                        rf'(?:"([^"\\]*)"|({_FLOW_PLAIN})) *(,|$)')
#: characters the full parse refuses, reads as line breaks, or treats apart
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\u2028\u2029]")
#: what a plain scalar in a flow list cannot hold (the full parse decides)
_FLOW_UNSAFE = re.compile(r"[\[\]{}#:'\"]")
_QUOTED = {'"': re.compile(r'"([^"\\]*)"'), "'": re.compile(r"'([^']*)'")}
#: first characters that make a value something other than a plain scalar
_INDICATORS = frozenset("#&*!|>%@`,?:-{}[]\"'")
#: more lines than this: the full parse (it counts nodes against a budget)
MAX_LINES = 1000
#: libyaml reads a key only when its ":" comes within 1,024 characters
MAX_KEY = 1000

Scalar = tuple[str, bool]  # the text, and whether it was plain (not quoted)
ScalarOf = Callable[[str, bool], Any]
Entry = tuple[Any, Any, dict[Any, Pos]]  # a key, its value, and the lines inside it


def read(fm_text: str, first_line: int, scalar_of: ScalarOf
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
    return _Reader(lines, first_line, scalar_of).document()


class _Reader:
    def __init__(self, lines: list[str], first_line: int, scalar_of: ScalarOf) -> None:
        self.lines = lines
        self.first_line = first_line
        self.scalar_of = scalar_of
        self.i = 0

    def document(self) -> tuple[dict[Any, Any], Pos] | None:
        mapping: dict[Any, Any] = {}
        root: Pos | None = None
        lines = self.lines
        while self.i < len(lines):
            line = lines[self.i]
            if not line.strip(" ") or line.lstrip(" ").startswith("#"):
                self.i += 1
                continue
            key_line = self.first_line + self.i
            entry = self.entry(line, 0)
            if entry is None:
                return None
            key, value, children = entry
            if root is None:
                root = Pos(key_line)
            mapping[key] = value
            root.children[key] = Pos(key_line, children)
        if root is None:
            return None  # nothing but blank lines and comments: the full parse says what
        return mapping, root

    def entry(self, line: str, indent: int) -> Entry | None:
        """The ``key: value`` at ``line`` (its key at column ``indent``), and
        at the top level the list or mapping of the lines under it."""
        m = _KEY_LINE.fullmatch(line, indent) or _QUOTED_KEY_LINE.fullmatch(line, indent)
        if m is None or m.end(1) - indent > MAX_KEY or line.startswith("..."):
            return None
        key_text = m[1]
        quoted = key_text[0] in _QUOTED
        key = self.scalar_of(key_text[1:-1] if quoted else key_text, not quoted)
        line_no = self.first_line + self.i
        self.i += 1
        text = m[2]
        if not text:
            return self.block(key, line_no) if indent == 0 else (key, self.scalar_of("", True), {})
        if text[0] == "[":
            items = _flow_list(text)
            if items is None:
                return None
            return (key, [self.scalar_of(item, True) for item in items],
                    {n: Pos(line_no) for n in range(len(items))})
        if text[0] == "{":
            pairs = _flow_mapping(text)
            if pairs is None:
                return None
            value: dict[Any, Any] = {}
            children: dict[Any, Pos] = {}
            for k, v in pairs:
                item_key = self.scalar_of(*k)
                value[item_key] = self.scalar_of(*v)
                children[item_key] = Pos(line_no)
            return key, value, children
        scalar = _scalar(text)
        if scalar is None:
            return None
        return key, self.scalar_of(*scalar), {}

    def block(self, key: Any, line_no: int) -> Entry | None:
        """What the lines under a top-level key with nothing after its
        colon hold: ``- item`` lines, indented ``key: value`` lines (one
        level), or nothing (the value is null)."""
        lines = self.lines
        following = lines[self.i] if self.i < len(lines) else ""
        if following.lstrip(" ").startswith("- ") and following.startswith((" ", "-")):
            items = self.block_list()
            if items is None:
                return None
            return (key, [self.scalar_of(*item) for item, _ in items],
                    {n: Pos(at) for n, (_, at) in enumerate(items)})
        if not following.startswith(" "):
            return key, self.scalar_of("", True), {}
        indent = len(following) - len(following.lstrip(" "))
        prefix = " " * indent
        mapping: dict[Any, Any] = {}
        children: dict[Any, Pos] = {}
        while self.i < len(lines) and lines[self.i].startswith(prefix):
            at = self.first_line + self.i
            entry = self.entry(lines[self.i], indent)
            if entry is None:
                return None
            sub_key, value, sub_children = entry
            mapping[sub_key] = value
            children[sub_key] = Pos(at, sub_children)
        return key, mapping, children

    def block_list(self) -> list[tuple[Scalar, int]] | None:
        """The ``- item`` lines under a key, all at one indentation."""
        lines = self.lines
        items: list[tuple[Scalar, int]] = []
        indent: str | None = None
        while self.i < len(lines):
            line = lines[self.i]
            if not line.startswith((" ", "-")):
                break
            m = _ITEM_LINE.fullmatch(line)
            if m is None or (indent is not None and m[1] != indent) or not m[2]:
                return None
            indent = m[1]
            scalar = _scalar(m[2])
            if scalar is None:
                return None
            items.append((scalar, self.first_line + self.i))
            self.i += 1
        return items


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


def _flow_mapping(text: str) -> list[tuple[Scalar, Scalar]] | None:
    """The pairs of ``{a: 1, b: "x, y"}`` on one line: plain scalars, or
    double-quoted ones with no escape."""
    if not text.endswith("}"):
        return None
    inner = text[1:-1]
    if not inner.strip(" "):
        return []
    pairs: list[tuple[Scalar, Scalar]] = []
    at = 0
    while at < len(inner):
        m = _FLOW_ITEM.match(inner, at)
        if m is None:
            return None
        key: Scalar = (m[1], False) if m[1] is not None else (m[2], True)
        value: Scalar = (m[3], False) if m[3] is not None else (m[4], True)
        pairs.append((key, value))
        at = m.end()
        if m[5] == "," and at == len(inner):
            return None  # a comma and nothing after it: the full parse decides
    return pairs
