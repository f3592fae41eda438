"""Regions inside a user's own notes::

    <!-- vaultokr:begin objective -->
    …generated lines…
    <!-- vaultokr:end sha256:0123456789abcdef -->

Markers are HTML comments on lines of their own at the top level of the note,
as markdown-it-py sees them: a marker inside a code block, a list or a quote
is text. Only the lines between the markers (and the end marker, which
carries the checksum of those lines) are ever replaced; every other byte of
the note stays as it was.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from vaultokr.read import markdown
from vaultokr.read.frontmatter import split
from vaultokr.read.ownership import end_marker, region_edited, stored_checksum
from vaultokr.syntax.values import show_value

_MARKER = re.compile(r"^(\s{0,3})<!--\s*vaultokr:(begin|end)\b(.*?)-->\s*$")
REGION_HINT = "<!-- vaultokr:begin"


@dataclass
class Region:
    name: str
    params: dict[str, str]
    begin: int  # 0-based index of the begin marker line
    end: int  # 0-based index of the end marker line
    stored: str | None  # the checksum in the end marker
    content: str  # the lines between the markers, "\n"-joined, without "\r"
    indent: str = ""

    @property
    def line(self) -> int:
        return self.begin + 1

    @property
    def edited(self) -> bool:
        """Changed by hand since vaultokr wrote it."""
        return region_edited(self.stored, self.content)


@dataclass
class RegionProblem:
    line: int
    code: str
    message: str


@dataclass
class Scan:
    lines: list[str]  # the note's lines without their endings
    ends: list[str]  # each line's own ending: "\r\n", "\n", a lone "\r" or "" (the last)
    bom: bool
    regions: list[Region] = field(default_factory=list)
    problems: list[RegionProblem] = field(default_factory=list)


_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """The lines of ``text`` and their endings, on Markdown's line model (a
    lone CR is a line break, as for markdown-it and the front-matter split):
    ``"".join(l + e for l, e in zip(*split_lines(t))) == t``."""
    lines: list[str] = []
    ends: list[str] = []
    for m in _LINE.finditer(text):
        lines.append(m[1])
        ends.append(m[2])
        if not m[2]:
            break
    return lines, ends


def scan(text: str) -> Scan:
    """The regions of a note. Markers are found and later replaced on one line
    model, so a stray CR can never shift a region onto the user's lines."""
    bom = text.startswith("\ufeff")
    raw = text[1:] if bom else text
    lines, ends = split_lines(raw)
    result = Scan(lines, ends, bom)
    first = split(raw).body_line - 1
    body = "\n".join(lines[first:])
    open_region: tuple[int, str, dict[str, str], str] | None = None
    for index in _marker_lines(body, first):
        m = _MARKER.match(lines[index])
        if m is None:
            continue
        indent, kind, rest = m[1], m[2], m[3].strip()
        if kind == "begin":
            if open_region is not None:
                result.problems.append(RegionProblem(
                    index + 1, "region-nested",
                    f"a region begins inside the region begun on line {open_region[0] + 1}: "
                    "close that one with <!-- vaultokr:end --> first"))
                return result
            try:
                words = shlex.split(rest)
            except ValueError:
                words = []
            if not words:
                result.problems.append(RegionProblem(
                    index + 1, "region-marker",
                    "a region needs a name: write <!-- vaultokr:begin objective -->"))
                return result
            params = dict(w.split("=", 1) for w in words[1:] if "=" in w)
            open_region = (index, words[0], params, indent)
        else:
            if open_region is None:
                result.problems.append(RegionProblem(
                    index + 1, "region-unbalanced",
                    "<!-- vaultokr:end --> without a <!-- vaultokr:begin NAME --> before it"))
                return result
            begin, name, params, region_indent = open_region
            stored = stored_checksum(rest)
            content = "\n".join(lines[begin + 1 : index])
            result.regions.append(Region(name, params, begin, index, stored, content,
                                         region_indent))
            open_region = None
    if open_region is not None:
        result.problems.append(RegionProblem(
            open_region[0] + 1, "region-unbalanced",
            f"region {show_value(open_region[1])} is never closed: add <!-- vaultokr:end --> "
            "on a line of its own after it"))
    return result


def mask(body: str) -> str:
    """The body with the lines inside regions blanked (line numbers kept), so
    that what vaultokr wrote is never read back as measurements."""
    if REGION_HINT not in body:
        return body
    found = scan(body)
    if not found.regions:
        return body
    lines = list(found.lines)
    for region in found.regions:
        for i in range(region.begin + 1, region.end):
            lines[i] = ""
    return _join(lines, found.ends, found.bom)


def _marker_lines(body: str, first: int) -> list[int]:
    """Indexes of the lines that are marker comments at the top level."""
    if "vaultokr:" not in body:
        return []
    found = []
    for token in markdown.block_tokens(body):
        if token.type != "html_block" or token.level != 0 or not token.map:
            continue
        start, stop = token.map
        for offset, line in enumerate(token.content.split("\n")[: stop - start]):
            if _MARKER.match(line):
                found.append(first + start + offset)
    return found


def apply(result: Scan, contents: dict[int, str]) -> str:
    """The note with the regions whose begin index is in ``contents`` filled:
    the generated lines take the begin marker's line ending (LF for a lone
    CR), the end marker keeps its own, and no other line changes."""
    lines, ends = list(result.lines), list(result.ends)
    for region in sorted(result.regions, key=lambda r: r.begin, reverse=True):
        if region.begin not in contents:
            continue
        body = contents[region.begin].rstrip("\n")
        eol = ends[region.begin] if ends[region.begin] in ("\n", "\r\n") else "\n"
        new = body.split("\n") if body else []
        lines[region.begin + 1 : region.end + 1] = [*new, end_marker(region.indent, body)]
        ends[region.begin + 1 : region.end + 1] = [eol] * len(new) + [ends[region.end]]
    return _join(lines, ends, result.bom)


def _join(lines: list[str], ends: list[str], bom: bool) -> str:
    text = "".join(line + end for line, end in zip(lines, ends, strict=True))
    return ("\ufeff" + text) if bom else text
