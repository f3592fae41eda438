"""One note's property followed through the vault's git history (SPEC v3:
``note:`` + ``field:``): committed changes dated by their commits, a
working-tree change and the fallback without git dated by the file's
modification date, and the history kept in the index so that a run reads
only the commits after the last one it read. Real git repositories."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.cli import invoke
from support.vaults import age, kr, objective, write

from vaultokr.read import githistory

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")

GOAL = "Goals/Reach 10k MRR.md"
COMMITS = [("2026-10-05", 1000), ("2026-10-19", 2500), ("2026-11-02", 5000),
           ("2026-11-16", 7500)]


def git(root: Path, *args: str, day: str | None = None, stdin: bytes | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if day is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00"
    done = subprocess.run(["git", *args], cwd=root, env=env, input=stdin,
                          capture_output=True, check=True)
    return done.stdout.decode()


def goal_note(progress: int) -> str:
    return f"---\ncreated: 2026-09-14\nProgress: {progress}\n---\n# Reach 10k MRR\n"


def set_mtime(path: Path, day: str) -> None:
    when = time.mktime(time.strptime(day + " 12:00", "%Y-%m-%d %H:%M"))
    os.utime(path, (when, when))


def vault(root: Path) -> Path:
    write(root, {
        "O.md": objective(),
        "K.md": kr(target=10000, baseline=0, note="[[Reach 10k MRR]]", field="Progress"),
        "vaultokr.toml": "stale_days = 100000\n",
    })
    return root


def committed_vault(root: Path) -> Path:
    """The goal note committed at four dates with four values, then edited
    (8,000, modified on 2026-11-18) and not committed."""
    vault(root)
    git(root, "init", "-q", "-b", "main")
    for day, value in COMMITS:
        write(root, {GOAL: goal_note(value)})
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"progress {value}", day=day)
    write(root, {GOAL: goal_note(8000)})
    age(root)  # left alone a while: the caches trust the notes
    set_mtime(root / GOAL, "2026-11-18")
    return root


def measurements(root: Path, *extra: str, as_of: str = "2026-11-20") -> list[tuple[str, float]]:
    report = status(root, *extra, as_of=as_of)
    krs = [k for o in report["objectives"] for k in o["key_results"] if k["id"] == "K"]
    return [(m["date"], m["value"]) for m in krs[0]["measurements"]]


def status(root: Path, *extra: str, as_of: str = "2026-11-20") -> Any:
    ran = invoke("status", str(root), "--json", "--as-of", as_of, *extra)
    assert ran.code == 0, ran.output
    return json.loads(ran.stdout)


@pytest.fixture
def gitcalls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Every git command vaultokr runs, as its arguments after ``git -c ...``."""
    calls: list[list[str]] = []
    real = subprocess.run

    def counted(args: list[str], **kwargs: Any) -> Any:
        if args[:3] == ["git", "-c", "core.quotepath=off"]:  # vaultokr's, not the test's
            calls.append(list(args[3:]))
        return real(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counted)  # the module githistory runs git with
    yield calls


def test_four_commits_and_an_edit_are_five_measurements(tmp_path: Path) -> None:
    root = committed_vault(tmp_path / "v")
    expected = [("2026-10-05", 1000), ("2026-10-19", 2500), ("2026-11-02", 5000),
                ("2026-11-16", 7500), ("2026-11-18", 8000)]
    assert measurements(root, "--no-cache") == expected
    assert measurements(root) == expected  # read, and the index written
    assert measurements(root, as_of="2026-11-21") == expected  # from the index


def test_a_commit_that_keeps_the_value_is_no_measurement(tmp_path: Path) -> None:
    root = committed_vault(tmp_path / "v")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "8000", day="2026-11-19")
    write(root, {GOAL: goal_note(8000) + "More words.\n"})
    git(root, "commit", "-q", "-am", "words", day="2026-11-20")
    assert measurements(root, "--no-cache")[-2:] == [("2026-11-16", 7500), ("2026-11-19", 8000)]


def test_without_git_the_current_value_dated_by_its_modification(tmp_path: Path) -> None:
    root = committed_vault(tmp_path / "v")
    shutil.rmtree(root / ".git")
    assert measurements(root, "--no-cache") == [("2026-11-18", 8000)]


def test_without_the_git_command_the_same_fallback_and_no_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = committed_vault(tmp_path / "v")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    report = status(root, "--no-cache")
    assert report["problems"] == []
    assert measurements(root, "--no-cache") == [("2026-11-18", 8000)]


