"""``properties = true``: the computed properties written into key-result and
objective notes' front-matter, the generated base and the properties' types
in ``.obsidian/types.json``; ``properties = false``: the properties removed.
Unset, nothing here runs and no property with the prefix is ever touched.

A note's own bytes are replaced only on the lines of its computed keys
(``vaultokr.write.frontmatter_keys``), through the build's one writer
(compare-and-swap, the lock, links), and only when a value changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from vaultokr.compute.analysis import Analysis
from vaultokr.config.vault_config import Config
from vaultokr.core.errors import Problems
from vaultokr.model.computed_keys import KEY_RESULT, OBJECTIVE, names, obsidian_types
from vaultokr.model.okr import Model
from vaultokr.read.ownership import stamp_yaml, yaml_owner
from vaultokr.reviews.base_file import base_text
from vaultokr.run.claims import claim
from vaultokr.views.note_properties import note_values
from vaultokr.write.frontmatter_keys import KeysRefused, set_keys
from vaultokr.write.obsidian_types import TYPES_JSON, Unreadable, merged
from vaultokr.write.outputs import BuildResult
from vaultokr.write.writer import UnsafePath, resolve_output

KIND = "properties"
BASE_KEPT = ("this base was edited by hand and is kept: save your version under another "
             "name, then run vaultokr build --force")


class Builder(Protocol):
    """What this step uses of the build (``vaultokr.run.build.Builder``)."""

    analysis: Analysis
    config: Config
    model: Model
    root: Path
    force: bool
    problems: Problems
    result: BuildResult

    def read_output(self, rel: str, kind: str, path: Path) -> bytes | None: ...
    def write_output(self, rel: str, kind: str, path: Path, old: bytes | None,
                     new: bytes) -> None: ...
    def collides(self, rel: str, kind: str) -> bool: ...
    def refuse(self, rel: str, kind: str, code: str, message: str) -> None: ...


def write_properties(builder: Builder) -> None:
    config = builder.config
    if config.properties is None:
        return
    prefix = config.properties_prefix
    values = note_values(builder.analysis.results, prefix) if config.properties else {}
    notes = {o.path: names(prefix, OBJECTIVE) for o in builder.model.objectives.values()}
    notes |= {kr.path: names(prefix, KEY_RESULT)
              for kr in builder.model.key_results.values() if not kr.inline}
    for rel in sorted(notes):
        wanted = values.get(rel, {}) if config.properties else {}
        if config.properties and rel not in values:
            continue  # not in the results (an error left it out): left as it is
        _note(builder, rel, wanted, notes[rel])
    if config.properties:
        if config.base:
            _base(builder, config.base, base_text(prefix, config.stale_days))
        if (builder.root / ".obsidian").is_dir():
            _types(builder, obsidian_types(prefix))


def _note(builder: Builder, rel: str, values: dict[str, str], managed: list[str]) -> None:
    try:
        path = resolve_output(builder.root, rel)
        old = builder.read_output(rel, KIND, path)
    except (UnsafePath, LookupError):
        return
    if old is None:
        return
    try:
        text = old.decode("utf-8")
        new = set_keys(text, values, managed)
    except UnicodeDecodeError:
        return  # reported by the reader already
    except KeysRefused as exc:
        builder.problems.warning(rel, 1, "properties-refused",
                                 f"{exc}: its computed properties are not written; give it a "
                                 "front-matter that reads (--- lines around key: value lines)")
        return
    builder.write_output(rel, KIND, path, old, new.encode("utf-8"))


def _base(builder: Builder, rel: str, text: str) -> None:
    """The generated base: owned like a review (never overwritten once edited)."""
    found = claim(builder, rel, "base", yaml_owner, BASE_KEPT)
    if found is not None:
        path, old = found
        builder.write_output(rel, "base", path, old, stamp_yaml(text).encode("utf-8"))


def _types(builder: Builder, types: dict[str, str]) -> None:
    path = builder.root / TYPES_JSON
    try:
        old = builder.read_output(TYPES_JSON, "types", path)
        new = merged(old, types)
    except LookupError:
        return
    except Unreadable:
        builder.problems.warning(TYPES_JSON, 1, "properties-refused",
                                 f"{TYPES_JSON} is not the JSON Obsidian writes: the computed "
                                 "properties' types are not registered")
        return
    if new is not None:
        builder.write_output(TYPES_JSON, "types", path, old, new)
