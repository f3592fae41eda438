"""Reading one property of a note (or of an inline key result): each reader
returns the value, or None (or the default) when it is absent or broken, and
records a broken value's problem once, with the line it is on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from vaultokr.core.errors import Problems
from vaultokr.model.properties import BY_NAME
from vaultokr.read.frontmatter import Pos
from vaultokr.syntax.values import ValueProblem, parse_date, parse_number, parse_period, show_value

E = TypeVar("E", bound=StrEnum)


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


@dataclass
class PropertyReader:
    problems: Problems

    def title(self, props: Props, default: str) -> str:
        value = props.get("title")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return default
        return str(value).strip() or default

    def text(self, props: Props, key: str) -> str | None:
        """A scalar as text (None for a list, a mapping or nothing)."""
        value = props.get(key)
        return str(value).strip() if isinstance(value, str | int | float) else None

    def choice(self, props: Props, key: str, default: E,
               aliases: Mapping[str, E] | None = None,
               allowed: tuple[str, ...] | None = None) -> E:
        """One of the words the property table allows (or ``allowed``)."""
        value = props.get(key)
        if value is None:
            return default
        allowed = BY_NAME[key].choices if allowed is None else allowed
        text = str(value).strip().lower()
        text = (aliases or {}).get(text, text)
        if text in allowed:
            return type(default)(text)
        self.problems.error(
            props.path, props.line(key), f"bad-{key}",
            f"{key} {show_value(value)} is not one of {', '.join(allowed)}: "
            f"write e.g. {key}: {default}; {default} is used",
        )
        return default

    def number(self, props: Props, key: str, unit: str | None = None) -> float | None:
        value = props.get(key)
        if value is None:
            return None
        try:
            return parse_number(value, unit)
        except ValueProblem as exc:
            self.problems.error(props.path, props.line(key), f"bad-{key}", f"{key}: {exc}")
            return None

    @staticmethod
    def broken(props: Props, key: str, value: object) -> bool:
        """Written, but not read (its problem is recorded)."""
        return props.has(key) and value is None

    def date(self, props: Props, key: str) -> dt.date | None:
        value = props.get(key)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueProblem as exc:
            self.problems.error(props.path, props.line(key), "bad-date", f"{key}: {exc}")
            return None

    def dates(self, props: Props) -> tuple[str | None, dt.date | None, dt.date | None]:
        """period (its label, start and due), overridden by start and due."""
        label = start = due = None
        if props.has("period"):
            try:
                period = parse_period(props.get("period"))
                label, start, due = period.label, period.start, period.due
            except ValueProblem as exc:
                self.problems.error(props.path, props.line("period"), "bad-period", str(exc))
        own_start, own_due = self.date(props, "start"), self.date(props, "due")
        start = own_start or start
        due = own_due or due
        if start and due and due < start:
            self.problems.error(
                props.path, props.line("due"), "bad-date",
                f"due {due} is before start {start}: due is the last day, after start",
            )
            return label, None, None
        return label, start, due

    def weight(self, props: Props) -> float:
        weight = self.number(props, "weight")
        if weight is None:
            return 1.0
        if weight < 0:
            self.problems.error(props.path, props.line("weight"), "bad-weight",
                                "weight must be 0 or more, e.g. weight: 2; 1 is used")
            return 1.0
        return float(weight)
