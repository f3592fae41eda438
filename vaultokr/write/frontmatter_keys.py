"""Set or remove a note's computed front-matter keys, and nothing else.

Each key is a top-level key of the front-matter. Where the note already has
it (wherever Obsidian's property editor or a hand put it), its line is
replaced, together with the lines that belong to its value (a block list,
a value continued on indented lines); written twice, the later copies go.
A missing key is added after the last front-matter line. Every other byte
(key order, quoting, comments, line endings, a BOM, list style) stays. The
result is checked by parsing it: a note whose front-matter would not read
back with the values written is refused, never written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_OPEN = re.compile(r"^---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)")
_TOP_KEY = re.compile(
    r"""^(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"\-?:][^:\n]*?))[ \t]*:(?:[ \t]|\r?\n|$)""")
_CONTINUES = re.compile(r"^(?:[ \t]|-(?:[ \t]|\r?\n|$))")
_BLANK = re.compile(r"^[ \t]*\r?\n$")


class KeysRefused(ValueError):
    """The note cannot take the keys: it has no front-matter, or its
    front-matter does not read; the message says which."""


@dataclass(frozen=True)
class _FrontMatter:
    lines: list[str]  # the whole note, in lines with their endings
    first: int  # index of the first front-matter line (after the opening ---)
    close: int  # index of the closing line
    eol: str


def set_keys(text: str, values: dict[str, str], managed: list[str]) -> str:
    """``text`` with each key of ``values`` set to its YAML text (empty: no
    value) and each other key of ``managed`` removed."""
    fm = _front_matter(text)
    lines = fm.lines
    spans = _key_spans(lines, fm.first, fm.close, set(managed))
    out: list[str] = lines[: fm.first]
    placed: set[str] = set()
    i = fm.first
    while i < fm.close:
        found = spans.get(i)
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        key, end = found
        if key in values and key not in placed:
            out.append(_line(key, values[key], _ending(lines[end - 1], fm.eol)))
            placed.add(key)
        i = end
    closing_eol = fm.eol
    if out and not out[-1].endswith("\n"):  # a last value line without an ending
        out[-1] += fm.eol
    for key in managed:
        if key in values and key not in placed:
            out.append(_line(key, values[key], closing_eol))
    out.extend(lines[fm.close:])
    new = "".join(out)
    _check(new, values)
    return new


def has_any(text: str, managed: list[str]) -> bool:
    """Whether the note's front-matter holds one of the keys."""
    try:
        fm = _front_matter(text)
    except KeysRefused:
        return False
    return bool(_key_spans(fm.lines, fm.first, fm.close, set(managed)))


def _front_matter(text: str) -> _FrontMatter:
    lines = re.split(r"(?<=\n)", text)
    if lines and lines[-1] == "":
        lines.pop()
    start = 1 if text.startswith("\ufeff") else 0
    if not lines or not _OPEN.match(lines[0][start:]):
        raise KeysRefused("the note has no front-matter (a first line ---)")
    for i in range(1, len(lines)):
        if _CLOSE.match(lines[i]):
            eol = "\r\n" if lines[0].endswith("\r\n") else "\n"
            fm = _FrontMatter(lines, 1, i, eol)
            _parse("".join(lines[1:i]))
            return fm
    raise KeysRefused("the note's front-matter has no closing --- line")


def _key_spans(lines: list[str], first: int, close: int,
               wanted: set[str]) -> dict[int, tuple[str, int]]:
    """For each line where a key of ``wanted`` starts: the key and the
    index after the last line of its value."""
    spans: dict[int, tuple[str, int]] = {}
    i = first
    while i < close:
        m = _TOP_KEY.match(lines[i])
        key = None if m is None else next(g for g in m.groups() if g is not None).strip()
        end = i + 1
        while end < close and _belongs(lines, end, close):
            end += 1
        if key in wanted:
            spans[i] = (key, end)
        i = end
    return spans


def _belongs(lines: list[str], i: int, close: int) -> bool:
    """Whether line ``i`` continues the value above: indented, a block list
    item at the margin, or blank lines followed by one of those."""
    if _CONTINUES.match(lines[i]):
        return True
    j = i
    while j < close and _BLANK.match(lines[j]):
        j += 1
    return j > i and j < close and bool(_CONTINUES.match(lines[j]))


def _line(key: str, value: str, eol: str) -> str:
    return f"{key}: {value}{eol}" if value else f"{key}:{eol}"


def _ending(line: str, default: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    return "\n" if line.endswith("\n") else default


def _parse(fm_text: str) -> object:
    try:
        data = yaml.load(fm_text.replace("\r\n", "\n"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise KeysRefused(f"the note's front-matter does not read as YAML ({_first_line(exc)})"
                          ) from None
    if data is not None and not isinstance(data, dict):
        raise KeysRefused("the note's front-matter is not a list of properties")
    return data


def _check(new: str, values: dict[str, str]) -> None:
    """The keys read back as written (else the note is refused)."""
    fm = _front_matter(new)
    data = _parse("".join(fm.lines[fm.first:fm.close])) or {}
    assert isinstance(data, dict)
    for key, text in values.items():
        expected = _parse(f"{key}: {text}\n") if text else {key: None}
        assert isinstance(expected, dict)
        if key not in data or data[key] != expected[key]:
            raise KeysRefused(f"the front-matter would not read {key} back as written")


def _first_line(exc: Exception) -> str:
    return str(exc).split("\n", 1)[0]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
