"""``vaultokr init``: the settings file, the example notes of an empty vault,
and vaultokr's property types registered in Obsidian's ``types.json``.
Nothing that exists is overwritten."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultokr.commands.authoring import create_note, link, note_text
from vaultokr.config.settings import toml_template
from vaultokr.model.properties import OBSIDIAN_TYPES
from vaultokr.syntax.values import parse_period
from vaultokr.write.obsidian_types import register_types


@dataclass
class InitResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    types: str = "absent"  # absent, added, unchanged, unreadable
    examples: bool = True  # whether the example notes were wanted
    notes_found: int = 0  # notes the vault had already


def has_notes(root: Path) -> int:
    """How many Markdown notes a folder holds already (hidden folders aside)."""
    count = 0
    for path in root.rglob("*.md"):
        if not any(part.startswith(".") for part in path.relative_to(root).parts):
            count += 1
    return count


def init_settings(folder: str, checkins: str) -> dict[str, Any]:
    """The settings init writes in place of the defaults: the folders chosen,
    and the outputs moved into the chosen folder."""
    values: dict[str, Any] = {}
    folder, checkins = folder.strip().strip("/") or "OKRs", checkins.strip().strip("/")
    if folder != "OKRs":
        values["notes.folder"] = folder
        values["outputs.dashboard"] = f"{folder}/Dashboard.md"
        values["outputs.period"] = f"{folder}/Reviews/{{period}}.md"
        values["outputs.week"] = f"{folder}/Reviews/{{week}}.md"
    if checkins and checkins != "Check-ins":
        values["notes.checkins"] = checkins
    return values


def init(root: Path, today: dt.date, folder: str = "OKRs",
         checkins: str = "Check-ins", examples: bool | None = None) -> InitResult:
    """Add the settings file and, in a vault with no notes yet (or when
    ``examples``), one example of each note; change nothing else."""
    result = InitResult()
    root.mkdir(parents=True, exist_ok=True)
    result.notes_found = has_notes(root)
    result.examples = examples if examples is not None else not result.notes_found
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    quarter_start = parse_period(quarter).start
    # the example check-in is yesterday's, so that today's first real one is a date of its own
    example_day = max(quarter_start, today - dt.timedelta(days=1))
    ambition = "Be the person people ask about my craft"
    objective = "Become a visible voice in my field"
    kr = "Speaking invitations"
    notes = {
        "vaultokr.toml": toml_template(init_settings(folder, checkins)),
        f"{folder}/{ambition}.md": note_text([("type", "ambition")], (
            f"# {ambition}\n\nA long-range direction, not a job title: what problems do I "
            "want to solve, what impact do I want to have? Objectives below serve it.\n\n"
            "<!-- vaultokr:begin ambition -->\n<!-- vaultokr:end -->\n")),
        f"{folder}/{quarter}/{objective}.md": note_text(
            [("type", "objective"), ("period", quarter), ("ambition", link(ambition))], (
                f"# {objective}\n\nQualitative and time-bound. Its key results measure a "
                "change in other people's behaviour: outcomes, not activities.\n\n"
                "<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n")),
        f"{folder}/{quarter}/{kr}.md": note_text(
            [("type", "key-result"), ("objective", link(objective)), ("measure", "sum"),
             ("unit", "invitations"), ("target", 6)],
            f"# {kr}\n\nInvitations to speak this quarter.\n\n## Log\n"),
        f"{checkins}/{example_day.isoformat()} First check-in.md": note_text(
            [("type", "check-in"), ("date", example_day), ("kr", link(kr)), ("value", 1),
             ("confidence", 5), ("comment", "a meetup organiser asked me")]),
    }
    for rel, text in notes.items():
        if rel != "vaultokr.toml" and not result.examples:
            continue
        path = root / rel
        if path.exists() or path.is_symlink():
            result.skipped.append(rel)
            continue
        create_note(root, rel, text)
        result.created.append(rel)
    if (root / ".obsidian").is_dir():
        result.types = register_types(root, OBSIDIAN_TYPES)
    return result
