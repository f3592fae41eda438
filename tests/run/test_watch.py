"""vaultokr watch with real filesystem events (timeouts, tolerant of extra
events)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.vaults import AS_OF, checkin, kr, objective, write
from support.waiting import wait_for
from support.watching import Running, restoring, said, settle

from vaultokr.run.watch import Runaway, WatchOptions
from vaultokr.write.lock import vault_lock

KR = kr(title="Speaking invitations", measure="sum", target=10)


def checkin_on(day: int, value: int) -> str:
    """A check-in of K on 2026-11-DAY."""
    return checkin(date=f"2026-11-{day:02d}", kr="[[K]]", value=value)


WITH_REGION = objective("\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n")
VAULT = {"O.md": objective(), "K.md": KR, "Check-ins/2026-11-02.md": checkin_on(day=2, value=3)}


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[Callable[..., Running]]:
    started: list[Running] = []

    def start(files: dict[str, str | bytes] = VAULT, **options: object) -> Running:
        root = write(tmp_path / f"vault{len(started)}", files)
        running = Running(root, WatchOptions(**{"debounce": 0.1, "as_of": AS_OF, **options}))
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


def test_an_edited_checkin_updates_the_dashboard(watching: Callable[..., Running]) -> None:
    w = watching()
    assert "30%" in w.dashboard()
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=7))
    wait_for(lambda: "70%" in w.dashboard(), said=said)


def test_an_atomic_save_is_noticed(watching: Callable[..., Running]) -> None:
    w = watching()
    temp = w.root / "Check-ins" / ".2026-11-03.md.tmp"
    temp.write_text(checkin_on(day=3, value=5))
    os.replace(temp, w.root / "Check-ins" / "2026-11-03.md")
    wait_for(lambda: "80%" in w.dashboard(), said=said)


def test_a_burst_of_200_files_gives_a_few_rebuilds(watching: Callable[..., Running]) -> None:
    w = watching(debounce=0.3)
    before = w.watcher.rebuilds
    folder = w.root / "Notes"
    folder.mkdir()
    for i in range(200):
        (folder / f"Note {i}.md").write_text(f"# Note {i}\n\nsome text\n")
    (w.root / "Check-ins" / "2026-11-04.md").write_text(checkin_on(day=4, value=1))
    wait_for(lambda: "40%" in w.dashboard(), said=said)
    time.sleep(1.0)
    assert 1 <= w.watcher.rebuilds - before <= 3
    assert len([e for e in w.watcher.entries.values() if not e.generated]) == 204


def test_own_writes_trigger_nothing(watching: Callable[..., Running]) -> None:
    files = {**VAULT, "O.md": WITH_REGION}
    w = watching(files)
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=6))
    wait_for(lambda: "60%" in w.dashboard(), said=said)
    settle(w)  # the rebuild has finished and its own events have come and gone
    rebuilds = w.watcher.rebuilds
    stamps = {p: p.stat().st_mtime_ns for p in w.root.rglob("*") if p.is_file()}
    time.sleep(3.0)
    assert w.watcher.rebuilds == rebuilds
    assert {p: p.stat().st_mtime_ns for p in w.root.rglob("*") if p.is_file()} == stamps


def test_a_broken_note_is_reported_and_fixing_it_recovers(
    watching: Callable[..., Running],
) -> None:
    w = watching()
    (w.root / "K.md").write_text(KR.replace("target: 10", "target: [10"))
    wait_for(lambda: any("[yaml-syntax]" in line for line in w.lines), said=said)
    (w.root / "Check-ins" / "2026-11-05.md").write_text(checkin_on(day=5, value=1))
    time.sleep(0.5)
    assert w.error is None and w.thread.is_alive()
    (w.root / "K.md").write_text(KR)
    wait_for(lambda: any(line.strip().startswith("fixed:") and "yaml-syntax" in line
                         for line in w.lines), said=said)
    wait_for(lambda: "40%" in w.dashboard(), said=said)


def test_deleting_a_key_result_updates_the_outputs(watching: Callable[..., Running]) -> None:
    w = watching()
    assert "Speaking invitations" in w.dashboard()
    (w.root / "K.md").unlink()
    wait_for(lambda: "Speaking invitations" not in w.dashboard(), said=said)


def test_editing_a_template_re_renders(watching: Callable[..., Running]) -> None:
    w = watching()
    write(w.root, {".vaultokr/templates/dashboard.md.j2": "# Mine: {{ objectives | length }}\n"})
    wait_for(lambda: "# Mine: 1" in w.dashboard(), said=said)


def test_a_hand_edit_inside_a_region_is_kept(watching: Callable[..., Running]) -> None:
    files = {**VAULT, "O.md": WITH_REGION}
    w = watching(files)
    note = w.root / "O.md"
    wait_for(lambda: "| Key result |" in note.read_text(), said=said)
    edited = note.read_text().replace("| Key result |", "| My key result |")
    note.write_text(edited)
    wait_for(lambda: any("[region-edited]" in line for line in w.lines), said=said)
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=9))
    wait_for(lambda: "90%" in w.dashboard(), said=said)
    assert note.read_text() == edited


def test_an_exception_in_a_rebuild_is_reported_and_the_loop_goes_on(
    watching: Callable[..., Running], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultokr.run.kept import KeptPipeline

    w = watching()
    real = KeptPipeline.analyse
    calls = {"n": 0}

    def fails_once(self: KeptPipeline, as_of: dt.date) -> object:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return real(self, as_of)

    # the analysis as a whole: an edit of a check-in updates the last one (incremental.py)
    monkeypatch.setattr(KeptPipeline, "analyse", fails_once)
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=5))
    wait_for(lambda: any("rebuild failed: RuntimeError: boom" in line for line in w.lines),
             said=said)
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=6))
    wait_for(lambda: "60%" in w.dashboard(), said=said)


def test_a_dead_observer_is_restarted(watching: Callable[..., Running]) -> None:
    w = watching()
    w.watcher.observer.stop()
    w.watcher.observer.join(timeout=5)
    wait_for(lambda: any("restarting it" in line for line in w.lines), said=said)
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=8))
    wait_for(lambda: "80%" in w.dashboard(), said=said)


def test_polling_observer(watching: Callable[..., Running]) -> None:
    w = watching(poll=True)
    assert w.watcher.observer_kind.startswith("polling")
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=4))
    wait_for(lambda: "40%" in w.dashboard(), said=said)


@pytest.mark.parametrize("poll", [False, True])
def test_the_default_quiet_period_is_short_only_when_closes_are_seen(
        watching: Callable[..., Running], poll: bool) -> None:
    """Native events pair a modification with its close (inflight.py): 100 ms.
    Polling sees no close: the quiet period keeps 300 ms; given, it is as given."""
    w = watching(debounce=None, poll=poll)
    assert w.watcher.debounce == (0.3 if poll else 0.1)
    assert watching(debounce=0.25, poll=poll).watcher.debounce == 0.25


def test_a_runaway_stops_the_watcher(watching: Callable[..., Running]) -> None:
    w = watching(runaway_writes=4)
    dashboard = w.root / "OKRs" / "Dashboard.md"
    first = dashboard.read_bytes()
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=6))
    wait_for(lambda: dashboard.read_bytes() != first, said=said)
    with restoring(dashboard, first):  # a sync tool puts the old version back
        wait_for(lambda: isinstance(w.error, Runaway), timeout=20, said=said)
    assert "(4 times in a row)" in str(w.error)


def test_frequent_saves_are_not_a_runaway(watching: Callable[..., Running]) -> None:
    w = watching(runaway_writes=3)
    for value in range(1, 8):
        (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=value))
        wait_for(lambda value=value: f"{value}0%" in w.dashboard(), said=said)
    assert w.error is None and w.thread.is_alive()


def test_settings_are_reloaded(watching: Callable[..., Running]) -> None:
    w = watching()
    (w.root / "vaultokr.toml").write_text('[outputs]\ndashboard = "Home.md"\n')
    wait_for(lambda: (w.root / "Home.md").exists(), said=said)
    assert "Speaking invitations" in (w.root / "Home.md").read_text()


def test_sync_conflict_copies_are_not_notes(watching: Callable[..., Running]) -> None:
    w = watching()
    (w.root / "Check-ins" / "2026-11-02.sync-conflict-20261120-ABCDEF.md").write_text(
        checkin_on(day=2, value=9))
    (w.root / "Check-ins" / "2026-11-03.md").write_text(checkin_on(day=3, value=1))
    wait_for(lambda: "40%" in w.dashboard(), said=said)  # 3 + 1, not + 9
    assert not any("sync-conflict" in rel for rel in w.watcher.entries)


def test_sigterm_exits_cleanly(tmp_path: Path) -> None:
    root = write(tmp_path / "vault", VAULT)
    proc = subprocess.Popen(
        [sys.executable, "-m", "vaultokr", "watch", str(root), "--as-of", "2026-11-20",
         "--debounce", "100"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("vaultokr watch: vault · 3 notes · 3 outputs · ready in ")
    (root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=2))
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert out.rstrip().endswith("vaultokr watch: stopped")
    assert not list(root.rglob("*.vaultokr-tmp"))
    with vault_lock(root, timeout=0.5):
        pass


def test_the_timed_rescan_rebuilds_only_when_it_finds_a_missed_change(
        watching: Callable[..., Running]) -> None:
    w = watching(rescan=0.3)
    settle(w, quiet=0.5)
    before = w.watcher.rebuilds
    time.sleep(1.5)  # several timed rescans of an unchanged vault: no rebuild, no CPU burst
    assert w.watcher.rebuilds == before
    assert "30%" in w.dashboard()
    w.watcher.notice = lambda *args, **kwargs: None  # type: ignore[method-assign]
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=7))
    # the event was dropped: the rescan finds it
    wait_for(lambda: "70%" in w.dashboard(), said=said)
    wait_for(lambda: w.watcher.rebuilds == before + 1, said=said)


PROPERTIES = {**VAULT, "vaultokr.toml": "properties = true\n"}


def test_computed_properties_are_written_without_feeding_on_themselves(
        watching: Callable[..., Running]) -> None:
    w = watching(PROPERTIES)
    note = w.root / "K.md"
    wait_for(lambda: "okr_current: 3\n" in note.read_text(), said=said)
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=6))
    wait_for(lambda: "okr_current: 6\n" in note.read_text() and "60%" in w.dashboard(),
             said=said)
    settle(w)
    rebuilds = w.watcher.rebuilds
    stamps = {p: p.stat().st_mtime_ns for p in w.root.rglob("*") if p.is_file()}
    time.sleep(3.0)
    assert w.watcher.rebuilds == rebuilds
    assert {p: p.stat().st_mtime_ns for p in w.root.rglob("*") if p.is_file()} == stamps


def test_a_program_fighting_over_the_properties_is_a_runaway(
        watching: Callable[..., Running]) -> None:
    w = watching(PROPERTIES, runaway_writes=4)
    note = w.root / "K.md"
    wait_for(lambda: "okr_current: 3\n" in note.read_text(), said=said)
    first = note.read_bytes()
    (w.root / "Check-ins" / "2026-11-02.md").write_text(checkin_on(day=2, value=6))
    wait_for(lambda: note.read_bytes() != first, said=said)
    with restoring(note, first):  # a sync tool puts the old version back
        wait_for(lambda: isinstance(w.error, Runaway), timeout=20, said=said)
    assert "K.md" in str(w.error)
