"""Cold ``vaultokr status --json`` against the floor of reading every file.

    python benchmarks/bench_status.py [--sizes 10000 50000] [--runs 7]

Each run is a fresh process (nothing cached by vaultokr; the OS page cache is
warmed first for both, so both read from memory). The floor is a Python
process that walks the vault and reads every file's bytes. Reports the
median wall time of each, their ratio, and the peak RSS of vaultokr.
Targets (issue 2): ratio <= 2 at 10,000 notes; peak RSS <= 150 MB at 50,000.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

FLOOR = (
    "import os, sys\n"
    "n = 0\n"
    "for folder, dirs, files in os.walk(sys.argv[1]):\n"
    "    dirs[:] = [d for d in dirs if not d.startswith('.')]\n"
    "    for name in files:\n"
    "        if name.endswith('.md'):\n"
    "            with open(os.path.join(folder, name), 'rb') as f:\n"
    "                n += len(f.read())\n"
    "print(n)\n"
)


# An installed package has its bytecode compiled; a checkout run with
# PYTHONDONTWRITEBYTECODE=1 (set on some machines) recompiles every module on
# every run, which is not what a user sees. The children may write .pyc files.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=CHILD_ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss * 1024


def drop_caches() -> None:
    """Empty the OS page cache (Linux, as root), so the next run reads the disk."""
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def bench(vault: Path, runs: int, cold: bool = False) -> dict[str, float]:
    floor_cmd = [sys.executable, "-c", FLOOR, str(vault)]
    ours_cmd = [sys.executable, "-m", "vaultokr", "status", str(vault), "--json",
                "--as-of", "2026-11-20"]
    timed(floor_cmd)
    timed(ours_cmd)  # warm the page cache (and .pyc files) for both
    floor, ours, rss = [], [], []
    for _ in range(runs):  # interleaved, so drift affects both alike
        if cold:
            drop_caches()
        floor.append(timed(floor_cmd)[0])
        if cold:
            drop_caches()
        t, r = timed(ours_cmd)
        ours.append(t)
        rss.append(r)
    return {
        "floor": statistics.median(floor),
        "ours": statistics.median(ours),
        "ratio": statistics.median(ours) / statistics.median(floor),
        "rss_mb": max(rss) / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--vaults", type=Path, default=HERE / "vaults")
    parser.add_argument("--cold", action="store_true",
                        help="drop the OS page cache before every run (Linux, root)")
    args = parser.parse_args()
    print("page cache:", "dropped before each run (cold)" if args.cold else "warm")
    print(f"{'notes':>7}  {'floor (median)':>14}  {'vaultokr (median)':>17}  {'ratio':>5}  "
          f"{'peak RSS':>9}")
    for size in args.sizes:
        vault = args.vaults / f"vault-{size}"
        if not (vault / ".complete-v3").exists():
            generate(vault, size)
            (vault / ".complete-v3").write_text("")
        r = bench(vault, args.runs, args.cold)
        print(f"{size:>7}  {r['floor'] * 1000:>11.0f} ms  {r['ours'] * 1000:>14.0f} ms  "
              f"{r['ratio']:>5.2f}  {r['rss_mb']:>6.1f} MB", flush=True)


if __name__ == "__main__":
    main()
