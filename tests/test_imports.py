"""A lean start: a command imports only what it uses (measured in
benchmarks/bench_imports.py; here, which packages, never how long)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.vaults import SAMPLE, age, copy_vault

HEAVY = {"jinja2", "markdown_it", "yaml", "frontmatter", "watchdog"}

# run the command in a fresh interpreter and print the top-level packages it imported
CODE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})),
                              file=sys.stderr))
from vaultokr.cli import main
main(sys.argv[1:])
"""


def imported(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_status_on_an_indexed_vault_imports_no_yaml_markdown_or_templates(
        tmp_path: Path) -> None:
    root = copy_vault(SAMPLE, tmp_path / "v")
    age(root)
    first = imported("status", str(root), "--json", "--as-of", "2026-11-20")
    assert {"yaml", "markdown_it"} <= first  # reading the notes the first time
    assert "jinja2" not in first and "watchdog" not in first
    assert imported("status", str(root), "--json", "--as-of", "2026-11-20") & HEAVY == set()
    assert imported("check", str(root), "--as-of", "2026-11-20") & HEAVY == set()


def test_help_imports_no_reading_or_building_library() -> None:
    assert imported("--help") & HEAVY == set()
