"""The one reader of names, tags and dates (SPEC v2 §1-§3; docs/format.md).

Every measurement source, and the cheap text checks that decide which notes
are parsed at all, read field names, tags and note dates through the
functions here, so the fast path and the slow path cannot disagree: each
``may_*`` pre-check accepts every text its parser reads (a test runs every
reading fixture again with every pre-check answering yes, and compares).

* Field names match as Dataview matches them (:func:`canonical`); the
  pre-checks search the raw text for every spelling of a name.
* Tags follow Obsidian's rules (:func:`tags_in`).
* Dates come from a value (a date, an ISO text, or a link to a daily note)
  or from a note's path (the daily-note format): :mod:`vaultokr.syntax.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

# ---------------------------------------------------------------- field names

_DROPPED = re.compile(r"[^\w\s-]+")  # what Dataview drops from a name
_SPACES = re.compile(r"\s+")


@cache
def canonical(name: str) -> str:
    """A field name as Dataview compares it: formatting and punctuation
    dropped, a run of spaces one ``-``, lower case (``**Hours slept**`` is
    ``hours-slept``)."""
    return _SPACES.sub("-", _DROPPED.sub("", name).strip()).lower()


def canonical_path(name: str) -> tuple[str, ...]:
    """A ``field:`` value: one name, or a dotted path into nested front-matter."""
    return tuple(canonical(part) for part in name.split(".")) if "." in name else (
        canonical(name),)


def may_inline(text: str, names: Iterable[str]) -> bool:
    """Whether ``text`` may hold an inline field (``name::``, ``[name :: v]``)
    of one of the canonical ``names``: never False when :func:`line_fields`
    would find one. A field needs ``::``; then one search of the raw text for
    any spelling that :func:`canonical` makes one of the names."""
    if "::" not in text:
        return False
    wanted = tuple(sorted(set(names)))
    return bool(wanted) and _inline_key(wanted).search(text) is not None


def has_top_key(front_matter: str, names: Iterable[str]) -> bool:
    """Whether the front-matter text may have a top-level key whose canonical
    name is one of ``names`` (the date properties: which notes are dated):
    a key at the start of a line (an indented one too: YAML allows a whole
    mapping indented), or any front-matter written as one ``{...}``. One
    regular expression over the raw text: it runs on every note with
    front-matter."""
    wanted = tuple(names)
    if not wanted:
        return False
    return (_top_key(wanted).search("\n" + front_matter) is not None
            or front_matter.lstrip().startswith("{"))


_DROP = r"[^\w\s:-]*"  # characters canonical() drops
_GAP = r"(?:-|[^\w:\n-]*[^\S\n][^\w:\n-]*)"  # what canonical() makes a "-"


def _spelled(names: tuple[str, ...]) -> str:
    """Any text that :func:`canonical` makes one of ``names``."""
    return "|".join(_DROP.join(_GAP if ch == "-" else re.escape(ch) for ch in name)
                    for name in names)


@cache
def _inline_key(names: tuple[str, ...]) -> re.Pattern[str]:
    # then what a key may end with before "::": spaces, formatting, "_"
    return re.compile(rf"(?:{_spelled(names)})[^\w\n:]*_*[^\w\n:]*::", re.I)


@cache
def _top_key(names: tuple[str, ...]) -> re.Pattern[str]:
    """Any top-level key that :func:`canonical` makes one of ``names``."""
    alternatives = _spelled(names)
    # "\n" rather than "^" with re.M, which Python's engine tries at every position
    return re.compile(rf"\n[^\S\n]*{_DROP}(?:{alternatives}){_DROP}[^\S\n]*{_DROP}:", re.I)


def front_matter_values(meta: dict[str, Any], path: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The keys (as written, one per level) whose canonical names are
    ``path``, with their values: ``("wellbeing", "pain")`` finds
    ``Wellbeing: {Pain: 3}``."""
    found: list[tuple[Any, ...]] = []
    _walk(meta, path, 0, (), found)
    return found


def _walk(mapping: dict[Any, Any], path: tuple[str, ...], depth: int, keys: tuple[Any, ...],
          found: list[tuple[Any, ...]]) -> None:
    # a module function, not a closure: a closure that calls itself is a reference
    # cycle, left for the cyclic collector each time (heap.py)
    for key, value in mapping.items():
        if not isinstance(key, str) or canonical(key) != path[depth]:
            continue
        if depth + 1 == len(path):
            found.append((*keys, key, value))
        elif isinstance(value, dict):
            _walk(value, path, depth + 1, (*keys, key), found)


