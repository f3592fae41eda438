"""A note's earlier versions, from the git repository the vault is in
(SPEC v3: one note's property followed over time).

Only the ``git`` command is used, never the network: ``rev-parse`` (is the
vault in a work tree, and which commit is HEAD), ``log`` (the commits that
changed the followed notes, with each version's blob id), ``merge-base
--is-ancestor`` (is the commit read last still in the history) and
``cat-file --batch`` (the text of blobs not read before). What was read is
kept in a :class:`GitMemo` that the index keeps between runs: a run reads
only the commits after the one it read last; a rewritten history (that
commit no longer an ancestor of HEAD) is read again from the start.

git is optional: without the command, or outside a work tree, there is no
history (:meth:`GitHistory.versions` gives None) and the caller falls back;
git failing is a warning, then the same fallback.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

#: seconds one git command may take before it is given up (a warning, then the fallback)
GIT_TIMEOUT = 60
_NO_BLOB = "0" * 40


@dataclass
class Version:
    """One committed version of a note: the commit, its committer date (the
    local day) and the note's blob ("" when the commit deleted it)."""

    commit: str
    day: dt.date
    blob: str


@dataclass
class Followed:
    """A note's versions, oldest first, read up to commit ``head``."""

    head: str
    versions: list[Version] = field(default_factory=list)


@dataclass
class GitMemo:
    """What was read from git, kept in the index between runs."""

    followed: dict[str, Followed] = field(default_factory=dict)  # by vault path
    blobs: dict[str, str] = field(default_factory=dict)  # blob id -> text
    changed: bool = False  # read more since it was loaded: worth writing again


class GitFailed(Exception):
    """git is there but a command failed: the message says how."""


