"""What vaultokr generates in a vault: its notes (``vaultokr: generated``) and
the contents of its regions in the user's notes."""

from __future__ import annotations

from pathlib import Path

from support.snapshot import snapshot
from vaultokr.read.regions import apply, scan

GENERATED = "---\nvaultokr: generated"


def strip_outputs(root: Path) -> None:
    """Delete generated notes and empty every region: a vault never built."""
    for path in root.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if text.startswith(GENERATED):
            path.unlink()
        elif "vaultokr:begin" in text:
            found = scan(text)
            path.write_text(apply(found, {r.begin: "" for r in found.regions}), encoding="utf-8")


def outputs(root: Path) -> dict[str, str]:
    """Generated notes, and region contents (``PATH#NAME``), as text."""
    out = {}
    for rel, data in snapshot(root, caches=False).items():
        if not isinstance(data, bytes):
            continue
        text = data.decode("utf-8")
        if text.startswith(GENERATED):
            out[rel] = text
        elif "vaultokr:begin" in text:
            for region in scan(text).regions:
                out[f"{rel}#{region.name}"] = region.content
    return out
