"""What every benchmark script shares: fresh child processes, the floor, cold caches.

Not a benchmark itself. Run the scripts with the Python that has vaultokr
installed (``.venv/bin/python benchmarks/...``): children are started as
``sys.executable -m vaultokr ...``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import ensure  # noqa: E402

AS_OF = "2026-11-20"

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


def add_common(parser: argparse.ArgumentParser, sizes: list[int], runs: int) -> None:
    parser.add_argument("--sizes", type=int, nargs="+", default=sizes, help="vault sizes (notes)")
    parser.add_argument("--shape", choices=["personal", "shared"], nargs="+",
                        default=["personal", "shared"], help="vault shapes (see generate.py)")
    parser.add_argument("--runs", type=int, default=runs,
                        help="fresh processes per command, interleaved; the median is reported")
    parser.add_argument("--vaults", type=Path, default=HERE / "vaults",
                        help="where generated vaults are kept (git-ignored)")
    parser.add_argument("--extra-args", default="",
                        help="appended to every vaultokr command line, e.g. '--no-cache'")


def vaultokr(*args: str, extra: str = "") -> list[str]:
    return [sys.executable, "-m", "vaultokr", *args, *shlex.split(extra)]


def floor_cmd(vault: Path) -> list[str]:
    return [sys.executable, "-c", FLOOR, str(vault)]


def timed(cmd: list[str], ok: tuple[int, ...] = (0, 1)) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes, from wait4) of one child process.

    Exit 1 is accepted by default: ``check`` exits 1 when it finds problems.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=CHILD_ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in ok:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed: {shlex.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss * 1024


def evict(paths: list[Path]) -> None:
    """Ask the kernel to drop these trees' files from the page cache (no root needed)."""
    for root in paths:
        for folder, _, files in os.walk(root):
            for name in files:
                try:
                    fd = os.open(os.path.join(folder, name), os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                finally:
                    os.close(fd)


def drop_caches(vault: Path) -> str:
    """Empty the OS page cache so the next run reads the disk; says how it did it.

    As root on Linux: ``sync; echo 3 > /proc/sys/vm/drop_caches`` (everything,
    the interpreter and its libraries too). Otherwise ``posix_fadvise(DONTNEED)``
    on every file of the vault and of the Python installation, which the
    kernel may partly ignore: a weaker "cold".
    """
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return "drop_caches"
    except OSError:
        evict([vault, Path(sys.prefix), Path(sys.base_prefix)])
        return "fadvise"


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def vaults(args: argparse.Namespace) -> list[tuple[str, int, Path]]:
    """(shape, size, path) for every requested vault, generating the missing ones."""
    return [(shape, size, ensure(args.vaults, size, shape))
            for size in args.sizes for shape in args.shape]
