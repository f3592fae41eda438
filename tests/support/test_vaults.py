"""support.vaults: notes as a person writes them, and copies of the committed
vaults without what running vaultokr in the checkout left behind."""

from __future__ import annotations

from pathlib import Path

from support.snapshot import snapshot
from support.vaults import SAMPLE, copy_vault, kr, objective, write


def test_notes_are_written_as_a_person_types_them(tmp_path: Path) -> None:
    root = write(tmp_path / "v", {"O.md": objective(),
                                  "K.md": kr(target=10, log=["2026-11-02: 4"], tags=["a", "b"]),
                                  "x/raw.md": b"\xff"})
    assert (root / "O.md").read_bytes() == b"---\ntype: objective\nperiod: 2026-Q4\n---\n"
    assert (root / "K.md").read_bytes() == (b'---\ntype: key-result\nobjective: "[[O]]"\n'
                                            b"target: 10\ntags: [a, b]\n---\n- 2026-11-02: 4\n")
    assert (root / "x" / "raw.md").read_bytes() == b"\xff"


def test_a_copy_leaves_out_the_caches_but_keeps_what_git_tracks(tmp_path: Path) -> None:
    source = write(tmp_path / "source", {
        "O.md": objective(), "vaultokr.toml": "",
        ".vaultokr/.gitignore": "index\n", ".vaultokr/templates/dashboard.md.j2": "x",
        ".vaultokr/index": b"cache", ".vaultokr/answer-0123": b"cache",
        ".vaultokr/last-build": b"cache", ".vaultokr/lock": b"",
        "Sub/.vaultokr/index": b"not vaultokr's own folder",
    })
    copied = copy_vault(source, tmp_path / "copy")
    assert sorted(snapshot(copied)) == [
        ".vaultokr/.gitignore", ".vaultokr/templates/dashboard.md.j2", "O.md",
        "Sub/.vaultokr/index", "vaultokr.toml"]


def test_a_copy_of_the_sample_vault_has_every_note(tmp_path: Path) -> None:
    copied = snapshot(copy_vault(SAMPLE, tmp_path / "s"), caches=False)
    assert copied == snapshot(SAMPLE, caches=False)
    assert len(copied) > 50
