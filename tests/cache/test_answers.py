"""Answers on an unchanged vault (.vaultokr/answer-*): printed again only
when nothing they depend on changed, byte for byte what a full run prints,
and never trusted when they cannot be."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from support.cli import invoke
from support.counting import count_builds
from support.outputs import strip_outputs
from support.vaults import SAMPLE, age, copy_vault

from vaultokr.cache import answers, index

AS_OF = ("--as-of", "2026-11-20")
COMMANDS = {
    "status --json": ("status", "--json"),
    "status": ("status",),
    "status KR": ("status", "LinkedIn connections"),
    "check": ("check",),
    "check --strict --format json": ("check", "--strict", "--format", "json"),
}


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_vault(SAMPLE, tmp_path / "sample-vault")
    age(root)
    monkeypatch.setenv("COLUMNS", "100")
    return root


def full(root: Path, *args: str) -> tuple[int, str, str]:
    """What the command prints reading every note, with no index or answer."""
    ran = invoke(*args, "--vault", str(root), *AS_OF, "--no-cache")
    return ran


def answer_files(root: Path) -> list[Path]:
    return sorted((root / ".vaultokr").glob("answer-*"))


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unchanged_vault_is_answered_as_a_full_run_would(
        sample: Path, analyses: list[int], command: str) -> None:
    args = (*COMMANDS[command], "--vault", str(sample), *AS_OF)
    first = invoke(*args)
    assert analyses == [1]
    assert len(answer_files(sample)) == 1
    again = invoke(*args)
    assert analyses == [1]  # nothing read, nothing analysed
    assert again == first == full(sample, *COMMANDS[command])
    assert again[1]  # it printed something


def test_check_s_exit_code_and_standard_error_are_answered_too(
        sample: Path, analyses: list[int]) -> None:
    (sample / "Check-ins" / "zz.md").write_text(
        "---\ntype: check-in\ndate: 2026-11-19\nvalues:\n  \"[[LinkedIn connections]]\": great\n"
        "---\n")
    age(sample)
    first = invoke("check", "--vault", str(sample), *AS_OF)
    again = invoke("check", "--vault", str(sample), *AS_OF)
    assert analyses == [1]
    assert first == again == full(sample, "check")
    assert again[0] == 1 and "error" in again[2]


def edit_keeping_size_and_mtime(note: Path) -> None:
    before = os.stat(note)
    text = note.read_text()
    note.write_text(text.replace("1,437", "1,438"))
    assert len(note.read_text()) == len(text)
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))


CHANGES = ["same-size edit", "new note", "deleted note", "setting", "as-of", "option",
           "width", "dangling link"]


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_is_answered_in_full(sample: Path, analyses: list[int], change: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    args: tuple[str, ...] = ("status",)
    as_of = AS_OF
    note = sample / "OKRs" / "2026-Q4" / "LinkedIn connections.md"
    invoke(*args, "--vault", str(sample), *as_of)
    if change == "same-size edit":
        edit_keeping_size_and_mtime(note)
    elif change == "new note":
        (sample / "Check-ins" / "zz.md").write_text(
            "---\ntype: check-in\ndate: 2026-11-19\nvalues:\n  \"[[LinkedIn connections]]\": 1500\n"
            "---\n")
        age(sample)
    elif change == "deleted note":
        next((sample / "Check-ins").glob("*.md")).unlink()
    elif change == "setting":
        (sample / "vaultokr.toml").write_text(
            (sample / "vaultokr.toml").read_text() + "\nstale_days = 3\n")
    elif change == "as-of":
        as_of = ("--as-of", "2026-11-21")
    elif change == "option":
        args = ("status", "--json")
    elif change == "width":
        monkeypatch.setenv("COLUMNS", "60")
    else:  # a problem met while listing the vault, not in any note
        (sample / "Gone.md").symlink_to(sample / "nowhere.md")
    got = invoke(*args, "--vault", str(sample), *as_of)
    assert analyses == [1, 1]  # read and analysed again
    assert got == invoke(*args, "--vault", str(sample), *as_of, "--no-cache")


def test_a_note_changed_just_now_is_never_answered(tmp_path: Path,
                                                   analyses: list[int]) -> None:
    # written this second: a coarse clock could hide the next edit, so no answer is kept
    root = copy_vault(SAMPLE, tmp_path / "sample-vault")
    for note in root.rglob("*.md"):
        os.utime(note)  # now
    first = invoke("status", "--vault", str(root), *AS_OF)
    assert first[0] == 0
    assert answer_files(root) == []
    assert invoke("status", "--vault", str(root), *AS_OF) == first
    assert analyses == [1, 1]
    age(root)
    invoke("status", "--vault", str(root), *AS_OF)
    assert len(answer_files(root)) == 1


@pytest.mark.parametrize("how", ["garbage", "other digest", "unknown exit", "short",
                                 "a folder"])
def test_an_answer_that_cannot_be_trusted_is_not_used(sample: Path, analyses: list[int],
                                                      how: str) -> None:
    args = ("status", "--json", "--vault", str(sample), *AS_OF)
    expected = invoke(*args)
    [path] = answer_files(sample)
    magic, header, text = path.read_bytes().split(b"\n", 2)
    saved = json.loads(header)

    def plant(saved: dict[str, object], text: bytes) -> None:
        path.write_bytes(magic + b"\n" + json.dumps(saved).encode() + b"\n" + text)

    if how == "garbage":
        path.write_bytes(b"\x00\xff" * 50)
    elif how == "other digest":
        magic = magic.rpartition(b" ")[0] + b" " + b"0" * 64  # the header's stamp
        saved["lines"] = [[8, False, False]]
        plant(saved, b"planted\n")
    elif how == "unknown exit":
        saved["exit"] = 3
        plant(saved, text)
    elif how == "short":
        saved["lines"] = [[len(text) + 10, False, False]]
        plant(saved, text)
    else:
        path.unlink()
        path.mkdir()
    assert invoke(*args) == expected
    assert analyses == [1, 1]


def test_no_cache_and_the_setting_keep_no_answer(sample: Path, analyses: list[int]) -> None:
    full(sample, "status")
    assert answer_files(sample) == []
    (sample / "vaultokr.toml").write_text(
        (sample / "vaultokr.toml").read_text() + "\nindex = false\n")
    invoke("status", "--vault", str(sample), *AS_OF)
    invoke("status", "--vault", str(sample), *AS_OF)
    assert answer_files(sample) == []
    assert analyses == [1, 1, 1]


def test_answers_kept_are_few(sample: Path) -> None:
    for day in range(1, answers.KEEP + 5):
        invoke("status", "--vault", str(sample), "--as-of", f"2026-11-{day:02}")
    assert len(answer_files(sample)) == answers.KEEP
    assert "answer-*" in (sample / ".vaultokr" / ".gitignore").read_text().split("\n")


# ------------------------------------------------------------------ build
@pytest.fixture
def stripped(sample: Path) -> Path:
    strip_outputs(sample)
    age(sample)
    return sample


@pytest.mark.parametrize("level", [(), ("-q",), ("-v",)])
def test_a_build_with_nothing_changed_prints_what_a_full_build_prints(
        stripped: Path, analyses: list[int], monkeypatch: pytest.MonkeyPatch,
        level: tuple[str, ...]) -> None:
    ran = count_builds(monkeypatch)
    args = ("build", *level, "--vault", str(stripped), *AS_OF)
    first = invoke(*args)
    assert first[0] == 0 and ran == [1]
    # the outputs were written just now: their content is what the answer trusts
    again = invoke(*args)
    assert (ran, analyses) == ([1], [1])  # neither analysed nor built
    assert again == full(stripped, "build", *level)
    if not level:
        assert "0 written" in again[1]


@pytest.mark.parametrize("clock", ["ctime", "no ctime"])
def test_an_output_edited_right_after_the_build_is_noticed(
        stripped: Path, monkeypatch: pytest.MonkeyPatch, clock: str) -> None:
    if clock == "no ctime":  # a filesystem whose change times cannot tell: the content does
        real = index.key_of
        monkeypatch.setattr(index, "key_of", lambda st: (*real(st)[:3], 0))
    ran = count_builds(monkeypatch)
    args = ("build", "--vault", str(stripped), *AS_OF)
    invoke(*args)
    dashboard = stripped / "OKRs" / "Dashboard.md"
    before = os.stat(dashboard)
    text = dashboard.read_text()
    dashboard.write_text(text.replace("# ", "#!", 1))  # same size, same mtime
    os.utime(dashboard, ns=(before.st_atime_ns, before.st_mtime_ns))
    got = invoke(*args)
    assert ran == [1, 1]
    assert "kept (edited by hand)" in got[1]
    assert got == full(stripped, "build")


def test_an_output_deleted_after_the_build_is_written_again(
        stripped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran = count_builds(monkeypatch)
    args = ("build", "--vault", str(stripped), *AS_OF)
    invoke(*args)
    time.sleep(0.01)
    (stripped / "OKRs" / "Dashboard.md").unlink()
    got = invoke(*args)
    assert ran == [1, 1]
    assert (stripped / "OKRs" / "Dashboard.md").is_file()
    assert "1 written" in got[1]


def test_a_changed_template_builds_in_full(stripped: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ran = count_builds(monkeypatch)
    args = ("build", "--vault", str(stripped), *AS_OF)
    invoke(*args)
    folder = stripped / ".vaultokr" / "templates"
    folder.mkdir()
    (folder / "unused.md.j2").write_text("x\n")
    invoke(*args)
    assert ran == [1, 1]


@pytest.mark.parametrize("args", [("--color", "status"), ("status",), ("status", "--json")])
def test_an_answer_is_printed_in_pieces_that_never_cut_a_character_or_a_colour(
        sample: Path, analyses: list[int], monkeypatch: pytest.MonkeyPatch,
        args: tuple[str, ...]) -> None:
    monkeypatch.setattr(answers, "CHUNK", 5)  # pieces of 5 bytes, then to a safe place
    note = sample / "OKRs" / "2026-Q4" / "LinkedIn connections.md"
    note.write_text(note.read_text().replace("title:", "title: Réseau 網絡 —", 1))
    age(sample)
    first = invoke(*args, "--vault", str(sample), *AS_OF)
    again = invoke(*args, "--vault", str(sample), *AS_OF)
    assert analyses == [1]
    assert again == first
    assert "網絡" in again[1]
    assert ("\x1b[" in again[1]) == (args[0] == "--color")


def racy_list(root: Path) -> list[object]:
    [path] = answer_files(root)
    return list(json.loads(path.read_bytes().split(b"\n", 2)[1])["racy"])


def test_outputs_checked_by_content_once_settled_are_not_read_again(
        stripped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran = count_builds(monkeypatch)
    args = ("build", "--vault", str(stripped), *AS_OF)
    first = invoke(*args)
    assert len(racy_list(stripped)) == 23  # every output just written: checked by content
    hashed: list[Path] = []
    real = answers._sha

    def counting(path: Path) -> str | None:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(answers, "_sha", counting)
    monkeypatch.setattr(index, "RACY_NS", 0)  # as if two seconds had passed
    again = invoke(*args)
    assert len(hashed) == 23 and racy_list(stripped) == []
    hashed.clear()
    assert invoke(*args) == again
    assert hashed == [] and ran == [1]  # the keys alone tell now
    assert again == full(stripped, "build") and first[0] == 0
