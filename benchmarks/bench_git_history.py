"""A goal note followed through git history (SPEC v3, ``note:`` + ``field:``):
a vault whose goal note has N commits, each a new ``Progress`` value.

    python benchmarks/bench_git_history.py [--commits 1000] [--runs 5]

Each run is a fresh ``python -m vaultokr status --json --as-of DATE`` (a new
as-of date each time, so no kept answer is printed again):

- first: no ``.vaultokr/``: the whole history is read (one ``git log``, one
  ``git cat-file --batch``) and kept in the index;
- again: the index holds the history and HEAD has not moved (one ``git
  rev-parse``);
- one more commit: only that commit is read (``git log OLD..HEAD``);
- no git: the same vault without ``.git`` (the fallback, for the floor).

Reports each case's median wall time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = "Goals/Reach 10k MRR.md"
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}
CHILD_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}


def goal(value: int) -> bytes:
    return f"---\nProgress: {value}\n---\n# Reach 10k MRR\n".encode()


def make_vault(root: Path, commits: int) -> None:
    (root / "OKRs").mkdir(parents=True)
    (root / "OKRs/Grow.md").write_text("---\ntype: objective\nstart: 2024-01-01\n"
                                       "due: 2027-12-31\n---\n")
    (root / "OKRs/MRR.md").write_text('---\ntype: key-result\nobjective: "[[Grow]]"\n'
                                      'baseline: 0\ntarget: 10000\n'
                                      'note: "[[Reach 10k MRR]]"\nfield: Progress\n---\n')
    start = int(time.mktime(time.strptime("2024-01-01 12:00", "%Y-%m-%d %H:%M")))
    stream = []
    for i in range(commits):
        data = goal(i + 1)
        stream.append(f"commit refs/heads/main\ncommitter b <b@example.org> "
                      f"{start + i * 86400} +0000\ndata 1\nx\n"
                      f"M 100644 inline {GOAL}\ndata {len(data)}\n".encode() + data + b"\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, env=GIT_ENV, check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, env=GIT_ENV, check=True,
                   input=b"".join(stream))
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, env=GIT_ENV, check=True)


def status(root: Path, as_of: dt.date) -> float:
    begin = time.perf_counter()
    subprocess.run([sys.executable, "-m", "vaultokr", "status", str(root), "--json",
                    "--as-of", as_of.isoformat()], env=CHILD_ENV, check=True,
                   stdout=subprocess.DEVNULL)
    return (time.perf_counter() - begin) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"first": [], "again": [], "one more commit": [],
                                     "no git": []}
    day = dt.date(2026, 11, 20)
    with tempfile.TemporaryDirectory(prefix="vaultokr-git-bench-") as work:
        base = Path(work) / "base"
        make_vault(base, args.commits)
        for run in range(args.runs):
            root = Path(work) / f"run{run}"
            shutil.copytree(base, root, symlinks=True)
            for name in ("first", "again"):
                day += dt.timedelta(days=1)
                times[name].append(status(root, day))
            (root / GOAL).write_bytes(goal(99999))
            subprocess.run(["git", "commit", "-q", "-am", "more"], cwd=root, env=GIT_ENV,
                           check=True)
            day += dt.timedelta(days=1)
            times["one more commit"].append(status(root, day))
            shutil.rmtree(root / ".git")
            shutil.rmtree(root / ".vaultokr", ignore_errors=True)
            day += dt.timedelta(days=1)
            times["no git"].append(status(root, day))
        history = in_process(base)
    print(f"goal note with {args.commits} commits, {args.runs} runs, median wall time:")
    for name, found in times.items():
        print(f"  {name:16} {statistics.median(found):7.0f} ms")
    print("reading the history alone (in process, the index's memo kept between reads):")
    for name, (ms, calls, commits) in history.items():
        print(f"  {name:16} {ms:7.1f} ms  {calls} git commands, {commits} commits read")


def in_process(root: Path) -> dict[str, tuple[float, int, int]]:
    """``GitHistory.versions`` timed: with an empty memo, then with the memo it
    filled (HEAD unchanged)."""
    sys.path.insert(0, CHILD_ENV["PYTHONPATH"])
    from vaultokr.read.githistory import GitHistory, GitMemo

    memo = GitMemo()
    found = {}
    for name in ("first read", "read again"):
        git = GitHistory(root, memo)
        begin = time.perf_counter()
        versions = git.versions([GOAL])
        assert versions is not None and len(versions[GOAL]) > 0
        found[name] = ((time.perf_counter() - begin) * 1000, git.calls, git.commits_read)
    return found


if __name__ == "__main__":
    main()
