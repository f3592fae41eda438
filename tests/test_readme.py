"""The README's two commands, in the order a new reader runs them, on a fresh
clone: the first installs vaultokr and builds the sample vault (leaving its
caches in sample-vault/.vaultokr/), the second installs the test dependencies
and runs the whole suite there, which must pass with those caches present.

It needs the package index (both commands ``pip install``; it skips, saying
why, when pip cannot reach it) and a few minutes: the suite runs twice.
Inside the suite the second command runs, it skips itself
(``VAULTOKR_README_RUN``); ``pytest -m "not readme"`` leaves it out of a run
on a developer's machine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.vaults import ROOT

INNER = "VAULTOKR_README_RUN"  # set in the suite the README's second command runs


def readme_commands() -> list[str]:
    """The README's first two ```sh blocks, each one shell command line."""
    blocks = re.findall(r"^```sh\n(.*?)^```", (ROOT / "README.md").read_text("utf-8"), re.M | re.S)
    return [block.strip() for block in blocks[:2]]


def test_the_readme_starts_with_build_then_test() -> None:
    first, second = readme_commands()
    assert "vaultokr build --vault sample-vault" in first and "pip install -e ." in first
    assert "pytest" in second and "[test]" in second


def index_reachable(tmp_path: Path) -> str | None:
    """Why pip cannot reach the package index, or None when it can."""
    ran = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                          "--dest", str(tmp_path / "probe"), "hatchling"],
                         capture_output=True, text=True, timeout=120, check=False)
    return None if ran.returncode == 0 else (ran.stderr.strip().splitlines() or ["?"])[-1]


@pytest.mark.readme
@pytest.mark.skipif(os.environ.get(INNER) == "1", reason="inside the README's own test run")
def test_the_readmes_commands_pass_in_order_on_a_fresh_clone(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    why = index_reachable(tmp_path)
    if why is not None:
        pytest.skip(f"the package index is out of reach (pip download failed: {why})")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    first, second = readme_commands()
    built = subprocess.run(["bash", "-c", first], cwd=clone, env=env, capture_output=True,
                           text=True, timeout=900, check=False)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert (clone / "sample-vault" / ".vaultokr" / "index").is_file()  # the caches are there
    tested = subprocess.run(["bash", "-c", second], cwd=clone, env={**env, INNER: "1"},
                            capture_output=True, text=True, timeout=1800, check=False)
    assert tested.returncode == 0, tested.stdout[-5000:] + tested.stderr[-3000:]
