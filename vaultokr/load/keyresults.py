"""Reading one key result (a note, or an inline one in its objective): its
properties, its target (target, change or growth; or keep's threshold) and
what its measure needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from vaultokr.core.errors import Problems
from vaultokr.core.formatting import number
from vaultokr.core.vocab import MEASURE_ALIASES, Declared, Keep, Measure
from vaultokr.load.property_reader import PropertyReader, Props
from vaultokr.model.measures import RULES as MEASURE_RULES
from vaultokr.model.measures import effective_target, rule
from vaultokr.model.okr import KeyResult, Objective
from vaultokr.syntax.measured import parse_count_if
from vaultokr.syntax.values import ValueProblem, parse_change, parse_date, parse_growth, show_value

#: the properties that set a key result's target; at most one is given
TARGET_KEYS = ("target", "change", "growth")


class Rule(StrEnum):
    """What a key result's target must satisfy: checked once, here, for the
    notes read (problems) and for ``vaultokr new`` (errors, in its words)."""

    ONE_TARGET = "at most one of target, change and growth"
    RELATIVE_NEEDS_BASELINE = "change and growth are relative to a baseline"
    COUNT_NEEDS_SOURCE = "count counts dated notes with a tag or a field, or checked tasks"
    TASK_NEEDS_COUNT = "task counts checked tasks: measure count"
    TASK_ALONE = "task is the only source of its key result (with tag or field it counts twice)"
    KEEP_NEEDS_TARGET = "keep's threshold is target"
    NEEDS_TARGET = "a numeric measure needs a target"
    GROWTH_ON_FLOW = "growth compounds a level; a flow (sum, count) compares by change"
    COUNT_IF_NEEDS_COUNTED_FIELD = "count_if chooses the values of a field that count a note"


def broken_rules(measure: Measure, given: list[str], keep: bool, has_baseline: bool,
                 has_source: bool, *, count_if: bool = False,
                 has_field: bool = False, task: bool = False,
                 other_source: bool = False) -> list[Rule]:
    """The rules a key result breaks, in the order they are told; ``given``:
    which of TARGET_KEYS it has, in that order; ``has_baseline``: a baseline
    its change or growth can be relative to; ``count_if``: it has one;
    ``task``: it has ``task``, and ``other_source``: a ``tag`` or ``field`` too."""
    rules = MEASURE_RULES[measure]
    broken = []
    if task and not rules.counts_notes:
        broken.append(Rule.TASK_NEEDS_COUNT)
    if task and other_source:
        broken.append(Rule.TASK_ALONE)
    if len(given) > 1:
        broken.append(Rule.ONE_TARGET)
    if given and given[0] != "target" and not has_baseline:
        broken.append(Rule.RELATIVE_NEEDS_BASELINE)
    if rules.counts_notes and not has_source:
        broken.append(Rule.COUNT_NEEDS_SOURCE)
    if keep and "target" not in given:
        broken.append(Rule.KEEP_NEEDS_TARGET)
    if not given and rules.numeric and not keep:
        broken.append(Rule.NEEDS_TARGET)
    if "growth" in given and rules.cumulative:
        broken.append(Rule.GROWTH_ON_FLOW)
    if count_if and not (rules.counts_notes and has_field):
        broken.append(Rule.COUNT_IF_NEEDS_COUNTED_FIELD)
    return broken


@dataclass
class KeyResultReader:
    read: PropertyReader
    problems: Problems
    created_key: str = "created"  # the settings' created_key
    warn_v1_flows: bool = True  # the settings' warn_v1_flows

    def key_result(self, props: Props, kr_id: str, name: str, obj: Objective, line: int,
                   inline: bool) -> KeyResult | None:
        """The key result, or None when it is unusable (its problems recorded)."""
        read, path = self.read, props.path
        unit = read.text(props, "unit")
        kr = KeyResult(
            id=kr_id, title=read.title(props, name), objective=obj.id, path=path, line=line,
            measure=read.choice(props, "measure", Measure.LAST, MEASURE_ALIASES),
            unit=unit, weight=read.weight(props),
            status=read.choice(props, "status", Declared.ACTIVE), inline=inline,
        )
        kr.metric = read.text(props, "metric")
        _, start, due = read.dates(props)
        # an inline key result was written with its objective
        kr.created = obj.created if inline else self.created(props)
        kr.start = start or obj.start
        kr.due = due or obj.due
        if kr.start is None and kr.due and kr.created and kr.created <= kr.due:
            kr.start = kr.created
        if kr.start and kr.due and kr.due < kr.start:
            self.problems.error(path, line, "bad-date",
                                f"the key result's dates run backwards ({kr.start} to {kr.due}): "
                                "set start before due")
            return None
        kr.baseline = read.number(props, "baseline", unit)
        if read.broken(props, "baseline", kr.baseline):
            return None
        kr.target = read.number(props, "target", unit)
        if read.broken(props, "target", kr.target):
            return None
        if props.has("keep"):
            keep = str(props.get("keep")).strip().lower()
            if keep not in tuple(Keep):
                self.problems.error(path, props.line("keep"), "bad-keep",
                                    f"keep {show_value(props.get('keep'))} is not above or below: "
                                    "write keep: above (stay at or above target) or keep: below")
                return None
            kr.keep = Keep(keep)
        field, tag = props.get("field"), props.get("tag")
        if field is not None:
            kr.fields = field_names(field)
            kr.field = ", ".join(kr.fields) or None
        if tag is not None:
            kr.tag = str(tag).strip().lstrip("#") or None
        if not self._task(kr, props):
            return None
        if not self._target(kr, props) or not self._count_if(kr, props):
            return None
        self._v1_flow(kr, props)
        self._done(kr, props)
        if Rule.COUNT_NEEDS_SOURCE in self._broken(kr, props):
            self.problems.error(path, props.line("measure"), "count-without-source",
                                "measure: count counts dated notes: add tag: NAME (notes tagged "
                                "#NAME), field: NAME (notes with that property) or task: TEXT "
                                "(checked tasks with that text)")
            return None
        return kr

    def _count_if(self, kr: KeyResult, props: Props) -> bool:
        """``count_if``: readable, and on a count of a field; False: the key
        result is left out (counting by another rule would give a wrong number)."""
        if not props.has("count_if"):
            return True
        written, line = props.get("count_if"), props.line("count_if")
        if Rule.COUNT_IF_NEEDS_COUNTED_FIELD in self._broken(kr, props):
            needs = " and ".join(word for word, has in (("measure: count", rule(kr).counts_notes),
                                                        ("field: NAME", bool(kr.field))) if not has)
            self.problems.error(
                props.path, line, "bad-count_if",
                f"count_if {show_value(written)} chooses which values of a field count a dated "
                f"note, and this key result has no {needs}: add {needs}, or remove count_if")
            return False
        try:
            kr.count_if = parse_count_if(written)
        except ValueProblem as exc:
            self.problems.error(props.path, line, "bad-count_if", str(exc))
            return False
        return True

    def _task(self, kr: KeyResult, props: Props) -> bool:
        """``task``: with count only, the only source; False: the key result is unusable."""
        if "task" not in props.data:
            return True
        value = props.get("task")
        kr.task = None if isinstance(value, list | dict) else task_needle(value)
        line = props.line("task")
        if kr.task is None:
            written = "has no text" if value is None else f"{show_value(value)} is not one text"
            self.problems.error(props.path, line, "bad-task",
                                f"task: {written}: write task: Meditate (checked tasks "
                                "holding that text) or task: \"#habit\" (a tag, in quotes: "
                                "YAML reads an unquoted # as the start of a comment); the key "
                                "result is left out")
            return False
        broken = self._broken(kr, props)
        if Rule.TASK_NEEDS_COUNT in broken:
            self.problems.error(props.path, line, "task-without-count",
                                f"task: {show_value(props.get('task'))} counts checked tasks: "
                                f"write measure: count (not {kr.measure}); the key result is "
                                "left out")
            return False
        if Rule.TASK_ALONE in broken:
            other = "tag" if kr.tag else "field"
            self.problems.error(props.path, line, "task-with-other-source",
                                f"task: and {other}: would count twice: keep task: to count "
                                f"checked tasks, or {other}: to count notes; the key result is "
                                "left out")
            return False
        return True

    def _done(self, kr: KeyResult, props: Props) -> None:
        done = props.get("done")
        if done is True:
            kr.done = True
        elif done not in (None, False):
            try:
                kr.done_on = parse_date(done)
                kr.done = True
            except ValueProblem:
                self.problems.error(props.path, props.line("done"), "bad-done",
                                    f"done {show_value(done)} is neither true nor a date: write "
                                    "done: true or done: 2026-11-20")

    def created(self, props: Props) -> dt.date | None:
        """When the note was written (SPEC v2): a date, or a date and time; a
        value that is neither is a warning (it only helps, nothing depends on it)."""
        value = props.get(self.created_key)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueProblem as exc:
            self.problems.warning(props.path, props.line(self.created_key), "bad-date",
                                  f"{self.created_key}: {exc}; it is ignored")
            return None

    def _v1_flow(self, kr: KeyResult, props: Props) -> None:
        """A flow's baseline meant "already done" before SPEC v2; say once what it means now."""
        if not (self.warn_v1_flows and rule(kr).cumulative and kr.baseline):
            return
        target, baseline = effective_target(kr), number(kr.baseline)
        toward = ("" if target is None else f", at most {number(target)}"
                  if target < kr.baseline else f" toward {number(target)}")
        self.problems.warning(
            props.path, props.line("baseline"), "flow-baseline-changed",
            f"baseline {baseline} of a {kr.measure} key result now means last period's "
            f"total: this period counts from 0{toward}. If {baseline} was the total so "
            "far and you want to keep counting from it, write measure: last and check in "
            "cumulative values; if the new reading is right, set warn_v1_flows = false in "
            "vaultokr.toml",
        )

    @staticmethod
    def _broken(kr: KeyResult, props: Props) -> list[Rule]:
        given = [k for k in TARGET_KEYS if props.has(k)]
        base = kr.baseline
        relative_to = bool(base) and (given[:1] != ["growth"] or (base is not None and base > 0))
        return broken_rules(kr.measure, given, kr.keep is not None, relative_to,
                            bool(kr.tag or kr.field or kr.task),
                            count_if=props.has("count_if"), has_field=bool(kr.field),
                            task=bool(kr.task), other_source=bool(kr.tag or kr.field))

    def _target(self, kr: KeyResult, props: Props) -> bool:
        """Checks the target fields; False when the key result is unusable."""
        path = props.path
        if not rule(kr).numeric:
            return True
        given = [k for k in TARGET_KEYS if props.has(k)]
        broken = self._broken(kr, props)
        if Rule.ONE_TARGET in broken:
            self.problems.error(
                path, props.line(given[1]), "target-conflict",
                f"a key result takes exactly one of target, change and growth, and this one has "
                f"{' and '.join(given)}: keep one",
            )
            return False
        if kr.keep:
            if Rule.KEEP_NEEDS_TARGET not in broken:
                return True
            if given:
                self.problems.error(path, props.line(given[0]), "target-conflict",
                                    "with keep, target is the threshold: write target: NUMBER")
                return False
            self.problems.warning(path, kr.line, "smart-not-measurable",
                                  "this key result has keep but no threshold: add target: "
                                  "NUMBER")
            return True
        if Rule.NEEDS_TARGET in broken:
            self.problems.warning(
                path, kr.line, "smart-not-measurable",
                "this key result is not measurable: add target: NUMBER, change: \"+50%\" or "
                "growth: \"10%/month\"",
            )
            return True
        relative = Rule.RELATIVE_NEEDS_BASELINE in broken
        if given[0] != "target" and not self._relative(kr, props, given[0], relative):
            return False
        if kr.baseline is None and rule(kr).wants_baseline:
            self.problems.warning(
                path, kr.line, "kr-no-baseline",
                "no baseline: progress is measured from 0; write baseline: VALUE (the value at "
                "start)",
            )
        target = effective_target(kr)
        if target is not None and _nothing_to_achieve(kr, target):
            self.problems.error(path, props.line(given[0]), "target-equals-baseline",
                                f"the target ({target:g}) equals the baseline: nothing to "
                                "achieve; raise or lower the target")
            return False
        return True

    def _relative(self, kr: KeyResult, props: Props, key: str, no_baseline: bool) -> bool:
        """A change or growth target: readable, with a baseline (and dates, for growth)."""
        line, code = props.line(key), f"bad-{key}"
        try:
            if key == "change":
                kr.change = parse_change(props.get(key))
            else:
                kr.growth = parse_growth(props.get(key))
        except ValueProblem as exc:
            self.problems.error(props.path, line, code, str(exc))
            return False
        if key == "growth" and Rule.GROWTH_ON_FLOW in self._broken(kr, props):
            self.problems.error(
                props.path, line, code,
                f"growth compounds a level; {kr.measure} is a flow (this period's total, from "
                "0): write change: \"+N%\" to compare with last period's total (the baseline), "
                "or measure: last if the values are a level")
            return False
        if no_baseline:
            self.problems.error(props.path, line, code, _NEEDS_BASELINE[key])
            return False
        if key == "growth" and (kr.start is None or kr.due is None):
            self.problems.error(props.path, line, code,
                                "growth needs dates: give the objective a period, or "
                                "start and due")
            return False
        if kr.growth is not None and effective_target(kr) is None:
            self.problems.error(props.path, line, code,
                                f"growth {kr.growth.text} from {kr.start} to {kr.due} compounds "
                                "beyond any number: write a smaller rate or a shorter span")
            kr.growth = None
            return False
        return True


def field_names(value: object) -> list[str]:
    """``field``'s names: one (``field: mood``) or a list (``field: [linkedin,
    twitter]``, SPEC v3), blanks left out, each once."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = "" if item is None else str(item).strip()
        if name and name not in names:
            names.append(name)
    return names


def task_needle(value: object) -> str | None:
    """What a checked task must hold for ``task:``: a text, or ``#tag`` (a
    tag is written with its ``#``, as in the note: ``task: "#habit/run"``)."""
    text = "" if value is None else str(value).strip()
    if text.startswith("#"):
        tag = text.lstrip("#").strip()
        return f"#{tag}" if tag else None
    return text or None


def _nothing_to_achieve(kr: KeyResult, target: float) -> bool:
    """A level's target at its baseline. A flow counts from 0, so as many as
    last period (its baseline) is a goal: only a target of 0 that is no cap."""
    if rule(kr).cumulative:
        return target == 0 and not (kr.baseline or 0) > 0
    return target == (kr.baseline or 0)


_NEEDS_BASELINE = {
    "change": "change is relative to the baseline: add a non-zero baseline: NUMBER, or write "
              "target: NUMBER instead",
    "growth": "growth compounds from the baseline: add baseline: NUMBER (more than 0)",
}
