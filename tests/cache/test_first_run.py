"""A first run (nothing kept in .vaultokr/): the listing takes no key, reading
takes each note's key from the file it opens, and what is kept for the next
run is what a listing that took every key would have kept."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import AS_OF, SAMPLE, Vault, age, copy_vault, kr, objective, okrs, run

from vaultokr.cache import index
from vaultokr.core.collector import one_shot
from vaultokr.read import entries as vault
from vaultokr.run import oneshot, pipeline
from vaultokr.run.pipeline import Pipeline

ARGS = ("--as-of", "2026-11-20", "--json")


def stat_keys(root: Path, rels: list[str]) -> dict[str, index.Key]:
    return {rel: index.key_of(os.stat(root / rel)) for rel in rels}


def test_a_first_listing_takes_no_key_and_reading_takes_what_stat_gives(vault: Vault) -> None:
    root = okrs(vault)
    pipeline = Pipeline.open(root, read=False)
    assert pipeline.listing is not None
    rels = [rel for rel, _, _ in pipeline.listing]
    assert rels == ["K.md", "O.md", "Other.md"]
    assert [key for _, _, key in pipeline.listing] == [None, None, None]  # nothing to compare
    pipeline.read()
    assert pipeline.keys == stat_keys(root, rels)
    pipeline.analyse(AS_OF)
    pipeline.save_index()
    kept = index.Index.load(root, pipeline.config)
    assert {rel: kept.stored(rel)[0] for rel in kept.entries} == stat_keys(root, rels)  # type: ignore[index]
    again = Pipeline.open(root, read=False)  # an index to compare with: every key is taken
    assert again.listing is not None
    assert [key for _, _, key in again.listing] == list(stat_keys(root, rels).values())


@pytest.mark.parametrize("kept", ["index", "answer"])
def test_an_index_or_an_answer_alone_has_the_listing_take_the_keys(vault: Vault,
                                                                   kept: str) -> None:
    root = okrs(vault)
    assert invoke("status", str(root), *ARGS)[0] == 0
    folder = root / ".vaultokr"
    for path in folder.iterdir():
        if path.name != ".gitignore" and not path.name.startswith(kept):
            path.unlink()
    pipeline = Pipeline.open(root, read=False)
    assert pipeline.listing is not None
    assert all(isinstance(key, tuple) for _, _, key in pipeline.listing)


def test_the_answer_of_a_first_run_is_kept_under_the_keys_reading_took(
        tmp_path: Path, analyses: list[int]) -> None:
    root = copy_vault(SAMPLE, tmp_path / "sample-vault")
    age(root)
    assert [p.name for p in (root / ".vaultokr").iterdir()] == [".gitignore"]  # nothing kept
    first = invoke("status", "--vault", str(root), *ARGS)
    (root / ".vaultokr" / "index").unlink()  # only the answer can tell now
    assert invoke("status", "--vault", str(root), *ARGS) == first
    assert analyses == [1]  # answered: the listing's keys are those reading took
    (root / "Check-ins" / "new.md").write_text("prose\n")
    age(root)
    assert invoke("status", "--vault", str(root), *ARGS) == first
    assert analyses == [1, 1]  # a note more: not the answer's keys


def test_a_note_swapped_for_a_fifo_after_the_listing_does_not_block_reading(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": kr(target=10, log=["2026-11-02: 4"]),
                  "Pipe.md": "a note for now\n"})
    pipeline = Pipeline.open(root, read=False)
    (root / "Pipe.md").unlink()
    os.mkfifo(root / "Pipe.md")
    done = threading.Event()

    def read() -> None:
        pipeline.read()
        done.set()

    threading.Thread(target=read, daemon=True).start()
    if not done.wait(10):
        with open(root / "Pipe.md", "wb"):  # release the reader, then fail
            pass
        pytest.fail("reading blocked on a FIFO")
    entry = pipeline.entries["Pipe.md"]
    assert [(p.code, p.severity) for p in entry.problems] == [("read-error", "warning")]
    assert "named pipe" in entry.problems[0].message


@pytest.mark.parametrize("size", [0, 1, 5000, 3 << 20])
def test_a_note_is_read_to_its_end_even_past_the_size_its_fstat_gave(tmp_path: Path,
                                                                      size: int) -> None:
    path = tmp_path / "n.md"
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path.write_bytes(data)
    assert vault.read_note(str(path))[0] == data
    fd = os.open(path, os.O_RDONLY)
    try:
        assert vault._read_to_end(fd, size // 3) == data  # it grew since: read whole
        os.lseek(fd, 0, os.SEEK_SET)
        assert vault._read_to_end(fd, size) == data
        if size:  # a filesystem that gives less than asked: read on to the end
            os.lseek(fd, 0, os.SEEK_SET)
            assert vault._read_to_end(fd, size - 1) == data
    finally:
        os.close(fd)


def test_a_first_run_and_a_run_from_the_index_give_the_same_analysis(vault: Vault) -> None:
    root = okrs(vault)
    first = run(root)
    assert (root / ".vaultokr" / "index").is_file()
    again = run(root)
    assert again.problems == first.problems
    assert again.results == first.results


def deep(value: object) -> object:
    """Every field of every object in ``value``, those left out of ``==`` too."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                tuple(deep(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return {deep(k): deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return (type(value).__name__, [deep(v) for v in value])
    return value


