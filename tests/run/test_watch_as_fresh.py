"""``vaultokr watch`` keeps the vault as a fresh ``build --no-cache`` of the
same files makes it, promptly (long before the timed rescan), through links,
polling, folder events and editors saving in place. Real watchers, real
file events, on copies of the sample vault."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.watch_fresh import Watching, sample, write_keeping_times

from vaultokr.cache import index

#: a key result that holds no region (so the watcher never writes it)
KR = "OKRs/2026-Q4/Guest post requests.md"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return sample(tmp_path / "vault")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the vault."""
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def edit(path: Path, old: bytes = b"target: 5\n", new: bytes = b"target: 8\n") -> None:
    """The key result's target changed in place (the file keeps its inode)."""
    data = path.read_bytes()
    assert old in data
    with open(path, "r+b") as handle:
        handle.write(data.replace(old, new))


# ---------------------------------------------------------- a note that is a link
@pytest.mark.parametrize("where", ["outside the vault", "in a dot-folder of the vault"])
def test_an_edit_of_what_a_linked_note_leads_to_rebuilds(vault: Path, outside: Path,
                                                          tmp_path: Path, where: str) -> None:
    target = (outside if where == "outside the vault" else vault / ".store") / "kr.md"
    target.parent.mkdir(exist_ok=True)
    shutil.move(vault / KR, target)
    (vault / KR).symlink_to(target)
    with Watching(vault) as w:
        edit(target)
        w.catches_up(tmp_path / "fresh")


def test_a_linked_note_pointed_elsewhere_rebuilds(vault: Path, outside: Path,
                                                  tmp_path: Path) -> None:
    shutil.move(vault / KR, outside / "kr.md")
    (vault / KR).symlink_to(outside / "kr.md")
    other = outside / "kr2.md"
    with Watching(vault) as w:
        other.write_bytes((outside / "kr.md").read_bytes().replace(b"target: 5", b"target: 8"))
        (vault / "link.tmp").symlink_to(other)
        os.replace(vault / "link.tmp", vault / KR)  # the link replaced at once
        w.catches_up(tmp_path / "fresh")
        edit(other, b"target: 8", b"target: 9")  # and the new target is the one watched now
        w.catches_up(tmp_path / "fresh")


# ------------------------------------------------------- a folder linked in from outside
def test_an_edit_in_a_folder_linked_from_outside_rebuilds(vault: Path, outside: Path,
                                                          tmp_path: Path) -> None:
    shutil.move(vault / KR, outside / "kr.md")
    (vault / "OKRs" / "Linked").symlink_to(outside, target_is_directory=True)
    with Watching(vault) as w:
        edit(outside / "kr.md")
        w.catches_up(tmp_path / "fresh")
        (outside / "sub").mkdir()  # a folder made in it, and a note in that
        (outside / "sub" / "kr.md").write_bytes((outside / "kr.md").read_bytes().replace(
            b"title: Requests to write a guest post", b"title: Requests for a keynote"))
        w.catches_up(tmp_path / "fresh")


def test_a_folder_linked_in_while_watching_rebuilds_and_is_watched(
        vault: Path, outside: Path, tmp_path: Path) -> None:
    shutil.move(vault / KR, outside / "kr.md")
    with Watching(vault) as w:
        (vault / "OKRs" / "Linked").symlink_to(outside, target_is_directory=True)
        w.catches_up(tmp_path / "fresh")
        edit(outside / "kr.md")
        w.catches_up(tmp_path / "fresh")
        (vault / "OKRs" / "Linked").unlink()
        w.catches_up(tmp_path / "fresh")


# ------------------------------------------------------------------ polling
def test_polling_sees_an_edit_that_kept_the_size_and_set_the_mtime_back(
        vault: Path, tmp_path: Path) -> None:
    """The polling observer compares sizes and mtimes: it sees nothing. The
    timed rescan compares the ctime too, which a program cannot set back."""
    with Watching(vault, poll=True, rescan=0.5) as w:
        write_keeping_times(vault / KR, b"target: 5", b"target: 8")
        w.catches_up(tmp_path / "fresh")


# ------------------------------------------------- a folder event in the same window
@pytest.fixture(params=["ctime", "no ctime"])
def ctime(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The filesystem's ctime as the kernel keeps it, or none (a filesystem
    that reports the mtime as the ctime: the key cannot tell the edit)."""
    if request.param == "no ctime":
        real = index.key_of

        def without_ctime(st: os.stat_result) -> index.Key:
            size, mtime, inode, _ = real(st)
            return (size, mtime, inode, mtime)

        monkeypatch.setattr(index, "key_of", without_ctime)
    yield request.param


def test_a_folder_made_beside_an_edit_does_not_drop_the_edit(vault: Path, tmp_path: Path,
                                                           ctime: str) -> None:
    """The folder's event makes the rebuild a rescan; the note the edit's
    event named is read again whatever its size and times say."""
    with Watching(vault, debounce=0.5) as w:
        write_keeping_times(vault / KR, b"target: 5", b"target: 8")
        (vault / "Notes" / "New folder").mkdir()
        w.catches_up(tmp_path / "fresh")


# ----------------------------------------------------------- mid-save reads
MEETUP = "OKRs/2026-Q4/Meetup attendees.md"  # check-ins link to it with kr:
MEETUP_TITLE = "Attendees at the Platform Engineering meetup I run"


def test_a_note_saved_in_place_over_and_over_is_never_read_mid_save(
        vault: Path, tmp_path: Path) -> None:
    """An editor saving the key result in place every 10 ms (truncate, then
    write: empty in between) while the watcher rebuilds every 0.3 s at the
    latest: no rebuild is made from the empty note (its key result gone from
    the dashboard, its check-ins reported as links to a wrong type)."""
    note = vault / MEETUP
    data = note.read_bytes()
    with Watching(vault, max_wait=0.3) as w:
        dashboard = vault / "OKRs" / "Dashboard.md"
        assert MEETUP_TITLE in dashboard.read_text()
        stop = threading.Event()

        def editor() -> None:
            while not stop.is_set():
                with open(note, "r+b") as handle:
                    handle.truncate(0)
                    handle.flush()
                    handle.write(data)
                time.sleep(0.010)

        saving = threading.Thread(target=editor)
        saving.start()
        missing = 0
        try:
            end = time.monotonic() + 4
            while time.monotonic() < end:
                missing += MEETUP_TITLE not in dashboard.read_text()
                time.sleep(0.02)
        finally:
            stop.set()
            saving.join()
        w.catches_up(tmp_path / "fresh")
        assert missing == 0, "\n".join(w.lines)
        assert not [line for line in w.lines if "link-wrong-type" in line], "\n".join(w.lines)
        assert w.watcher.rebuilds > 2  # it did rebuild during the storm


@pytest.mark.parametrize("left", ["empty", "without its front-matter"])
def test_a_note_emptied_and_left_so_is_believed(vault: Path, tmp_path: Path, left: str) -> None:
    """Read again once it has kept still, what it holds then is believed."""
    with Watching(vault) as w:
        dashboard = vault / "OKRs" / "Dashboard.md"
        (vault / MEETUP).write_text("" if left == "empty" else "Attendance, by month.\n")
        w.catches_up(tmp_path / "fresh")
        assert MEETUP_TITLE not in dashboard.read_text()
