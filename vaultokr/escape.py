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


def one_line(value: Any) -> Any:
    """``value`` with every string in it (in lists and dicts too) on one line:
    breaks become a space, ``<!--`` becomes ``&lt;!--`` (Markdown shows the
    same characters) and fence runs are backslash-escaped."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return {key: one_line(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(one_line(item) for item in value)
    return value


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
