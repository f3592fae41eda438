"""The helpers of tests/support/watch_fresh.py."""

from __future__ import annotations

import os
from pathlib import Path

from support.watch_fresh import differing, is_cache, snapshot, write_keeping_times


def test_the_caches_are_vaultokr_own_files_only() -> None:
    assert is_cache(".vaultokr/index") and is_cache(".vaultokr/answer-3f2a")
    assert not is_cache(".vaultokr/templates/dashboard.md.j2") and not is_cache("index")


def test_a_snapshot_holds_bytes_and_links_and_leaves_the_caches_out(tmp_path: Path) -> None:
    (tmp_path / ".vaultokr").mkdir()
    (tmp_path / ".vaultokr" / "index").write_bytes(b"kept")
    (tmp_path / "A.md").write_bytes(b"a")
    (tmp_path / "B.md").symlink_to(tmp_path / "A.md")
    found = snapshot(tmp_path)
    assert found == {"A.md": b"a", "B.md": ("link", str(tmp_path / "A.md"))}
    assert differing(found, {**found, "A.md": b"b", "C.md": b"c"}) == ["A.md", "C.md"]


def test_an_edit_keeping_the_times_leaves_the_size_mtime_and_inode(tmp_path: Path) -> None:
    note = tmp_path / "K.md"
    note.write_bytes(b"target: 5\n")
    os.utime(note, ns=(1_000_000_000, 1_000_000_000))
    before = note.stat()
    write_keeping_times(note, b"5", b"8")
    after = note.stat()
    assert note.read_bytes() == b"target: 8\n"
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)
