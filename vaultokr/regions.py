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

from vaultokr import markdown
from vaultokr.notes import split
from vaultokr.ownership import end_marker, region_edited, stored_checksum

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
    lines: list[str]  # the note split on "\n" (a "\r" stays at the end of its line)
    bom: bool
    regions: list[Region] = field(default_factory=list)
    problems: list[RegionProblem] = field(default_factory=list)


def scan(text: str) -> Scan:
    bom = text.startswith("\ufeff")
    raw = text[1:] if bom else text
    lines = raw.split("\n")
    result = Scan(lines, bom)
    parts = split(raw)
    first = parts.body_line - 1
    body = "\n".join(line.rstrip("\r") for line in lines[first:])
    open_region: tuple[int, str, dict[str, str], str] | None = None
    for index in _marker_lines(body, first):
        m = _MARKER.match(lines[index].rstrip("\r"))
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
            content = "\n".join(line.rstrip("\r") for line in lines[begin + 1 : index])
            result.regions.append(Region(name, params, begin, index, stored, content,
                                         region_indent))
            open_region = None
    if open_region is not None:
        result.problems.append(RegionProblem(
            open_region[0] + 1, "region-unbalanced",
            f"region {open_region[1]!r} is never closed: add <!-- vaultokr:end --> on a line "
            "of its own after it"))
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
    return "\n".join(lines)


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
    """The note with the regions whose begin index is in ``contents`` filled."""
    lines = list(result.lines)
    for region in sorted(result.regions, key=lambda r: r.begin, reverse=True):
        if region.begin not in contents:
            continue
        body = contents[region.begin].rstrip("\n")
        cr = "\r" if lines[region.begin].endswith("\r") else ""
        new = [line + cr for line in body.split("\n")] if body else []
        end = end_marker(region.indent, body) + cr
        lines[region.begin + 1 : region.end + 1] = [*new, end]
    text = "\n".join(lines)
    return ("\ufeff" + text) if result.bom else text
