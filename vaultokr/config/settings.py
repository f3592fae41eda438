"""Every setting of ``vaultokr.toml``, declared once.

:data:`SETTINGS` gives each setting's section, key, type, default, one-line
meaning and check. From it come :class:`vaultokr.config.vault_config.Config`'s defaults
and validation, the commented ``vaultokr.toml`` that ``vaultokr init`` writes
(:func:`toml_template`) and the table in docs/configuration.md
(:func:`markdown_table`; ``python -m vaultokr.config.settings`` prints it).

To add a setting: add a :class:`Setting` here and a field of the same name to
``Config``; the docs test tells you to paste the new table into the docs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: the verbs of one's own work that start an activity's title (SPEC v3 §6)
ACTIVITY_VERBS = ("Write", "Publish", "Give", "Attend", "Read", "Post", "Send", "Apply",
                  "Complete", "Finish", "Ship", "Launch", "Build", "Create", "Hold", "Organize",
                  "Update", "Learn", "Take", "Do", "Run")


class BadSetting(ValueError):
    """A value a setting does not take; the message says what to write."""


@dataclass(frozen=True)
class Section:
    name: str  # "" for the top level of the file
    doc: str  # a comment in init's file, under the [section] line


@dataclass(frozen=True)
class Setting:
    section: str
    key: str
    kind: type
    default: Any
    doc: str
    check: Callable[[Setting, Any], Any]  # the value to use, or BadSetting
    attr: str = ""  # the Config field, when it is not the key
    toml: str = ""  # the default as written in TOML, when json.dumps does not
    shape: str = ""  # the type as the docs name it, when the kind does not
    init: Any = None  # what ``vaultokr init`` writes, when not the default
    init_doc: str = ""  # init's comment on that choice

    @property
    def name(self) -> str:
        """As messages show it: ``stale_days``, ``status.on_track``."""
        return f"{self.section}.{self.key}" if self.section else self.key

    @property
    def field(self) -> str:
        return self.attr or self.key

    @property
    def default_toml(self) -> str:
        return self.toml or json.dumps(self.default)

    @property
    def init_toml(self) -> str:
        """The value as init's ``vaultokr.toml`` writes it."""
        return self.default_toml if self.init is None else json.dumps(self.init)


_EXAMPLES = {str: '"type"', list: '["Archive/**"]', int: "14", float: "-0.15"}
_SHAPES = {str: "text", list: "list of text", int: "whole number ≥ 0", float: "number",
           bool: "true or false"}


def typed(setting: Setting, value: Any) -> Any:
    """A value of the setting's kind (an int is a float too; whole numbers >= 0)."""
    kind = setting.kind
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if ok and kind is list:
        ok = all(isinstance(item, str) for item in value)
    if ok and kind is int:
        ok = value >= 0
    if not ok:
        raise BadSetting(f"setting {setting.name!r} has the wrong type: write e.g. "
                         f"{setting.key} = {_EXAMPLES[kind]}")
    return value


def output_path(setting: Setting, value: Any) -> str | None:
    """A vault-relative .md path (with its placeholder, if the default has one) or false."""
    if value is False:
        return None
    placeholder = "{" + setting.key + "}"
    needs = placeholder in setting.default
    if not isinstance(value, str) or not value.strip().endswith(".md") or (
        needs and placeholder not in value
    ):
        raise BadSetting(f"{setting.name} must be a .md path"
                         + (f" with {placeholder}" if needs else "")
                         + f", or false: write {setting.key} = \"{setting.default}\"")
    return value.strip()


def base_path(setting: Setting, value: Any) -> str | None:
    """A vault-relative .base path, or false."""
    if value is False:
        return None
    if not isinstance(value, str) or not value.strip().endswith(".base"):
        raise BadSetting(f'{setting.name} must be a .base path, or false: write '
                         f'{setting.key} = "{setting.default}"')
    return value.strip()