_BRACKET_OPEN = re.compile(r"[\[(]([^\[\]()\n]+?)::")
_CLOSE = {"[": "]", "(": ")"}
_FULL_LINE = re.compile(r"^[\s>*_~`+-]*(?:\d+[.)]\s+)?[\s*_~`]*([^:]*?)[\s_*~`]*::(.*)$")
_KEY_OK = re.compile(r"^[^\W_][\w\s_-]*$|^\w$")
_TASK_START = re.compile(r"^[\s>]*(?:(?:[-*+]|\d+[.)])\s+)?\[.\]\s")


@dataclass(frozen=True)
class InlineField:
    name: str  # canonical
    value: str  # stripped; "" for a blank field
    offset: int  # line offset inside the text it was found in


def line_fields(text: str, full_lines: bool = True) -> list[InlineField]:
    """Dataview inline fields in ``text``: ``[k:: v]`` and ``(k:: v)`` anywhere
    (several on a line), and a full line ``k:: v`` (``full_lines``; not on a
    task item). A full-line value ends where a bracketed field begins."""
    found: list[InlineField] = []
    if "::" not in text:
        return found
    for offset, line in enumerate(text.split("\n")):
        if "::" not in line:
            continue
        first_bracket = len(line)
        for start, key, value in _bracketed(line):
            first_bracket = min(first_bracket, start)
            name = canonical(key)
            if name:
                found.append(InlineField(name, value.strip(), offset))
        if not full_lines or _TASK_START.match(line):
            continue
        whole = _FULL_LINE.match(line[:first_bracket])
        if whole is None:
            continue
        key = whole[1].strip()
        if _KEY_OK.match(key):
            found.append(InlineField(canonical(key), whole[2].strip(), offset))
    return found


def _bracketed(line: str) -> Iterator[tuple[int, str, str]]:
    """(start, key, value) of each ``[k:: v]`` / ``(k:: v)`` in a line; the
    value runs to the matching close (nested brackets and ``\\`` escapes)."""
    pos = 0
    while True:
        m = _BRACKET_OPEN.search(line, pos)
        if m is None:
            return
        opener = line[m.start()]
        depth, i, end = 1, m.end(), -1
        while i < len(line):
            ch = line[i]
            if ch == "\\":
                i += 2
                continue
            if ch == opener:
                depth += 1
            elif ch == _CLOSE[opener]:
                depth -= 1
                if depth == 0:
                    end = i
                    break
            i += 1
        if end < 0:
            pos = m.start() + 1
            continue
        yield m.start(), m[1], line[m.end():end]
        pos = end + 1


# ---------------------------------------------------------------- tags

#: ``#`` at the start of a line or after whitespace, then letters, digits,
#: ``_``, ``-``, ``/`` and any non-ASCII character but a space
_TAG = re.compile(r"(?<!\S)#([^\s!-,.:-@\[-^`{-~]+)")
_NOT_TAG_TEXT = re.compile(
    r"\$\$.*?\$\$|(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)"  # math
    r"|%%.*?(?:%%|$)|<!--.*?(?:-->|$)"  # comments
    r"|\[\[[^\]]*\]\]|\]\([^)]*\)",  # link targets
    re.S,
)


def tags_in(text: str) -> list[tuple[str, int]]:
    """Obsidian's tags in Markdown text (code spans already removed), lower
    case, with the line offset; not in math, comments or links; ``#123`` is
    no tag (a tag needs a non-digit)."""
    if "#" not in text:
        return []
    text = _NOT_TAG_TEXT.sub(_blank, text)
    found = []
    for m in _TAG.finditer(text):
        tag = m[1].rstrip("/")
        if tag and not tag.replace("/", "").isdigit():
            found.append((tag.lower(), text.count("\n", 0, m.start())))
    return found


def without_tag_free_text(text: str) -> str:
    """``text`` with math, comments and link targets blanked (no tag is
    read there), its line breaks kept."""
    return _NOT_TAG_TEXT.sub(_blank, text)


def _blank(m: re.Match[str]) -> str:
    """Removed text, its line breaks kept (so line offsets stay right)."""
    return " " + "\n" * m[0].count("\n")


