"""What each command imports, and what that costs: ``python -X importtime``.

    python benchmarks/bench_imports.py [--sizes 10000] [--shape personal] [--runs 5]
        [--commands help status check build watch] [--top 10]

Runs each command as a fresh process under ``-X importtime`` (``build`` on a
fresh copy of the vault; ``watch`` until it is ready, then stopped) and sums
the import time of every module by package (its own time, not counting what
it imports from other packages: ``yaml``, ``jinja2``, ``vaultokr`` ...);
reports the median over the runs, the total, and the biggest packages.
Importing costs more under ``-X importtime`` than without: compare the
figures with each other, not with wall times.
Target (issue 14): nothing imported that the command does not use (no Jinja or
markdown-it for ``status`` on an indexed vault; watchdog only for ``watch``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from common import AS_OF, CHILD_ENV, add_common, vaultokr, vaults

STDLIB = set(sys.stdlib_module_names)


def by_package(stderr: str) -> dict[str, float]:
    """Microseconds spent importing each package's own modules (self time, summed).

    Self times add up to the total without counting a module twice; what a
    package's modules import from other packages is counted in those.
    """
    totals: dict[str, float] = defaultdict(float)
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, _, name = line[len("import time:"):].split("|")
        top = name.strip().split(".")[0]
        totals["(stdlib)" if top in STDLIB else top] += int(own)
    return totals


def run(cmd: list[str], log: Path, until_ready: bool) -> str:
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=CHILD_ENV)
    if until_ready:
        deadline = time.monotonic() + 300
        while "ready in" not in log.read_text() and proc.poll() is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        proc.terminate()
    proc.wait(timeout=300)
    return log.read_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common(parser, sizes=[10_000], runs=5)
    parser.set_defaults(shape=["personal"])
    parser.add_argument("--commands", nargs="+", default=["help", "status", "check", "build",
                                                          "watch"])
    parser.add_argument("--top", type=int, default=10, help="packages listed per command")
    args = parser.parse_args()
    for shape, size, source in vaults(args):
        copy = args.vaults / f"imports-{shape}-{size}"
        log = args.vaults / "importtime.log"
        for command in args.commands:
            argv = {
                "help": ["--help"],
                "status": ["status", str(source), "--json", "--as-of", AS_OF],
                "check": ["check", str(source), "--as-of", AS_OF],
                "build": ["build", str(copy), "--as-of", AS_OF, "-q"],
                "watch": ["watch", str(copy), "--as-of", AS_OF, "-q"],
            }[command]
            cmd = vaultokr(*argv, extra="" if command == "help" else args.extra_args)
            cmd[1:1] = ["-X", "importtime"]
            samples: dict[str, list[float]] = defaultdict(list)
            for _ in range(args.runs):
                if command in ("build", "watch"):
                    shutil.rmtree(copy, ignore_errors=True)
                    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".vaultokr"))
                totals = by_package(run(cmd, log, until_ready=command == "watch"))
                totals["TOTAL"] = sum(totals.values())
                for name, us in totals.items():
                    samples[name].append(us)
            med = {name: statistics.median(v + [0] * (args.runs - len(v)))
                   for name, v in samples.items()}
            top = sorted((n for n in med if n != "TOTAL"), key=lambda n: -med[n])[: args.top]
            print(f"{shape} {size} {command}: imports {med['TOTAL'] / 1000:.0f} ms: " + ", ".join(
                f"{n} {med[n] / 1000:.0f}" for n in top), flush=True)
        shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
