"""Rendering review notes: one function makes the Jinja environment.

Templates are looked up first in the vault's template folder (default
``.vaultokr/templates``), then in the defaults shipped with vaultokr. The
environment is sandboxed and strict: an undefined name is an error, reported
with the template's file and line, never a silently empty review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from vaultokr.formatting import bar, number, percent
from vaultokr.vocab import STATUS_INFO, Commitment, Status, Trend, status_info, status_label

PACKAGE = Path(__file__).resolve().parent


def default_templates_dir() -> Path:
    """The templates shipped in the wheel (``vaultokr/templates``), or, in a
    checkout, the project's ``templates/`` folder."""
    inside = PACKAGE / "templates"
    if (inside / "dashboard.md.j2").is_file():
        return inside
    return PACKAGE.parent / "templates"


class TemplateProblem(Exception):
    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message


@dataclass
class Renderer:
    env: ImmutableSandboxedEnvironment
    root: Path
    override: Path
    memoize: bool = False  # for a renderer kept between builds (watch)
    memo: dict[tuple[str, str], str] = field(default_factory=dict)

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Render a template; TemplateProblem (file and line) when it is broken.

        Templates get plain data, so the same context renders the same text: a
        renderer kept between builds (by ``watch``) renders it once."""
        if not self.memoize:
            return self._render(name, context)
        key = (name, hashlib.sha256(json.dumps(context, sort_keys=True, default=str)
                                    .encode()).hexdigest())
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        text = self._render(name, context)
        self.memo[key] = text
        return text

    def _render(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(self._where(exc.filename, name), exc.lineno or 1,
                                  f"template {name}: {exc.message}") from None
        except jinja2.TemplateError as exc:
            path, line = self._frame(exc, name)
            raise TemplateProblem(path, line, f"template {name}: {exc}") from None

    def _frame(self, exc: BaseException, name: str) -> tuple[str, int]:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                return self._where(frame.filename, name), frame.lineno or 1
        return self._where(None, name), 1

    def _where(self, filename: str | None, name: str) -> str:
        path = Path(filename) if filename else self.override / name
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return f"(vaultokr)/templates/{path.name}"


def make_renderer(root: Path, templates_dir: str, memoize: bool = False) -> Renderer:
    override = root / templates_dir
    loaders: list[jinja2.BaseLoader] = []
    if override.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders.append(jinja2.FileSystemLoader(str(default_templates_dir())))
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        bar=bar, percent=percent, number=_number, signed=signed, badge=badge,
        callout=callout, wikilink=wikilink, date=format_date, chart=chart,
        status=status_label, trend=trend,
    )
    # what templates ask of a status or a commitment: ``k.status is behind``
    env.tests.update(
        behind=lambda status: status in STATUS_INFO and Status(status).is_behind,
        committed=lambda commitment: commitment == Commitment.COMMITTED,
    )
    return Renderer(env, root, override, memoize)


# ------------------------------------------------------------------ filters
def _number(value: float | None, unit: str | None = None) -> str:
    return number(value, unit)


def signed(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "–"
    if abs(value) < 1e-9:
        return "±0"
    sign = "+" if value > 0 else "−"
    return sign + number(abs(value), unit)


def badge(status: str) -> str:
    info = status_info(status)
    return f"{info.emoji} {info.label}"


def callout(status: str) -> str:
    return status_info(status).callout


def trend(value: str | None) -> str:
    """``↗ improving``; "–" for no trend."""
    return f"{Trend(value).arrow} {value}" if value else "–"


def wikilink(target: str, label: str | None = None, table: bool = False) -> str:
    """``[[target|label]]``; in a table the pipe is escaped, as Obsidian wants."""
    label = label or target.rsplit("/", 1)[-1].split("#")[0]
    if label == target:
        return f"[[{target}]]"
    bar_ = "\\|" if table else "|"
    clean = label.replace("[", "(").replace("]", ")").replace("|", "/")
    return f"[[{target}{bar_}{clean}]]"


def format_date(value: str | dt.date | None, fmt: str = "%a %d %b %Y") -> str:
    if value is None:
        return "–"
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime(fmt)


def chart(kr: dict[str, Any]) -> str:
    """A Mermaid xychart-beta of the values (and the expected path), or ""
    with fewer than two measured dates."""
    points = kr["history"]
    if len(points) < 2:
        return ""
    labels = [p["date"][5:] for p in points]
    values = [p["value"] for p in points]
    expected = [p["expected"] for p in points]
    series = values + [v for v in expected if v is not None]
    if kr.get("target") is not None:
        series.append(kr["target"])
    low, high = min(*series, 0.0), max(series)
    if math.isclose(low, high):
        high = low + 1
    pad = (high - low) * 0.1
    low = 0.0 if low >= 0 else low - pad
    title = str(kr["title"]).replace('"', "'")
    unit = str(kr.get("unit") or "value").replace('"', "'")
    lines = [
        "```mermaid",
        "xychart-beta",
        f'    title "{title}"',
        "    x-axis [" + ", ".join(f'"{label}"' for label in labels) + "]",
        f'    y-axis "{unit}" {_num(low)} --> {_num(high + pad)}',
        "    line [" + ", ".join(_num(v) for v in values) + "]",
    ]
    if all(v is not None for v in expected):
        lines.append("    line [" + ", ".join(_num(v) for v in expected) + "]")
    lines.append("```")
    return "\n".join(lines)



def _num(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "0"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
