"""From parsed notes to the OKR model: roles, properties, links, measurements.

Every property is checked here; a broken one becomes a problem with the line
it is on, and only the broken piece (a note, a key result, a measurement) is
left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from vaultokr import markdown, regions
from vaultokr.config import Config
from vaultokr.errors import Problems
from vaultokr.links import Link, parse_link
from vaultokr.model import (
    COMMITMENTS,
    MEASURES,
    STATUSES,
    Ambition,
    Initiative,
    KeyResult,
    Measurement,
    Model,
    Objective,
)
from vaultokr.notes import Pos
from vaultokr.values import (
    ValueProblem,
    date_in_name,
    parse_change,
    parse_date,
    parse_growth,
    parse_number,
    parse_period,
    show_value,
)
from vaultokr.vault import Note, VaultFiles, parse_meta

_LOG_ITEM = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:[:—–-]\s*|\s+)(.*)$", re.S)
_LOG_VALUE = re.compile(r"^([-+]?[\d.,]*\d%?)")
_LOG_CONFIDENCE = re.compile(
    r"^\(\s*(?:confidence|conf\.?)\s*:?\s*([-+]?\d+(?:\.\d+)?)\s*(?:/\s*10)?\s*\)", re.I
)
_HAS_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS_TASK = re.compile(r"\[[ xX]\]")
_MEASURE_ALIASES = {"latest": "last", "total": "sum", "tasks": "checklist"}


@dataclass
class Props:
    """A mapping of properties with the lines they are on (a note's front-matter
    or one inline key result inside it)."""

    path: str
    data: dict[str, Any]
    pos: Pos

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def line(self, *keys: Any) -> int:
        return self.pos.line_of(*keys)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None


class Loader:
    def __init__(self, files: VaultFiles, problems: Problems) -> None:
        self.files = files
        self.config: Config = files.config
        self.problems = problems
        self.links = files.link_index(problems)
        self.model = Model(notes_read=files.notes_read)
        self.roles: dict[str, str] = {}  # note id -> role, for every typed note
        self.kr_notes: dict[str, Note] = {}
        self.kr_props: dict[str, Props] = {}

    # ----------------------------------------------------------------- entry
    def load(self) -> Model:
        notes = self.files.typed
        for note in notes:
            self.roles[note.id] = note.role or ""
        by_role: dict[str, list[Note]] = defaultdict(list)
        for note in notes:
            by_role[note.role or ""].append(note)
        for note in by_role["ambition"]:
            title = self._title(Props(note.path, note.meta, note.pos), note.name)
            self.model.ambitions[note.id] = Ambition(note.id, title, note.path)
        for note in by_role["objective"]:
            self._objective(note)
        for note in by_role["key-result"]:
            self._kr_note(note)
        for note in by_role["initiative"]:
            self._initiative(note)
        for note in by_role["check-in"]:
            self._checkin_note(note)
        for kr_id, props in self.kr_props.items():
            self._checkins_list(self.model.key_results[kr_id], props)
        for kr_id, note in self.kr_notes.items():
            self._kr_body(self.model.key_results[kr_id], note)
        self._dated_sources()
        self._windows()
        self._smart()
        return self.model

    # ---------------------------------------------------------- properties
    def _title(self, props: Props, default: str) -> str:
        value = props.get("title")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return default
        return str(value).strip() or default

    def _enum(self, props: Props, key: str, allowed: tuple[str, ...], default: str,
              aliases: dict[str, str] | None = None) -> str:
        value = props.get(key)
        if value is None:
            return default
        text = str(value).strip().lower()
        text = (aliases or {}).get(text, text)
        if text in allowed:
            return text
        self.problems.error(
            props.path, props.line(key), f"bad-{key}",
            f"{key} {show_value(value)} is not one of {', '.join(allowed)}: "
            f"write e.g. {key}: {default}; {default} is used",
        )
        return default

    def _number(self, props: Props, key: str, unit: str | None = None) -> float | None:
        value = props.get(key)
        if value is None:
            return None
        try:
            return parse_number(value, unit)
        except ValueProblem as exc:
            self.problems.error(props.path, props.line(key), f"bad-{key}", f"{key}: {exc}")
            raise

    def _date(self, props: Props, key: str) -> dt.date | None:
        value = props.get(key)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueProblem as exc:
            self.problems.error(props.path, props.line(key), "bad-date", f"{key}: {exc}")
            return None

    def _dates(self, props: Props) -> tuple[str | None, dt.date | None, dt.date | None]:
        label = start = due = None
        if props.has("period"):
            try:
                period = parse_period(props.get("period"))
                label, start, due = period.label, period.start, period.due
            except ValueProblem as exc:
                self.problems.error(props.path, props.line("period"), "bad-period", str(exc))
        own_start, own_due = self._date(props, "start"), self._date(props, "due")
        start = own_start or start
        due = own_due or due
        if start and due and due < start:
            self.problems.error(
                props.path, props.line("due"), "bad-date",
                f"due {due} is before start {start}: due is the last day, after start",
            )
            return label, None, None
        return label, start, due

    def _links(self, props: Props, key: str, roles: tuple[str, ...]) -> list[str]:
        value = props.get(key)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        found = []
        for i, item in enumerate(items):
            line = props.line(key, i) if isinstance(value, list) else props.line(key)
            target = self._resolve(props.path, line, key, item, roles)
            if target is not None:
                found.append(target)
        return found

    def _resolve(self, path: str, line: int, key: str, value: Any,
                 roles: tuple[str, ...]) -> str | None:
        link = _as_link(value)
        if link is None:
            self.problems.error(
                path, line, "link-invalid",
                f"{key}: {show_value(value)} is not a link: write it as a quoted wikilink, "
                f"e.g. {key}: \"[[Note]]\"",
            )
            return None
        resolved = self.links.resolve(link)
        if resolved.id is None:
            self.problems.error(path, line, resolved.error or "link-missing",
                                f"{key}: {resolved.message}")
            return None
        note_id = resolved.id
        if note_id in self.files.broken:
            return None  # its own problem is reported already
        role = self.roles.get(note_id)
        if role == "key-result" and "key-result" in roles:
            # a key result left out for its own errors was reported already
            return note_id if note_id in self.model.key_results else None
        if role == "objective" and "key-result" in roles and link.subpath:
            kr_id = self._inline_kr(note_id, link.subpath)
            if kr_id is None and note_id in self.model.objectives:
                self.problems.error(
                    path, line, "link-missing",
                    f"{key}: {link.raw}: [[{note_id}]] has no inline key result with id "
                    f"{link.subpath!r}; write one of its ids, or link the key result's note",
                )
            return kr_id
        if role in roles:
            return note_id
        wanted = " or ".join(r.replace("-", " ") for r in roles)
        what = f"a {role.replace('-', ' ')}" if role else "an ordinary note"
        self.problems.error(
            path, line, "link-wrong-type",
            f"{key}: {link.raw} links to {what}, not {_article(wanted)}: link {_article(wanted)} "
            f"note (type: {roles[0]})",
        )
        return None

    def _inline_kr(self, objective_id: str, subpath: str) -> str | None:
        wanted = f"{objective_id}#{subpath}".lower()
        for kr_id in self.model.objectives.get(objective_id, Objective("", "", "")).key_results:
            if kr_id.lower() == wanted:
                return kr_id
        return None

    # ---------------------------------------------------------- objectives
    def _objective(self, note: Note) -> None:
        props = Props(note.path, note.meta, note.pos)
        label, start, due = self._dates(props)
        weight = self._weight(props)
        obj = Objective(
            id=note.id,
            title=self._title(props, note.name),
            path=note.path,
            period=label,
            start=start,
            due=due,
            status=self._enum(props, "status", STATUSES, "active"),
            commitment=self._enum(props, "commitment", COMMITMENTS, "aspirational"),
            weight=weight,
            line=props.line(self.config.type_key),
        )
        self.model.objectives[obj.id] = obj
        obj.ambitions = self._links(props, "ambition", ("ambition",))
        obj.ambitions += [a for a in self._links(props, "ambitions", ("ambition",))
                          if a not in obj.ambitions]
        parents = self._links(props, "parent", ("objective",))
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
        for i, item in enumerate(inline):
            line = props.line("key_results", i)
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
                    f"inline key result id {kr_key!r} is already used on line "
                    f"{seen[kr_key.lower()]}: give each key result its own id; this one is skipped",
                )
                continue
            seen[kr_key.lower()] = line
            sub = Props(note.path, {str(k): v for k, v in item.items()},
                        props.pos.at("key_results", i))
            kr = self._kr(sub, f"{note.id}#{kr_key}", kr_key, obj, inline=True)
            if kr is not None:
                self.kr_props[kr.id] = sub

    def _weight(self, props: Props) -> float:
        try:
            weight = self._number(props, "weight")
        except ValueProblem:
            return 1.0
        if weight is None:
            return 1.0
        if weight < 0:
            self.problems.error(props.path, props.line("weight"), "bad-weight",
                                "weight must be 0 or more, e.g. weight: 2; 1 is used")
            return 1.0
        return float(weight)

    # --------------------------------------------------------- key results
    def _kr_note(self, note: Note) -> None:
        props = Props(note.path, note.meta, note.pos)
        if not props.has("objective"):
            self.problems.error(
                note.path, props.line(self.config.type_key), "kr-no-objective",
                "a key result note needs its objective: write objective: \"[[Objective note]]\"",
            )
            return
        objective_id = self._resolve(note.path, props.line("objective"), "objective",
                                     props.get("objective"), ("objective",))
        if objective_id is None or objective_id not in self.model.objectives:
            return
        kr = self._kr(props, note.id, note.name, self.model.objectives[objective_id],
                      inline=False)
        if kr is not None:
            self.kr_notes[kr.id] = note
            self.kr_props[kr.id] = props

    def _kr(self, props: Props, kr_id: str, name: str, obj: Objective,
            inline: bool) -> KeyResult | None:
        path = props.path
        line = props.line("id") if inline else props.line(self.config.type_key)
        unit = props.get("unit")
        unit = str(unit).strip() if isinstance(unit, str | int | float) else None
        measure = self._enum(props, "measure", MEASURES, "last", _MEASURE_ALIASES)
        kr = KeyResult(
            id=kr_id, title=self._title(props, name), objective=obj.id, path=path, line=line,
            measure=measure, unit=unit, weight=self._weight(props),
            status=self._enum(props, "status", STATUSES, "active"), inline=inline,
        )
        metric = props.get("metric")
        kr.metric = str(metric).strip() if isinstance(metric, str | int | float) else None
        _, start, due = self._dates(props)
        kr.start = start or obj.start
        kr.due = due or obj.due
        if kr.start and kr.due and kr.due < kr.start:
            self.problems.error(path, line, "bad-date",
                                f"the key result's dates run backwards ({kr.start} to {kr.due}): "
                                "set start before due")
            return None
        try:
            kr.baseline = self._number(props, "baseline", unit)
            kr.target = self._number(props, "target", unit)
        except ValueProblem:
            return None
        if props.has("keep"):
            keep = str(props.get("keep")).strip().lower()
            if keep not in ("above", "below"):
                self.problems.error(path, props.line("keep"), "bad-keep",
                                    f"keep {show_value(props.get('keep'))} is not above or below: "
                                    "write keep: above (stay at or above target) or keep: below")
                return None
            kr.keep = keep
        for key in ("field", "tag"):
            value = props.get(key)
            if value is not None:
                text = str(value).strip().lstrip("#") if key == "tag" else str(value).strip()
                setattr(kr, key, text or None)
        if not self._kr_target(kr, props):
            return None
        done = props.get("done")
        if done is True:
            kr.done = True
        elif done not in (None, False):
            try:
                kr.done_on = parse_date(done)
                kr.done = True
            except ValueProblem:
                self.problems.error(path, props.line("done"), "bad-done",
                                    f"done {show_value(done)} is neither true nor a date: write "
                                    "done: true or done: 2026-11-20")
        if kr.measure == "count" and not (kr.tag or kr.field):
            self.problems.error(path, props.line("measure"), "count-without-source",
                                "measure: count counts dated notes: add tag: NAME (notes tagged "
                                "#NAME) or field: NAME (notes with that property)")
            return None
        self.model.key_results[kr.id] = kr
        obj.key_results.append(kr.id)
        return kr

    def _kr_target(self, kr: KeyResult, props: Props) -> bool:
        """Checks the target fields; False when the key result is unusable."""
        path = props.path
        given = [k for k in ("target", "change", "growth") if props.has(k)]
        if kr.measure in ("checklist", "milestone"):
            return True
        if len(given) > 1:
            self.problems.error(
                path, props.line(given[1]), "target-conflict",
                f"a key result takes exactly one of target, change and growth, and this one has "
                f"{' and '.join(given)}: keep one",
            )
            return False
        if kr.keep:
            if given and given[0] != "target":
                self.problems.error(path, props.line(given[0]), "target-conflict",
                                    "with keep, target is the threshold: write target: NUMBER")
                return False
            if kr.target is None:
                self.problems.warning(path, kr.line, "smart-not-measurable",
                                      "this key result has keep but no threshold: add target: "
                                      "NUMBER")
            return True
        if not given:
            self.problems.warning(
                path, kr.line, "smart-not-measurable",
                "this key result is not measurable: add target: NUMBER, change: \"+50%\" or "
                "growth: \"10%/month\"",
            )
            return True
        if given[0] == "change":
            try:
                kr.change = parse_change(props.get("change"))
            except ValueProblem as exc:
                self.problems.error(path, props.line("change"), "bad-change", str(exc))
                return False
            if not kr.baseline:
                self.problems.error(path, props.line("change"), "bad-change",
                                    "change is relative to the baseline: add a non-zero "
                                    "baseline: NUMBER, or write target: NUMBER instead")
                return False
        elif given[0] == "growth":
            try:
                kr.growth = parse_growth(props.get("growth"))
            except ValueProblem as exc:
                self.problems.error(path, props.line("growth"), "bad-growth", str(exc))
                return False
            if not kr.baseline or kr.baseline <= 0:
                self.problems.error(path, props.line("growth"), "bad-growth",
                                    "growth compounds from the baseline: add baseline: NUMBER "
                                    "(more than 0)")
                return False
            if kr.start is None or kr.due is None:
                self.problems.error(path, props.line("growth"), "bad-growth",
                                    "growth needs dates: give the objective a period, or "
                                    "start and due")
                return False
        if kr.baseline is None and kr.measure == "last":
            self.problems.warning(
                path, kr.line, "kr-no-baseline",
                "no baseline: progress is measured from 0; write baseline: VALUE (the value at "
                "start)",
            )
        target = effective_target(kr)
        if target is not None and target == (kr.baseline or 0):
            self.problems.error(path, props.line(given[0]), "target-equals-baseline",
                                f"the target ({target:g}) equals the baseline: nothing to "
                                "achieve; raise or lower the target")
            return False
        return True

    # --------------------------------------------------------- initiatives
    def _initiative(self, note: Note) -> None:
        props = Props(note.path, note.meta, note.pos)
        hypothesis = props.get("hypothesis")
        ini = Initiative(
            id=note.id, title=self._title(props, note.name), path=note.path,
            start=self._date(props, "start"), end=self._date(props, "end"),
            status=self._enum(props, "status", (*STATUSES, "done"), "active"),
            hypothesis=str(hypothesis).strip() if isinstance(hypothesis, str) else None,
        )
        if ini.start is None:
            self.problems.warning(note.path, props.line(self.config.type_key),
                                  "initiative-no-start",
                                  "an initiative needs start: DATE to compare its key results "
                                  "before and during it")
        ini.key_results = self._links(props, "key_results", ("key-result",))
        self.model.initiatives[ini.id] = ini

    # --------------------------------------------------------- measurements
    def _add(self, kr: KeyResult, props_path: str, line: int, when: Any, value: Any,
             confidence: Any = None, comment: Any = None, kind: str = "check-in") -> None:
        try:
            day = parse_date(when)
        except ValueProblem as exc:
            self.problems.error(props_path, line, "bad-date", f"measurement date: {exc}")
            return
        try:
            number = parse_number(value, kr.unit)
        except ValueProblem as exc:
            self.problems.error(props_path, line, "bad-value", f"measurement of [[{kr.id}]]: {exc}")
            return
        conf: float | None = None
        if confidence is not None and confidence != "":
            try:
                conf = parse_number(confidence)
                if not 0 <= conf <= 10:
                    raise ValueProblem("out of range")
            except ValueProblem:
                self.problems.warning(props_path, line, "bad-confidence",
                                      f"confidence {show_value(confidence)} is not a number "
                                      "from 0 to 10: write e.g. confidence: 7; it is left out")
                conf = None
        text = str(comment).strip() if comment not in (None, "") else None
        kr.measurements.append(Measurement(kr.id, day, number, conf, text or None,
                                           props_path, line, kind))

    def _checkin_note(self, note: Note) -> None:
        props = Props(note.path, note.meta, note.pos)
        day: Any = props.get("date")
        if day is None:
            day = _name_date(note.name)
        if day is None:
            self.problems.error(
                note.path, props.line(self.config.type_key), "checkin-no-date",
                "a check-in needs a date: add date: 2026-11-20, or put the date in the file name",
            )
            return
        kr_keys = ("key-result",)
        if props.has("kr"):
            kr_id = self._resolve(note.path, props.line("kr"), "kr", props.get("kr"), kr_keys)
            if kr_id is None or kr_id not in self.model.key_results:
                return
            if not props.has("value"):
                self.problems.error(note.path, props.line("kr"), "checkin-no-value",
                                    "a check-in with kr needs value: NUMBER")
                return
            self._add(self.model.key_results[kr_id], note.path, props.line("value"), day,
                      props.get("value"), props.get("confidence"), props.get("comment"))
        values = props.get("values")
        if values is None:
            if not props.has("kr"):
                self.problems.error(
                    note.path, props.line(self.config.type_key), "checkin-no-values",
                    "a check-in needs kr: \"[[Key result]]\" with value: NUMBER, or values: "
                    "mapping links to numbers",
                )
            return
        if not isinstance(values, dict):
            self.problems.error(note.path, props.line("values"), "checkin-no-values",
                                "values must map key results to numbers, e.g.\n  values:\n"
                                "    \"[[Speaking invitations]]\": 3")
            return
        for key, item in values.items():
            line = props.line("values", key)
            kr_id = self._resolve(note.path, line, "values", key, kr_keys)
            if kr_id is None or kr_id not in self.model.key_results:
                continue
            kr = self.model.key_results[kr_id]
            if isinstance(item, dict):
                self._add(kr, note.path, line, day, item.get("value"), item.get("confidence"),
                          item.get("comment"))
            else:
                self._add(kr, note.path, line, day, item)

    def _checkins_list(self, kr: KeyResult, props: Props) -> None:
        entries = props.get("checkins")
        if entries is None:
            return
        if not isinstance(entries, list):
            self.problems.error(props.path, props.line("checkins"), "bad-checkins",
                                "checkins must be a list, e.g.\n  checkins:\n"
                                "    - {date: 2026-11-20, value: 6, confidence: 7}")
            return
        for i, entry in enumerate(entries):
            line = props.line("checkins", i)
            if not isinstance(entry, dict) or "date" not in entry or "value" not in entry:
                self.problems.error(props.path, line, "bad-checkins",
                                    "each check-in needs a date and a value: "
                                    "- {date: 2026-11-20, value: 6}")
                continue
            self._add(kr, props.path, line, entry["date"], entry["value"],
                      entry.get("confidence"), entry.get("comment"), "checkins")

    def _kr_body(self, kr: KeyResult, note: Note) -> None:
        body_text = note.body
        wants_tasks = kr.measure == "checklist"
        if not (_HAS_DATE.search(body_text) or (wants_tasks and _HAS_TASK.search(body_text))):
            return
        body = _parsed_body(note.cache, body_text, note.body_line)
        if wants_tasks:
            kr.tasks = markdown.tasks(body)
        for item in body.list_items:
            m = _LOG_ITEM.match(item.text.split("\n", 1)[0])
            if m:
                self._log_item(kr, note.path, item.line, m[1], m[2])
        for table in body.tables:
            header = table.header
            if "date" not in header or "value" not in header:
                continue
            for line, cells in table.rows:
                row = {name: cells[i].strip() for i, name in enumerate(header) if i < len(cells)}
                if not row.get("date") and not row.get("value"):
                    continue
                self._add(kr, note.path, line, row.get("date"), row.get("value"),
                          row.get("confidence"), row.get("comment"), "log")

    def _log_item(self, kr: KeyResult, path: str, line: int, day: str, rest: str) -> None:
        rest = rest.strip()
        m = _LOG_VALUE.match(rest)
        if m is None:
            self.problems.error(path, line, "bad-value",
                                f"log entry {day}: no number after the date: write "
                                f"- {day}: 6 (confidence 7) comment")
            return
        value = m[1]
        rest = rest[m.end():].lstrip()
        if kr.unit and rest.lower().startswith(kr.unit.lower()):
            rest = rest[len(kr.unit):].lstrip()
        confidence = None
        c = _LOG_CONFIDENCE.match(rest)
        if c:
            confidence = c[1]
            rest = rest[c.end():]
        comment = rest.strip().lstrip("—–-:,").strip()
        self._add(kr, path, line, day, value, confidence, comment, "log")

    # -------------------------------------------- field: and tag: sources
    def _dated_sources(self) -> None:
        fields: dict[str, list[KeyResult]] = defaultdict(list)
        tags: dict[str, list[KeyResult]] = defaultdict(list)
        for kr in self.model.key_results.values():
            if kr.field:
                fields[kr.field].append(kr)
            if kr.tag and kr.measure == "count":
                tags[kr.tag.lower()].append(kr)
        if not fields and not tags:
            return
        for source in self._dated_notes():
            path, meta, pos, parts_body, body_line, day, cache = source
            if day is None:
                continue
            found_fields: dict[str, list[tuple[int, Any]]] = defaultdict(list)
            for name in fields:
                if name in meta:
                    found_fields[name].append((pos.line_of(name), meta[name]))
            note_tags = _fm_tags(meta.get("tags"), pos.line_of("tags"))
            body_needed = (any(f"{name.lower()}::" in parts_body.lower() for name in fields)
                           or any(f"#{tag}" in parts_body.lower() for tag in tags))
            if body_needed:
                body = _parsed_body(cache, parts_body, body_line)
                for name, line, raw in markdown.inline_fields(body, set(fields)):
                    found_fields[name].append((line, raw))
                note_tags += markdown.body_tags(body)
            for name, found in found_fields.items():
                for kr in fields[name]:
                    if not _in_window(kr, day):
                        continue
                    for line, raw in found:
                        if kr.measure == "count":
                            self._add(kr, path, line, day, 1, kind="field")
                            break
                        self._add(kr, path, line, day, raw, kind="field")
            for tag, krs in tags.items():
                line_of_tag = next((line for t, line in note_tags
                                    if t == tag or t.startswith(tag + "/")), None)
                if line_of_tag is None:
                    continue
                for kr in krs:
                    if _in_window(kr, day):
                        self._add(kr, path, line_of_tag, day, 1, kind="tag")

    def _dated_notes(
        self,
    ) -> Iterator[tuple[str, dict[str, Any], Pos, str, int, dt.date | None, dict[str, Any]]]:
        """Dated notes that may hold a field or tag in use: typed notes as parsed,
        other dated notes parsed now (only those whose text mentions one; the
        parse is kept with the note, for the next rebuild of a watch)."""
        words = [w.lower() for kr in self.model.key_results.values()
                 for w in (kr.field, kr.tag) if w]
        for note in self.files.typed:
            day = self._note_date(note.path, note.meta, note.pos, _name_date(note.name))
            yield note.path, note.meta, note.pos, note.body, note.body_line, day, note.cache
        for dated in self.files.dated:
            if "lower" not in dated.cache:
                dated.cache["lower"] = dated.parts.text.lower()
            if not any(w in dated.cache["lower"] for w in words):
                continue
            if "meta" not in dated.cache:
                found = Problems()
                dated.cache["meta"] = (parse_meta(dated.path, dated.parts, found), found.items)
            parsed, problems = dated.cache["meta"]
            self.problems.items.extend(problems)
            if parsed is None:
                continue
            meta, pos = parsed
            day = self._note_date(dated.path, meta, pos, dated.name_date)
            yield (dated.path, meta, pos, dated.parts.body, dated.parts.body_line, day,
                   dated.cache)

    def _note_date(self, path: str, meta: dict[str, Any], pos: Pos,
                   fallback: dt.date | None) -> dt.date | None:
        if "date" not in meta or meta["date"] is None:
            return fallback
        try:
            return parse_date(meta["date"])
        except ValueProblem as exc:
            self.problems.warning(path, pos.line_of("date"), "bad-date", f"date: {exc}")
            return fallback

    # ------------------------------------------------------------ windows
    def _windows(self) -> None:
        for kr in self.model.key_results.values():
            kept = []
            for m in kr.measurements:
                if _in_window(kr, m.date):
                    kept.append(m)
                else:
                    self.problems.warning(
                        m.path, m.line, "measurement-outside-window",
                        f"measurement of [[{kr.id}]] on {m.date} is outside the key result's "
                        f"dates ({kr.start} to {kr.due}) and is ignored: fix the date, or set "
                        "the key result's start and due",
                    )
            kept.sort(key=lambda m: m.order)
            kr.measurements = kept

    # -------------------------------------------------------------- SMART
    def _smart(self) -> None:
        by_period: dict[str, list[Objective]] = defaultdict(list)
        for obj in self.model.objectives.values():
            if obj.start is None or obj.due is None:
                self.problems.warning(
                    obj.path, obj.line, "smart-not-time-bound",
                    "this objective is not time-bound: add period: 2026-Q4 (or start and due)",
                )
            krs = [self.model.key_results[k] for k in obj.key_results]
            live = [kr for kr in krs if kr.status != "dropped"]
            if not live:
                self.problems.warning(
                    obj.path, obj.line, "smart-no-key-results",
                    "this objective has no key result: add a key result note with objective: "
                    f"\"[[{obj.id.rsplit('/', 1)[-1]}]]\" or key_results: in this note",
                )
            elif len(live) > self.config.max_key_results:
                self.problems.warning(
                    obj.path, obj.line, "smart-too-many-key-results",
                    f"this objective has {len(live)} key results; focus on at most "
                    f"{self.config.max_key_results}: drop or pause the rest",
                )
            if obj.status == "active" and obj.start and obj.due:
                by_period[obj.period or f"{obj.start}..{obj.due}"].append(obj)
        for period, objs in sorted(by_period.items()):
            if len(objs) > self.config.max_active_objectives:
                objs.sort(key=lambda o: o.id)
                extra = objs[self.config.max_active_objectives]
                self.problems.warning(
                    extra.path, extra.line, "smart-too-many-objectives",
                    f"{len(objs)} active objectives in {period}; focus on at most "
                    f"{self.config.max_active_objectives}: pause or drop some (status: paused)",
                )


def _parsed_body(cache: dict[str, Any], text: str, first_line: int) -> markdown.Body:
    """A note's body as Markdown (regions masked), parsed once per note read."""
    if "body" not in cache:
        cache["body"] = markdown.parse_body(regions.mask(text), first_line)
    body: markdown.Body = cache["body"]
    return body


