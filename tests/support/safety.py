"""What the safety tests (SPEC §7, issue 9) share: a small vault's notes, a
build through the command line, and the temporary files a write may leave.

They drive vaultokr only through its stable entry points (the click command
in-process, or ``python -m vaultokr`` in a child: support.cli), so moving code
between modules does not break them, and they check the user-visible
contract: no exit 3, no "internal error" or traceback, the problem names the
file, nothing written outside the vault, no temporary file left.
"""

from __future__ import annotations

from pathlib import Path

from support.cli import Ran, invoke
from support.snapshot import snapshot
from support.vaults import write

AS_OF = "2026-11-20"
OBJ = "---\ntype: objective\nperiod: 2026-Q4\n---\n"
KR = ("---\ntype: key-result\nobjective: \"[[O]]\"\ntitle: Talks given\nbaseline: 0\n"
      "target: 10\n---\n- 2026-11-02: 4\n- 2026-11-16: 5\n")
TEMP_MARK = "vaultokr-tmp"


def build(root: Path, *extra: str) -> Ran:
    return invoke("build", str(root), "--as-of", AS_OF, *extra)


def make_vault(tmp_path: Path, files: dict[str, str | bytes], name: str = "vault") -> Path:
    return write(tmp_path / name, files)


def temp_files(top: Path) -> list[str]:
    """The temporary files of a write left anywhere under ``top``."""
    return [rel for rel in snapshot(top, folders=True) if TEMP_MARK in rel]
