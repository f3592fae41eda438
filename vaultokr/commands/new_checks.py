"""What ``vaultokr new`` checks against the vault before it writes: each
note it links to exists and has the right role (the link is written with the
name the note's file has, so it resolves even when the title had characters
a file name cannot hold), dates are in order, and no note of the same name
exists anywhere in the vault (a link by name must find one note)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from typing import TYPE_CHECKING

from vaultokr.commands.authoring import safe_name
from vaultokr.core.errors import UsageError
from vaultokr.load.sources.base import note_headings
from vaultokr.read.links import parse_link
from vaultokr.run.pipeline import Pipeline
from vaultokr.syntax.values import ValueProblem, parse_date

if TYPE_CHECKING:
    from pathlib import Path

    from vaultokr.compute.analysis import Analysis

@dataclasses.dataclass
class NewNote:
    kind: str
    title: str
    folder: str | None = None
    period: str | None = None
    start: str | None = None
    due: str | None = None
    end: str | None = None
    ambition: tuple[str, ...] = ()
    objective: str | None = None
    parent: str | None = None
    commitment: str | None = None
    weight: float | None = None
    baseline: str | None = None
    target: str | None = None
    change: str | None = None
    growth: str | None = None
    measure: str | None = None
    unit: str | None = None
    metric: str | None = None
    field: tuple[str, ...] = ()
    note: str | None = None
    tag: str | None = None
    count_if: str | None = None
    task: str | None = None
    keep: str | None = None
    key_results: tuple[str, ...] = ()
    hypothesis: str | None = None


ROLE_WORDS = {"ambition": "an ambition", "objective": "an objective",
              "key-result": "a key result", "initiative": "an initiative",
              "check-in": "a check-in"}


@dataclasses.dataclass
class Checked:
    spec: NewNote
    folder: str  # notes.folder of the vault's settings
    beside: str | None = None  # a key result's default folder: its objective's


def check_against_vault(root: Path, spec: NewNote, today: dt.date) -> Checked:
    """``spec`` with its links named as the vault names the notes, or a
    UsageError that says what to write instead."""
    if spec.kind == "initiative" and not spec.start:
        spec = dataclasses.replace(spec, start=today.isoformat())
    _dates_in_order(spec)
    pipeline = Pipeline.open(root)
    analysis = pipeline.analyse(today)
    vault = _Vault(analysis)
    vault.no_other_note_named(safe_name(spec.title))
    changes: dict[str, object] = {}
    beside = None
    if spec.objective:
        changes["objective"] = vault.name_of(spec.objective, "objective", "--objective")
        beside = vault.id_of(spec.objective, "objective", "--objective").rpartition("/")[0]
    if spec.parent:
        changes["parent"] = vault.name_of(spec.parent, "objective", "--parent")
    if spec.ambition:
        changes["ambition"] = tuple(vault.name_of(a, "ambition", "--ambition")
                                    for a in spec.ambition)
    if spec.note:
        changes["note"] = vault.note_link(spec.note)
    if spec.key_results:
        changes["key_results"] = tuple(vault.name_of(k, "key-result", "--key-result")
                                       for k in spec.key_results)
    return Checked(dataclasses.replace(spec, **changes),  # type: ignore[arg-type]
                   pipeline.config.notes_folder, beside if spec.kind == "kr" else None)


def _dates_in_order(spec: NewNote) -> None:
    try:
        start = parse_date(spec.start) if spec.start else None
        for key in ("due", "end"):
            value = getattr(spec, key)
            if start is not None and value and parse_date(value) < start:
                raise UsageError(f"--{key} {value} is before --start {spec.start}",
                                 hint=f"give a --{key} on or after the start")
    except ValueProblem as exc:
        raise UsageError(str(exc)) from None


class _Vault:
    def __init__(self, analysis: Analysis) -> None:
        files = analysis.files
        self.root = files.root
        self.index = files.link_index()
        self.ids = files.ids
        self.roles = {n.id: n.role for n in files.typed}
        self.titles = {n.id: str(n.meta.get("title", "")).strip().lower() for n in files.typed}

    def no_other_note_named(self, name: str) -> None:
        same = [i for i in self.ids if i.rsplit("/", 1)[-1].lower() == name.lower()]
        if same:
            raise UsageError(f"a note named {name!r} exists already: {same[0]}.md",
                             hint="choose another title: a link by name must find one note")

    def note_link(self, given: str) -> str:
        """``--note``: the name (and heading) to link to a note of any role,
        as ``check`` reads it: one note, and a heading it has."""
        name, _, heading = given.strip().strip("[]").split("|", 1)[0].partition("#")
        found = self._find(name)
        if not found:
            raise UsageError(f"--note {given!r}: no note of that name in the vault",
                             hint="give the name of the note whose property, tags or tasks "
                             "the key result reads")
        if len(found) > 1:
            raise UsageError(f"--note {given!r} names {len(found)} notes: "
                             + ", ".join(f"{i}.md" for i in found),
                             hint=f"write the path of the one you mean, e.g. --note "
                             f"\"{found[0]}\"")
        note_id = found[0]
        unique = sum(1 for i in self.ids
                     if i.rsplit("/", 1)[-1].lower() == note_id.rsplit("/", 1)[-1].lower()) == 1
        target = note_id.rsplit("/", 1)[-1] if unique else note_id
        heading = heading.strip()
        if not heading:
            return target
        headings = note_headings(self.root / f"{note_id}.md")
        match = next((h for h in headings if h.lower() == heading.lower()), None)
        if match is None:
            shown = ", ".join(repr(h) for h in headings) or "none"
            raise UsageError(f"--note {given!r}: {note_id}.md has no heading {heading!r}",
                             hint=f"give one of its headings ({shown}), or the note alone")
        return f"{target}#{match}"

    def name_of(self, given: str, role: str, option: str) -> str:
        """The name to link to the note ``given`` names (its file name, or its
        path when the name is not unique)."""
        note_id = self.id_of(given, role, option)
        name = note_id.rsplit("/", 1)[-1]
        unique = sum(1 for i in self.ids if i.rsplit("/", 1)[-1].lower() == name.lower()) == 1
        return name if unique else note_id

    def id_of(self, given: str, role: str, option: str) -> str:
        """The id of the one note of ``role`` that ``given`` names."""
        found = self._find(given)
        right = [i for i in found if self.roles.get(i) == role]
        if not right and found:
            what = ROLE_WORDS.get(self.roles.get(found[0]) or "", "an ordinary note")
            raise UsageError(f"{option} {given!r} is {what} ({found[0]}.md), not "
                             f"{ROLE_WORDS[role]}", hint=self._suggest(given, role, exists=True))
        if not right:
            raise UsageError(f"{option} {given!r}: no note of that name in the vault",
                             hint=self._suggest(given, role))
        if len(right) > 1:
            raise UsageError(f"{option} {given!r} names {len(right)} notes: "
                             + ", ".join(f"{i}.md" for i in right),
                             hint=f"write the path of the one you mean, e.g. {option} "
                             f"\"{right[0]}\"")
        return right[0]

    def _find(self, given: str) -> list[str]:
        link = parse_link(given) or parse_link(f"[[{given.strip()}]]")
        if link is not None and link.target:
            resolved = self.index.resolve(link)
            if resolved.id is not None:
                return [resolved.id]
        wanted = {given.strip().lower(), safe_name(given).lower()}
        by_title = [i for i, t in self.titles.items() if t and t in wanted]
        by_name = [i for i in self.ids if i.rsplit("/", 1)[-1].lower() in wanted]
        return sorted(set(by_title) | set(by_name))

    def _suggest(self, given: str, role: str, exists: bool = False) -> str:
        names = {i.rsplit("/", 1)[-1]: i for i, r in self.roles.items() if r == role}
        close = difflib.get_close_matches(given, list(names), n=3, cutoff=0.5)
        if close:
            return "did you mean " + " or ".join(repr(c) for c in close) + "?"
        kind = {"key-result": "kr"}.get(role, role)
        if exists:
            return f"give the name of {ROLE_WORDS[role]} (vaultokr status lists them)"
        return f"write it first: vaultokr new {kind} \"{given}\""
