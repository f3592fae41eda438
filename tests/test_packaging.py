"""The installed wheel, not the checkout, carries the templates and runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.vaults import ROOT, SAMPLE


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("vaultokr-*.whl")
    return built


def test_wheel_ships_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n for n in names if n.startswith("vaultokr/templates/")}
    expected = {f"vaultokr/templates/{p.relative_to(ROOT / 'templates').as_posix()}"
                for p in (ROOT / "templates").rglob("*") if p.is_file()}
    assert expected and shipped == expected


def test_installed_wheel_runs(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
         str(target), str(wheel)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import vaultokr, sys; print(vaultokr.__file__); "
            "from vaultokr.cli import main; sys.argv[1:] = sys.argv[2:]; main()")
    proc = subprocess.run(
        [sys.executable, "-c", code, "--", "status", str(SAMPLE), "--as-of", "2026-11-20",
         "--json", "--no-cache"],
        capture_output=True, text=True, check=False, cwd=tmp_path, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    location, _, report = proc.stdout.partition("\n")
    assert Path(location).is_relative_to(target)  # the wheel's copy, not the checkout
    assert (target / "vaultokr" / "templates").is_dir()
    assert json.loads(report)["schema"] == 1
