"""``vaultokr build``: a first run and a second one with nothing changed.

    python benchmarks/bench_build.py [--sizes 10000] [--shape personal shared] [--runs 5]
        [--extra-args=--no-cache]

Every run copies the generated vault afresh (without any ``.vaultokr/``;
not timed), then times, as fresh processes with a warm page cache: the floor
(reading every note's bytes), ``status --json``, ``build`` on the fresh copy
(it writes every review) and ``build`` again with nothing changed (it writes
nothing). Reports medians, ratios to the floor and to ``status``, and peak RSS.
Targets (issue 14): a second build <= 1.5x status at every size; build grows
linearly with the vault.
"""

from __future__ import annotations

import argparse
import shutil

from common import AS_OF, add_common, floor_cmd, median_ms, timed, vaultokr, vaults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common(parser, sizes=[10_000], runs=5)
    args = parser.parse_args()
    print(f"{'shape':<9} {'notes':>6}  {'what':<13} {'median':>10}  {'/floor':>6}  "
          f"{'/status':>7}  {'peak RSS':>9}", flush=True)
    for shape, size, source in vaults(args):
        copy = args.vaults / f"build-{shape}-{size}"
        status = vaultokr("status", str(source), "--json", "--as-of", AS_OF,
                          extra=args.extra_args)
        build = vaultokr("build", str(copy), "--as-of", AS_OF, "-q", extra=args.extra_args)
        times: dict[str, list[float]] = {"floor": [], "status": [], "build first": [],
                                         "build second": []}
        rss = dict.fromkeys(times, 0)
        timed(floor_cmd(source))
        timed(status)
        for _ in range(args.runs):
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".vaultokr"))
            for name, cmd in [("floor", floor_cmd(source)), ("status", status),
                              ("build first", build), ("build second", build)]:
                seconds, peak = timed(cmd)
                times[name].append(seconds)
                rss[name] = max(rss[name], peak)
        floor, ours = median_ms(times["floor"]), median_ms(times["status"])
        for name, values in times.items():
            m = median_ms(values)
            print(f"{shape:<9} {size:>6}  {name:<13} {m:>7.0f} ms  {m / floor:>5.2f}x  "
                  f"{m / ours:>6.2f}x  {rss[name] / 2**20:>6.1f} MB", flush=True)
        shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
