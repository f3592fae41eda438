"""The persistent index in .vaultokr/: what it saves is what reading gives,
it notices every change, and an index it cannot trust is never used."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from support.cli import invoke
from support.counting import count_builds, count_reads
from support.outputs import strip_outputs
from support.snapshot import snapshot
from support.vaults import (
    AS_OF,
    SAMPLE,
    Vault,
    age,
    copy_vault,
    kr,
    kr_result,
    objective,
    okrs,
    run,
)

from vaultokr.cache import store
from vaultokr.run.oneshot import build

ARGS = ("--as-of", "2026-11-20", "--json")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The notes a run reads from disk (not from the index)."""
    return count_reads(monkeypatch)


def test_built_from_the_index_the_sample_vault_is_the_committed_one(
        tmp_path: Path, reads: list[str]) -> None:
    root = copy_vault(SAMPLE, tmp_path / "sample-vault")
    strip_outputs(root)
    age(root)
    run(root)  # reads every note, writes the index
    assert len(reads) > 50
    reads.clear()
    build(root, AS_OF)
    assert reads == []  # every note came from the index
    assert snapshot(root, caches=False) == snapshot(SAMPLE, caches=False)


def test_only_changed_notes_are_read_again(vault: Vault, reads: list[str]) -> None:
    root = okrs(vault)
    assert kr_result(run(root), "K").current == 4
    assert sorted(reads) == ["K.md", "O.md", "Other.md"]
    reads.clear()
    assert kr_result(run(root), "K").current == 4
    assert reads == []
    (root / "K.md").write_text(kr(target=10, log=["2026-11-02: 7", "2026-11-09: 8"]))
    (root / "Gone.md").write_text("new\n")
    (root / "Other.md").unlink()
    analysis = run(root)
    assert kr_result(analysis, "K").current == 8
    assert sorted(reads) == ["Gone.md", "K.md"]
    assert sorted(analysis.files.ids) == ["Gone", "K", "O"]


