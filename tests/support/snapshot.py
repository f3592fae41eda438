"""A folder as data: every path under it with its bytes, to compare a vault
before and after a run byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

#: vaultokr's own folder in a vault (settings' templates, and its caches)
OWN_FOLDER = ".vaultokr"


def snapshot(top: Path, *, caches: bool = True,
             folders: bool = False) -> dict[str, bytes | str]:
    """Every file under ``top`` (relative POSIX path → bytes). A symbolic link is
    given as ``"-> TARGET"`` and never followed, anything else but a file as
    ``"<special>"``. ``caches=False`` leaves out everything under ``.vaultokr/``
    (vaultokr's index, answers, last build, lock); ``folders=True`` lists the
    folders too, as ``"<dir>"``."""
    found: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(top):
        if not caches and OWN_FOLDER in dirs:
            dirs.remove(OWN_FOLDER)  # os.walk goes into what is left in dirs
        for name in dirs + files:
            full = Path(folder, name)
            rel = full.relative_to(top).as_posix()
            if not caches and name == OWN_FOLDER:
                continue
            if full.is_symlink():
                found[rel] = "-> " + os.readlink(full)
            elif full.is_dir():
                if folders:
                    found[rel] = "<dir>"
            elif full.is_file():
                found[rel] = full.read_bytes()
            else:
                found[rel] = "<special>"
    return dict(sorted(found.items()))


def changed(before: dict[str, bytes | str], after: dict[str, bytes | str]) -> set[str]:
    """The paths added, removed or changed between two snapshots."""
    return {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