def effective_target(kr: KeyResult) -> float | None:
    """target, or baseline × (1 + change), or the compounding growth target."""
    base = kr.baseline or 0.0
    if kr.change is not None:
        return base * (1 + kr.change)
    if kr.growth is not None and kr.start and kr.due:
        units = (kr.due - kr.start).days / kr.growth.unit_days
        return float(base * (1 + kr.growth.rate) ** units)
    return kr.target


def load_model(files: VaultFiles, problems: Problems) -> Model:
    return Loader(files, problems).load()


def _in_window(kr: KeyResult, day: dt.date) -> bool:
    return (kr.start is None or day >= kr.start) and (kr.due is None or day <= kr.due)


def _as_link(value: Any) -> Link | None:
    link = parse_link(value)
    if link is not None:
        return link
    if isinstance(value, str) and value.strip() and "[" not in value and "]" not in value:
        return parse_link(f"[[{value.strip()}]]")  # a bare note name, as Obsidian would guess
    return None


def _name_date(name: str) -> dt.date | None:
    return date_in_name(name)


def _fm_tags(value: Any, line: int) -> list[tuple[str, int]]:
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value))
    return [(str(t).strip().lstrip("#").lower(), line) for t in items if str(t).strip()]


def _article(text: str) -> str:
    return ("an " if text[:1] in "aeiou" else "a ") + text
