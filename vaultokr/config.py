"""Settings: ``vaultokr.toml`` at the vault root and the Obsidian settings
that decide which notes are part of the vault.

Every key of ``vaultokr.toml`` (all optional)::

    type_key = "type"          # the front-matter key that gives a note its role
    exclude = ["Archive/**"]   # globs (vault-relative, "/" separators) to skip
    stale_days = 14            # a key result with no measurement for longer is stale
    max_key_results = 5        # SMART focus warning above this many per objective
    max_active_objectives = 5  # SMART focus warning above this many per period

    [status]
    on_track = -0.15           # gap = progress - expected; on track at or above this
    at_risk = -0.30            # at risk at or above this, else off track

    [outputs]                  # where `vaultokr build` writes; false turns one off
    dashboard = "OKRs/Dashboard.md"
    period = "OKRs/Reviews/{period}.md"
    week = "OKRs/Reviews/{week}.md"
    regions = true             # fill <!-- vaultokr:begin NAME --> regions in notes

    [templates]
    folder = ".vaultokr/templates"   # templates here override the defaults by name
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultokr.errors import Problems

CONFIG_NAME = "vaultokr.toml"

_TOP_KEYS: dict[str, type] = {
    "type_key": str,
    "exclude": list,
    "stale_days": int,
    "max_key_results": int,
    "max_active_objectives": int,
}
_STATUS_KEYS: dict[str, type] = {"on_track": float, "at_risk": float}
_OUTPUT_KEYS = {"dashboard": "{}", "period": "{period}", "week": "{week}"}
#: sections later commands read; accepted here so they are not reported as unknown
_LATER_SECTIONS = {"watch", "init"}


@dataclass
class Config:
    type_key: str = "type"
    exclude: list[str] = field(default_factory=list)
    stale_days: int = 14
    max_key_results: int = 5
    max_active_objectives: int = 5
    on_track: float = -0.15
    at_risk: float = -0.30
    templates_folder: str | None = None  # from .obsidian/templates.json
    ignore_filters: list[str] = field(default_factory=list)  # .obsidian/app.json
    dashboard: str | None = "OKRs/Dashboard.md"
    period: str | None = "OKRs/Reviews/{period}.md"
    week: str | None = "OKRs/Reviews/{week}.md"
    regions: bool = True
    templates_dir: str = ".vaultokr/templates"
    raw: dict[str, Any] = field(default_factory=dict)


def load_config(root: Path, problems: Problems) -> Config:
    config = Config()
    path = root / CONFIG_NAME
    if path.is_file():
        _read_toml(path, config, problems)
    _read_obsidian(root, config, problems)
    return config


def _read_toml(path: Path, config: Config, problems: Problems) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(CONFIG_NAME, 1, "config-invalid", f"cannot read {CONFIG_NAME}: {exc}")
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
    config.raw = data
    lines = _key_lines(path)
    for key, value in data.items():
        if key == "status" and isinstance(value, dict):
            for sub, subvalue in value.items():
                _set(config, sub, subvalue, _STATUS_KEYS, f"status.{sub}", lines, problems)
        elif key == "outputs" and isinstance(value, dict):
            _outputs(config, value, lines, problems)
        elif key == "templates" and isinstance(value, dict):
            folder = value.get("folder")
            if isinstance(folder, str) and folder.strip():
                config.templates_dir = folder.strip()
            elif folder is not None or set(value) - {"folder"}:
                problems.error(CONFIG_NAME, lines.get("folder", 1), "config-invalid",
                               '[templates] takes folder = ".vaultokr/templates"')
        elif key in _LATER_SECTIONS:
            continue
        else:
            _set(config, key, value, _TOP_KEYS, key, lines, problems)
    if not config.at_risk <= config.on_track <= 0:
        problems.error(
            CONFIG_NAME,
            lines.get("on_track", 1),
            "config-invalid",
            "status thresholds must satisfy at_risk <= on_track <= 0, e.g. on_track = -0.15 "
            "and at_risk = -0.30; the defaults are used",
        )
        config.on_track, config.at_risk = -0.15, -0.30


def _set(
    config: Config,
    key: str,
    value: Any,
    allowed: dict[str, type],
    shown: str,
    lines: dict[str, int],
    problems: Problems,
) -> None:
    line = lines.get(key, 1)
    kind = allowed.get(key)
    if kind is None:
        problems.warning(
            CONFIG_NAME,
            line,
            "config-unknown-key",
            f"unknown setting {shown!r} is ignored; the settings are: "
            + ", ".join(sorted([*_TOP_KEYS, *(f"status.{k}" for k in _STATUS_KEYS)])),
        )
        return
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if ok and kind is list:
        ok = all(isinstance(item, str) for item in value)
    if ok and kind is int:
        ok = value >= 0
    if not ok:
        example = {str: '"type"', list: '["Archive/**"]', int: "14", float: "-0.15"}[kind]
        problems.error(
            CONFIG_NAME,
            line,
            "config-invalid",
            f"setting {shown!r} has the wrong type: write e.g. {key} = {example}",
        )
        return
    setattr(config, key, value)


def _outputs(config: Config, value: dict[str, Any], lines: dict[str, int],
             problems: Problems) -> None:
    for key, path in value.items():
        line = lines.get(key, 1)
        if key == "regions":
            if isinstance(path, bool):
                config.regions = path
            else:
                problems.error(CONFIG_NAME, line, "config-invalid",
                               "outputs.regions is true or false")
            continue
        placeholder = _OUTPUT_KEYS.get(key)
        if placeholder is None:
            problems.warning(CONFIG_NAME, line, "config-unknown-key",
                             f"unknown output {key!r} is ignored; the outputs are dashboard, "
                             "period, week and regions")
        elif path is False:
            setattr(config, key, None)
        elif not isinstance(path, str) or not path.strip().endswith(".md") or (
            placeholder != "{}" and placeholder not in path
        ):
            example = {"dashboard": "OKRs/Dashboard.md", "period": "OKRs/Reviews/{period}.md",
                       "week": "OKRs/Reviews/{week}.md"}[key]
            problems.error(CONFIG_NAME, line, "config-invalid",
                           f"outputs.{key} must be a .md path"
                           + (f" with {placeholder}" if placeholder != "{}" else "")
                           + f", or false: write {key} = \"{example}\"")
        else:
            setattr(config, key, path.strip())


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
        config.ignore_filters = [f for f in filters if isinstance(f, str) and f]


def _read_json(path: Path, problems: Problems) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        rel = path.relative_to(path.parent.parent).as_posix()
        problems.warning(rel, 1, "obsidian-settings", f"cannot read {rel} ({exc}); it is ignored")
        return None
