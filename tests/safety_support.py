"""Shared helpers of the issue-9 safety tests (tests/test_safety_*.py).

They drive vaultokr only through its stable entry points (the click command
in-process, or ``python -m vaultokr`` in a subprocess), so moving code between
modules does not break them, and they check the user-visible contract: no
exit 3, no "internal error" or traceback, the problem names the file, nothing
written outside the vault, no temporary file left.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import ROOT, write
from vaultokr.cli import main

AS_OF = "2026-11-20"
OBJ = "---\ntype: objective\nperiod: 2026-Q4\n---\n"
KR = ("---\ntype: key-result\nobjective: \"[[O]]\"\ntitle: Talks given\nbaseline: 0\n"
      "target: 10\n---\n- 2026-11-02: 4\n- 2026-11-16: 5\n")
TEMP_MARK = "vaultokr-tmp"


@dataclass
class Ran:
    code: int
    output: str  # stdout and stderr together

    def assert_clean(self) -> None:
        """Not a crash: no exit 3, no internal error, no traceback."""
        assert self.code != 3, self.output
        assert "internal error" not in self.output, self.output
        assert "Traceback" not in self.output, self.output


def cli(*args: str) -> Ran:
    """Run ``vaultokr ARGS`` in this process (faults can be monkeypatched)."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        output += f"\nTraceback: uncaught {type(result.exception).__name__}: {result.exception}"
    return Ran(result.exit_code, output)


def build(root: Path, *extra: str) -> Ran:
    return cli("build", str(root), "--as-of", AS_OF, *extra)


def subprocess_cli(*args: str, timeout: float = 10.0, cwd: Path | None = None) -> Ran:
    """Run ``python -m vaultokr ARGS`` in a child, for crashes that would take
    pytest down (SIGSEGV) and hangs (bounded by ``timeout``: a hang is exit
    -9 with "hung" in the output)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VAULTOKR_DEBUG", None)
    try:
        proc = subprocess.run([sys.executable, "-m", "vaultokr", *args], capture_output=True,
                              timeout=timeout, env=env, cwd=cwd, check=False)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"") + (exc.stderr or b"")
        return Ran(-9, f"hung for more than {timeout} s\n" + out.decode(errors="replace"))
    out = (proc.stdout + proc.stderr).decode(errors="replace")
    if proc.returncode < 0:
        out += f"\nkilled by signal {-proc.returncode}"
    return Ran(proc.returncode, out)


def make_vault(tmp_path: Path, files: dict[str, str | bytes], name: str = "vault") -> Path:
    root = tmp_path / name
    root.mkdir(parents=True, exist_ok=True)
    return write(root, files) if files else root


def snapshot(top: Path) -> dict[str, bytes | str]:
    """Every path under ``top`` with its bytes ("<dir>" or "-> target" for
    folders and links); symbolic links are not followed."""
    found: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            full = Path(folder, name)
            rel = full.relative_to(top).as_posix()
            if full.is_symlink():
                found[rel] = "-> " + os.readlink(full)
            elif full.is_dir():
                found[rel] = "<dir>"
            elif full.is_file():
                found[rel] = full.read_bytes()
            else:
                found[rel] = "<special>"
    return found


def temp_files(top: Path) -> list[str]:
    return [rel for rel in snapshot(top) if TEMP_MARK in rel]


def changed(before: dict[str, bytes | str], after: dict[str, bytes | str]) -> set[str]:
    return {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
