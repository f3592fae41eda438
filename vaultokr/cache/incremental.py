"""The analysis of a kept pipeline (``watch``) brought up to date after an
edit of measurement notes only, instead of analysing the whole vault again.

A *measurement note* is one whose edit can change nothing but measurements
and its own problems: a check-in note, a dated note read for ``field:`` and
``tag:`` sources, a plain note, or an output. :func:`update` takes the
previous analysis and, when every note whose entry changed since then is
one, drops the measurements and problems that came from those notes, runs
the measurement sources on them alone, and computes again only the key
results whose measurements changed, their objectives, and the ambitions and
initiatives that show those. Anything else (see :func:`_same_shape` and
docs/performance.md) returns None: the pipeline analyses in full.

The result is the analysis a fresh run gives, byte for byte
(tests/test_incremental.py holds it to that).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass

from vaultokr.compute import smart
from vaultokr.compute.analysis import Analysis
from vaultokr.compute.results import (
    AmbitionResult,
    InitiativeResult,
    Results,
    compute_kr,
    compute_objective,
    initiative_kr,
)
from vaultokr.config.vault_config import Config
from vaultokr.core.errors import Problem, Problems
from vaultokr.core.vocab import MeasurementKind
from vaultokr.load.assemble import in_dates, unknown_properties
from vaultokr.load.property_reader import PropertyReader
from vaultokr.load.resolve import Linker
from vaultokr.load.sources import SOURCES, Reading
from vaultokr.model.okr import KeyResult, Measurement, Model
from vaultokr.read.entries import Entry, VaultFiles

CHECK_IN = "check-in"


@dataclass
class State:
    """An analysis and what it was made from."""

    analysis: Analysis
    entries: dict[str, Entry]  # the pipeline's entries then (a copy of the dict)
    fixed: list[Problem]  # the settings' and the scan's problems then
    roles: dict[str, str]  # every typed note's role, for the links of check-ins
    blank: dict[str, KeyResult]  # the key results without measurements, for the sources
    by_path: dict[str, set[str]]  # a note's path -> the key results it measures

    @property
    def as_of(self) -> dt.date:
        return self.analysis.results.as_of

    @property
    def config(self) -> Config:
        return self.analysis.config


def remember(analysis: Analysis, entries: dict[str, Entry], fixed: list[Problem]) -> State:
    """The state of an analysis made in full."""
    model = analysis.model
    by_path: dict[str, set[str]] = {}
    for kr in model.key_results.values():
        for m in kr.measurements:
            by_path.setdefault(m.path, set()).add(kr.id)
    blank = {kr_id: dataclasses.replace(kr, measurements=[], tasks=[])
             for kr_id, kr in model.key_results.items()}
    roles = {note.id: note.role or "" for note in analysis.files.typed}
    return State(analysis, dict(entries), list(fixed), roles, blank, by_path)


def update(state: State, entries: dict[str, Entry], config: Config, fixed: list[Problem],
           as_of: dt.date) -> State | None:
    """The state of the analysis of ``entries`` made from ``state``, or None
    when an edit is not to measurement notes only (then analyse in full)."""
    if config is not state.config or as_of != state.as_of or fixed != state.fixed:
        return None
    changed = _changed(state.entries, entries)
    if changed is None:
        return None
    if changed and any(kr.note is not None for kr in state.analysis.model.key_results.values()):
        return None  # note: limits sources to a note, or follows its history: read in full
    if not changed:
        return dataclasses.replace(state, entries=dict(entries))
    old_files = state.analysis.files
    links = old_files.link_index()
    lookups = links.alias_lookups
    # the old notes are read again only to learn whether their links needed
    # aliases: then whether a fresh run reads the aliases may differ
    _measure(state, [state.entries[rel] for rel in changed], Problems())
    problems = Problems()
    found = _measure(state, [entries[rel] for rel in changed], problems)
    if links.alias_lookups != lookups:
        return None
    model, replaced = _model(state, changed, found, problems)
    if _may_match_nothing(state.analysis.model) or _may_match_nothing(model):
        return None  # whether a source matches nothing in the vault is the whole vault's
    results = _results(state, model, replaced)
    for kr_id in replaced:
        smart.check_stale(results.key_results[kr_id], as_of, problems)
    gone = Problems()
    for kr_id in replaced:
        smart.check_stale(state.analysis.results.key_results[kr_id], as_of, gone)
    for rel in changed:
        problems.items.extend(entries[rel].problems)
    problems.items.extend(fixed)
    analysis = Analysis(old_files.root, config, model, results,
                        _problems(state.analysis.problems, set(changed), set(gone.items),
                                  problems.items), _files(old_files, entries, changed))
    by_path = state.by_path
    for rel in changed:
        by_path.pop(rel, None)
    paths = set(changed)
    for kr_id in found:  # replaced or not: the notes measure it (within its dates)
        for m in model.key_results[kr_id].measurements:
            if m.path in paths:
                by_path.setdefault(m.path, set()).add(kr_id)
    return State(analysis, dict(entries), state.fixed, state.roles, state.blank, by_path)


def _may_match_nothing(model: Model) -> bool:
    """Whether a key result's field, tag or task read nothing: then whether it
    matches nothing anywhere (a warning) is a question of the whole vault."""
    return any((kr.field and not _has(kr, MeasurementKind.FIELD))
               or (kr.tag and not _has(kr, MeasurementKind.TAG))
               or (kr.task and not _has(kr, MeasurementKind.TASK))
               for kr in model.key_results.values())


def _has(kr: KeyResult, kind: MeasurementKind) -> bool:
    return any(m.kind == kind for m in kr.measurements)


def _changed(before: dict[str, Entry], now: dict[str, Entry]) -> list[str] | None:
    """The notes whose entry changed, in path order; None when one is not a
    measurement note (or was created or deleted)."""
    if len(before) != len(now):
        return None
    changed = []
    for rel, entry in now.items():
        old = before.get(rel)
        if old is entry:
            continue
        if old is None or not _same_shape(old, entry):
            return None
        changed.append(rel)
    return sorted(changed)


def _same_shape(old: Entry, new: Entry) -> bool:
    """Whether a note's edit changes only its measurements and its own
    problems: it stays an output, a region note or not, a check-in or a note
    of no role, and it has no aliases and no broken front-matter."""
    for entry in (old, new):
        if entry.broken or entry.alias is not None:
            return False
        note = entry.note
        if note is not None and (note.role != CHECK_IN or "aliases" in note.meta
                                 or "alias" in note.meta):
            return False
    return (old.generated == new.generated and old.region == new.region
            and (old.note is None) == (new.note is None))


def _files(old: VaultFiles, entries: dict[str, Entry], changed: list[str]) -> VaultFiles:
    """The files as ``vault.assemble`` gives them: the same notes, ids, region
    notes and links (no note created, deleted, given aliases or a region);
    the changed notes' new parses in their places."""
    files = dataclasses.replace(old)  # shares the links, and any alias problems found
    paths = set(changed)
    files.typed = [entries[n.path].note or n if n.path in paths else n for n in old.typed]
    files.dated = [d for d in old.dated if d.path not in paths]
    for rel in changed:  # a note may gain or lose a date (and its front-matter)
        dated = entries[rel].dated
        if dated is not None:
            insort(files.dated, dated, key=lambda d: d.path)
    return files


