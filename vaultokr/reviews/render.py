"""Rendering review notes: one function makes the Jinja environment.

Templates are looked up first in the vault's template folder (default
``.vaultokr/templates``), then in the defaults shipped with vaultokr. The
environment is sandboxed and strict: an undefined name is an error, reported
with the template's file and line, never a silently empty review.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import posixpath
import re
import traceback
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from vaultokr.core.errors import CannotWrite
from vaultokr.core.formatting import bar, number, percent, plural, signed
from vaultokr.core.vocab import STATUS_INFO, Commitment, Status, Trend, status_info, status_label
from vaultokr.reviews import charts
from vaultokr.reviews.budget import BudgetedSandbox, BudgetExceeded, render_within
from vaultokr.reviews.shipped import default_templates_dir


class TemplateProblem(Exception):
    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Place:
    """The note being rendered (vault path) and the link style: links are relative to it."""

    here: str = ""
    links: str = "markdown"


PLACE: ContextVar[Place | None] = ContextVar("PLACE", default=None)


def place() -> Place:
    return PLACE.get() or Place()


@dataclass
class Renderer:
    env: ImmutableSandboxedEnvironment
    root: Path
    override: Path
    refused: str = ""  # why the vault's template folder is not used, if it is not

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Render a template within the budget (budget.py); any failure of a
        template, whatever it raises, is a TemplateProblem (file and line): a
        template in the vault is input."""
        token = PLACE.set(Place(str(context.get("here", "")),
                                str(context.get("links", "markdown"))))
        try:
            return render_within(self.env.get_template(name), context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(self._where(exc.filename, name), exc.lineno or 1,
                                  f"template {name}: {exc.message}") from None
        except UnicodeDecodeError as exc:
            raise TemplateProblem(*self._bad_byte(name, exc)) from None
        except RecursionError as exc:
            path, line = self._frame(exc, name)
            raise TemplateProblem(path, line, f"template {name}: calls itself without end "
                                  "(a macro that never stops recursing)") from None
        except (jinja2.TemplateError, BudgetExceeded) as exc:
            path, line = self._frame(exc, name)
            raise TemplateProblem(path, line, f"template {name}: {exc}") from None
        except Exception as exc:  # 1 / 0, a filter given the wrong type, ...
            path, line = self._frame(exc, name)
            raise TemplateProblem(path, line,
                                  f"template {name}: {type(exc).__name__}: {exc}") from None
        finally:
            PLACE.reset(token)

    def _bad_byte(self, name: str, exc: UnicodeDecodeError) -> tuple[str, int, str]:
        line = 1
        data = exc.object if isinstance(exc.object, bytes) else b""
        if data:
            line = data.count(b"\n", 0, exc.start) + 1
        return (self._where(None, name), line,
                f"template {name}: byte 0x{data[exc.start]:02x} is not UTF-8: save the "
                "template as UTF-8" if data else f"template {name}: not UTF-8")

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


def make_renderer(root: Path, templates_dir: str) -> Renderer:
    override = root / templates_dir
    loaders: list[jinja2.BaseLoader] = []
    try:
        refused = _outside(root, override)
        use = override.is_dir() and not refused
    except PermissionError:  # a folder on its way (.vaultokr, say) that may not be entered
        raise CannotWrite(f"cannot read the template folder {templates_dir}: permission denied",
                          path=str(override), hint="nothing was written; check the permissions "
                          "of the folder and the folders above it in the vault (ls -ld), or "
                          "run vaultokr as their owner") from None
    if use:
        loaders.append(jinja2.FileSystemLoader(str(override), followlinks=False))
    loaders.append(jinja2.FileSystemLoader(str(default_templates_dir())))
    env = BudgetedSandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        bar=bar, percent=percent, number=_number, signed=signed, badge=badge,
        callout=callout, wikilink=wikilink, link=link, hints=hints, date=format_date,
        chart=chart, status=status_label, trend=trend, plural=plural, nb=nonbreaking,
    )
    # what templates ask of a status or a commitment: ``k.status is behind``
    env.tests.update(
        behind=lambda status: status in STATUS_INFO and Status(status).is_behind,
        committed=lambda commitment: commitment == Commitment.COMMITTED,
        here=is_here,
    )
    return Renderer(env, root, override, refused=refused)


def _outside(root: Path, folder: Path) -> str:
    """Why the template folder may not be read (a link, or leading outside the
    vault), or ""."""
    if not folder.is_dir():
        return ""
    real_root = os.path.realpath(root)
    real = os.path.realpath(folder)
    if any(p.is_symlink() for p in (folder, *folder.parents) if p != root and
           root in p.parents) or not real.startswith(real_root + os.sep):
        return ("the template folder is a symbolic link or leads outside the vault; its "
                "templates are not used (the defaults are): move the templates into a folder "
                "of the vault")
    return ""


# ------------------------------------------------------------------ filters
def _number(value: float | None, unit: str | None = None, places: int = 2) -> str:
    return number(value, unit, places)


def badge(status: str) -> str:
    info = status_info(status)
    return f"{info.emoji} {info.label}"


def callout(status: str) -> str:
    """The alert a status is shown in (NOTE, TIP, IMPORTANT, WARNING, CAUTION):
    an alert on GitHub, a callout in Obsidian."""
    return status_info(status).callout


def nonbreaking(text: str, units: bool = False) -> str:
    """Spaces that keep a short phrase on one line of a table cell; with
    ``units``, only a number and the word after it (``10 invitations``), so a
    longer phrase still wraps."""
    if units:
        return re.sub(r"(?<=\d) (?=\S)", "\u00a0", str(text))
    return str(text).replace(" ", "\u00a0")


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
    """The key result's Mermaid chart (see :mod:`vaultokr.reviews.charts`), or ""."""
    data = kr.get("chart")
    return charts.mermaid(data) if data else ""


def link(target: str, label: str | None = None, table: bool = False) -> str:
    """A link to a note (its vault path without ``.md``; a ``#`` is part of the
    file name, never a heading): a relative,
    percent-encoded Markdown link from the note being written (``links =
    "markdown"``, works in Obsidian and on GitHub) or a wikilink (``"wiki"``).
    A link to the note being written is its plain title."""
    path = target
    label = label or path.rsplit("/", 1)[-1]
    where = place()
    if is_here(path):
        return label.replace("|", "\\|") if table else label
    if where.links == "wiki":
        return wikilink(path, label, table)
    dest = _relative(path, where.here)
    text = re.sub(r"([\\\[\]])", r"\\\1", label)
    if table:
        text = text.replace("|", "\\|")
    return f"[{text}]({dest})"


@functools.lru_cache(maxsize=4096)
def _relative(path: str, here: str) -> str:
    """The percent-encoded relative link from the note ``here`` to the note
    ``path`` (a vault path without ``.md``); an output links to the same notes
    from the same place many times."""
    folder = posixpath.dirname(here) or "."
    return quote(posixpath.relpath(path + ".md", folder), safe="/")


def is_here(target: str) -> bool:
    """Whether a note (a vault path without ``.md``) is the one being written."""
    here = place().here
    return bool(here) and target + ".md" == here


def hints(text: str) -> str:
    """A message for the reader: wikilinks and other things to type become code,
    never live links."""
    parts = re.split(r"(`[^`]*`)", text.replace("\n", " "))
    typed = r'([\w-]+: "\[\[[^\]]*\]\]"|\[\[[^\]]*\]\])'  # `objective: "[[O]]"`, `[[O]]`
    return "".join(part if part.startswith("`") else re.sub(typed, r"`\1`", part)
                   for part in parts)
