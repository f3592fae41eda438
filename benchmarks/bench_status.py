"""``vaultokr status --json`` and ``check`` against the floor of reading every note.

    python benchmarks/bench_status.py [--sizes 10000] [--shape personal shared] [--runs 7]
        [--commands status check build] [--cold] [--edit] [--extra-args=--no-cache]

Each run is a fresh process; the floor (a Python process that walks the vault
and reads every ``.md`` file's bytes) and each command are run in turn, runs
interleaved so that the machine's drift affects all alike. Warm: the page
cache is warmed first. ``--cold``: the page cache is emptied before every
single run (see ``common.drop_caches``). Reports the median wall time, its
ratio to the floor's median, and the highest peak RSS (``wait4``).
On an unchanged vault a command prints its answer kept in ``.vaultokr/``
(docs/performance.md); ``--edit`` saves one check-in note with a new value
before every run of a command (on a copy of the vault), so that the
command reads that note again, takes the others from the index, and
analyses the vault in full.
Targets (issue 14), with the index, on an unchanged vault: <= 0.5x the floor
cold and <= 2x warm at 10,000 notes; <= 0.5x cold and peak RSS <= 120 MB at
50,000. After one check-in (issue 20, ``--edit --commands status build``):
``status --json`` <= 3x the floor warm, and ``build`` <= 1.5x that status.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from common import AS_OF, add_common, drop_caches, floor_cmd, median_ms, timed, vaultokr, vaults

COMMANDS = {
    "status": ("status", "--json"),
    "check": ("check",),
    "build": ("build", "-q"),
}


EDITED = ("---\ntype: check-in\ndate: 2026-11-20\nvalues:\n"
          "  \"[[KR 0-0]]\": {{value: {value}, confidence: 7}}\n---\n")


def edit(vault: Path, runs: list[int]) -> None:
    """A new value in one check-in note (its size may stay the same)."""
    runs.append(1)
    (vault / "Check-ins" / "2026-11-20 zz bench.md").write_text(EDITED.format(value=len(runs)))


def bench(vault: Path, commands: list[str], runs: int, cold: bool, extra: str,
          edits: bool = False) -> list[str]:
    if edits:
        copy = vault.parent / f"edit-{vault.name}"
        if not copy.exists():
            shutil.copytree(vault, copy, ignore=shutil.ignore_patterns(".vaultokr"))
        vault = copy
    saves: list[int] = []
    cmds = {name: vaultokr(COMMANDS[name][0], str(vault), *COMMANDS[name][1:], "--as-of", AS_OF,
                           extra=extra)
            for name in commands}
    timed(floor_cmd(vault))
    for cmd in cmds.values():
        timed(cmd)  # warms the page cache (and .pyc files); and an index, if one is kept
    floor: list[float] = []
    ours: dict[str, list[float]] = {name: [] for name in cmds}
    rss: dict[str, int] = dict.fromkeys(cmds, 0)
    how = "warm" + (" edit" if edits else "")
    for _ in range(runs):
        if cold:
            how = drop_caches(vault) + (" edit" if edits else "")
        floor.append(timed(floor_cmd(vault))[0])
        for name, cmd in cmds.items():
            if edits:
                edit(vault, saves)
            if cold:
                drop_caches(vault)
            seconds, peak = timed(cmd)
            ours[name].append(seconds)
            rss[name] = max(rss[name], peak)
    lines = []
    base = median_ms(floor)
    for name in cmds:
        m = median_ms(ours[name])
        lines.append(f"{how:<12} {base:>7.0f} ms  {name:<7} {m:>7.0f} ms  {m / base:>5.2f}x"
                     f"  {rss[name] / 2**20:>6.1f} MB")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common(parser, sizes=[10_000], runs=7)
    parser.add_argument("--commands", nargs="+", choices=sorted(COMMANDS),
                        default=["status", "check"])
    parser.add_argument("--cold", action="store_true",
                        help="empty the OS page cache before every run")
    parser.add_argument("--edit", action="store_true",
                        help="save one note before every run (on a copy): no answer applies")
    args = parser.parse_args()
    print(f"{'shape':<9} {'notes':>6}  {'cache':<12} {'floor':>10}  {'command':<7} "
          f"{'median':>10}  {'ratio':>6}  {'peak RSS':>9}", flush=True)
    for shape, size, vault in vaults(args):
        for line in bench(vault, args.commands, args.runs, args.cold, args.extra_args,
                          args.edit):
            print(f"{shape:<9} {size:>6}  {line}", flush=True)


if __name__ == "__main__":
    main()
