"""Issue 9, OS faults: every OS error (space, permissions, names, read-only)
is a problem or a clear error naming the file, never exit 3; the note is left
as it was and no temporary file stays. Faults are injected by monkeypatching
``os`` calls (and ``io.open`` for writes made with pathlib), except where the
real filesystem produces them (long and non-UTF-8 names, hard links)."""

from __future__ import annotations

import builtins
import errno
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.cli import Ran
from support.safety import KR, OBJ, build, make_vault, temp_files
from support.snapshot import snapshot

REGION_NOTE = (OBJ + "my words\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
               "after\n").encode()
WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def vault(tmp_path: Path) -> Path:
    return make_vault(tmp_path, {"O.md": REGION_NOTE, "K.md": KR})


def oserror(code: int, path: object) -> OSError:
    return OSError(code, os.strerror(code), os.fsdecode(path) if path is not None else None)


def fail_writes(monkeypatch: pytest.MonkeyPatch, code: int,
                hit: Callable[[str], bool] = lambda p: True) -> None:
    """Every write-opening of a path for which ``hit`` is true (and every
    mkdir, replace, rename of one) fails with ``code``."""
    real_open, real_io_open = os.open, io.open
    real_mkdir, real_replace, real_rename = os.mkdir, os.replace, os.rename

    def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & WRITES and hit(os.fsdecode(path)):
            raise oserror(code, path)
        return real_open(path, flags, *args, **kwargs)

    def any_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | bytes | os.PathLike) and set(mode) & set("wax+") \
                and hit(os.fsdecode(file)):
            raise oserror(code, file)
        return real_io_open(file, mode, *args, **kwargs)

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if hit(os.fsdecode(path)):
            raise oserror(code, path)
        real_mkdir(path, *args, **kwargs)

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if hit(os.fsdecode(dst)):
            raise oserror(code, dst)
        real_replace(src, dst, *args, **kwargs)

    def rename(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if hit(os.fsdecode(dst)):
            raise oserror(code, dst)
        real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", any_open)
    monkeypatch.setattr(builtins, "open", any_open)
    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "rename", rename)


def assert_note_intact(root: Path) -> None:
    """O.md as it was, or with its region filled and every other byte kept."""
    data = (root / "O.md").read_bytes()
    head = REGION_NOTE[: REGION_NOTE.index(b"<!-- vaultokr:end")]
    assert data == REGION_NOTE or (data.startswith(head) and data.endswith(b"-->\nafter\n"))


def assert_fault_handled(ran: Ran, root: Path, names: str) -> None:
    ran.assert_clean()
    assert names in ran.output, ran.output
    assert_note_intact(root)
    assert temp_files(root) == []


def test_disk_full_on_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault(tmp_path)
    real_replace = os.replace

    def full(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if os.fsdecode(dst).endswith("O.md"):
            raise oserror(errno.ENOSPC, dst)
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full)
    ran = build(root)
    assert_fault_handled(ran, root, "O.md")
    assert (root / "O.md").read_bytes() == REGION_NOTE
    assert (root / "OKRs" / "Dashboard.md").is_file()  # the rest of the vault is processed


def test_no_free_inodes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault(tmp_path)
    fail_writes(monkeypatch, errno.ENOSPC, lambda p: "OKRs" in p)
    ran = build(root)
    assert_fault_handled(ran, root, "OKRs/Dashboard.md")
    assert not (root / "OKRs" / "Dashboard.md").exists()


def test_a_read_only_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault(tmp_path)
    before = snapshot(root, folders=True)
    fail_writes(monkeypatch, errno.EROFS, lambda p: p.startswith(str(root)))
    ran = build(root)
    ran.assert_clean()
    assert "read-only" in ran.output.lower(), ran.output
    assert snapshot(root, folders=True) == before


def test_a_non_writable_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault(tmp_path)
    (root / "OKRs" / "Reviews").mkdir(parents=True)
    fail_writes(monkeypatch, errno.EACCES, lambda p: "Reviews" in p)
    ran = build(root)
    assert_fault_handled(ran, root, "OKRs/Reviews")
    assert (root / "OKRs" / "Dashboard.md").is_file()
    assert b"Talks given" in (root / "O.md").read_bytes()


def test_a_non_writable_vaultokr_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault(tmp_path)
    (root / ".vaultokr").mkdir()
    fail_writes(monkeypatch, errno.EACCES, lambda p: ".vaultokr" in p)
    ran = build(root)
    ran.assert_clean()
    assert ".vaultokr" in ran.output, ran.output
    assert_note_intact(root)


def test_a_region_note_replaced_by_a_folder_mid_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault(tmp_path)
    real_replace = os.replace

    def swap_then_replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if os.fsdecode(dst).endswith("O.md") and (root / "O.md").is_file():
            (root / "O.md").unlink()
            (root / "O.md").mkdir()
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", swap_then_replace)
    ran = build(root)
    ran.assert_clean()
    assert "O.md" in ran.output
    assert (root / "O.md").is_dir() and temp_files(root) == []