def test_an_edit_that_keeps_size_and_mtime_is_still_noticed(vault: Vault) -> None:
    root = okrs(vault)
    note = root / "K.md"
    assert kr_result(run(root), "K").current == 4
    st = note.stat()
    text = note.read_text()
    note.write_text(text.replace("2026-11-02: 4", "2026-11-02: 6"))
    os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same size and time again
    assert (note.stat().st_size, note.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert kr_result(run(root), "K").current == 6  # the ctime moved: read again


def test_a_changed_setting_reads_every_note_again(vault: Vault, reads: list[str]) -> None:
    root = okrs(vault)
    run(root)
    reads.clear()
    (root / "vaultokr.toml").write_text("stale_days = 30\n")
    run(root)
    assert sorted(reads) == ["K.md", "O.md", "Other.md"]


def damage(root: Path, how: str) -> None:
    path = root / ".vaultokr" / "index"
    data = path.read_bytes()
    header, _, payload = data.partition(b"\n")
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        path.write_bytes(b"\x00\xff" * 100)
    elif how == "version":
        path.write_bytes(header.replace(b" 0.", b" 99.", 1) + b"\n" + payload)
    elif how == "format 1":  # entries pickled with pickle's default reductions
        old = pickle.dumps(pickle.loads(payload))
        words = header.split(b" ")
        words[2] = b"1"
        path.write_bytes(b" ".join(words) + b"\n" + old)
    elif how == "format 2":  # the header before the one store: "vaultokr-index 2 VERSION STAMP"
        words = header.split(b" ")
        path.write_bytes(b"vaultokr-index 2 " + words[3] + b" " + words[4] + b"\n" + payload)
    elif how == "code":  # a pickle that would run a command when loaded
        marker = root.parent / "pwned"
        evil = pickle.dumps(_Evil(str(marker)))
        path.write_bytes(header + b"\n" + evil)


def forget_answers(root: Path) -> None:
    for path in (root / ".vaultokr").glob("answer-*"):
        path.unlink()


class _Evil:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize(("how", "notice"), [
    ("truncated", "the index is damaged (UnpicklingError)"),
    ("garbage", "the index is not one vaultokr wrote"),
    ("version", "the index was written by another version of vaultokr"),
    ("format 1", "the index was written by another version of vaultokr"),
    ("format 2", "the index was written by another version of vaultokr"),
    ("code", "the index is damaged (UnpicklingError)"),
])
def test_an_index_that_cannot_be_trusted_is_discarded_with_a_notice(
        vault: Vault, monkeypatch: pytest.MonkeyPatch, how: str, notice: str) -> None:
    root = okrs(vault)
    code, expected, err = invoke("status", str(root), *ARGS)
    assert (code, err) == (0, "")
    damage(root, how)
    forget_answers(root)  # else the same status is printed again without the index
    code, out, err = invoke("status", str(root), *ARGS)
    assert code == 0
    assert out == expected
    assert err == f"vaultokr: {notice}; reading every note (it will be written again)\n"
    assert not (root.parent / "pwned").exists()
    assert invoke("status", str(root), *ARGS) == (0, expected, "")  # written again, trusted


def test_no_cache_and_the_setting_keep_no_index(vault: Vault) -> None:
    root = okrs(vault)
    code, expected, _ = invoke("status", str(root), *ARGS, "--no-cache")
    assert code == 0
    assert not (root / ".vaultokr" / "index").exists()
    (root / "vaultokr.toml").write_text("index = false\n")
    assert invoke("status", str(root), *ARGS) == (0, expected, "")
    assert not (root / ".vaultokr" / "index").exists()
    (root / "vaultokr.toml").write_text("index = true\n")
    assert invoke("status", str(root), *ARGS) == (0, expected, "")
    assert (root / ".vaultokr" / "index").is_file()
    assert "index" in (root / ".vaultokr" / ".gitignore").read_text().split("\n")


def test_recent_notes_are_read_again_until_they_are_older(vault: Vault,
                                                          reads: list[str]) -> None:
    root = vault({"O.md": objective(), "K.md": kr(target=10, log=["2026-11-02: 4"])})
    run(root)
    reads.clear()
    run(root)  # written just now: a coarse clock could hide an edit, so not trusted yet
    assert sorted(reads) == ["K.md", "O.md"]


# ------------------------------------------------ build with nothing changed
@pytest.fixture
def built_twice(tmp_path: Path) -> Path:
    """The sample vault built twice, the second time with nothing changed."""
    root = copy_vault(SAMPLE, tmp_path / "sample-vault")
    strip_outputs(root)
    age(root)
    build(root, AS_OF)
    build(root, AS_OF)
    assert (root / ".vaultokr" / "last-build").is_file()
    return root


def test_a_build_with_nothing_changed_renders_nothing(built_twice: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ran = count_builds(monkeypatch)
    result = build(built_twice, AS_OF)
    assert ran == []
    assert {o.outcome for o in result.outputs} == {"unchanged"}
    assert len(result.outputs) == 23
    assert snapshot(built_twice, caches=False) == snapshot(SAMPLE, caches=False)
    build(built_twice, AS_OF.replace(day=21))  # another date: built in full
    assert ran == [1]


@pytest.mark.parametrize("change", ["note", "output", "template", "setting"])
def test_any_changed_input_builds_in_full(built_twice: Path, monkeypatch: pytest.MonkeyPatch,
                                          change: str) -> None:
    ran = count_builds(monkeypatch)
    if change == "note":
        note = built_twice / "OKRs" / "2026-Q4" / "LinkedIn connections.md"
        note.write_text(note.read_text().replace("1,437", "1,500"))
    elif change == "output":
        dashboard = built_twice / "OKRs" / "Dashboard.md"
        dashboard.unlink()
    elif change == "template":
        folder = built_twice / ".vaultokr" / "templates"
        folder.mkdir()
        (folder / "unused.md.j2").write_text("x\n")
    else:
        (built_twice / "vaultokr.toml").write_text("stale_days = 15\n")
    result = build(built_twice, AS_OF)
    assert ran == [1]
    if change in ("note", "output"):
        assert any(o.changed for o in result.outputs)


def test_vaultokr_s_own_files_are_not_written_again_with_the_same_bytes(tmp_path: Path) -> None:
    # compare before write, for .vaultokr/ as for the vault: a second build
    # with recent notes (read again within the racy window) or with a broken
    # note rewrote the index and last-build with the same bytes every time
    target = tmp_path / "vault" / ".vaultokr" / "index"
    (tmp_path / "vault").mkdir()
    assert store.write_atomic(target, b"same bytes")
    first = os.stat(target)
    assert store.write_atomic(target, b"same bytes")
    again = os.stat(target)
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert store.write_atomic(target, b"other bytes")
    assert target.read_bytes() == b"other bytes"
    os.unlink(target)
    os.mkfifo(target)  # never read: a FIFO would block
    assert not store.write_atomic(target, b"x") or target.read_bytes() == b"x"