def test_git_failing_is_a_warning_and_the_fallback(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = committed_vault(tmp_path / "v")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text("#!/bin/sh\necho 'fatal: the disk is on fire' >&2\nexit 128\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    report = status(root, "--no-cache")
    assert [(p["code"], p["severity"], p["path"]) for p in report["problems"]] == [
        ("git-failed", "warning", GOAL)]
    assert "the disk is on fire" in report["problems"][0]["message"]
    assert measurements(root, "--no-cache") == [("2026-11-18", 8000)]


def test_the_notes_own_date_is_not_its_measurement_date(tmp_path: Path) -> None:
    root = vault(tmp_path / "v")
    write(root, {"Goals/2026-09-14 Reach 10k MRR.md": goal_note(7500)})
    write(root, {"K.md": kr(target=10000, baseline=0, note="[[2026-09-14 Reach 10k MRR]]",
                            field="Progress")})
    set_mtime(root / "Goals/2026-09-14 Reach 10k MRR.md", "2026-11-10")
    assert measurements(root, "--no-cache") == [("2026-11-10", 7500)]


def fast_import_history(root: Path, commits: int) -> None:
    """``commits`` commits of the goal note, one a day from 2024-01-01, each a
    new value (git fast-import: a second, not a thousand ``git commit``)."""
    stream = []
    start = int(time.mktime(time.strptime("2024-01-01 12:00", "%Y-%m-%d %H:%M")))
    for i in range(commits):
        data = goal_note(i + 1).encode()
        when = start + i * 86400
        stream.append(
            f"commit refs/heads/main\ncommitter t <t@example.org> {when} +0000\n"
            f"data 1\nx\n".encode()
            + f"M 100644 inline {GOAL}\ndata {len(data)}\n".encode() + data + b"\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "fast-import", "--quiet", stdin=b"".join(stream))
    git(root, "reset", "-q", "--hard", "main")


def test_a_long_history_is_read_once_then_only_new_commits(
        tmp_path: Path, gitcalls: list[list[str]]) -> None:
    root = vault(tmp_path / "v")
    write(root, {"K.md": kr(target=10000, baseline=0, note="[[Reach 10k MRR]]",
                            field="Progress", start="2024-01-01", due="2026-12-31")})
    fast_import_history(root, 1000)
    first = measurements(root, as_of="2026-11-20")
    assert len(first) == 1000 and first[-1][1] == 1000
    logs = [c for c in gitcalls if c[0] == "log"]
    assert len(logs) == 1 and ".." not in " ".join(logs[0])
    assert len([c for c in gitcalls if c[0] == "cat-file"]) == 1

    gitcalls.clear()  # nothing new: HEAD only
    assert measurements(root, as_of="2026-11-21") == first
    assert [c[0] for c in gitcalls] == ["rev-parse"]

    gitcalls.clear()  # one commit more: only it is read
    write(root, {GOAL: goal_note(4242)})
    git(root, "commit", "-q", "-am", "one more", day="2026-11-19")
    assert measurements(root, as_of="2026-11-22")[-1] == ("2026-11-19", 4242)
    logs = [c for c in gitcalls if c[0] == "log"]
    assert len(logs) == 1 and any(arg.count("..") == 1 for arg in logs[0])
    assert [c[0] for c in gitcalls] == ["rev-parse", "merge-base", "log", "cat-file"]


def test_a_rewritten_history_is_read_again(tmp_path: Path,
                                           gitcalls: list[list[str]]) -> None:
    root = committed_vault(tmp_path / "v")
    assert measurements(root)[-1] == ("2026-11-18", 8000)
    git(root, "add", "-A")
    git(root, "commit", "-q", "--amend", "-m", "8000 instead", day="2026-11-17")
    gitcalls.clear()
    assert measurements(root, as_of="2026-11-21") == [
        ("2026-10-05", 1000), ("2026-10-19", 2500), ("2026-11-02", 5000),
        ("2026-11-17", 8000)]
    logs = [c for c in gitcalls if c[0] == "log"]
    assert len(logs) == 1 and not any(".." in arg for arg in logs[0])


def no_analysis(*args: object) -> None:
    raise AssertionError("analysed: the kept answer was not used")


def test_a_commit_changes_the_kept_answer(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Committing the edited note moves its measurement from the file's
    modification date to the commit's: the answer kept for the same request
    must not be printed again (HEAD is in its stamp)."""
    root = committed_vault(tmp_path / "v")
    before = measurements(root)
    assert before[-1] == ("2026-11-18", 8000)
    with monkeypatch.context() as patched:
        patched.setattr("vaultokr.run.pipeline.analyse_files", no_analysis)
        assert measurements(root) == before  # the kept answer
    mtime = (root / GOAL).stat().st_mtime_ns
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "8000", day="2026-11-19")
    assert (root / GOAL).stat().st_mtime_ns == mtime  # the note itself is untouched
    after = measurements(root)
    assert after[-1] == ("2026-11-19", 8000)
    assert after == measurements(root, "--no-cache")


def test_head_stamp_follows_commits_without_running_git(tmp_path: Path) -> None:
    root = committed_vault(tmp_path / "v")
    sub = root / "Goals"
    first = githistory.head_stamp(sub)
    assert first.startswith("refs/heads/main ")
    git(root, "commit", "-q", "--allow-empty", "-m", "more", day="2026-11-19")
    assert githistory.head_stamp(sub) not in ("", first)
    git(root, "pack-refs", "--all")
    assert githistory.head_stamp(sub).split()[-1] == git(root, "rev-parse", "HEAD").strip()
    assert githistory.head_stamp(tmp_path / "elsewhere") in ("", githistory.head_stamp(tmp_path))


def test_a_note_no_longer_followed_is_forgotten(tmp_path: Path) -> None:
    root = committed_vault(tmp_path / "v")
    git(root, "init", "-q")
    memo = githistory.GitMemo()
    first = githistory.GitHistory(root, memo).versions([GOAL])
    assert first is not None and len(first[GOAL]) == 4 and len(memo.blobs) == 4
    write(root, {"Other.md": "---\nProgress: 1\n---\n"})
    git(root, "add", "Other.md")
    git(root, "commit", "-q", "-m", "other", day="2026-11-19")
    second = githistory.GitHistory(root, memo).versions(["Other.md"])
    assert second is not None and [v.day.isoformat() for v, _ in second["Other.md"]] == [
        "2026-11-19"]
    assert list(memo.followed) == ["Other.md"] and len(memo.blobs) == 1
