"""From parsed notes to the OKR model: roles, properties, links, measurements.

Every property is checked as it is read; a broken one becomes a problem with
the line it is on, and only the broken piece (a note, a key result, a
measurement) is left out.  Properties are read by ``vaultokr.load.property_reader``, links by
``vaultokr.load.resolve``, key results by ``vaultokr.load.keyresults``, measurements by
the sources of ``vaultokr.load.sources``; the SMART checks
(``vaultokr.compute.smart``) run on the model in the analysis step.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from typing import Any

from vaultokr.config.vault_config import Config
from vaultokr.core.errors import Problems
from vaultokr.core.vocab import INITIATIVE_DECLARED, Commitment, Declared
from vaultokr.load.keyresults import KeyResultReader
from vaultokr.load.property_reader import PropertyReader, Props
from vaultokr.load.resolve import Linker
from vaultokr.load.sources import SOURCES, Reading
from vaultokr.load.sources.base import in_window
from vaultokr.load.unmatched import check_sources
from vaultokr.model.okr import Ambition, Initiative, KeyResult, Measurement, Model, Objective
from vaultokr.model.properties import BY_NAME
from vaultokr.read.entries import Note, VaultFiles
from vaultokr.read.frontmatter import Pos, fold_keys
from vaultokr.read.ownership import GENERATED_KEY
from vaultokr.syntax.names import canonical, near_miss
from vaultokr.syntax.values import show_value


def _previous(reading: Reading) -> None:
    """``previous:``: the key result of an earlier period each one continues."""
    for kr_id, props in reading.kr_props.items():
        if props.has("previous"):
            found = reading.linker.resolve(props.path, props.line("previous"), "previous",
                                           props.get("previous"), ("key-result",))
            if found is not None and found != kr_id and found in reading.model.key_results:
                reading.model.key_results[kr_id].previous = found


def load_model(files: VaultFiles, problems: Problems) -> Model:
    model = Model()
    roles = {note.id: note.role or "" for note in files.typed}
    linker = Linker(files.link_index(), problems, model, roles, files.broken)
    read = PropertyReader(problems)
    reading = Reading(files, model, problems, read, linker)
    by_role: dict[str, list[Note]] = defaultdict(list)
    for note in files.typed:
        by_role[note.role or ""].append(note)
        unknown_properties(note, files.config, problems)
    config = files.config
    notes = _Notes(reading, KeyResultReader(read, problems, config.created_key.lower(),
                                            config.warn_v1_flows))
    for note in by_role["ambition"]:
        title = read.title(Props(note.path, note.meta, note.pos), note.name)
        model.ambitions[note.id] = Ambition(note.id, title, note.path)
    for note in by_role["objective"]:
        notes.objective(note)
    for note in by_role["key-result"]:
        notes.kr_note(note)
    for note in by_role["initiative"]:
        notes.initiative(note)
    _previous(reading)
    for source in SOURCES:
        source(reading)
    check_sources(reading)
    _windows(model, problems)
    return model


class _Notes:
    """Objectives (with their inline key results), key result notes, initiatives."""

    def __init__(self, reading: Reading, krs: KeyResultReader) -> None:
        self.reading = reading
        self.model = reading.model
        self.problems = reading.problems
        self.read = reading.read
        self.linker = reading.linker
        self.krs = krs
        self.type_key = reading.files.config.type_key.lower()  # property names are lowercase

    def objective(self, note: Note) -> None:
        read, props = self.read, Props(note.path, note.meta, note.pos)
        label, start, due = read.dates(props)
        created = self.krs.created(props)
        if start is None and due is not None and created is not None and created <= due:
            start = created  # "by the end of 2026", written on the created date (SPEC v2)
        obj = Objective(
            id=note.id,
            title=read.title(props, note.name),
            path=note.path,
            period=label,
            start=start,
            due=due,
            status=read.choice(props, "status", Declared.ACTIVE),
            commitment=read.choice(props, "commitment", Commitment.ASPIRATIONAL),
            weight=read.weight(props),
            line=props.line(self.type_key),
            created=created,
        )
        self.model.objectives[obj.id] = obj
        obj.ambitions = self.linker.links_in(props, "ambition", ("ambition",))
        obj.ambitions += [a for a in self.linker.links_in(props, "ambitions", ("ambition",))
                          if a not in obj.ambitions]
        parents = self.linker.links_in(props, "parent", ("objective",))
        obj.parent = parents[0] if parents else None
        inline = props.get("key_results")
        if inline is None:
            return
        if not isinstance(inline, list):
            self.problems.error(
                note.path, props.line("key_results"), "bad-key_results",
                "key_results must be a list of key results, each with an id, e.g.\n"
                "  key_results:\n    - id: talks\n      target: 6",
            )
            return
        seen: dict[str, int] = {}
        for i, written in enumerate(inline):
            line = props.line("key_results", i)
            item, item_pos = self._folded(note, written, props.pos.at("key_results", i))
            if not isinstance(item, dict) or not str(item.get("id") or "").strip():
                self.problems.error(
                    note.path, line, "inline-kr-id",
                    "an inline key result needs an id, e.g. - id: talks; this one is skipped",
                )
                continue
            kr_key = str(item["id"]).strip()
            if kr_key.lower() in seen:
                self.problems.error(
                    note.path, line, "duplicate-id",
                    f"inline key result id {show_value(kr_key)} is already used on line "
                    f"{seen[kr_key.lower()]}: give each key result its own id; this one is skipped",
                )
                continue
            seen[kr_key.lower()] = line
            sub = Props(note.path, item, item_pos)
            self._add_kr(sub, f"{note.id}#{kr_key}", kr_key, obj, sub.line("id"), None)

    def _folded(self, note: Note, item: Any, pos: Pos) -> tuple[Any, Pos]:
        """An inline key result's names in lowercase, as a note's are."""
        if not isinstance(item, dict):
            return item, pos
        item, pos, respelt = fold_keys({str(k): v for k, v in item.items()}, pos)
        for twice in respelt:
            self.problems.warning(note.path, twice.line, "property-two-spellings",
                                  twice.message())
        return item, pos

    def kr_note(self, note: Note) -> None:
        props = Props(note.path, note.meta, note.pos)
        if not props.has("objective"):
            self.problems.error(
                note.path, props.line(self.type_key), "kr-no-objective",
                "a key result note needs its objective: write objective: \"[[Objective note]]\"",
            )
            return
        objective_id = self.linker.resolve(note.path, props.line("objective"), "objective",
                                           props.get("objective"), ("objective",))
        if objective_id is None or objective_id not in self.model.objectives:
            return
        self._add_kr(props, note.id, note.name, self.model.objectives[objective_id],
                     props.line(self.type_key), note)

    def _add_kr(self, props: Props, kr_id: str, name: str, obj: Objective, line: int,
                note: Note | None) -> None:
        kr = self.krs.key_result(props, kr_id, name, obj, line, inline=note is None)
        if kr is None:
            return
        if props.has("note"):
            found = self.linker.resolve_note(props.path, props.line("note"), "note",
                                             props.get("note"))
            kr.note, kr.note_heading = found if found is not None else ("", None)
            kr.note_heading = kr.note_heading or None
        self.model.key_results[kr.id] = kr
        obj.key_results.append(kr.id)
        if note is not None:
            self.reading.kr_notes[kr.id] = note
        self.reading.kr_props[kr.id] = props

    def initiative(self, note: Note) -> None:
        read, props = self.read, Props(note.path, note.meta, note.pos)
        hypothesis = props.get("hypothesis")
        ini = Initiative(
            id=note.id, title=read.title(props, note.name), path=note.path,
            start=read.date(props, "start"), end=read.date(props, "end"),
            status=read.choice(props, "status", Declared.ACTIVE,
                               allowed=INITIATIVE_DECLARED),
            hypothesis=str(hypothesis).strip() if isinstance(hypothesis, str) else None,
        )
        if ini.start is None:
            self.problems.warning(note.path, props.line(self.type_key),
                                  "initiative-no-start",
                                  "an initiative needs start: DATE to compare its key results "
                                  "before and during it")
        ini.key_results = self.linker.links_in(props, "key_results", ("key-result",))
        self.model.initiatives[ini.id] = ini


#: properties Obsidian itself writes, vaultokr's own, and names people give their
#: own lists (a note's ``notes:``, ``tasks:``): never a slip of a known one
OBSIDIAN_KEYS = frozenset({"tags", "aliases", "alias", "cssclasses", "cssclass", "created",
                           "publish", "permalink", "description", "notes", "tasks",
                           GENERATED_KEY})
KNOWN_KEYS = frozenset(BY_NAME) | {"created"}


def unknown_properties(note: Note, config: Config, problems: Problems) -> None:
    """A property of an OKR note that is a near miss of a known one (``targt``)
    is a warning; any other extra property is the user's own. (Names are read
    in lowercase: ``Target`` is ``target``.)"""
    for key in note.meta:
        lower = key.lower()
        if (key in KNOWN_KEYS or lower in OBSIDIAN_KEYS
                or key in (config.type_key.lower(), config.created_key.lower())
                or canonical(key) in config.date_keys):
            continue
        known = lower if lower in KNOWN_KEYS else near_miss(lower, KNOWN_KEYS)
        if known is None:
            continue
        problems.warning(note.path, note.pos.line_of(key), "property-unknown",
                         f"{key} is not a property vaultokr reads: did you mean {known}? "
                         f"Write {known}: ...")


def _windows(model: Model, problems: Problems) -> None:
    """Measurements outside a key result's dates are left out (and reported);
    the rest sorted by date, then where they were read."""
    for kr in model.key_results.values():
        kept = in_dates(kr, kr.measurements, problems)
        days = list(map(_date, kept))
        if not all(map(operator.lt, days, days[1:])):  # each day after the last: in order
            kept.sort(key=_order)
        kr.measurements = kept


#: ``Measurement.order``, made in C: sorting a daily field's many measurements
_order = operator.attrgetter("date", "path", "line")
_date = operator.attrgetter("date")


def in_dates(kr: KeyResult, measurements: list[Measurement],
             problems: Problems) -> list[Measurement]:
    """The measurements within the key result's dates, in their order; a
    warning for each of the others."""
    days = list(map(_date, measurements))
    if not days or (in_window(kr, min(days)) and in_window(kr, max(days))):
        return list(measurements)  # a window holds every day between two days it holds
    kept = []
    for m in measurements:
        if in_window(kr, m.date):
            kept.append(m)
        else:
            problems.warning(
                m.path, m.line, "measurement-outside-window",
                f"measurement of [[{kr.id}]] on {m.date} is outside the key result's "
                f"dates ({kr.start} to {kr.due}) and is ignored: fix the date, or set "
                "the key result's start and due",
            )
    return kept
