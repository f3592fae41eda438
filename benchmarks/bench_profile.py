"""Where one command's time (cProfile) or memory (tracemalloc) goes.

    python benchmarks/bench_profile.py status [--notes 10000] [--shape personal]
        [--edit] [--memory] [--top 25] [--extra-args=--no-cache]

Runs ``vaultokr COMMAND`` once inside this process (``build`` on a fresh copy
of the vault), after one unprofiled run of the same command (of ``status``
before a first ``build``; of the first ``build`` with ``--again``), so the
page cache is warm and the modules already imported: imports are
``bench_imports.py``'s business. Prints the functions with the most cumulative and
the most own time, or with ``--memory`` the peak traced memory and the lines
that hold the most memory when the vault's analysis is complete
(``engine.analyse_files`` returned). Profiling slows the run
down (cProfile about 2x): use it for proportions, the other scripts for times.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import shlex
import shutil
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_status import edit
from common import AS_OF, HERE, ensure


def invoke(argv: list[str]) -> None:
    from vaultokr.cli import main

    sys.argv = ["vaultokr", *argv]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        main()


def profile_time(call: Callable[[], None], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(call)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def snapshot_after_analyse(snapshots: list[tracemalloc.Snapshot]) -> None:
    """Take a snapshot whenever ``engine.analyse_files`` returns (the vault's model
    is alive then), wherever it was imported by name."""
    import vaultokr.compute.analysis

    original = vaultokr.compute.analysis.analyse_files

    def analyse(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        snapshots.append(tracemalloc.take_snapshot())
        return result

    for module in list(sys.modules.values()):
        if module and module.__name__.startswith("vaultokr") and \
                getattr(module, "analyse_files", None) is original:
            module.analyse_files = analyse  # type: ignore[attr-defined]


def profile_memory(call: Callable[[], None], top: int) -> None:
    snapshots: list[tracemalloc.Snapshot] = []
    snapshot_after_analyse(snapshots)
    tracemalloc.start(10)
    call()
    snapshots.append(tracemalloc.take_snapshot())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory: {peak / 2**20:.1f} MB")
    when = "when analyse_files returned" if len(snapshots) > 1 else "at the end"
    held = sum(stat.size for stat in snapshots[0].statistics("filename"))
    print(f"held {when}: {held / 2**20:.1f} MB, by line:")
    stats = snapshots[0].filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    for stat in stats.statistics("lineno")[:top]:
        print(f"  {stat.size / 2**20:7.1f} MB  {stat.count:>8}  {stat.traceback[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["status", "check", "build"])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--shape", choices=["personal", "shared"], default="personal")
    parser.add_argument("--again", action="store_true",
                        help="build: profile a second build with nothing changed")
    parser.add_argument("--edit", action="store_true",
                        help="save one check-in note (on a copy) before the profiled run, "
                             "as bench_status.py --edit does: no kept answer applies")
    parser.add_argument("--memory", action="store_true", help="tracemalloc instead of cProfile")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--vaults", type=Path, default=HERE / "vaults")
    parser.add_argument("--extra-args", default="")
    args = parser.parse_args()
    vault = ensure(args.vaults, args.notes, args.shape)
    if args.command == "build" or args.edit:
        copy = args.vaults / f"profile-{args.shape}-{args.notes}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(vault, copy, ignore=shutil.ignore_patterns(".vaultokr"))
        vault = copy
    argv = [args.command, str(vault), "--as-of", AS_OF, *shlex.split(args.extra_args)]
    argv += {"status": ["--json"], "check": [], "build": ["-q"]}[args.command]
    if args.command != "build" or args.again:
        invoke(argv)  # warms the page cache and imports; for build --again, the first build
    else:
        invoke(["status", str(vault), "--as-of", AS_OF, "--json"])  # the same, writing nothing
    if args.edit:
        edit(vault, [])
    (profile_memory if args.memory else profile_time)(lambda: invoke(argv), args.top)


if __name__ == "__main__":
    main()