@dataclass
class GitHistory:
    root: Path
    memo: GitMemo
    calls: int = 0  # git commands run (the tests and the benchmark count them)
    commits_read: int = 0  # commits listed by git log this run
    _head: str | None = None
    _probed: bool = False
    _ancestors: dict[tuple[str, str], bool] = field(default_factory=dict)

    def versions(self, paths: list[str]) -> dict[str, list[tuple[Version, str]]] | None:
        """Each path's committed versions with their text, oldest first; None
        when the vault is in no git work tree or git is not installed. Raises
        GitFailed when git is there but fails."""
        head = self.head()
        if head is None:
            return None
        if head == "":
            return {p: [] for p in paths}  # a repository without a commit yet
        stale: dict[str, list[str]] = {}  # the commit read last -> paths to read on from it
        for path in paths:
            kept = self.memo.followed.get(path)
            if kept is None or kept.head != head:
                start = kept.head if kept is not None and self._ancestor(kept.head, head) else ""
                stale.setdefault(start, []).append(path)
        for start, group in sorted(stale.items()):
            self._read_log(start, head, group)
        self._forget(set(paths))
        self._fill_blobs({v.blob for p in paths for v in self.memo.followed[p].versions
                          if v.blob})
        return {p: [(v, self.memo.blobs.get(v.blob, "")) for v in self.memo.followed[p].versions]
                for p in paths}

    def head(self) -> str | None:
        """HEAD's commit; "" in a repository without commits; None outside a work tree."""
        if self._probed:
            return self._head
        self._probed = True
        try:
            done = self._run(["rev-parse", "--is-inside-work-tree", "HEAD"], check=False)
        except FileNotFoundError:
            return None  # no git command: the fallback, never an error
        lines = done.stdout.decode("utf-8", "replace").split()
        if not lines or lines[0] != "true":
            if done.returncode != 0 and b"not a git repository" not in done.stderr:
                raise GitFailed(_said(done))
            return None
        self._head = lines[1] if done.returncode == 0 and len(lines) > 1 else ""
        return self._head

    def _ancestor(self, old: str, new: str) -> bool:
        if (old, new) not in self._ancestors:
            done = self._run(["merge-base", "--is-ancestor", old, new], check=False)
            self._ancestors[(old, new)] = done.returncode == 0
        return self._ancestors[(old, new)]

    def _read_log(self, start: str, head: str, paths: list[str]) -> None:
        """The commits from ``start`` (exclusive; "" for all) to ``head`` that
        changed ``paths``, appended to what is kept for each."""
        span = f"{start}..{head}" if start else head
        done = self._run(["log", "--reverse", "--no-renames", "--relative", "--raw",
                          "--no-abbrev", "--no-ext-diff", "--no-textconv",
                          "--format=%x01%H %ct", span, "--", *paths])
        found: dict[str, list[Version]] = {p: [] for p in paths}
        for chunk in done.stdout.decode("utf-8", "replace").split("\x01")[1:]:
            lines = chunk.splitlines()
            commit, _, stamp = lines[0].partition(" ")
            self.commits_read += 1
            day = dt.datetime.fromtimestamp(int(stamp)).date()  # the local day
            for line in lines[1:]:
                meta, _, path = line.partition("\t")
                parts = meta.split()
                if path in found and len(parts) >= 4:
                    blob = "" if parts[3] == _NO_BLOB else parts[3]
                    found[path].append(Version(commit, day, blob))
        for path in paths:
            kept = self.memo.followed.get(path) if start else None
            versions = (kept.versions if kept is not None else []) + found[path]
            self.memo.followed[path] = Followed(head, versions)
        self.memo.changed = True

    def _forget(self, paths: set[str]) -> None:
        """Notes no longer followed, and the texts only they used, are not kept."""
        gone = set(self.memo.followed) - paths
        if not gone:
            return
        for path in gone:
            del self.memo.followed[path]
        used = {v.blob for kept in self.memo.followed.values() for v in kept.versions}
        self.memo.blobs = {b: t for b, t in self.memo.blobs.items() if b in used}
        self.memo.changed = True

    def _fill_blobs(self, wanted: set[str]) -> None:
        missing = sorted(wanted - set(self.memo.blobs))
        if not missing:
            return
        done = self._run(["cat-file", "--batch"], stdin="".join(f"{b}\n" for b in missing))
        data, at = done.stdout, 0
        for blob in missing:
            end = data.index(b"\n", at)
            header = data[at:end].split()
            at = end + 1
            if len(header) < 3 or header[1] != b"blob":
                continue
            size = int(header[2])
            self.memo.blobs[blob] = data[at:at + size].decode("utf-8", "replace")
            at += size + 1
        self.memo.changed = True

    def _run(self, args: list[str], *, check: bool = True,
             stdin: str | None = None) -> subprocess.CompletedProcess[bytes]:
        import subprocess  # only when a note is followed: every run imports this module

        self.calls += 1
        env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0",
                   LC_ALL="C", GIT_PAGER="cat")
        try:
            done = subprocess.run(
                ["git", "-c", "core.quotepath=off", *args], cwd=self.root, env=env,
                input=None if stdin is None else stdin.encode("utf-8"),
                capture_output=True, timeout=GIT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise GitFailed(f"git {args[0]} took more than {GIT_TIMEOUT} s") from None
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise GitFailed(f"git could not run ({exc.strerror})") from None
        if check and done.returncode != 0:
            raise GitFailed(_said(done))
        return done


def _said(done: subprocess.CompletedProcess[bytes]) -> str:
    text = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return f"git {done.args[3] if len(done.args) > 3 else ''} failed" + (
        f": {text[-1]}" if text else f" (exit {done.returncode})")


def head_stamp(root: Path) -> str:
    """What stands for the commit HEAD is at, read from the files in ``.git``
    without running git (the caches' digests take it: a commit changes it).
    "" when the vault is in no repository."""
    for folder in (root, *root.parents):
        dot = folder / ".git"
        try:
            if dot.is_file():  # a worktree or a submodule: "gitdir: PATH"
                text = dot.read_text("utf-8", "replace").strip()
                if not text.startswith("gitdir:"):
                    return ""
                dot = (folder / text[7:].strip()).resolve()
            elif not dot.is_dir():
                continue
            return _head_of(dot)
        except OSError:
            return "unreadable"
    return ""


def _head_of(git_dir: Path) -> str:
    head = (git_dir / "HEAD").read_text("utf-8", "replace").strip()
    if not head.startswith("ref:"):
        return head
    ref = head[4:].strip()
    common = git_dir
    commondir = git_dir / "commondir"
    if commondir.is_file():
        common = (git_dir / commondir.read_text("utf-8").strip()).resolve()
    for base in (git_dir, common):
        loose = base / ref
        if loose.is_file():
            return f"{ref} {loose.read_text('utf-8', 'replace').strip()}"
    packed = common / "packed-refs"
    if packed.is_file():
        for line in packed.read_text("utf-8", "replace").splitlines():
            if line.endswith(" " + ref):
                return f"{ref} {line.split()[0]}"
    return ref
