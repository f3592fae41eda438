"""Settings: ``vaultokr.toml`` at the vault root and the Obsidian settings
that decide which notes are part of the vault.

The settings, their defaults and their checks are declared once, in
:mod:`vaultokr.config.settings`; this module reads the file and applies them.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultokr.config.settings import BY_FIELD, BY_NAME, SECTIONS, BadSetting, in_section
from vaultokr.core.errors import Problems
from vaultokr.core.limits import MAX_NESTING, catastrophic, too_deep
from vaultokr.syntax.dates import PERIODS, DailyFormat, PeriodFormat
from vaultokr.syntax.names import canonical

CONFIG_NAME = "vaultokr.toml"


def _default(name: str) -> Any:
    """A Config field whose default is the declared one (copied: lists are not shared)."""
    default = BY_FIELD[name].default
    return field(default_factory=lambda: copy.copy(default))


@dataclass
class Config:
    type_key: str = _default("type_key")
    exclude: list[str] = _default("exclude")  # noqa: RUF009 (a field with a factory)
    date_properties: list[str] = _default("date_properties")  # noqa: RUF009
    log_heading: str = _default("log_heading")
    stale_days: int = _default("stale_days")
    max_key_results: int = _default("max_key_results")
    max_active_objectives: int = _default("max_active_objectives")
    created_key: str = _default("created_key")
    warn_v1_flows: bool = _default("warn_v1_flows")
    links: str = _default("links")
    index: bool = _default("index")
    properties: bool | None = _default("properties")
    properties_prefix: str = _default("properties_prefix")
    warn_activities: bool = _default("warn_activities")
    activity_verbs: list[str] = _default("activity_verbs")  # noqa: RUF009
    on_track: float = _default("on_track")
    at_risk: float = _default("at_risk")
    dashboard: str | None = _default("dashboard")
    period: str | None = _default("period")
    week: str | None = _default("week")
    base: str | None = _default("base")
    retrospective: str | None = _default("retrospective")
    regions: bool = _default("regions")
    templates_dir: str = _default("templates_dir")
    notes_folder: str = _default("notes_folder")
    checkins_folder: str = _default("checkins_folder")
    templates_folder: str | None = None  # from .obsidian/templates.json
    ignore_filters: list[str] = field(default_factory=list)  # .obsidian/app.json
    #: the daily-note and periodic-note formats (.obsidian/daily-notes.json, Periodic Notes')
    daily: DailyFormat | None = None

    @property
    def date_keys(self) -> list[str]:
        """The date properties' canonical names, in order."""
        return [canonical(name) for name in self.date_properties if canonical(name)]


def load_config(root: Path, problems: Problems) -> Config:
    config = Config()
    path = root / CONFIG_NAME
    if path.is_file():
        _read_toml(path, config, problems)
    _read_obsidian(root, config, problems)
    return config


def _read_toml(path: Path, config: Config, problems: Problems) -> None:
    try:
        text = path.read_text(encoding="utf-8-sig")
        deep = too_deep(text)
        if deep is not None:
            problems.error(CONFIG_NAME, deep, "config-invalid",
                           f"{CONFIG_NAME} nests lists or tables more than {MAX_NESTING} deep; "
                           "the defaults are used until it is fixed")
            return
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(CONFIG_NAME, 1, "config-invalid", f"cannot read {CONFIG_NAME}: {exc}")
        return
    except RecursionError:
        problems.error(CONFIG_NAME, 1, "config-invalid",
                       f"{CONFIG_NAME} nests more than {MAX_NESTING} deep; the defaults are used")
        return
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        problems.error(
            CONFIG_NAME,
            int(m[1]) if m else 1,
            "config-invalid",
            f"{CONFIG_NAME} is not valid TOML ({exc}); the defaults are used until it is fixed",
        )
        return
    lines = _key_lines(path)
    sections = {s.name for s in SECTIONS if s.name}
    for key, value in data.items():
        if key == "templates" and isinstance(value, dict):
            _read_templates(value, config, lines, problems)
        elif key in sections and isinstance(value, dict):
            for sub, subvalue in value.items():
                _read_setting(key, sub, subvalue, config, lines, problems)
        else:
            _read_setting("", key, value, config, lines, problems)
    if not config.at_risk <= config.on_track <= 0:
        problems.error(
            CONFIG_NAME,
            lines.get("on_track", 1),
            "config-invalid",
            "status thresholds must satisfy at_risk <= on_track <= 0, e.g. on_track = -0.15 "
            "and at_risk = -0.30; the defaults are used",
        )
        config.on_track = BY_NAME["status.on_track"].default
        config.at_risk = BY_NAME["status.at_risk"].default


def _read_setting(section: str, key: str, value: Any, config: Config,
                  lines: dict[str, int], problems: Problems) -> None:
    line = lines.get(key, 1)
    setting = BY_NAME.get(f"{section}.{key}" if section else key)
    if setting is None:
        problems.warning(CONFIG_NAME, line, "config-unknown-key", _unknown(section, key))
        return
    try:
        setattr(config, setting.field, setting.check(setting, value))
    except BadSetting as exc:
        problems.error(CONFIG_NAME, line, "config-invalid", str(exc))


