"""The limits that keep hostile or unlucky input from crashing or hanging
vaultokr (docs/safety.md, "Limits"). Each limit hit is a problem naming the
file and line, never a crash.

- nesting of YAML front-matter, ``vaultokr.toml`` and ``.obsidian/*.json``
  is checked by a cheap scan *before* parsing: libyaml composes nested
  collections recursively in C, and 100,000 nested ``[`` overflow its stack
  (SIGSEGV), which no ``except`` can catch;
- a regular expression of ``userIgnoreFilters`` that can backtrack
  catastrophically (a repeated group holding a repeat, ``(a+)+``) is refused.
"""

from __future__ import annotations

import re

#: deepest nesting of lists/mappings in front-matter, vaultokr.toml and JSON
MAX_NESTING = 50
#: the largest number a note may hold (a measurement, a target, a weight)
MAX_MAGNITUDE = 1e15
#: digits of an integer read as a number (more is "too large", not an int)
MAX_NUMBER_DIGITS = 40
#: the years a date or a period may lie in (date arithmetic stays far from
#: Python's 0001..9999 range, and growth compounds over a bounded span)
MIN_YEAR = 1900
MAX_YEAR = 2999
#: the longest path an ignore-filter regular expression is matched against
MAX_FILTER_SUBJECT = 1024

#: problems ``build`` prints although they are in notes or settings (it prints
#: only a count of the others): a setting ignored, or a limit hit
SHOWN_BY_BUILD = frozenset({"config-invalid", "obsidian-settings", "yaml-too-complex",
                            "note-too-large"})

_OPEN = {"[": "]", "{": "}"}
_CLOSE = {"]", "}"}
_QUOTE_AFTER = set(" \t[{,:")


def too_deep(text: str, limit: int = MAX_NESTING) -> int | None:
    """The 1-based line where ``text`` nests deeper than ``limit`` (flow
    brackets outside quotes, plus ``- `` block items opened on one line), or
    None. Brackets inside quoted strings do not count; a quote closes at the
    end of its line at the latest (so a long quoted text can only make the
    count smaller, never hide brackets that nest)."""
    if sum(map(text.count, "[{-?")) <= limit:
        return None  # every level is one of these characters: too few to go deeper
    return deepest_line(text, limit)


def deepest_line(text: str, limit: int = MAX_NESTING) -> int | None:
    """:func:`too_deep` without its shortcut: the scan, character by character."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" \t")
        dashes = 0
        while stripped.startswith(("- ", "? ")) or stripped in ("-", "?"):
            dashes += 1
            stripped = stripped[2:].lstrip(" \t")
        if dashes + depth > limit:
            return number
        quote = ""
        previous = " "
        skip = False
        for char in line:
            if quote:
                if skip:
                    skip = False
                elif quote == '"' and char == "\\":
                    skip = True
                elif char == quote:
                    quote = ""
            elif char in "\"'" and previous in _QUOTE_AFTER:
                quote = char
            elif char == "#" and previous in " \t":
                break  # a comment
            elif char in _OPEN:
                depth += 1
                if depth + dashes > limit:
                    return number
            elif char in _CLOSE:
                depth = max(0, depth - 1)
            previous = char
    return None


def catastrophic(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack catastrophically (a repeated part that
    holds another repeat or a choice, as in ``(a+)+`` or ``(a|a)*``), or None.
    Python's ``re`` has no timeout, so such a pattern is refused instead."""
    try:
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - CPython < 3.11
        import sre_parse as parser
    try:
        parsed = parser.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None  # not valid: compiling it reports that
    return _nested_repeat(list(parsed), inside=False)


_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def _nested_repeat(items: list[tuple[object, object]], inside: bool) -> str | None:
    for op, arg in items:
        name = str(op)
        if name in _REPEATS and isinstance(arg, tuple):
            _low, high, body = arg
            unbounded = high != 0 and (not isinstance(high, int) or high > 1)
            if inside and unbounded:
                return "a repeat inside a repeat"
            repeats = unbounded and name != "POSSESSIVE_REPEAT"
            found = _nested_repeat(list(body), inside or repeats)
            if found:
                return found
        elif name == "BRANCH" and isinstance(arg, tuple):
            if inside and len(arg[1]) > 1:
                return "a choice inside a repeat"
            for branch in arg[1]:
                found = _nested_repeat(list(branch), inside)
                if found:
                    return found
        elif name == "SUBPATTERN" and isinstance(arg, tuple):
            found = _nested_repeat(list(arg[-1]), inside)
            if found:
                return found
        elif name in ("ASSERT", "ASSERT_NOT") and isinstance(arg, tuple):
            found = _nested_repeat(list(arg[1]), inside)
            if found:
                return found
        elif name == "GROUPREF" and inside:
            return "a back-reference inside a repeat"
    return None
