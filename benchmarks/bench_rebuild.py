"""One watch rebuild after one save, in-process, phase by phase.

    python benchmarks/bench_rebuild.py [--notes 10000] [--shape personal] [--saves 7]
        [--profile]

Keeps a :class:`vaultokr.run.pipeline.Pipeline` alive as ``vaultokr watch`` does
(``KeptPipeline``) on a copy of a generated vault, builds once, then saves one
check-in note ``--saves`` times (a new value for a key result of the current
quarter each time) and times, for each save, the phases of the rebuild that
follows: ``refresh`` (re-reading the changed note), ``analyse`` (the model and
its results; after the first save an update of the last analysis, see
vaultokr/incremental.py) and ``build`` (computing, rendering and writing the outputs).
Prints every save's figures and the medians. No file events and no debounce:
``bench_watch.py`` measures the whole watcher from outside; this says where a
rebuild's time goes. ``--profile`` runs one more save under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import shutil
import statistics
import time
from pathlib import Path

from common import AS_OF, HERE
from generate import ensure

CHECKIN = ("---\ntype: check-in\ndate: 2026-11-20\nvalues:\n"
           "  \"[[{kr}]]\": {{value: {value}, confidence: 7}}\n---\n")
KR = {"personal": "KR 0-0", "shared": "KR 0-4"}  # a level of the current quarter
NOTE = "Check-ins/2026-11-20 zz bench.md"


def main() -> None:
    from vaultokr.run.kept import KeptPipeline

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--shape", choices=["personal", "shared"], default="personal")
    parser.add_argument("--saves", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="profile one more save")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--vaults", type=Path, default=HERE / "vaults")
    args = parser.parse_args()
    source = ensure(args.vaults, args.notes, args.shape)
    vault = args.vaults / f"rebuild-{args.shape}-{args.notes}"
    shutil.rmtree(vault, ignore_errors=True)
    shutil.copytree(source, vault, ignore=shutil.ignore_patterns(".vaultokr"))
    as_of = dt.date.fromisoformat(AS_OF)
    note = vault / NOTE

    def save(i: int) -> None:
        note.write_text(CHECKIN.format(kr=KR[args.shape], value=11 + i % 38))

    pipeline = KeptPipeline(vault)
    pipeline.load_settings()
    pipeline.read()
    started = time.perf_counter()
    pipeline.build(pipeline.analyse(as_of))
    print(f"first build: {(time.perf_counter() - started) * 1000:.0f} ms")

    def rebuild() -> tuple[float, float, float, int]:
        t0 = time.perf_counter()
        pipeline.refresh([NOTE])
        t1 = time.perf_counter()
        analysis = pipeline.analyse(as_of)
        t2 = time.perf_counter()
        result = pipeline.build(analysis)
        t3 = time.perf_counter()
        return t1 - t0, t2 - t1, t3 - t2, sum(1 for o in result.outputs if o.changed)

    save(0)
    rebuild()  # the note is new the first time
    rows = []
    for i in range(1, args.saves + 1):
        save(i)
        refresh, analyse, build, wrote = rebuild()
        rows.append((refresh, analyse, build))
        print(f"save {i:>3}: refresh {refresh * 1000:6.1f} ms  analyse {analyse * 1000:7.1f} ms"
              f"  build {build * 1000:7.1f} ms  ({wrote} outputs written)")
    for name, column in zip(("refresh", "analyse", "build"), zip(*rows, strict=True),
                            strict=True):
        print(f"median {name}: {statistics.median(column) * 1000:.1f} ms")
    total = statistics.median(sum(row) for row in rows)
    print(f"median rebuild: {total * 1000:.1f} ms  ({args.shape}, {args.notes} notes)")
    updated = getattr(pipeline, "incremental", None)  # a version before it has no count
    if updated is not None:
        print(f"rebuilds whose analysis was an update (vaultokr/incremental.py): {updated} "
              f"of {args.saves + 1} (the first save creates the note: in full)")
    if args.profile:
        save(args.saves + 1)
        profiler = cProfile.Profile()
        profiler.enable()
        rebuild()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
