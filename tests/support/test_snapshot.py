"""support.snapshot: every path with its bytes; links not followed; caches out on request."""

from __future__ import annotations

import os
from pathlib import Path

from support.snapshot import changed, snapshot
from support.vaults import write


def test_a_snapshot_is_every_file_with_its_bytes(tmp_path: Path) -> None:
    root = write(tmp_path / "v", {"a.md": b"A", "d/b.md": b"B", ".vaultokr/index": b"I",
                                  ".vaultokr/templates/t.j2": b"T"})
    (root / "empty").mkdir()
    outside = write(tmp_path / "out", {"secret.md": b"S"})
    os.symlink(outside / "secret.md", root / "link.md")
    assert snapshot(root) == {".vaultokr/index": b"I", ".vaultokr/templates/t.j2": b"T",
                              "a.md": b"A", "d/b.md": b"B",
                              "link.md": f"-> {outside / 'secret.md'}"}
    assert snapshot(root, caches=False) == {"a.md": b"A", "d/b.md": b"B",
                                            "link.md": f"-> {outside / 'secret.md'}"}
    assert {rel for rel, v in snapshot(root, folders=True).items() if v == "<dir>"} == {
        ".vaultokr", ".vaultokr/templates", "d", "empty"}


def test_changed_names_what_was_added_removed_or_rewritten(tmp_path: Path) -> None:
    root = write(tmp_path / "v", {"same.md": "x", "edited.md": "x", "gone.md": "x"})
    before = snapshot(root)
    (root / "edited.md").write_text("y")
    (root / "gone.md").unlink()
    (root / "new.md").write_text("x")
    assert changed(before, snapshot(root)) == {"edited.md", "gone.md", "new.md"}
