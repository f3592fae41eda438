"""``vaultokr watch`` soak: RSS over many saves, save-to-dashboard latency, idle CPU.

    python benchmarks/bench_watch.py [--notes 10000] [--shape personal] [--saves 1000]

Starts ``vaultokr watch`` on a copy of a generated vault, then saves one
check-in note over and over (atomically, a temporary file renamed over it, as
editors do), each time with a new value for a key result of the current
quarter, and times until the dashboard's modification time changes (by
``stat``: reading the file would itself make file events), checking that its
content changed. The watcher's RSS (``VmRSS`` from /proc) is reported before
the first save and every ``--report-every`` saves; at the end, once its CPU
time has stopped moving for a second (the last rebuild writes other outputs
after the dashboard), its CPU time over an idle stretch. Linux only (/proc).
Targets (issue 14): RSS grows <= 10 MB over 1,000 saves; median
save-to-dashboard <= 300 ms at 10,000 notes; idle CPU about 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from common import AS_OF, CHILD_ENV, HERE, ensure, vaultokr

CHECKIN = ("---\ntype: check-in\ndate: 2026-11-20\nvalues:\n"
           "  \"[[{kr}]]\": {{value: {value}, confidence: 7}}\n---\n")
KR = {"personal": "KR 0-0", "shared": "KR 0-4"}  # a level, baseline 10 target 50, in 2026-Q4


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS in /proc")


def settle(pid: int, limit: float = 60.0) -> None:
    """Wait until the watcher has finished the last rebuild: the dashboard is
    written first, the other outputs after it, so its CPU may still move."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        if cpu_seconds(pid) - before < 0.02:
            return


def start_watcher(vault: Path, args: argparse.Namespace, log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:  # a file, not a pipe nobody drains
        proc = subprocess.Popen(
            vaultokr("watch", str(vault), "--as-of", AS_OF, "--debounce", str(args.debounce),
                     "-q", extra=args.extra_args),
            stdout=out, stderr=subprocess.STDOUT, env=CHILD_ENV,
        )
    deadline = time.monotonic() + 300
    while "ready in" not in log.read_text():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("the watcher did not start:\n" + log.read_text())
        time.sleep(0.05)
    return proc


def save_and_wait(note: Path, text: str, dashboard: Path, timeout: float) -> float:
    """Save ``note`` atomically; milliseconds until the dashboard is rewritten."""
    before = dashboard.read_bytes()
    stamp = dashboard.stat().st_mtime_ns
    temp = note.with_name("." + note.name + ".tmp")
    temp.write_text(text)
    start = time.perf_counter()
    os.replace(temp, note)
    while dashboard.stat().st_mtime_ns == stamp:
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"the dashboard did not change within {timeout} s")
        time.sleep(0.002)
    elapsed = (time.perf_counter() - start) * 1000
    if dashboard.read_bytes() == before:
        raise SystemExit("the dashboard was touched but not changed")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--shape", choices=["personal", "shared"], default="personal")
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--report-every", type=int, default=100, help="saves between RSS lines")
    parser.add_argument("--pause", type=float, default=0.2,
                        help="seconds between the dashboard being written and the next save")
    parser.add_argument("--debounce", type=int, default=100)
    parser.add_argument("--idle", type=float, default=10.0, help="idle seconds for the CPU")
    parser.add_argument("--timeout", type=float, default=60.0, help="per save, seconds")
    parser.add_argument("--vaults", type=Path, default=HERE / "vaults")
    parser.add_argument("--extra-args", default="", help="appended to the watch command line")
    args = parser.parse_args()
    source = ensure(args.vaults, args.notes, args.shape)
    vault = args.vaults / f"watch-{args.shape}-{args.notes}"
    shutil.rmtree(vault, ignore_errors=True)
    shutil.copytree(source, vault)
    log = args.vaults / f"watch-{args.shape}-{args.notes}.log"
    proc = start_watcher(vault, args, log)
    print(log.read_text().splitlines()[0], flush=True)
    dashboard = vault / "OKRs" / "Dashboard.md"
    note = vault / "Check-ins" / "2026-11-20 zz bench.md"  # sorts last: it wins the day
    latencies: list[float] = []
    series = [(0, rss_mb(proc.pid))]
    print(f"saves {0:>5}  RSS {series[0][1]:7.1f} MB", flush=True)
    try:
        for i in range(1, args.saves + 1):
            time.sleep(args.pause)
            text = CHECKIN.format(kr=KR[args.shape], value=11 + i % 38)
            latencies.append(save_and_wait(note, text, dashboard, args.timeout))
            if i % args.report_every == 0 or i == args.saves:
                series.append((i, rss_mb(proc.pid)))
                recent = latencies[-args.report_every:]
                print(f"saves {i:>5}  RSS {series[-1][1]:7.1f} MB  latency median of the last "
                      f"{len(recent)}: {statistics.median(recent):.0f} ms", flush=True)
        settle(proc.pid)
        cpu_before, wall_before = cpu_seconds(proc.pid), time.perf_counter()
        time.sleep(args.idle)
        cpu = cpu_seconds(proc.pid) - cpu_before
        wall = time.perf_counter() - wall_before
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    latencies.sort()
    median = statistics.median(latencies)
    p90 = latencies[int(0.9 * (len(latencies) - 1))]
    print(f"shape: {args.shape}  notes: {args.notes}  saves: {len(latencies)}  "
          f"debounce: {args.debounce} ms")
    print("RSS (MB) by saves: " + ", ".join(f"{n}: {mb:.1f}" for n, mb in series))
    print(f"RSS growth: {series[-1][1] - series[0][1]:+.1f} MB over {len(latencies)} saves "
          f"(target <= 10 MB over 1,000)")
    print(f"save -> dashboard written: median {median:.0f} ms, p90 {p90:.0f}, "
          f"min {latencies[0]:.0f}, max {latencies[-1]:.0f} (target <= 300 ms)")
    print(f"idle CPU: {cpu:.2f} s over {wall:.1f} s = {100 * cpu / wall:.2f}%")


if __name__ == "__main__":
    main()
