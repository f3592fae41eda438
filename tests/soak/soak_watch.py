"""Soak test of ``vaultokr watch`` under concurrent editors (issue 9, item 5).

Not run by pytest. Usage, from the repository root::

    .venv/bin/python tests/soak/soak_watch.py               # 10 minutes
    .venv/bin/python tests/soak/soak_watch.py --minutes 2 --seed 7

It copies sample-vault/ into a temporary git repository, starts
``vaultokr watch`` on it and, for the given time, plays:

- editors saving key-result notes that hold a region: in place in one write,
  in place in several writes with pauses, by atomic rename, vim-style
  (original renamed to a ``~`` backup, new file written, backup removed);
  every save appends a measurement and a sentence outside the region;
- ``git checkout -f`` between two branches that differ in ~120 files;
- sync-tool temporary files and conflict copies; FIFOs and links to
  /dev/null named like notes, appearing and disappearing;
- ``vaultokr checkin`` racing with in-place saves of the same note.

Before each save an editor checks that its previous save survived byte for
byte outside the regions (a difference is a lost edit); at the end every
note is checked once more after a quiet period. It counts the watcher's
writes (a loop keeps writing when nothing changes), samples its CPU while
idle and stops it with SIGTERM (it must stop within 2 s and leave no
temporary file). Exit status 0 when nothing was lost and every check held.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-20"
OBJECTIVE = "Stay healthy while doing it"
REGION = re.compile(rb"(<!-- vaultokr:begin[^\r\n]*?-->).*?<!-- vaultokr:end[^\r\n]*?-->",
                    re.DOTALL)
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_watch import cpu_seconds  # noqa: E402  (the watcher's CPU time, from /proc)

GIT = ["git", "-c", "user.name=soak", "-c", "user.email=soak@example.invalid"]


def outside_regions(data: bytes) -> bytes:
    return REGION.sub(rb"\1", data)


@dataclass
class Stats:
    saves: dict[str, int] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    checkins: int = 0
    checkin_failures: list[str] = field(default_factory=list)
    checkin_damage: list[str] = field(default_factory=list)
    checkouts: int = 0
    noise: int = 0
    lock = threading.Lock()

    def count(self, kind: str) -> None:
        with self.lock:
            self.saves[kind] = self.saves.get(kind, 0) + 1


def kr_note(n: int) -> str:
    return (f"---\ntype: key-result\nobjective: \"[[{OBJECTIVE}]]\"\ntitle: Soak {n}\n"
            f"baseline: 0\ntarget: 100\nmeasure: last\n---\n# Soak {n}\n\n"
            "<!-- vaultokr:begin kr -->\n<!-- vaultokr:end -->\n\nWhat I think about it.\n\n"
            "## Log\n- 2026-10-01: 1\n")


class Editor(threading.Thread):
    """One user editing one note, with one of four save styles per save."""

    def __init__(self, path: Path, rng: random.Random, stats: Stats, stop: threading.Event):
        super().__init__(daemon=True)
        self.path, self.rng, self.stats, self.stop = path, rng, stats, stop
        self.buffer = path.read_bytes()
        self.edits = 0

    def run(self) -> None:
        while not self.stop.is_set():
            self.check("before a save")
            self.edits += 1
            day = 1 + self.edits % 19
            line = f"- 2026-11-{day:02d}: {self.rng.randint(1, 99)}\n"
            words = f"Edit {self.edits} of {self.path.name}: {self.rng.random():.6f}\n"
            # the editor saves what is on disk (regions as vaultokr left them) + its typing
            base = self.path.read_bytes() if self.path.exists() else self.buffer
            if outside_regions(base) != outside_regions(self.buffer):
                base = self.buffer
            new = base + line.encode() + words.encode()
            getattr(self, self.rng.choice(["in_place", "chunked", "atomic", "vim"]))(new)
            self.buffer = new
            time.sleep(self.rng.uniform(0.05, 0.6))

    def check(self, when: str) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        if outside_regions(data) != outside_regions(self.buffer):
            with self.stats.lock:
                self.stats.lost.append(f"{self.path.name} (edit {self.edits}, {when})")

    def in_place(self, data: bytes) -> None:
        with open(self.path, "r+b") as handle:
            handle.truncate(0)
            handle.write(data)
        self.stats.count("in place")

    def chunked(self, data: bytes) -> None:
        cuts = sorted(self.rng.sample(range(1, len(data)), 2))
        with open(self.path, "r+b") as handle:
            handle.truncate(0)
            for start, end in zip([0, *cuts], [*cuts, len(data)], strict=True):
                handle.write(data[start:end])
                handle.flush()
                time.sleep(self.rng.uniform(0.05, 0.5))
        self.stats.count("chunked")

    def atomic(self, data: bytes) -> None:
        tmp = self.path.with_name(f".{self.path.name}.tmp{self.rng.randint(0, 9999)}")
        tmp.write_bytes(data)
        os.replace(tmp, self.path)
        self.stats.count("atomic rename")

    def vim(self, data: bytes) -> None:
        backup = self.path.with_name(self.path.name + "~")
        os.replace(self.path, backup)
        self.path.write_bytes(data)
        backup.unlink()
        self.stats.count("vim-style")


NOISE = ["sync-tmp", "conflict", "fifo", "devlink", "remove"]
WITHOUT: set[str] = set()  # --without


def noise(root: Path, rng: random.Random, stats: Stats, stop: threading.Event) -> None:
    """Sync temp files, conflict copies, FIFOs and device links."""
    made: list[Path] = []
    folder = root / "Notes"
    folder.mkdir(exist_ok=True)
    while not stop.is_set():
        kind = rng.choice([kind for kind in NOISE if kind not in WITHOUT])
        n = rng.randint(0, 999)
        path = {"sync-tmp": folder / f".syncthing.Note {n}.md.tmp",
                "conflict": folder / f"Note {n}.sync-conflict-20261120-ABCDEF.md",
                "fifo": folder / f"pipe {n}.md", "devlink": folder / f"device {n}.md",
                "remove": None}[kind]
        try:
            if path is None:
                if made:
                    victim = made.pop(rng.randrange(len(made)))
                    victim.unlink(missing_ok=True)
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind == "devlink":
                path.symlink_to("/dev/null")
            else:
                path.write_text(f"---\ntype: note\n---\nnoise {n}\n")
            if path is not None:
                made.append(path)
                stats.noise += 1
        except FileExistsError:
            pass
        time.sleep(rng.uniform(0.1, 0.8))
    for path in made:
        path.unlink(missing_ok=True)


def checkouts(root: Path, rng: random.Random, stats: Stats, stop: threading.Event) -> None:
    branches = ["other", "main"]
    while not stop.wait(rng.uniform(4, 10)):
        subprocess.run([*GIT, "checkout", "-q", "-f", branches[stats.checkouts % 2]], cwd=root,
                       check=False, capture_output=True)
        stats.checkouts += 1


def checkin_race(root: Path, rng: random.Random, stats: Stats, stop: threading.Event) -> None:
    """``vaultokr checkin`` into a note another thread saves in place."""
    note = root / "Soak" / "Race.md"
    note.write_text(kr_note(0).replace("title: Soak 0", "title: Race"))
    saving = threading.Event()

    def editor() -> None:
        while not stop.is_set():
            data = note.read_bytes()
            if data.startswith(b"---"):  # reload what is on disk, add a sentence, save
                with open(note, "r+b") as handle:
                    handle.truncate(0)
                    time.sleep(rng.uniform(0.005, 0.02))
                    handle.write(data + b"A sentence typed during the race.\n")
            time.sleep(rng.uniform(0.005, 0.02))
        saving.set()

    thread = threading.Thread(target=editor, daemon=True)
    thread.start()
    while not stop.wait(rng.uniform(0.5, 2)):
        proc = subprocess.run([sys.executable, "-m", "vaultokr", "checkin", "Race",
                               str(rng.randint(1, 99)), "--date", AS_OF, "--vault", str(root)],
                              capture_output=True, text=True, check=False)
        stats.checkins += 1
        if proc.returncode == 3 or "Traceback" in proc.stderr:
            stats.checkin_failures.append(proc.stderr.strip().splitlines()[0])
        time.sleep(0.05)
        data = note.read_bytes()
        if data and not data.startswith(b"---"):
            stats.checkin_damage.append(data[:60].decode(errors="replace"))
            note.write_text(kr_note(0).replace("title: Soak 0", "title: Race"))
    thread.join()


def prepare(work: Path, editors: int) -> Path:
    root = work / "vault"
    # as a clone has it: not the caches a run in the checkout left in .vaultokr/
    shutil.copytree(ROOT / "sample-vault", root,
                    ignore=shutil.ignore_patterns("index", "index.delta", "answer-*", "last-build",
                                                  "last-reviews", "lock"))
    (root / ".gitignore").write_text("Soak/\nNotes/\n.vaultokr/\n")
    soak = root / "Soak"
    soak.mkdir()
    for n in range(editors):
        (soak / f"Soak {n}.md").write_text(kr_note(n))
    run = {"cwd": root, "check": True, "capture_output": True}
    subprocess.run([*GIT, "init", "-q", "-b", "main"], **run)  # type: ignore[call-overload]
    subprocess.run([*GIT, "add", "-A"], **run)  # type: ignore[call-overload]
    subprocess.run([*GIT, "commit", "-q", "-m", "sample"], **run)  # type: ignore[call-overload]
    subprocess.run([*GIT, "checkout", "-q", "-b", "other"], **run)  # type: ignore[call-overload]
    checkins = root / "Check-ins"
    for i in range(120):
        (checkins / f"2026-11-{1 + i % 19:02d} Soak {i}.md").write_text(
            f"---\ntype: check-in\ndate: 2026-11-{1 + i % 19:02d}\n"
            f"kr: \"[[Speaking invitations]]\"\nvalue: {i % 5}\n---\nFrom the other branch.\n")
    subprocess.run([*GIT, "add", "-A"], **run)  # type: ignore[call-overload]
    subprocess.run([*GIT, "commit", "-q", "-m", "other"], **run)  # type: ignore[call-overload]
    subprocess.run([*GIT, "checkout", "-q", "main"], **run)  # type: ignore[call-overload]
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--editors", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the vault copy")
    parser.add_argument("--idle", type=float, default=10.0,
                        help="seconds the idle writes and CPU are measured over")
    parser.add_argument("--without", default="", metavar="KINDS",
                        help="leave out noise kinds, comma-separated: " + ", ".join(NOISE[:4]))
    args = parser.parse_args()
    WITHOUT.update(filter(None, args.without.split(",")))
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="vaultokr-soak-"))
    root = prepare(work, args.editors)
    log: list[str] = []
    arrived: list[float] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    watcher = subprocess.Popen([sys.executable, "-m", "vaultokr", "watch", str(root),
                                "--as-of", AS_OF], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)

    def read() -> None:
        for line in watcher.stdout or []:
            log.append(line)
            arrived.append(time.monotonic())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 30
    while not any("ready in" in line for line in log) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2)
    stats, stop = Stats(), threading.Event()
    editors = [Editor(root / "Soak" / f"Soak {n}.md", random.Random(rng.random()), stats, stop)
               for n in range(args.editors)]
    helpers = [threading.Thread(target=target, args=(root, random.Random(rng.random()), stats,
                                                    stop), daemon=True)
               for target in (noise, checkouts, checkin_race)]
    started = time.monotonic()
    for thread in [*editors, *helpers]:
        thread.start()
    stop.wait(args.minutes * 60)
    stop.set()
    for thread in [*editors, *helpers]:
        thread.join(timeout=30)
    stressed = time.monotonic() - started
    time.sleep(5)  # let the watcher catch up
    for editor in editors:
        editor.check("at the end")
    writes_before_idle = sum("→ wrote" in line for line in log)
    cpu0, t0 = cpu_seconds(watcher.pid), time.monotonic()
    time.sleep(args.idle)
    idle_cpu = 100 * (cpu_seconds(watcher.pid) - cpu0) / (time.monotonic() - t0)
    idle_writes = sum("→ wrote" in line for line in log) - writes_before_idle
    alive = watcher.poll() is None
    t_term = time.monotonic()
    watcher.send_signal(signal.SIGTERM)
    try:
        watcher.wait(timeout=10)
        stop_seconds = time.monotonic() - t_term
    except subprocess.TimeoutExpired:
        watcher.kill()
        watcher.wait()
        stop_seconds = float("inf")
    reader.join(timeout=5)
    temps = [str(p.relative_to(root)) for p in root.rglob("*vaultokr-tmp*")]
    rebuilds = sum(" → " in line for line in log)
    writes = sum("→ wrote" in line for line in log)
    edits = sum(e.edits for e in editors)
    ok = (not stats.lost and not stats.checkin_damage and not stats.checkin_failures
          and idle_writes == 0 and stop_seconds <= 2 and not temps and alive)
    print(f"vaultokr watch soak: {stressed:.0f} s of stress, seed {args.seed}")
    styles = ", ".join(f"{k} {v}" for k, v in sorted(stats.saves.items()))
    print(f"  editor saves: {edits} ({styles})")
    print(f"  lost edits: {len(stats.lost)}")
    for item in stats.lost[:10]:
        print(f"    {item}")
    print(f"  checkins racing an editor: {stats.checkins}, exit 3: {len(stats.checkin_failures)}, "
          f"note replaced by its log: {len(stats.checkin_damage)}")
    print(f"  git checkouts: {stats.checkouts}; noise files (sync, conflict, FIFO, /dev link): "
          f"{stats.noise}")
    during = [t - started for t, line in zip(arrived, log, strict=False)
              if " → " in line and started <= t <= started + stressed]
    print(f"  watcher: {rebuilds} rebuilds, {writes} with writes; {len(during)} during the "
          f"stress, the last {max(during, default=0):.0f} s into it; alive at the end: {alive}")
    print(f"  idle: {idle_writes} writes and {idle_cpu:.1f}% CPU over {args.idle:g} s")
    print(f"  SIGTERM: stopped in {stop_seconds:.2f} s (exit {watcher.returncode}); temporary "
          f"files left: {len(temps)}")
    problems = [line.rstrip() for line in log if "error" in line or "runaway" in line.lower()]
    print(f"  watcher error lines: {len(problems)}")
    for line in problems[:5]:
        print(f"    {line}")
    print("RESULT: " + ("ok" if ok else "FAILED"))
    if args.keep:
        print(f"  vault kept in {root}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
