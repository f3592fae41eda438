"""A changed module anywhere in the package invalidates the caches: after an
edit of any module in any folder of vaultokr/ (the sub-packages, the top, the
sources), the next ``status`` reads every note again: neither the answer kept
in ``.vaultokr/`` nor the index is used.

The package is copied to a temporary folder and run from there in a child
Python (``PYTHONPATH``); a small driver outside the package counts the notes
read (calls of ``Reader.entry_from``, wrapped by the driver: no hook in the
package) and prints the count after the command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DRIVER = """\
import sys
import vaultokr
from vaultokr.cli import main
from vaultokr.read import entries

read = []
real = entries.Reader.entry_from

def counted(self, rel, *args):
    read.append(rel)
    return real(self, rel, *args)

entries.Reader.entry_from = counted
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    sys.stderr.write(f"\\nREAD {len(read)} FROM {vaultokr.__file__}\\n")
"""
NOTES = {
    "O.md": "---\ntype: objective\nperiod: 2026-Q4\n---\n",
    "K.md": '---\ntype: key-result\nobjective: "[[O]]"\ntarget: 10\n---\n- 2026-11-02: 4\n',
    "C.md": '---\ntype: check-in\nkr: "[[K]]"\ndate: 2026-11-09\nvalue: 6\n---\n',
    "Plain.md": "words\n",
}


def folders(package: Path) -> list[Path]:
    """Every folder of the package that holds modules."""
    return sorted({p.parent for p in package.rglob("*.py") if "__pycache__" not in p.parts})


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package and its default templates, copied (no compiled files)."""
    where = tmp_path_factory.mktemp("package")
    shutil.copytree(ROOT / "vaultokr", where / "vaultokr",
                    ignore=shutil.ignore_patterns("__pycache__"))
    if (ROOT / "templates").is_dir():
        shutil.copytree(ROOT / "templates", where / "templates")
    (where / "driver.py").write_text(DRIVER)
    return where


def status(copy: Path, vault: Path) -> int:
    """``vaultokr status`` with the copied package; how many notes it read."""
    env = {**os.environ, "PYTHONPATH": str(copy), "COLUMNS": "80",
           "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, str(copy / "driver.py"), "status", "--vault",
                           str(vault), "--as-of", "2026-11-20"], env=env, cwd=copy,
                          capture_output=True, text=True, timeout=120, check=False)
    last = done.stderr.rsplit("READ ", 1)[-1].split()
    assert done.returncode == 0 and "as of Fri 20 Nov 2026" in done.stdout, done
    assert last[2] == str(copy / "vaultokr" / "__init__.py"), done.stderr
    return int(last[0])


def test_any_module_edited_invalidates_the_index_and_the_answers(
        copy: Path, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "vaultokr.toml").write_text("")
    long_ago = time.time() - 3600  # notes older than the caches' racy window
    for rel, text in NOTES.items():
        (vault / rel).write_text(text)
        os.utime(vault / rel, (long_ago, long_ago))
    assert status(copy, vault) == len(NOTES)
    assert status(copy, vault) == 0  # the answer kept, nothing read
    edited = []
    for folder in folders(copy / "vaultokr"):
        module = sorted(folder.glob("*.py"))[-1]
        with open(module, "a", encoding="utf-8") as handle:
            handle.write("# edited\n")
        edited.append(module.relative_to(copy).as_posix())
        assert status(copy, vault) == len(NOTES), f"{edited[-1]} edited: caches used"
        assert status(copy, vault) == 0, f"{edited[-1]} edited: nothing kept again"
    assert {"vaultokr/read", "vaultokr/cache", "vaultokr/load/sources", "vaultokr"} <= {
        m.rsplit("/", 1)[0] for m in edited}
