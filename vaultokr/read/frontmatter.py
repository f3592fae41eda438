"""One note's text split into front-matter and body, with line positions.

python-frontmatter's own splitter loses line numbers (its boundary regex eats
blank lines) and misses front-matter after a UTF-8 BOM, so :func:`split` is
ours; YAML (yaml_values.py, imported on first use) goes through a
python-frontmatter ``YAMLHandler`` whose ``load``
composes the document with libyaml (``yaml.CSafeLoader``) and builds plain
Python values together with a :class:`Pos` tree of 1-based line numbers.

YAML traps handled while building values:

* an unquoted ``[[Note]]`` parses as a list holding a list; it becomes the
  link string ``"[[Note]]"`` the user meant (also as a mapping key);
* ``9:15`` is a base-60 integer in YAML 1.1 (555); it stays the string
  ``"9:15"``; ``010`` stays decimal 10, not octal 8;
* aliases are followed with a budget, so an alias bomb ("billion laughs")
  is reported instead of expanding exponentially.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vaultokr.core.errors import Problem
    from vaultokr.read.markdown import Body

_BOUNDARY = re.compile(r"^---[ \t]*$")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

class FrontMatterError(Exception):
    def __init__(self, message: str, line: int, code: str = "yaml-syntax") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code


@dataclass(slots=True)
class Pos:
    """The 1-based line of a value, and of the values inside it."""

    line: int
    children: dict[Any, Pos] = field(default_factory=dict)

    def at(self, *keys: Any) -> Pos:
        """The position of a nested value, or the nearest enclosing one."""
        pos = self
        for key in keys:
            child = pos.children.get(key)
            if child is None:
                return pos
            pos = child
        return pos

    def line_of(self, *keys: Any) -> int:
        return self.at(*keys).line


@dataclass
class Split:
    """A note's text (BOM removed, line endings normalised to ``\\n``)."""

    text: str
    fm_text: str | None  # the YAML between the boundaries, or None
    fm_line: int  # 1-based line of the first YAML line
    body: str
    body_line: int  # 1-based line where the body starts
    unclosed: bool = False


def split(text: str) -> Split:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if not _BOUNDARY.match(first):
        return Split(text, None, 1, text, 1)
    rest_start = first_end + 1 if first_end >= 0 else len(text)
    m = _CLOSING.search(text, rest_start)
    if m is None:
        return Split(text, None, 1, text, 1, unclosed=True)
    fm_text = text[rest_start : m.start()]
    body_start = m.end() + 1 if m.end() < len(text) else len(text)
    body_line = 2 + fm_text.count("\n") + 1
    return Split(text, fm_text, 2, text[body_start:], body_line)


@dataclass
class NoteCache:
    """What is parsed from a note's text on demand, kept with the note (so a
    watch does not parse an unchanged note again)."""

    body: Body | None = None  # the body as Markdown, regions masked
    lower: str | None = None  # a dated note's whole text, lower-cased
    #: a dated note's front-matter (None when broken) and the problems reading it
    meta: tuple[tuple[dict[str, Any], Pos] | None, list[Problem]] | None = None


@dataclass(frozen=True)
class Respelt:
    """A property written twice in different cases: the spelling read
    (``kept``) and the one left out, with its line."""

    kept: str
    dropped: str
    line: int

    def message(self) -> str:
        return (f"{self.dropped} and {self.kept} are one property (names are read in any "
                f"case): {self.kept} is read and {self.dropped} is not; remove one of them or "
                "rename it")


def fold_keys(meta: dict[str, Any], pos: Pos) -> tuple[dict[str, Any], Pos, list[Respelt]]:
    """Top-level property names in lowercase, as Dataview reads them
    (``Type: objective`` is ``type``): a name in two spellings is read in
    its lowercase one (else the first written), the others are returned.
    Nested names are left as written (link keys of ``values:``)."""
    if all(key.islower() or key == key.lower() for key in meta):  # nearly every note
        return meta, pos, []
    folded: dict[str, Any] = {}
    spelt: dict[str, str] = {}
    children: dict[Any, Pos] = {}
    dropped: list[Respelt] = []
    for key, value in meta.items():
        lower = key.lower()
        before = spelt.get(lower)
        if before is not None and (before == lower or key != lower):
            dropped.append(Respelt(before, key, pos.line_of(key)))
            continue
        if before is not None:  # the lowercase spelling comes after another: it wins
            dropped.append(Respelt(key, before, pos.line_of(before)))
        folded[lower] = value
        spelt[lower] = key
        if key in pos.children:
            children[lower] = pos.children[key]
    return folded, Pos(pos.line, children), dropped
