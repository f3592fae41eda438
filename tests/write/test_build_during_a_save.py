"""A one-shot ``build`` during an editor's save in two writes of a note with a
region: the build waits until the note is still, and leaves the editor's
save whole."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from support.cli import invoke
from support.safety import KR, OBJ
from support.settling import SHIPPED_STILL

from vaultokr.write import inflight

# ------------------------------ 3. a one-shot build during an editor's save
FIRST = OBJ + "my words\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
REST = "after\nand the rest of the save\n"


def editor_saving(path: Path, pause: float) -> tuple[threading.Thread, threading.Event]:
    """An editor saving ``path`` in place, in two writes ``pause`` seconds
    apart, without closing it between them; the event is set once the first
    write (the one holding the region) is in the file."""
    first_written = threading.Event()

    def save() -> None:
        with open(path, "r+b", buffering=0) as handle:
            handle.truncate(0)
            handle.write(FIRST.encode())
            first_written.set()
            time.sleep(pause)
            handle.write(REST.encode())

    thread = threading.Thread(target=save)
    thread.start()
    return thread, first_written


def test_a_build_during_a_save_in_two_writes_leaves_the_note_to_the_editor(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inflight, "STILL", SHIPPED_STILL)  # conftest lowers it for the rest
    assert SHIPPED_STILL > 1.5  # longer than the editor's pause, or the build wakes with it
    root = tmp_path / "vault"
    root.mkdir()
    (root / "vaultokr.toml").write_text("")
    (root / "K.md").write_text(KR)
    (root / "O.md").write_text(OBJ + "my words\n")
    thread, first_written = editor_saving(root / "O.md", pause=1.5)
    try:
        assert first_written.wait(10)
        ran = invoke("build", "--vault", str(root), "--as-of", "2026-11-20")
    finally:
        thread.join()
    assert ran.code == 0, ran.output
    assert (root / "O.md").read_bytes() == (FIRST + REST).encode()  # the whole save, kept
    assert "O.md" not in [line.split()[-1] for line in ran.output.splitlines()
                          if line.startswith(("updated", "created"))], ran.output
    # the next build fills the region of the saved note (now still: no wait)
    monkeypatch.setattr(inflight, "STILL", 0.0)
    ran = invoke("build", "--vault", str(root), "--as-of", "2026-11-20")
    assert ran.code == 0, ran.output
    data = (root / "O.md").read_text()
    head = OBJ + "my words\n<!-- vaultokr:begin objective -->\n"
    assert data.startswith(head) and data.endswith("-->\n" + REST), data
    assert "Talks given" in data[len(head):-len(REST)], data


def test_a_build_waits_for_no_note_that_is_still(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A note last changed longer ago than STILL is written at once: the
    build never sleeps (the threshold is lowered to keep the test short)."""
    monkeypatch.setattr(inflight, "STILL", 0.3)
    root = tmp_path / "vault"
    root.mkdir()
    (root / "K.md").write_text(KR)
    (root / "O.md").write_text(FIRST + REST)
    deadline = time.monotonic() + 10
    while min(inflight._quiet(root / name) for name in ("K.md", "O.md")) < 0.3:
        assert time.monotonic() < deadline
        time.sleep(0.05)

    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"the build waited {seconds} s for a still note")

    monkeypatch.setattr("vaultokr.write.inflight.time.sleep", no_sleep)
    ran = invoke("build", "--vault", str(root), "--as-of", "2026-11-20")
    assert ran.code == 0, ran.output
    assert "Talks given" in (root / "O.md").read_text()


def test_a_note_that_keeps_changing_is_left_with_a_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inflight, "STILL", SHIPPED_STILL)
    monkeypatch.setattr(inflight, "SETTLE_MAX", 0.0)  # given up at once, as after 10 s
    root = tmp_path / "vault"
    root.mkdir()
    (root / "K.md").write_text(KR)
    (root / "O.md").write_text(FIRST + REST)
    ran = invoke("build", "--vault", str(root), "--as-of", "2026-11-20", "--verbose")
    assert ran.code == 0, ran.output
    assert (root / "O.md").read_text() == FIRST + REST
    assert "another program kept writing this note for 0 s, so vaultokr left it as it is: " \
        "run vaultokr build again once it is saved" in ran.output, ran.output