def front_matter_tags(value: Any) -> list[str]:
    """``tags:`` as a list, or one string split at commas and spaces; a
    leading ``#`` dropped; lower case."""
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value))
    return [str(t).strip().lstrip("#").lower() for t in items if str(t).strip().lstrip("#")]


def tag_matches(tag: str, wanted: str) -> bool:
    """A nested tag counts for its parent: ``idea/talk`` is ``idea``."""
    return tag == wanted or tag.startswith(wanted + "/")


def may_tag(text_lower: str, tags: Iterable[str]) -> bool:
    """Whether a note's lower-cased text may carry one of ``tags`` (in
    front-matter or as ``#tag``): never False when the parsers find one."""
    return any(tag in text_lower for tag in tags)


# ---------------------------------------------------------------- type values

#: a type value with case, spaces, dashes and underscores removed -> the role
ROLES = {
    "ambition": "ambition",
    "objective": "objective",
    "keyresult": "key-result",
    "kr": "key-result",
    "checkin": "check-in",
    "initiative": "initiative",
    "experiment": "initiative",
}
_TYPE_NOISE = re.compile(r"[\s_-]+")


def read_type(value: Any) -> tuple[str | None, str | None]:
    """A type value's role, or else the role it is a near miss of (``Key
    Result``, ``keyresult`` and ``[key-result]`` are key results;
    ``objectives`` is a near miss of objective). A link is neither."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str) or "[[" in value:
        return None, None
    word = _TYPE_NOISE.sub("", value.lower())
    role = ROLES.get(word)
    if role is not None:
        return role, None
    near = near_miss(word, ROLES)
    return None, None if near is None else ROLES[near]


def may_be_role(raw: str) -> bool:
    """The cheap check on the text after ``type:``: False only when
    :func:`read_type` of its value can be neither a role nor a near miss."""
    text = raw.split(" #", 1)[0].strip().strip("\"'[] \t")
    if not text:
        return True  # a list on the next lines, or nothing: parse to know
    if "[[" in raw:
        return False
    role, near = read_type(text)
    return role is not None or near is not None


# ---------------------------------------------------------------- pre-checks


def may_task(text_lower: str, needles: Iterable[str]) -> bool:
    """Whether a note's lower-cased text may hold a checked task with one of
    ``needles`` (a lower-cased text, or ``#tag``) on its line: never False
    when the Markdown parse finds one (a checked task is written ``[x]`` or
    ``[X]``, and it is one line, as the Tasks plugin reads it)."""
    if "[x]" not in text_lower:
        return False
    needles = [needle for needle in needles if needle in text_lower]
    if not needles:
        return False
    start = text_lower.find("[x]")
    while start >= 0:  # each line with a [x] once (a long line is not sliced again)
        end = text_lower.find("\n", start)
        end = len(text_lower) if end < 0 else end
        line = text_lower[text_lower.rfind("\n", 0, start) + 1:end]
        if any(needle in line for needle in needles):
            return True
        start = text_lower.find("[x]", end)
    return False


class PreCheck:
    """The cheap text checks that decide which notes are parsed, all in one
    place: the vault's reader and the sources call them through
    :data:`PRECHECK`, and a test switches them all on (every answer True:
    every note parsed) to hold the fast path equal to the slow one."""

    may_inline = staticmethod(may_inline)
    may_tag = staticmethod(may_tag)
    may_task = staticmethod(may_task)
    has_top_key = staticmethod(has_top_key)
    may_be_role = staticmethod(may_be_role)


PRECHECK = PreCheck()


# ---------------------------------------------------------------- near misses


def distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def near_miss(word: str, known: Iterable[str]) -> str | None:
    """The known word ``word`` is a slip of (edit distance 1, or 2 for words
    of six letters or more; plurals included), or None. Words of two letters
    or fewer are never slips."""
    if len(word) <= 2:
        return None
    best: tuple[int, str] | None = None
    for candidate in known:
        if len(candidate) <= 2 or abs(len(candidate) - len(word)) > 2:
            continue
        allowed = 2 if len(candidate) >= 6 else 1
        d = distance(word, candidate)
        if 0 < d <= allowed and (best is None or d < best[0]):
            best = (d, candidate)
    return None if best is None else best[1]