def _measure(state: State, entries: Iterable[Entry],
             problems: Problems) -> dict[str, list[Measurement]]:
    """The measurement sources run on these notes alone: the measurements of
    each key result, in the order the sources add them, before the window
    check; their problems in ``problems``."""
    analysis = state.analysis
    files = VaultFiles(analysis.root, analysis.config)
    for entry in entries:
        if entry.note is not None:
            files.typed.append(entry.note)
            unknown_properties(entry.note, analysis.config, problems)
        if entry.dated is not None:
            files.dated.append(entry.dated)
    model = Model(analysis.model.objectives, state.blank)
    linker = Linker(analysis.files.link_index(), problems, model, state.roles,
                    analysis.files.broken)
    reading = Reading(files, model, problems, PropertyReader(problems), linker)
    for source in SOURCES:  # a key result's own sources (2, 3) read nothing here
        source(reading)
    found = {}
    for kr_id, kr in state.blank.items():
        if kr.measurements:
            found[kr_id], kr.measurements = kr.measurements, []
    return found


def _model(state: State, changed: list[str], found: dict[str, list[Measurement]],
           problems: Problems) -> tuple[Model, set[str]]:
    """The model with the changed notes' measurements in place of their old
    ones; the key results whose measurements changed."""
    old = state.analysis.model
    paths = set(changed)
    touched = set(found)
    for rel in changed:
        touched |= state.by_path.get(rel, set())
    key_results = dict(old.key_results)
    replaced = set()
    for kr_id in sorted(touched):
        kr = old.key_results[kr_id]
        kept = [m for m in kr.measurements if m.path not in paths]
        # the window check as load_model has it, in the order the sources added them
        kept += in_dates(kr, found.get(kr_id, []), problems)
        kept.sort(key=lambda m: m.order)  # stable: ties only within one note
        if kept != kr.measurements:
            key_results[kr_id] = dataclasses.replace(kr, measurements=kept)
            replaced.add(kr_id)
    return Model(old.objectives, key_results, old.ambitions, old.initiatives), replaced


def _results(state: State, model: Model, replaced: set[str]) -> Results:
    """The results with the replaced key results (their objectives, and the
    ambitions and initiatives that show them) computed again."""
    old = state.analysis.results
    config, as_of = state.config, old.as_of
    results = Results(as_of, key_results=dict(old.key_results))
    objectives = set()
    for kr_id in replaced:
        kr = model.key_results[kr_id]
        results.key_results[kr_id] = compute_kr(kr, model.objectives[kr.objective], as_of,
                                                config)
        objectives.add(kr.objective)
    again = {}
    for o in old.objectives:
        if o.objective.id in objectives:
            krs = [results.key_results[k] for k in sorted(o.objective.key_results)]
            o = again[o.objective.id] = compute_objective(o.objective, krs, as_of, config)
        results.objectives.append(o)
    for a in old.ambitions:
        if any(o.objective.id in again for o in a.objectives):
            a = AmbitionResult(a.ambition, [again.get(o.objective.id, o) for o in a.objectives])
        results.ambitions.append(a)
    for i in old.initiatives:
        ini = i.initiative
        if any(k in replaced for k in ini.key_results):
            i = InitiativeResult(ini, [initiative_kr(model.key_results[k], ini, as_of)
                                       for k in ini.key_results if k in model.key_results])
        results.initiatives.append(i)
    return results


def _problems(before: list[Problem], paths: set[str], gone: set[Problem],
              added: list[Problem]) -> list[Problem]:
    """``before`` (sorted, each once) without the problems of ``paths`` and
    ``gone``, with ``added``: sorted, each once, as ``Problems.sorted``."""
    kept = [p for p in before if p.path not in paths and p not in gone]
    for p in sorted(set(added)):
        i = bisect_left(kept, p)
        if i == len(kept) or kept[i] != p:
            kept.insert(i, p)
    return kept