@pytest.mark.parametrize("size", [240, 255])
def test_a_long_file_name(tmp_path: Path, size: int) -> None:
    name = "n" * (size - 3) + ".md"
    kr = KR.replace("[[O]]", f"[[{name[:-3]}]]")
    root = make_vault(tmp_path, {name: REGION_NOTE, "K.md": kr})
    ran = build(root)
    ran.assert_clean()
    assert b"Talks given" in (root / name).read_bytes() or name in ran.output
    assert temp_files(root) == []


def test_a_non_utf8_byte_in_a_file_name(tmp_path: Path) -> None:
    root = vault(tmp_path)
    raw = os.path.join(os.fsencode(root), b"Caf\xe9 notes.md")
    with open(raw, "wb") as handle:
        handle.write(REGION_NOTE)
    ran = build(root)
    ran.assert_clean()
    with open(raw, "rb") as handle:
        data = handle.read()
    assert data.startswith(OBJ.encode() + b"my words\n<!-- vaultokr:begin objective -->\n")
    assert data.endswith(b"-->\nafter\n")
    assert temp_files(root) == []


@pytest.mark.parametrize("path", ["OKRs/Da\\u0000sh.md", "OKRs/" + "d" * 300 + ".md"],
                         ids=["nul", "300-chars"])
def test_a_bad_output_path_in_the_config(tmp_path: Path, path: str) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR,
                                 "vaultokr.toml": f'[outputs]\ndashboard = "{path}"\n'})
    ran = build(root)
    ran.assert_clean()
    assert "dashboard" in ran.output or "vaultokr.toml" in ran.output, ran.output


def test_an_edit_saved_just_before_the_replace_is_not_lost(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault(tmp_path)
    edited = REGION_NOTE + b"TYPED JUST NOW\n"
    real_replace = os.replace

    def user_saves_first(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if os.fsdecode(dst).endswith("O.md"):
            with open(dst, "r+b") as handle:  # an in-place save, as Obsidian does
                handle.write(edited)
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", user_saves_first)
    build(root).assert_clean()
    assert b"TYPED JUST NOW" in (root / "O.md").read_bytes()


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_a_rewrite_keeps_the_owner(tmp_path: Path) -> None:
    root = vault(tmp_path)
    os.chown(root / "O.md", 1234, 1235)
    build(root).assert_clean()
    st = os.stat(root / "O.md")
    assert (st.st_uid, st.st_gid) == (1234, 1235)


def test_a_hard_linked_note_keeps_its_links(tmp_path: Path) -> None:
    root = vault(tmp_path)
    os.link(root / "O.md", tmp_path / "elsewhere.md")
    ran = build(root)
    ran.assert_clean()
    same = os.path.samefile(root / "O.md", tmp_path / "elsewhere.md")
    assert same or ("O.md" in ran.output and (root / "O.md").read_bytes() == REGION_NOTE)


def test_a_read_only_note_is_not_touched(tmp_path: Path) -> None:
    root = vault(tmp_path)
    os.chmod(root / "O.md", 0o444)
    ran = build(root)
    ran.assert_clean()
    assert (root / "O.md").read_bytes() == REGION_NOTE
    assert "O.md" in ran.output and "read-only" in ran.output.lower(), ran.output


@pytest.mark.parametrize("when", ["read", "replace"])
def test_an_edit_saved_while_properties_are_written_is_not_lost(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    """``properties = true`` writes into a key-result note: an editor's
    in-place save right after vaultokr read it, or right before the rename,
    keeps every typed byte."""
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR,
                                 "vaultokr.toml": "properties = true\n"})
    typed = KR.encode() + b"- 2026-11-18: 6 TYPED JUST NOW\n"
    real_replace, real_open = os.replace, os.open
    saved: list[str] = []

    def save(path: Any) -> None:
        if not saved:
            saved.append(os.fsdecode(path))  # (opened relative to a folder: K.md)
            with open(root / "K.md", "r+b") as handle:  # an in-place save, as Obsidian does
                handle.write(typed)

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if when == "replace" and os.fsdecode(dst).endswith("K.md"):
            save(dst)
        real_replace(src, dst, *args, **kwargs)

    def opened(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        if when == "read" and os.fsdecode(path).endswith("K.md") and saved == [] \
                and "properties" in _caller_modules():
            save(path)
        return fd

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "open", opened)
    ran = build(root)
    ran.assert_clean()
    assert saved, "the save was not made"
    assert b"TYPED JUST NOW" in (root / "K.md").read_bytes()
    assert temp_files(root) == []
    build(root).assert_clean()  # the next build writes the properties, and keeps the line
    data = (root / "K.md").read_bytes()
    assert b"TYPED JUST NOW" in data and b"okr_current: 6" in data


def _caller_modules() -> str:
    """The modules on the stack (to save only while the properties step reads)."""
    import inspect
    return " ".join(frame.filename for frame in inspect.stack()[2:8])
