"""What a changed path means to ``vaultokr watch`` (:func:`classify`) and the
change pending until the next rebuild (:class:`Change`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from vaultokr.config.vault_config import CONFIG_NAME, Config
from vaultokr.read.listing import is_note_path
from vaultokr.write.writer import TEMP_SUFFIX

SETTINGS = {CONFIG_NAME, ".obsidian/app.json", ".obsidian/templates.json",
            ".obsidian/daily-notes.json", ".obsidian/plugins/periodic-notes/data.json"}


@dataclass
class Change:
    """Paths changed since the last rebuild."""

    notes: set[str] = field(default_factory=set)
    settings: bool = False
    templates: bool = False
    full: bool = False
    retry: bool = False  # the last build left an output that was being written
    periodic: bool = False  # the timed rescan: a rebuild only if it finds a change

    def __bool__(self) -> bool:
        return bool(self.notes or self.settings or self.templates or self.full or self.retry
                    or self.periodic)

    def add(self, kind: str, rel: str) -> None:
        if kind == "note":
            self.notes.add(rel)
        elif kind == "settings":
            self.settings = True
        elif kind == "templates":
            self.templates = True
        else:
            self.full = True


def classify(rel: str, directory: bool, event_type: str, config: Config) -> str | None:
    """What a changed path means: "note", "settings", "templates", "full" (a
    rescan), or None (nothing to do)."""
    if rel in SETTINGS:
        return "settings"
    templates = config.templates_dir.strip("/") + "/"
    if rel.startswith(templates) and (directory or rel.endswith(".j2")):
        return "templates"
    if rel.endswith(TEMP_SUFFIX) or any(p.startswith(".") for p in rel.split("/")):
        return None
    if directory:
        # a folder created, moved or deleted may bring or take notes that no
        # event will name; a folder "modified" is only a file inside it changing
        return "full" if event_type in ("created", "moved", "deleted") else None
    if is_note_path(rel, config):
        return "note"
    return None
