"""The writer: byte-exact, atomic, compare-and-swap, never outside the vault."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vaultokr.read import ownership
from vaultokr.write import writer
from vaultokr.write.writer import Outcome, UnsafePath, encode_like, replace_file, resolve_output


def test_creates_writes_and_leaves_unchanged_files_alone(tmp_path: Path) -> None:
    path = tmp_path / "OKRs" / "Dashboard.md"
    assert replace_file(path, b"one\n", None) is Outcome.CREATED
    assert path.read_bytes() == b"one\n"
    os.utime(path, (1_000_000, 1_000_000))
    assert replace_file(path, b"one\n", b"one\n") is Outcome.UNCHANGED
    assert path.stat().st_mtime == 1_000_000  # not touched
    assert replace_file(path, b"two\n", b"one\n") is Outcome.WRITTEN
    assert path.read_bytes() == b"two\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["Dashboard.md"]


def test_compare_and_swap_refuses_when_the_file_changed(tmp_path: Path) -> None:
    path = tmp_path / "Note.md"
    path.write_bytes(b"typed in Obsidian\n")
    assert replace_file(path, b"ours\n", b"what we read earlier\n") is Outcome.CONFLICT
    assert path.read_bytes() == b"typed in Obsidian\n"
    assert replace_file(tmp_path / "New.md", b"x", b"expected to exist") is Outcome.CONFLICT
    assert not (tmp_path / "New.md").exists()


def test_change_during_the_write_is_detected(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "Note.md"
    path.write_bytes(b"old\n")
    real_fchmod = os.fchmod

    def user_saves_meanwhile(fd: int, mode: int) -> None:
        real_fchmod(fd, mode)
        path.write_bytes(b"the user's edit\n")  # in place, as Obsidian saves

    monkeypatch.setattr(writer.os, "fchmod", user_saves_meanwhile)
    assert replace_file(path, b"new\n", b"old\n") is Outcome.CONFLICT
    assert path.read_bytes() == b"the user's edit\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Note.md"]


def test_a_write_failing_midway_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Note.md"
    path.write_bytes(b"precious\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "fsync", disk_full)
    with pytest.raises(OSError):
        replace_file(path, b"new\n", b"precious\n")
    assert path.read_bytes() == b"precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Note.md"]


def test_replace_failing_leaves_no_temporary_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "Note.md"
    path.write_bytes(b"precious\n")
    monkeypatch.setattr(writer.os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(5, "EIO")))
    with pytest.raises(OSError):
        replace_file(path, b"new\n", b"precious\n")
    assert path.read_bytes() == b"precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Note.md"]


def test_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "Note.md"
    path.write_bytes(b"a")
    path.chmod(0o640)
    replace_file(path, b"b", b"a")
    assert path.stat().st_mode & 0o777 == 0o640


def test_line_endings_and_bom_are_kept() -> None:
    assert encode_like("a\nb\n", b"\xef\xbb\xbfx\r\ny\r\n") == b"\xef\xbb\xbfa\r\nb\r\n"
    assert encode_like("a\nb\n", b"x\ny\r\n") == b"a\nb\n"
    assert encode_like("a\n", None) == b"a\n"


@pytest.mark.parametrize("rel", ["../outside.md", "/etc/passwd", "a/../../x.md", "", "C:/x.md"])
def test_paths_outside_the_vault_are_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(UnsafePath):
        resolve_output(tmp_path, rel)


def test_links_are_never_written_through(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "Out").symlink_to(outside)
    (root / "Link.md").symlink_to(outside / "target.md")
    with pytest.raises(UnsafePath, match="leads outside the vault"):
        resolve_output(root, "Out/Dashboard.md")
    with pytest.raises(UnsafePath, match="symbolic link"):
        resolve_output(root, "Link.md")
    assert resolve_output(root, "OKRs/Dashboard.md") == root / "OKRs" / "Dashboard.md"


def test_checksum_ignores_line_endings_and_bom() -> None:
    assert ownership.checksum("a\nb\n") == ownership.checksum("\ufeffa\r\nb\r\n")
    assert ownership.checksum("a\n") != ownership.checksum("a \n")
    assert ownership.checksum("a").startswith("sha256:") and len(ownership.checksum("a")) == 23
