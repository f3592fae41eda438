"""Property types registered in Obsidian's ``.obsidian/types.json`` (what its
Properties panel shows a property as): the missing ones added, every type
the user set kept, nothing touched when complete."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vaultokr.write.writer import Outcome, read_bytes, replace_file

RETRIES = 5  # another program writing the file meanwhile: read it again
TYPES_JSON = ".obsidian/types.json"


class Unreadable(ValueError):
    """types.json is not the JSON Obsidian writes: it is left alone."""


def merged(old: bytes | None, types: dict[str, str]) -> bytes | None:
    """The file with ``types`` added where missing; None when nothing is missing."""
    data: Any = {"types": {}}
    if old is not None:
        try:
            data = json.loads(old.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise Unreadable(TYPES_JSON) from None
        if not isinstance(data, dict) or not isinstance(data.setdefault("types", {}), dict):
            raise Unreadable(TYPES_JSON)
    missing = {k: v for k, v in types.items() if k not in data["types"]}
    if not missing:
        return None
    data["types"].update(missing)
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def register_types(root: Path, types: dict[str, str]) -> str:
    """Merge ``types`` into .obsidian/types.json: "added", "unchanged", or
    "unreadable" (left alone)."""
    path = root / TYPES_JSON
    for _ in range(RETRIES):
        old = read_bytes(path)
        try:
            new = merged(old, types)
        except Unreadable:
            return "unreadable"
        if new is None:
            return "unchanged"
        if replace_file(path, new, old, root=root) is not Outcome.CONFLICT:
            return "added"
    return "unreadable"
