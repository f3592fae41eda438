"""``vaultokr watch`` on a generated vault: latency and idle CPU.

    python benchmarks/bench_watch.py [--notes 10000] [--saves 15] [--debounce 300]

Starts ``vaultokr watch`` on a copy of the generated vault, then saves a new
check-in note (atomically, as an editor does) and times how long until the
dashboard's content changes; repeats, and reports the median and spread.
Then measures the watcher's CPU time over an idle stretch (from /proc, Linux).
Target (issue 4): median latency <= debounce + 100 ms; idle CPU near zero.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_status import CHILD_ENV  # noqa: E402
from generate import generate  # noqa: E402

CHECKIN = ("---\ntype: check-in\ndate: 2026-11-20\nvalues:\n"
           "  \"[[KR 0-0]]\": {{value: {value}, confidence: 7}}\n---\n")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--saves", type=int, default=15)
    parser.add_argument("--debounce", type=int, default=300)
    parser.add_argument("--idle", type=float, default=10.0)
    args = parser.parse_args()
    source = HERE / "vaults" / f"vault-{args.notes}"
    if not (source / ".complete-v3").exists():
        generate(source, args.notes)
        (source / ".complete-v3").write_text("")
    vault = HERE / "vaults" / f"watch-{args.notes}"
    shutil.rmtree(vault, ignore_errors=True)
    shutil.copytree(source, vault)
    log = HERE / "vaults" / "watch.log"  # a file, not a pipe nobody drains
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "vaultokr", "watch", str(vault), "--as-of", "2026-11-20",
             "--debounce", str(args.debounce), "-q"],
            stdout=out, stderr=subprocess.STDOUT, env=CHILD_ENV,
        )
    deadline = time.monotonic() + 120
    while "ready in" not in log.read_text():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("the watcher did not start:\n" + log.read_text())
        time.sleep(0.05)
    print(log.read_text().splitlines()[0])
    dashboard = vault / "OKRs" / "Dashboard.md"
    latencies = []
    try:
        for i in range(args.saves):
            time.sleep(1.0)
            before = dashboard.read_bytes()
            stamp = dashboard.stat().st_mtime_ns
            note = vault / "Check-ins" / f"2026-11-20 zz bench {i:03d}.md"  # sorts last: it wins
            temp = note.with_name("." + note.name + ".tmp")
            temp.write_text(CHECKIN.format(value=20 + i))
            start = time.perf_counter()
            os.replace(temp, note)
            # stat, not read: reading a file makes file events a watcher must handle
            while dashboard.stat().st_mtime_ns == stamp:
                if time.perf_counter() - start > 10:
                    raise SystemExit("the dashboard did not change within 10 s")
                time.sleep(0.002)
            if dashboard.read_bytes() == before:
                raise SystemExit("the dashboard was touched but not changed")
            latencies.append((time.perf_counter() - start) * 1000)
        time.sleep(2.0)
        cpu_before, wall_before = cpu_seconds(proc.pid), time.perf_counter()
        time.sleep(args.idle)
        cpu = cpu_seconds(proc.pid) - cpu_before
        wall = time.perf_counter() - wall_before
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    latencies.sort()
    median = statistics.median(latencies)
    print(f"notes: {args.notes}  saves: {len(latencies)}  debounce: {args.debounce} ms")
    print(f"save -> dashboard written: median {median:.0f} ms, min {latencies[0]:.0f}, "
          f"max {latencies[-1]:.0f} (target <= {args.debounce + 100} ms: "
          f"{'met' if median <= args.debounce + 100 else 'NOT met'})")
    print(f"idle CPU: {cpu:.2f} s over {wall:.1f} s = {100 * cpu / wall:.2f}%")


if __name__ == "__main__":
    main()
