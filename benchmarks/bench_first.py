"""A first run: ``status --json`` on a vault with no ``.vaultokr/`` (no index,
no answers), this checkout against another version of vaultokr.

    python benchmarks/bench_first.py --against DIR [--sizes 10000] [--shape personal]
        [--runs 5] [--command status]

``DIR`` holds another version's ``vaultokr/`` package (and ``templates/``),
e.g. ``git archive OLD vaultokr templates | tar -x -C DIR``. Both run as
fresh processes on a copy of the vault, ``.vaultokr/`` deleted before every
run, interleaved (floor, this, other, floor, ...); the other version runs
with ``PYTHONPATH=DIR`` from a neutral folder. Reports medians, their ratio
to the floor, and this version's median over the other's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import AS_OF, CHILD_ENV, add_common, floor_cmd, median_ms, timed, vaults


def run_with(cmd: list[str], path: str | None, cwd: Path) -> tuple[float, int]:
    env = dict(CHILD_ENV)
    if path is not None:
        env["PYTHONPATH"] = path
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common(parser, sizes=[10_000], runs=5)
    parser.add_argument("--against", type=Path, required=True,
                        help="folder with the other version's vaultokr/ package")
    parser.add_argument("--command", choices=["status", "check"], default="status")
    args = parser.parse_args()
    here = str(Path(__file__).resolve().parent.parent)
    other = str(args.against.resolve())
    args_of = {"status": ["status", "--json"], "check": ["check"]}[args.command]
    print(f"{'shape':<9} {'notes':>6}  {'floor':>8}  {'this':>8} {'ratio':>6} {'RSS':>7}  "
          f"{'other':>8} {'ratio':>6} {'RSS':>7}  this/other", flush=True)
    for shape, size, source in vaults(args):
        vault = args.vaults / f"first-{source.name}"
        shutil.rmtree(vault, ignore_errors=True)
        shutil.copytree(source, vault, ignore=shutil.ignore_patterns(".vaultokr"))
        # the vault as a positional argument: older versions had no --vault
        cmd = [sys.executable, "-m", "vaultokr", *args_of, str(vault), "--as-of", AS_OF]
        neutral = args.vaults  # not a checkout: PYTHONPATH decides which vaultokr runs
        timed(floor_cmd(vault))
        times: dict[str, list[float]] = {"floor": [], "this": [], "other": []}
        rss = {"this": 0, "other": 0}
        for _ in range(args.runs):
            times["floor"].append(timed(floor_cmd(vault))[0])
            for name, path in (("this", here), ("other", other)):
                shutil.rmtree(vault / ".vaultokr", ignore_errors=True)
                seconds, peak = run_with(cmd, path, neutral)
                times[name].append(seconds)
                rss[name] = max(rss[name], peak)
        floor, this, that = (median_ms(times[k]) for k in ("floor", "this", "other"))
        print(f"{shape:<9} {size:>6}  {floor:>5.0f} ms  {this:>5.0f} ms {this / floor:>5.2f}x "
              f"{rss['this'] / 2**20:>5.0f}MB  {that:>5.0f} ms {that / floor:>5.2f}x "
              f"{rss['other'] / 2**20:>5.0f}MB  {this / that:.2f}", flush=True)
        shutil.rmtree(vault, ignore_errors=True)


if __name__ == "__main__":
    main()
