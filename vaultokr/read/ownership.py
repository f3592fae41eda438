"""What vaultokr owns in a vault, and whether it was edited by hand since.

A generated note carries ``vaultokr: generated`` and ``vaultokr_checksum:
sha256:…`` in its front-matter; a region in a user's note carries the
checksum of its lines in its end marker, ``<!-- vaultokr:end sha256:… -->``.
The checksum covers what vaultokr wrote, so a mismatch means a hand edit.
Everything that writes, reads or compares these stamps does it here.
"""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from vaultokr.read.frontmatter import split

GENERATED_KEY = "vaultokr"
GENERATED_VALUE = "generated"
GENERATED_LINE = f"{GENERATED_KEY}: {GENERATED_VALUE}"
CHECKSUM_KEY = "vaultokr_checksum"
_CHECKSUM_LEN = 16
_CHECKSUM_LINE = re.compile(rf"^{CHECKSUM_KEY}:[ \t]*(\S*)[ \t]*\n", re.M)
_GENERATED = re.compile(rf"^{GENERATED_KEY}\s*:\s*{GENERATED_VALUE}\s*$", re.M)
_SUM = re.compile(r"^sha256:[0-9a-f]+$")

Owner = Literal["ours", "edited", "foreign"]


def checksum(text: str) -> str:
    """A short content hash, independent of line endings and a BOM."""
    normal = text.lstrip("\ufeff").replace("\r\n", "\n")
    return "sha256:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()[:_CHECKSUM_LEN]


# ------------------------------------------------------- generated notes
def is_generated_value(value: str) -> bool:
    """Whether the value of the ``vaultokr`` property marks a generated note."""
    return value.strip() == GENERATED_VALUE


def stamp_note(text: str) -> str:
    """The rendered note with ``vaultokr: generated`` and its checksum in the
    front-matter. The checksum covers the whole note without its own line."""
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        text = f"---\n{GENERATED_LINE}\n---\n" + text
    else:
        parts = split(text)
        if parts.fm_text is None or not _GENERATED.search(parts.fm_text):
            text = f"---\n{GENERATED_LINE}\n" + text[4:]
    text = _CHECKSUM_LINE.sub("", text, count=1)
    stamp = checksum(text)
    m = _GENERATED.search(text)
    assert m is not None
    return text[: m.end() + 1] + f"{CHECKSUM_KEY}: {stamp}\n" + text[m.end() + 1 :]


def note_owner(data: bytes) -> Owner:
    """``ours`` (a generated note as vaultokr wrote it), ``edited`` (generated,
    changed by hand since), or ``foreign`` (not vaultokr's)."""
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return "foreign"
    parts = split(text)
    if parts.fm_text is None or not _GENERATED.search(parts.fm_text):
        return "foreign"
    m = _CHECKSUM_LINE.search(parts.fm_text)
    if m is None:
        return "edited"
    without = _CHECKSUM_LINE.sub("", text, count=1)
    return "ours" if checksum(without) == m[1] else "edited"


# ---------------------------------------------------------------- regions
def end_marker(indent: str, content: str) -> str:
    """The end marker of a region holding ``content``."""
    return f"{indent}<!-- vaultokr:end {checksum(content)} -->"


def stored_checksum(rest: str) -> str | None:
    """The checksum written after ``vaultokr:end``, or None (a marker the user
    wrote, with no checksum yet)."""
    return rest if _SUM.match(rest) else None


def region_edited(stored: str | None, content: str) -> bool:
    """Whether a region's lines changed by hand since vaultokr wrote them."""
    return stored is not None and stored != checksum(content)


# ------------------------------------------------- generated YAML files
_YAML_STAMP = re.compile(rf"^# {GENERATED_KEY}: {GENERATED_VALUE} (sha256:[0-9a-f]+)[^\n]*\n")


def stamp_yaml(text: str) -> str:
    """A generated YAML file (a ``.base``) with its first line a comment
    holding the checksum of the rest."""
    text = text.replace("\r\n", "\n")
    return (f"# {GENERATED_KEY}: {GENERATED_VALUE} {checksum(text)} "
            "(written by vaultokr build; edit it and it is kept as yours)\n" + text)


def yaml_owner(data: bytes) -> Owner:
    """``ours``, ``edited`` or ``foreign``, as :func:`note_owner`, for a
    file stamped by :func:`stamp_yaml`."""
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return "foreign"
    m = _YAML_STAMP.match(text)
    if m is None:
        return "foreign"
    return "ours" if checksum(text[m.end():]) == m[1] else "edited"
