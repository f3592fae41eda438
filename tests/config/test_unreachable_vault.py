"""A vault this user may not enter (the folder itself, or one above it), and
one whose ``.vaultokr/`` this user may not write: run as ``nobody`` in a child
process (the tests run as root here; they skip otherwise)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli import Ran
from support.safety import KR, OBJ
from support.snapshot import snapshot
from support.vaults import ROOT

NOBODY = 65534
REGION_NOTE = (OBJ + "my words\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
               "after\n")
COMMANDS = ("status", "build", "check", "init")


def as_nobody(*args: str, cwd: Path | None = None) -> Ran:
    """``python -m vaultokr ARGS`` run as the unprivileged user ``nobody``
    (by ``setpriv``, after the child has entered ``cwd`` as root)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VAULTOKR_DEBUG", None)
    drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    proc = subprocess.run([*drop, sys.executable, "-m", "vaultokr", *args], capture_output=True,
                          timeout=60, env=env, cwd=cwd, check=False)
    return Ran(proc.returncode, proc.stdout.decode(errors="replace"),
               proc.stderr.decode(errors="replace"))


@pytest.fixture
def open_base() -> Iterator[Path]:
    """A folder ``nobody`` may enter (pytest's own tmp_path sits in a folder
    only root may enter), removed afterwards."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root: the test runs vaultokr as the user nobody")
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to run vaultokr as the user nobody")
    base = Path(tempfile.mkdtemp(prefix="vaultokr-faults-"))
    try:
        base.chmod(0o755)
        probe = as_nobody("--version")
        if probe.code != 0:
            pytest.skip(f"the user nobody cannot run vaultokr from this checkout: {probe.output}")
        yield base
    finally:
        shutil.rmtree(base)


def nobody_vault(base: Path) -> Path:
    """A vault owned by nobody, with a note holding a region (a build would
    write into it) and the key result it shows."""
    root = base / "v"
    root.mkdir()
    (root / "vaultokr.toml").write_text("")
    (root / "O.md").write_text(REGION_NOTE)
    (root / "K.md").write_text(KR)
    for path in (root, *root.iterdir()):
        os.chown(path, NOBODY, NOBODY)
    return root


def assert_usage_error(ran: Ran, *words: str) -> None:
    assert ran.code == 2, ran.output
    assert "internal error" not in ran.output and "Traceback" not in ran.output, ran.output
    for word in words:
        assert word in ran.output, ran.output


# ------------------------------------------------ 1. a vault one may not enter
@pytest.mark.parametrize("mode", [0o700, 0o744, 0o711],
                         ids=["no-access", "listable-not-enterable", "enterable-not-listable"])
def test_a_vault_folder_this_user_may_not_enter(open_base: Path, mode: int) -> None:
    root = nobody_vault(open_base)
    os.chown(root, 0, 0)
    root.chmod(mode)
    before = snapshot(root)
    for command in COMMANDS:
        ran = as_nobody(command, "--vault", str(root))
        assert_usage_error(ran, f"{root} cannot be entered: permission denied",
                           "run vaultokr as its owner")
    assert snapshot(root) == before


def test_a_folder_above_the_vault_this_user_may_not_enter(open_base: Path) -> None:
    parent = open_base / "private"
    parent.mkdir(mode=0o700)
    root = nobody_vault(parent)
    before = snapshot(root)
    for given in (root, root / "sub"):  # the vault, or a folder inside it
        for command in COMMANDS:
            ran = as_nobody(command, "--vault", str(given))
            assert_usage_error(ran, f"{given} cannot be reached: the folder {parent} above it "
                               "cannot be entered", "run vaultokr as its owner")
    # started inside the vault (entered before the user changed): the same
    ran = as_nobody("status", cwd=root)
    assert_usage_error(ran, f"the folder {parent} above it cannot be entered")
    assert snapshot(root) == before


@pytest.mark.parametrize("mode", [0o755, 0o700], ids=["not-writable", "not-enterable"])
def test_a_vaultokr_folder_this_user_may_not_write(open_base: Path, mode: int) -> None:
    """``status`` and ``check`` read the vault and answer as without the
    index; ``build`` writes nothing and exits 1 naming ``.vaultokr``."""
    root = nobody_vault(open_base)
    expected = {command: as_nobody(command, "--vault", str(root), "--as-of", "2026-11-20",
                                   "--no-cache") for command in ("status", "check")}
    assert expected["status"].code == 0 and "Talks given" in expected["status"].output
    own = root / ".vaultokr"
    own.mkdir(mode=mode)
    before = snapshot(root)
    for command in ("status", "check"):
        ran = as_nobody(command, "--vault", str(root), "--as-of", "2026-11-20")
        assert ran.code == expected[command].code, ran.output
        lines = [line for line in ran.output.splitlines() if "cannot read the index" not in line]
        assert lines == expected[command].output.splitlines()
    ran = as_nobody("build", "--vault", str(root), "--as-of", "2026-11-20")
    assert ran.code == 1, ran.output
    assert f"{own}" in ran.output and "permission denied" in ran.output, ran.output
    assert "nothing was written" in ran.output, ran.output
    assert snapshot(root) == before


