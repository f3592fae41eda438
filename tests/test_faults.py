"""Three faults met outside the caches, each on its exact input:

- a vault this user may not enter (the folder itself, or one above it), and
  one whose ``.vaultokr/`` this user may not write: run as ``nobody`` in a
  child process (the tests run as root here; they skip otherwise);
- ``checkin`` into a key-result note that is a link leading outside the vault;
- a one-shot ``build`` during an editor's save in two writes of a note with a
  region.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, SHIPPED_STILL
from tests.safety_support import KR, OBJ, Ran, snapshot
from vaultokr.cli import main
from vaultokr.write import inflight

NOBODY = 65534
REGION_NOTE = (OBJ + "my words\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
               "after\n")
COMMANDS = ("status", "build", "check", "init")


def as_nobody(*args: str, cwd: Path | None = None) -> Ran:
    """``python -m vaultokr ARGS`` run as the unprivileged user ``nobody``
    (by ``setpriv``, after the child has entered ``cwd`` as root)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VAULTOKR_DEBUG", None)
    drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    proc = subprocess.run([*drop, sys.executable, "-m", "vaultokr", *args], capture_output=True,
                          timeout=60, env=env, cwd=cwd, check=False)
    return Ran(proc.returncode, (proc.stdout + proc.stderr).decode(errors="replace"))