def _unknown(section: str, key: str) -> str:
    if section == "outputs":
        names = [s.key for s in in_section("outputs")]
        return (f"unknown output {key!r} is ignored; the outputs are "
                f"{', '.join(names[:-1])} and {names[-1]}")
    shown = f"{section}.{key}" if section else key
    names = sorted(s.name for s in [*in_section(""), *in_section("status")])
    return f"unknown setting {shown!r} is ignored; the settings are: " + ", ".join(names)


def _read_templates(values: dict[str, Any], config: Config, lines: dict[str, int],
                    problems: Problems) -> None:
    """[templates] has one key; anything else in it, or a bad folder, is one error."""
    setting = BY_NAME["templates.folder"]
    try:
        config.templates_dir = setting.check(setting, values.get("folder"))
    except BadSetting as exc:
        if values:
            problems.error(CONFIG_NAME, lines.get("folder", 1), "config-invalid", str(exc))


def _key_lines(path: Path) -> dict[str, int]:
    lines: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return lines
    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
        if m:
            lines.setdefault(m[1], number)
    return lines


def _read_obsidian(root: Path, config: Config, problems: Problems) -> None:
    templates = _read_json(root / ".obsidian" / "templates.json", problems)
    folder = templates.get("folder") if isinstance(templates, dict) else None
    if isinstance(folder, str) and folder.strip("/ "):
        config.templates_folder = folder.strip("/ ")
    app = _read_json(root / ".obsidian" / "app.json", problems)
    filters = app.get("userIgnoreFilters") if isinstance(app, dict) else None
    if isinstance(filters, list):
        config.ignore_filters = [f for f in filters if isinstance(f, str) and f
                                 and _bounded_filter(f, problems)]
    config.daily = _daily_format(root, problems)


def _daily_format(root: Path, problems: Problems) -> DailyFormat | None:
    """The daily-note format: the Periodic Notes plugin's when it is on (it
    replaces the core plugin), else the core plugin's (empty: YYYY-MM-DD);
    with the plugin's weekly, monthly, quarterly and yearly formats that are
    on (empty: its defaults). None: no format at all (ISO names only)."""
    periodic = _read_json(root / ".obsidian" / "plugins" / "periodic-notes" / "data.json",
                          problems)
    periods = _period_formats(periodic)
    daily = periodic.get("daily") if isinstance(periodic, dict) else None
    if isinstance(daily, dict) and daily.get("enabled") is True:
        return DailyFormat.of(_format_of(daily, "YYYY-MM-DD"), periods)
    core = _read_json(root / ".obsidian" / "daily-notes.json", problems)
    if not isinstance(core, dict):
        return DailyFormat.of("", periods) if periods else None
    return DailyFormat.of(_format_of(core, "YYYY-MM-DD"), periods)


#: the Periodic Notes plugin's default formats
_PERIOD_DEFAULTS = {"weekly": "gggg-[W]ww", "monthly": "YYYY-MM", "quarterly": "YYYY-[Q]Q",
                    "yearly": "YYYY"}


def _period_formats(periodic: Any) -> tuple[PeriodFormat, ...]:
    """The plugin's periodic formats that are on, in its order."""
    if not isinstance(periodic, dict):
        return ()
    found = []
    for period in PERIODS:
        settings = periodic.get(period)
        if isinstance(settings, dict) and settings.get("enabled") is True:
            found.append(PeriodFormat.of(period, _format_of(settings, _PERIOD_DEFAULTS[period])))
    return tuple(found)


def _format_of(settings: dict[str, Any], default: str) -> str:
    fmt = settings.get("format")
    return fmt.strip() if isinstance(fmt, str) and fmt.strip() else default


def _bounded_filter(item: str, problems: Problems) -> bool:
    """Whether an ignore filter may be used: a regular expression that can
    backtrack catastrophically is refused with a warning (Python's ``re``
    cannot be stopped once it runs)."""
    if not (len(item) > 2 and item.startswith("/") and item.endswith("/")):
        return True
    why = catastrophic(item[1:-1])
    if why is None:
        return True
    problems.warning(".obsidian/app.json", 1, "obsidian-settings",
                     f"userIgnoreFilters pattern {item} is ignored: it may take minutes to match "
                     f"({why}); write it without a repeat inside a repeat")
    return False


def _read_json(path: Path, problems: Problems) -> Any:
    rel = path.as_posix()
    rel = rel[rel.index("/.obsidian/") + 1:] if "/.obsidian/" in rel else path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
        deep = too_deep(text)
        if deep is not None:
            problems.warning(rel, deep, "obsidian-settings",
                             f"{rel} nests more than {MAX_NESTING} deep; it is ignored")
            return None
        return json.loads(text)
    except FileNotFoundError:
        return None
    except RecursionError:
        problems.warning(rel, 1, "obsidian-settings",
                         f"{rel} nests more than {MAX_NESTING} deep; it is ignored")
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.warning(rel, 1, "obsidian-settings", f"cannot read {rel} ({exc}); it is ignored")
        return None
