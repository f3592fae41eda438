"""Text from notes, made safe for the place vaultokr writes it.

Everything a template receives comes from notes the user wrote (titles,
comments, tags, names). Written into a region or a review, such text must
stay on its line and must not read as vaultokr's own syntax: no line break
(LF, CR, or Unicode's separators), no region marker, no code-fence opener;
and it must be UTF-8 (a file name may hold any byte).
The context of every template goes through :func:`one_line` first.
"""

from __future__ import annotations

import re
from typing import Any

_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_COMMENT = "<!--"
_FENCE = re.compile(r"(`{3,}|~{3,})")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: a string without any of these is its own escape (the common case: one search)
_ATTENTION = re.compile(r"[\ud800-\udfff\r\n\v\f\x1c-\x1e\x85\u2028\u2029]|<!--|``|~~")
_PLAIN = frozenset({int, float, bool})


class Escaped(dict[str, Any]):
    """A mapping whose strings are already on one line (made by :func:`escaped`
    or built from text that cannot hold a break, a marker or a fence: dates,
    numbers): :func:`one_line` hands it on as it is, without walking it again.
    Nothing may be put into one after it is made."""


class EscapedList(list[Any]):
    """A list whose strings are already on one line (see :class:`Escaped`)."""


def one_line(value: Any, known: dict[int, Any] | None = None) -> Any:
    """``value`` with every string in it (in lists and dicts too) on one line:
    breaks become a space, ``<!--`` becomes ``&lt;!--`` (Markdown shows the
    same characters) and fence runs are backslash-escaped. A list or mapping
    that appears several times in ``value`` is escaped once (the copies are
    one object: templates cannot change what they are given). ``known``: the
    escaped copies of lists and mappings in ``value`` made before, by id of
    the original (alive, and unchanged since)."""
    return _walk(value, dict(known) if known else {})


def escaped(value: dict[str, Any], known: dict[int, Any] | None = None) -> Escaped:
    """A mapping escaped now, once, for every context it will be part of
    (``known``: as for :func:`one_line`)."""
    return Escaped(one_line(value, known))


def _walk(value: Any, seen: dict[int, Any]) -> Any:
    kind = type(value)
    if kind is str:
        return _text(value) if _ATTENTION.search(value) else value
    if kind is Escaped or kind is EscapedList or value is None or kind in _PLAIN:
        return value
    if kind is dict or kind is list or kind is tuple:
        done = seen.get(id(value))
        if done is not None:
            return done
        if kind is dict:
            done = {key: _leaf(item, seen) for key, item in value.items()}
        else:
            done = kind(_leaf(item, seen) for item in value)
        seen[id(value)] = done
        return done
    if isinstance(value, str):  # an enum's value, a subclass of str
        return _text(value)
    if isinstance(value, dict):
        return {key: _walk(item, seen) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_walk(item, seen) for item in value)
    return value


def _leaf(value: Any, seen: dict[int, Any]) -> Any:
    """:func:`_walk` for an item of a list or mapping, numbers and plain
    strings done here (most items are)."""
    kind = type(value)
    if kind is str:
        return _text(value) if _ATTENTION.search(value) else value
    if value is None or kind in _PLAIN:
        return value
    return _walk(value, seen)


def printable(text: str) -> str:
    """``text`` as UTF-8 can hold it: a non-UTF-8 byte of a file name (kept
    by Python as a lone surrogate) is shown as U+FFFD."""
    if _SURROGATE.search(text):
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def _text(text: str) -> str:
    text = printable(text)
    if _BREAKS.search(text):
        text = _BREAKS.sub(" ", text)
    if _COMMENT in text:
        text = text.replace(_COMMENT, "&lt;!--")
    if "``" in text or "~~" in text:
        text = _FENCE.sub(lambda m: "".join("\\" + c for c in m[1]), text)
    return text