@pytest.fixture
def open_base() -> Iterator[Path]:
    """A folder ``nobody`` may enter (pytest's own tmp_path sits in a folder
    only root may enter), removed afterwards."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root: the test runs vaultokr as the user nobody")
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to run vaultokr as the user nobody")
    base = Path(tempfile.mkdtemp(prefix="vaultokr-faults-"))
    try:
        base.chmod(0o755)
        probe = as_nobody("--version")
        if probe.code != 0:
            pytest.skip(f"the user nobody cannot run vaultokr from this checkout: {probe.output}")
        yield base
    finally:
        shutil.rmtree(base)


def nobody_vault(base: Path) -> Path:
    """A vault owned by nobody, with a note holding a region (a build would
    write into it) and the key result it shows."""
    root = base / "v"
    root.mkdir()
    (root / "vaultokr.toml").write_text("")
    (root / "O.md").write_text(REGION_NOTE)
    (root / "K.md").write_text(KR)
    for path in (root, *root.iterdir()):
        os.chown(path, NOBODY, NOBODY)
    return root


def assert_usage_error(ran: Ran, *words: str) -> None:
    assert ran.code == 2, ran.output
    assert "internal error" not in ran.output and "Traceback" not in ran.output, ran.output
    for word in words:
        assert word in ran.output, ran.output


# ------------------------------------------------ 1. a vault one may not enter
@pytest.mark.parametrize("mode", [0o700, 0o744, 0o711],
                         ids=["no-access", "listable-not-enterable", "enterable-not-listable"])
def test_a_vault_folder_this_user_may_not_enter(open_base: Path, mode: int) -> None:
    root = nobody_vault(open_base)
    os.chown(root, 0, 0)
    root.chmod(mode)
    before = snapshot(root)
    for command in COMMANDS:
        ran = as_nobody(command, "--vault", str(root))
        assert_usage_error(ran, f"{root} cannot be entered: permission denied",
                           "run vaultokr as its owner")
    assert snapshot(root) == before


def test_a_folder_above_the_vault_this_user_may_not_enter(open_base: Path) -> None:
    parent = open_base / "private"
    parent.mkdir(mode=0o700)
    root = nobody_vault(parent)
    before = snapshot(root)
    for given in (root, root / "sub"):  # the vault, or a folder inside it
        for command in COMMANDS:
            ran = as_nobody(command, "--vault", str(given))
            assert_usage_error(ran, f"{given} cannot be reached: the folder {parent} above it "
                               "cannot be entered", "run vaultokr as its owner")
    # started inside the vault (entered before the user changed): the same
    ran = as_nobody("status", cwd=root)
    assert_usage_error(ran, f"the folder {parent} above it cannot be entered")
    assert snapshot(root) == before


@pytest.mark.parametrize("mode", [0o755, 0o700], ids=["not-writable", "not-enterable"])
def test_a_vaultokr_folder_this_user_may_not_write(open_base: Path, mode: int) -> None:
    """``status`` and ``check`` read the vault and answer as without the
    index; ``build`` writes nothing and exits 1 naming ``.vaultokr``."""
    root = nobody_vault(open_base)
    expected = {command: as_nobody(command, "--vault", str(root), "--as-of", "2026-11-20",
                                   "--no-cache") for command in ("status", "check")}
    assert expected["status"].code == 0 and "Talks given" in expected["status"].output
    own = root / ".vaultokr"
    own.mkdir(mode=mode)
    before = snapshot(root)
    for command in ("status", "check"):
        ran = as_nobody(command, "--vault", str(root), "--as-of", "2026-11-20")
        assert ran.code == expected[command].code, ran.output
        lines = [line for line in ran.output.splitlines() if "cannot read the index" not in line]
        assert lines == expected[command].output.splitlines()
    ran = as_nobody("build", "--vault", str(root), "--as-of", "2026-11-20")
    assert ran.code == 1, ran.output
    assert f"{own}" in ran.output and "permission denied" in ran.output, ran.output
    assert "nothing was written" in ran.output, ran.output
    assert snapshot(root) == before


# ------------------------------------- 2. checkin into a link leading outside


def linked_kr_vault(tmp_path: Path) -> tuple[Path, Path]:
    """A vault whose key-result note K.md is a link to a file outside it."""
    outside = tmp_path / "elsewhere" / "K.md"
    outside.parent.mkdir()
    outside.write_text(KR)
    root = tmp_path / "vault"
    root.mkdir()
    (root / "vaultokr.toml").write_text("")
    (root / "O.md").write_text(OBJ)
    (root / "K.md").symlink_to(outside)
    return root, outside


def run(*args: str, input_text: str | None = None) -> Ran:
    result = CliRunner().invoke(main, list(args), input=input_text, catch_exceptions=True)
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += f"\nTraceback: uncaught {type(result.exception).__name__}"
    return Ran(result.exit_code, output)


@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_checkin_into_a_key_result_that_links_outside_the_vault(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dry_run: bool) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 11, 20))
    root, outside = linked_kr_vault(tmp_path)
    before = snapshot(tmp_path)
    ran = run("checkin", "Talks given", "5", "--vault", str(root),
              *(["--dry-run"] if dry_run else []))
    assert ran.code == 1, ran.output
    assert "internal error" not in ran.output and "Traceback" not in ran.output, ran.output
    assert ("K.md: error: the note is a link to a file outside the vault "
            f"({os.path.realpath(outside)}); vaultokr writes only inside the vault and never "
            "through a link: nothing was added") in ran.output, ran.output
    assert "vaultokr checkin 'Talks given' 5 --note" in ran.output, ran.output
    assert snapshot(tmp_path) == before  # neither the vault nor the file outside changed
    # what the hint says works: the value lands in a check-in note of the vault
    ran = run("checkin", "Talks given", "5", "--vault", str(root), "--note")
    assert ran.code == 0, ran.output
    assert "value: 5" in (root / "Check-ins" / "2026-11-20 Talks given.md").read_text()
    assert outside.read_text() == KR


def test_checkin_into_a_key_result_that_links_to_another_note_of_the_vault(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 11, 20))
    root = tmp_path / "vault"
    (root / "Real").mkdir(parents=True)
    (root / "O.md").write_text(OBJ)
    (root / "Real" / "K2.md").write_text(KR)
    (root / "K.md").symlink_to(Path("Real", "K2.md"))
    before = snapshot(root)
    ran = run("checkin", "K", "5", "--vault", str(root))
    assert ran.code == 1, ran.output
    assert "K.md: error: the note is a link to Real/K2.md; vaultokr never writes through a link: "\
        "nothing was added" in ran.output, ran.output
    assert "hint: check in to that note: vaultokr checkin Real/K2 5 " in ran.output, ran.output
    assert snapshot(root) == before


def test_the_weekly_walk_leaves_a_key_result_that_links_outside_and_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a week after the last measurement (2026-11-16): both key results are due
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 11, 27))
    root, outside = linked_kr_vault(tmp_path)
    other = KR.replace("title: Talks given", "title: Blog posts")
    (root / "B.md").write_text(other)
    # Blog posts first (titles in order, both stale alike), then Talks given
    ran = run("checkin", "--vault", str(root), input_text="3\n\n\n4\n\n\n")
    assert ran.code == 1, ran.output
    assert "internal error" not in ran.output and "Traceback" not in ran.output, ran.output
    assert "→ not recorded: K.md: error: the note is a link to a file outside the vault" \
        in ran.output, ran.output
    assert "1 recorded, 0 skipped, 1 not recorded." in ran.output, ran.output
    assert "error: not recorded: Talks given" in ran.output, ran.output
    assert (root / "B.md").read_text() == other + "\n## Log\n- 2026-11-27: 3\n"
    assert outside.read_text() == KR


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
    assert SHIPPED_STILL > 2.0  # longer than the editor's pause, or the build wakes with it
    root = tmp_path / "vault"
    root.mkdir()
    (root / "vaultokr.toml").write_text("")
    (root / "K.md").write_text(KR)
    (root / "O.md").write_text(OBJ + "my words\n")
    thread, first_written = editor_saving(root / "O.md", pause=2.0)
    try:
        assert first_written.wait(10)
        ran = run("build", "--vault", str(root), "--as-of", "2026-11-20")
    finally:
        thread.join()
    assert ran.code == 0, ran.output
    assert (root / "O.md").read_bytes() == (FIRST + REST).encode()  # the whole save, kept
    assert "O.md" not in [line.split()[-1] for line in ran.output.splitlines()
                          if line.startswith(("updated", "created"))], ran.output
    # the next build fills the region of the saved note (now still: no wait)
    monkeypatch.setattr(inflight, "STILL", 0.0)
    ran = run("build", "--vault", str(root), "--as-of", "2026-11-20")
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
    ran = run("build", "--vault", str(root), "--as-of", "2026-11-20")
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
    ran = run("build", "--vault", str(root), "--as-of", "2026-11-20", "--verbose")
    assert ran.code == 0, ran.output
    assert (root / "O.md").read_text() == FIRST + REST
    assert "another program kept writing this note for 0 s, so vaultokr left it as it is: " \
        "run vaultokr build again once it is saved" in ran.output, ran.output