def test_the_index_gives_back_every_field_of_every_entry_it_was_given(tmp_path: Path) -> None:
    root = copy_vault(SAMPLE, tmp_path / "sample-vault")
    (root / "Bad bytes.md").write_bytes(b"caf\xe9\n")  # a problem, nothing else read
    (root / "Unclosed.md").write_text("---\ntitle: x\n")
    (root / "Region.md").write_text("<!-- vaultokr:objective O -->\n")
    (root / "Plain.md").write_text("prose\n")
    age(root)
    pipeline = Pipeline.open(root)
    pipeline.analyse(AS_OF)  # bodies, lower-cased texts, dated notes' properties parsed
    pipeline.save_index()
    kept = index.Index.load(root, pipeline.config)
    assert kept.notice is None
    assert sorted(kept.entries) == sorted(pipeline.entries)
    caches = 0
    for rel, entry in pipeline.entries.items():
        stored = kept.stored(rel)
        assert stored is not None
        key, again = stored
        assert key == pipeline.keys[rel]
        assert deep(again) == deep(entry)
        caches += bool(entry.note and entry.note.cache.body) + bool(
            entry.dated and entry.dated.cache.meta)
    assert caches > 10  # the parses kept with the notes were compared too


def test_a_fifo_is_opened_only_when_the_listing_just_saw_a_regular_file_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    opened: list[str] = []
    real = os.open

    def recording(path: str, flags: int, *args: int) -> int:
        opened.append(path)
        assert flags & os.O_NONBLOCK  # an open that never waits for a writer
        return real(path, flags, *args)

    monkeypatch.setattr(os, "open", recording)
    data, st = vault.read_note(str(fifo))
    assert isinstance(data, vault.NotAFile) and st is None
    assert opened == []  # its stat said FIFO: never opened
    data, st = vault.read_note(str(fifo), listed=True)  # swapped in since the listing
    assert isinstance(data, vault.NotAFile) and st is None
    assert opened == [str(fifo)]
    assert "named pipe" in str(data.strerror)


def test_a_one_shot_command_runs_with_the_cyclic_collector_off_and_turns_it_back_on(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root = okrs(vault)
    collecting: list[bool] = []
    real = pipeline.analyse_files

    def recording(*args: object) -> object:
        collecting.append(gc.isenabled())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "analyse_files", recording)
    assert gc.isenabled()
    for args in (("status", "--json"), ("check",), ("build",)):
        assert invoke(*args, "--vault", str(root), "--as-of", "2026-11-20", "--no-cache")[0] == 0
        assert gc.isenabled()
    run(root)
    assert collecting == [False] * 4
    assert gc.isenabled()
    gc.disable()  # someone else's choice is left as it is
    try:
        run(root)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_a_one_shot_command_keeps_is_not_walked_again_when_the_collector_is_back() -> None:
    """Turned on again after a one-shot block, the collector's next walk does
    not go over everything the block made (it is frozen, not young)."""
    frozen = gc.get_freeze_count()
    with one_shot():
        kept = [[i] for i in range(100_000)]  # what a command keeps: alive at its end
    assert gc.isenabled()
    assert gc.get_count()[0] < 1_000  # no young objects left to walk
    assert gc.get_freeze_count() >= frozen + len(kept)
    del kept


def test_reading_analysing_and_building_leave_no_garbage_in_reference_cycles(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Why the collector can be off (heap.py): what a one-shot command drops
    while it runs is freed by reference counting. Asked at the end of each
    command (what it keeps still alive) to save what it would free instead,
    the collector finds nothing, on the sample vault's first runs, kept runs
    and builds. A closure that calls itself is enough to fail this."""
    root = tmp_path / "v"
    copy_vault(SAMPLE, root)
    found: list[list[object]] = []
    real = oneshot.one_shot

    @contextlib.contextmanager
    def watched() -> Iterator[None]:
        with real():
            gc.collect()  # what was dropped before the command (the test's own)
            gc.set_debug(gc.DEBUG_SAVEALL)
            try:
                yield
                gc.collect()
                found.append(list(gc.garbage))
            finally:
                gc.set_debug(0)
                gc.garbage.clear()

    monkeypatch.setattr(oneshot, "one_shot", watched)
    gc.collect()
    for args in (("status", *ARGS), ("check", "--as-of", "2026-11-20"),
                 ("build", "--as-of", "2026-11-20"), ("status", "--as-of", "2026-11-20")):
        shutil.rmtree(root / ".vaultokr", ignore_errors=True)
        invoke(*args, "--vault", str(root))
        invoke(*args, "--vault", str(root), "--no-cache")
    assert len(found) == 8
    assert found == [[]] * 8


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).parent.parent)


def test_the_command_ends_without_taking_the_interpreter_apart_and_prints_everything(
        tmp_path: Path) -> None:
    root = tmp_path / "v"
    copy_vault(SAMPLE, root)
    args = ["status", "--vault", str(root), *ARGS, "--no-cache"]
    expected = invoke(*args)
    ran = subprocess.run([sys.executable, "-m", "vaultokr", *args], capture_output=True,
                         text=True, timeout=60)
    assert (ran.returncode, ran.stdout, ran.stderr) == (expected[0], expected[1], expected[2])
    assert len(ran.stdout) > 10_000
    failed = subprocess.run([sys.executable, "-m", "vaultokr", "status", "--vault",
                             str(tmp_path / "nowhere")], capture_output=True, text=True,
                            timeout=60)
    assert failed.returncode == 2 and "is not a folder" in failed.stderr
    skipped = run_python("import atexit; from vaultokr.__main__ import leave; "
                         "atexit.register(print, 'exit handler'); print('out'); leave(4)")
    assert (skipped.returncode, skipped.stdout) == (4, "out\n")
    text = run_python("from vaultokr.__main__ import leave; leave('gone')")
    assert (text.returncode, text.stderr) == (1, "gone\n")


def test_with_another_thread_running_the_command_ends_as_python_ends() -> None:
    ran = run_python(
        "import threading, time\n"
        "from vaultokr.__main__ import leave\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread', flush=True))).start()\n"
        "leave(5)\n")
    assert (ran.returncode, ran.stdout) == (5, "thread\n")