def period_path(setting: Setting, value: Any) -> str | None:
    """A vault-relative .md path with {period}, or false."""
    if value is False:
        return None
    if not isinstance(value, str) or not value.strip().endswith(".md") or \
            "{period}" not in value:
        raise BadSetting(f'{setting.name} must be a .md path with {{period}}, or false: write '
                         f'{setting.key} = "{setting.default}"')
    return value.strip()


def prefix(setting: Setting, value: Any) -> str:
    """The prefix of the computed properties: letters, digits, _ or -, from a letter."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", value):
        raise BadSetting(f'{setting.name} is a word of letters, digits, _ or -: write '
                         f'{setting.key} = "{setting.default}"')
    return value


def boolean(setting: Setting, value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadSetting(f"{setting.name} is true or false")
    return value


LINK_STYLES = ("markdown", "wiki")


def link_style(setting: Setting, value: Any) -> str:
    """How reviews link notes: relative Markdown links, or Obsidian wikilinks."""
    if value not in LINK_STYLES:
        raise BadSetting(f'{setting.name} is "markdown" or "wiki": write {setting.key} = '
                         f'"{setting.default}"')
    return str(value)


def folder(setting: Setting, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadSetting(f'[{setting.section}] takes {setting.key} = "{setting.default}"')
    return value.strip()


SECTIONS = [
    Section("", ""),
    Section("status", "gap = progress - expected, both from 0 to 1"),
    Section("outputs", "where `vaultokr build` and `watch` write; false turns one off"),
    Section("templates", ""),
    Section("notes", "where `vaultokr new` and `vaultokr checkin --note` write notes"),
]

SETTINGS = [
    Setting("", "type_key", str, "type",
            "the front-matter key that gives a note its role (ambition, objective, "
            "key-result, ...)", typed),
    Setting("", "exclude", list, [],
            'globs of vault paths to skip, e.g. `["Archive/**", "*.excalidraw.md"]`', typed),
    Setting("", "date_properties", list, ["date"],
            "the properties that give a note its date, first found wins (also read: the "
            "daily-note format, a `YYYY-MM-DD` in the name)", typed),
    Setting("", "log_heading", str, "Log",
            "in a key result note, only the section under this heading is its log "
            "(without one, the whole note)", typed),
    Setting("", "stale_days", int, 14,
            "a key result with no measurement for longer than this is stale", typed),
    Setting("", "max_key_results", int, 5,
            "SMART focus warning above this many key results per objective", typed),
    Setting("", "max_active_objectives", int, 5,
            "SMART focus warning above this many active objectives per period", typed),
    Setting("", "created_key", str, "created",
            "the front-matter key of the date a note was written (a due-only objective's "
            "start; staleness counts from it)", typed),
    Setting("", "warn_v1_flows", bool, True,
            "warn once per `sum`/`count` key result with a baseline, whose meaning changed "
            "(it is last period's total); false once your flows are written that way",
            boolean, init=False,
            init_doc="this vault is new: a sum/count baseline means last period's total"),
    Setting("", "links", str, "markdown",
            'how reviews link notes: "markdown" (relative `[Title](../Title.md)` links that '
            'work in Obsidian and on GitHub) or "wiki" (`[[Title]]`, Obsidian only)',
            link_style, shape='`"markdown"` or `"wiki"`'),
    Setting("", "index", bool, True,
            "keep what reading each note produced in `.vaultokr/index` and re-read only "
            "the notes whose size, time or inode changed, and what `status`, `check` and "
            "`build` printed, for a vault where nothing changed (`--no-cache` turns both "
            "off for one run; see docs/performance.md)", boolean),
    Setting("", "properties", bool, None,
            "write computed properties (`okr_progress`, `okr_status`, ...) into key-result "
            "and objective notes' front-matter, for Bases and Dataview (docs/properties.md); "
            "false removes them at the next build; unset, they are never touched",
            boolean, toml="unset", init_doc="off; write true to turn it on"),
    Setting("", "properties_prefix", str, "okr_",
            "the prefix of those properties' names", prefix, shape="text"),
    Setting("", "warn_activities", bool, True,
            "warn about a key result whose title starts with a verb of your own work "
            "(`activity_verbs`): it measures what you do, not what others do because of it",
            boolean),
    Setting("", "activity_verbs", list, list(ACTIVITY_VERBS),
            "the verbs that make a key result's title an activity", typed),
    Setting("status", "on_track", float, -0.15, "on track when the gap is at or above this",
            typed),
    Setting("status", "at_risk", float, -0.30, "at risk when the gap is at or above this, "
            "else off track", typed, toml="-0.30"),
    Setting("outputs", "dashboard", str, "OKRs/Dashboard.md", "today's dashboard",
            output_path, shape="`.md` path or false"),
    Setting("outputs", "period", str, "OKRs/Reviews/{period}.md",
            "one review per period (must contain {period})", output_path,
            shape="`.md` path or false"),
    Setting("outputs", "week", str, "OKRs/Reviews/{week}.md",
            "one review per ISO week (must contain {week})", output_path,
            shape="`.md` path or false"),
    Setting("outputs", "base", str, "OKRs/OKRs.base",
            "the Obsidian base over the computed properties (written with `properties = "
            "true`)", base_path, shape="`.base` path or false"),
    Setting("outputs", "retrospective", str, "OKRs/{period}/Retrospective.md",
            "a retrospective note for each finished period, written once and then yours "
            "(must contain {period})", period_path, shape="`.md` path or false"),
    Setting("outputs", "regions", bool, True,
            "fill `<!-- vaultokr:begin NAME -->` regions in your notes", boolean),
    Setting("templates", "folder", str, ".vaultokr/templates",
            "templates here override the defaults by name", folder, attr="templates_dir",
            shape="folder"),
    Setting("notes", "folder", str, "OKRs",
            "`new` writes objectives in FOLDER/PERIOD, key results beside their objective, "
            "initiatives in FOLDER/Initiatives, ambitions in FOLDER", folder,
            attr="notes_folder", shape="folder"),
    Setting("notes", "checkins", str, "Check-ins", "`checkin --note` writes check-in notes here",
            folder, attr="checkins_folder", shape="folder"),
]

BY_NAME = {s.name: s for s in SETTINGS}
BY_FIELD = {s.field: s for s in SETTINGS}


def in_section(section: str) -> list[Setting]:
    return [s for s in SETTINGS if s.section == section]


def toml_template(values: dict[str, Any] | None = None) -> str:
    """The commented ``vaultokr.toml`` that ``vaultokr init`` writes: every
    default (or init's own choice), or the value given by name
    (``{"notes.folder": "Goals"}``)."""
    values = values or {}
    lines = ["# vaultokr settings. Every key is optional; these are the defaults (except",
             "# where a comment says otherwise), each described by the comment above it."]
    for section in SECTIONS:
        lines.append("")
        if section.name:
            lines.append(f"[{section.name}]")
        if section.doc:
            lines.append(f"# {section.doc}")
        for setting in in_section(section.name):
            lines.append(f"# {setting.doc}")
            if setting.name in values:  # init was told
                lines.append(f"{setting.key} = "
                             f"{json.dumps(values[setting.name], ensure_ascii=False)}")
                continue
            if setting.default is None:  # unset by default: shown commented out
                lines.append(f"# ({setting.init_doc})")
                lines.append(f"# {setting.key} = true")
                continue
            if setting.init_doc:
                lines.append(f"# ({setting.init_doc}; the default is {setting.default_toml})")
            lines.append(f"{setting.key} = {setting.init_toml}")
    return "\n".join(lines) + "\n"


def markdown_table() -> str:
    """The settings table of docs/configuration.md."""
    rows = ["| setting | type | default | what it does |", "|---|---|---|---|"]
    for s in SETTINGS:
        shape = s.shape or _SHAPES[s.kind]
        rows.append(f"| `{s.name}` | {shape} | `{s.default_toml}` | {s.doc} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    print(markdown_table(), end="")
