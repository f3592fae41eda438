"""The index's delta (``.vaultokr/index.delta``): after a few notes changed,
only their entries are written, laid over the index file by the next run;
it is used only with the index file it was written for."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.counting import count_reads
from support.vaults import Vault, kr, kr_result, objective, okrs, run

from vaultokr.cache import index
from vaultokr.config.vault_config import Config


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return count_reads(monkeypatch)


def kept(root: Path) -> tuple[Path, Path]:
    folder = root / ".vaultokr"
    return folder / "index", folder / "index.delta"


def test_an_edit_writes_only_the_changed_entry_and_the_next_run_uses_it(
        vault: Vault, reads: list[str]) -> None:
    root = okrs(vault)
    run(root)
    whole, delta = kept(root)
    before = whole.read_bytes()
    assert not delta.exists()
    (root / "K.md").write_text(kr(target=10, log=["2026-11-02: 4", "2026-11-09: 7"]))
    os.utime(root / "K.md", (1_700_000_000, 1_700_000_000))  # long ago: not racy
    assert kr_result(run(root), "K").current == 7
    assert whole.read_bytes() == before  # the index file is not written again
    loaded = index.Index.load(root, Config())
    assert loaded.in_delta == {"K.md"}
    reads.clear()
    assert kr_result(run(root), "K").current == 7
    assert reads == []  # K.md from the delta, the others from the index file


def test_a_gone_note_is_gone_from_the_delta_too(vault: Vault) -> None:
    root = okrs(vault)
    run(root)
    (root / "Other.md").unlink()
    run(root)
    assert "Other.md" not in index.Index.load(root, Config()).entries
    assert "Other.md" in index.Index.load(root, Config()).base


def test_many_changes_write_the_index_file_in_full_and_drop_the_delta(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root = okrs(vault)
    run(root)
    (root / "Other.md").write_text("more prose\n")
    run(root)
    whole, delta = kept(root)
    assert delta.exists()
    before = whole.read_bytes()
    monkeypatch.setattr(index, "DELTA_MIN", 0)
    (root / "Other.md").write_text("prose once more\n")
    run(root)
    assert not delta.exists() and whole.read_bytes() != before
    assert index.Index.load(root, Config()).in_delta == set()


def test_a_delta_of_another_index_file_is_not_used(vault: Vault) -> None:
    root = okrs(vault)
    run(root)
    (root / "K.md").write_text(kr(target=10, log=["2026-11-02: 9"]))
    run(root)
    whole, delta = kept(root)
    stale = delta.read_bytes()
    whole.unlink()
    delta.unlink()
    run(root)  # no index: written in full, with a token of its own
    delta.write_bytes(stale)
    loaded = index.Index.load(root, Config())
    assert loaded.in_delta == set() and loaded.entries is loaded.base
    assert kr_result(run(root), "K").current == 9


def test_a_damaged_delta_leaves_the_index_file_in_use(vault: Vault, reads: list[str]) -> None:
    root = okrs(vault)
    run(root)
    _, delta = kept(root)
    delta.write_bytes(delta.parent.joinpath("index").read_bytes().split(b"\n")[0].replace(
        b" index ", b" index-delta ") + b"\nnot a pickle")
    reads.clear()
    assert kr_result(run(root), "K").current == 4
    assert reads == []


def test_recent_notes_read_again_unchanged_are_trusted_once_the_delta_is_older(
        vault: Vault, reads: list[str]) -> None:
    root = vault({"O.md": objective(), "K.md": kr(target=10, log=["2026-11-02: 4"]),
                  "Other.md": "prose\n"})
    run(root)  # the index file, written just after the notes: none of them trusted yet
    (root / "Other.md").write_text("more prose\n")
    reads.clear()
    run(root)  # O and K read again, the same: kept in the delta with this run's time
    assert sorted(reads) == ["K.md", "O.md", "Other.md"]
    _, delta = kept(root)
    later = delta.stat().st_mtime + 10  # as if the delta had been written a while after
    os.utime(delta, (later, later))
    reads.clear()
    assert kr_result(run(root), "K").current == 4
    assert reads == []
