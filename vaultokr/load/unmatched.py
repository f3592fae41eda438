"""Sources that match nothing (SPEC v3 §3; docs/format.md, "A source that
matches nothing"): a key result's ``field`` or ``tag`` that no dated note in
the vault has is a warning that names the closest field or tag the vault's
dated notes do have, never a silent 0.

One place, :meth:`Unmatched.check`, takes (key result, kind, name) for every
kind of source; a kind is a way to tell whether a dated note has the name
(``_MATCHERS``) and a way to list the names the vault has (``_NAMES``).

Cheap on purpose: a key result that has a measurement of its kind matched
something, and nothing more is read. Otherwise the dated notes the pre-checks
kept (every note whose text may mention a name in use, so every note that can
match) are looked at again; only when a name matches none of them are the
names of every dated note collected, once per kind, from their text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.sources.base import DatedNote, Reading
from vaultokr.load.sources.tasks import counted_by, task_notes
from vaultokr.model.okr import KeyResult
from vaultokr.read import markdown
from vaultokr.read.frontmatter import Split
from vaultokr.syntax import names as syntax

#: how alike a name the vault has must be to be named (difflib's ratio)
CUTOFF = 0.6


def check_sources(reading: Reading) -> None:
    """Every key result's ``field`` and ``tag`` that a source reads, in the
    order of their ids. (A name no source reads is not looked for: the
    pre-checks kept no note for it.)"""
    unmatched = Unmatched(reading)
    fields, tags, tasks = reading.by_field(), reading.by_tag(), reading.by_task()
    for kr_id in sorted(reading.model.key_results):
        kr = reading.model.key_results[kr_id]
        if kr.field and syntax.canonical_path(kr.field) in fields:
            unmatched.check(kr, "field", kr.field)
        if kr.tag and kr.tag.lower() in tags:
            unmatched.check(kr, "tag", kr.tag)
        if kr.task and kr.task.lower() in tasks:
            unmatched.check_task(kr)


@dataclass
class Unmatched:
    reading: Reading
    _names: dict[str, set[str]] = field(default_factory=dict)  # kind -> names, when needed
    _found: dict[tuple[str, str], bool] = field(default_factory=dict)  # (kind, name) -> matched

    def check(self, kr: KeyResult, kind: str, name: str) -> None:
        """A warning when no dated note in the vault has ``name`` as a ``kind``
        (``field``, ``tag``) of key result ``kr``."""
        if any(m.kind == kind for m in kr.measurements):
            return
        wanted = _wanted(kind, name)
        if not wanted:
            return
        if self.matched(kind, wanted):
            return
        close = self.closest(kind, wanted)
        props = self.reading.kr_props.get(kr.id)
        path = kr.path if props is None else props.path
        line = 1 if props is None else props.line(kind)
        self.reading.problems.warning(path, line, "source-matches-nothing",
                                      _message(kind, name, close))

    def check_task(self, kr: KeyResult) -> None:
        """A warning when no checked task in the vault, on any date, holds what
        ``task:`` asks for (a ``#tag`` names the closest tag the vault has)."""
        assert kr.task is not None
        if any(m.kind == MeasurementKind.TASK for m in kr.measurements):
            return
        needle = kr.task.lower()
        key = ("task", needle)
        if key not in self._found:
            wanted = {needle: [kr]}
            self._found[key] = any(
                task.done and any(True for _ in counted_by(task, wanted))
                for note in task_notes(self.reading, [needle]) for task in note.tasks())
        if self._found[key]:
            return
        close = self.closest("tag", needle.lstrip("#")) if needle.startswith("#") else None
        props = self.reading.kr_props.get(kr.id)
        path = kr.path if props is None else props.path
        line = 1 if props is None else props.line("task")
        said = (f"task: {kr.task} is on no checked task in the vault, so this key result "
                "counts nothing")
        message = (f"{said}: did you mean #{close}? Write task: \"#{close}\"" if close
                   else f"{said} yet: check the spelling, or check a task - [x] {kr.task}")
        self.reading.problems.warning(path, line, "source-matches-nothing", message)

    def matched(self, kind: str, wanted: str) -> bool:
        """Whether a dated note has the name (looked for once per name: many
        key results may read one field)."""
        key = (kind, wanted)
        if key not in self._found:
            matches = _MATCHERS[kind]
            self._found[key] = any(matches(note, wanted) for note in self.reading.dated_notes())
        return self._found[key]

    def closest(self, kind: str, wanted: str) -> str | None:
        """The name of this kind the vault's dated notes have that is most like
        ``wanted`` (difflib), if any is alike enough."""
        import difflib  # only once a name matched nothing

        if kind not in self._names:
            self._names[kind] = set(_NAMES[kind](self._texts()))
        known = sorted(self._names[kind] - {wanted})
        close = difflib.get_close_matches(wanted, known, n=1, cutoff=CUTOFF)
        return close[0] if close else None

    def _texts(self) -> Iterator[Split]:
        files = self.reading.files
        for note in files.typed:
            yield Split("", None, 1, note.body, note.body_line)
        for text in files.dated:
            yield text.parts


def _wanted(kind: str, name: str) -> str:
    """The name as the source compares it."""
    if kind == "field":
        return ".".join(syntax.canonical_path(name))
    return name.strip().lstrip("#").lower()


def _has_field(note: DatedNote, wanted: str) -> bool:
    path = tuple(wanted.split("."))
    if syntax.front_matter_values(note.meta, path):
        return True
    return (len(path) == 1 and note.needs_body
            and bool(markdown.inline_fields(note.parsed_body(), {wanted})))


def _has_tag(note: DatedNote, wanted: str) -> bool:
    tags = syntax.front_matter_tags(note.meta.get("tags"))
    if note.needs_body:
        tags += [tag for tag, _ in markdown.body_tags(note.parsed_body())]
    return any(syntax.tag_matches(tag, wanted) for tag in tags)


_TOP_KEY = re.compile(r"^([^\s#:\-\[{'\"][^:\n]*?)[ \t]*:(?=\s|$)", re.M)
_TAGS_LINE = re.compile(r"^tags[ \t]*:[ \t]*(.*)$((?:\n[ \t]+-.*)*)", re.M | re.I)


def _field_names(texts: Iterable[Split]) -> Iterator[str]:
    """Top-level front-matter names and inline field names, canonical."""
    for parts in texts:
        if parts.fm_text:
            for m in _TOP_KEY.finditer(parts.fm_text):
                yield syntax.canonical(m[1])
        for item in syntax.line_fields(parts.body):
            yield item.name


def _tag_names(texts: Iterable[Split]) -> Iterator[str]:
    """Tags in front-matter ``tags`` and ``#tags`` in bodies, with their parents."""
    for parts in texts:
        found = [tag for tag, _ in syntax.tags_in(parts.body)]
        if parts.fm_text:
            for m in _TAGS_LINE.finditer(parts.fm_text):
                items = [m[1].strip("[] \t")]
                items += [line.strip().lstrip("-") for line in m[2].split("\n")]
                text = " ".join(items).replace("\"", " ").replace("'", " ")
                found += syntax.front_matter_tags(text)
        for tag in found:
            parts_of = tag.split("/")
            for i in range(1, len(parts_of) + 1):
                yield "/".join(parts_of[:i])


_MATCHERS: dict[str, Callable[[DatedNote, str], bool]] = {
    MeasurementKind.FIELD: _has_field, MeasurementKind.TAG: _has_tag}
_NAMES: dict[str, Callable[[Iterable[Split]], Iterator[str]]] = {
    MeasurementKind.FIELD: _field_names, MeasurementKind.TAG: _tag_names}


def _message(kind: str, name: str, close: str | None) -> str:
    if kind == "tag":
        said = f"tag: {name} is on no dated note in the vault, so this key result counts nothing"
        fix = f"tag a daily note #{name.lstrip('#')}"
    else:
        said = (f"{kind}: {name} matches no dated note in the vault, so this key result reads "
                "nothing from it")
        fix = f"write {name}:: VALUE in a daily note"
    if close is not None:
        return f"{said}: did you mean {close}? Write {kind}: {close}"
    return f"{said} yet: check the spelling, or {fix}"
