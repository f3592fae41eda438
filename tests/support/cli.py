"""``vaultokr`` run as a user runs it: in this process through click (faults
can be monkeypatched, stdin can be typed), or as ``python -m vaultokr`` in a
child (for crashes that would take pytest down, and hangs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from click.testing import CliRunner

from support.vaults import ROOT
from vaultokr.cli import main

UNCAUGHT = "Traceback: uncaught"


class Ran(NamedTuple):
    """What a run of ``vaultokr`` gave: its exit code, stdout and stderr."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """stdout, then stderr."""
        return self.stdout + self.stderr

    def assert_clean(self) -> None:
        """Not a crash: no exit 3, no internal error, no traceback."""
        assert self.code != 3, self.output
        assert "internal error" not in self.output, self.output
        assert "Traceback" not in self.output, self.output


def invoke(*args: str, input: str | None = None, color: bool = False) -> Ran:
    """Run ``vaultokr ARGS`` in-process, with ``input`` typed at its prompts.
    An exception that escapes the command is told in stderr as
    ``Traceback: uncaught NAME: MESSAGE`` (vaultokr itself never lets one out)."""
    result = CliRunner().invoke(main, list(args), input=input, color=color)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += f"\n{UNCAUGHT} {type(result.exception).__name__}: {result.exception}"
    return Ran(result.exit_code, result.stdout, stderr)


def child_env() -> dict[str, str]:
    """The environment of a child ``python -m vaultokr``: this checkout's package."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VAULTOKR_DEBUG", None)
    return env


def subprocess_cli(*args: str, timeout: float = 10.0, cwd: Path | None = None) -> Ran:
    """Run ``python -m vaultokr ARGS`` in a child, bounded by ``timeout``: a hang
    is exit -9 with "hung" in stderr; a child killed by a signal says which."""
    try:
        proc = subprocess.run([sys.executable, "-m", "vaultokr", *args], capture_output=True,
                              timeout=timeout, env=child_env(), cwd=cwd, check=False)
    except subprocess.TimeoutExpired as exc:
        return Ran(-9, _text(exc.stdout), f"hung for more than {timeout} s\n" + _text(exc.stderr))
    stderr = _text(proc.stderr)
    if proc.returncode < 0:
        stderr += f"\nkilled by signal {-proc.returncode}"
    return Ran(proc.returncode, _text(proc.stdout), stderr)


def _text(data: bytes | str | None) -> str:
    if isinstance(data, bytes):
        return data.decode(errors="replace")
    return data or ""
