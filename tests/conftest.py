"""Shared helpers: notes built from properties, vaults written to tmp_path,
the CLI run in-process, and a check that every problem has a catalogued code.

    vault({"O.md": objective(), "K.md": kr(target=10, log=["2026-11-02: 4"])})

writes ``O.md`` and ``K.md`` as these readable notes::

    ---                          ---
    type: objective              type: key-result
    period: 2026-Q4              objective: "[[O]]"
    ---                          target: 10
                                 ---
                                 - 2026-11-02: 4
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from vaultokr.cli import main
from vaultokr.compute.analysis import Analysis
from vaultokr.core.codes import CATALOGUE
from vaultokr.core.errors import Problems, Severity
from vaultokr.run.oneshot import analyse

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-vault"

AS_OF = dt.date(2026, 11, 20)
Q4_START = dt.date(2026, 10, 1)
Q4_DUE = dt.date(2026, 12, 31)

#: the ``vault`` fixture: write files, get the vault's root
Vault = Callable[[dict[str, str | bytes]], Path]


# ------------------------------------------------------------------ notes
def yaml_value(value: object) -> str:
    """A property value as a person types it: links quoted, lists in brackets;
    any other text is written as given (so it may be YAML of its own)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, str) and value.startswith("[["):
        return f'"{value}"'
    return str(value)


def property_lines(key: str, value: object) -> list[str]:
    """``key: value``; a list of mappings (inline key results) as a block list."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [f"{key}:", *(("  - " if i == 0 else "    ") + f"{k}: {yaml_value(v)}"
                             for item in value for i, (k, v) in enumerate(item.items()))]
    return [f"{key}: {yaml_value(value)}"]


def note(props: dict[str, object], body: str = "") -> str:
    """Front-matter with the properties in order (None leaves one out), then the body."""
    lines = [line for k, v in props.items() if v is not None for line in property_lines(k, v)]
    return "\n".join(["---", *lines, "---"]) + "\n" + body


def objective(body: str = "", **props: object) -> str:
    """An objective for 2026-Q4; ``period=None`` leaves the period out."""
    return note({"type": "objective", "period": "2026-Q4", **props}, body)


def kr(body: str = "", log: Sequence[str] = (), **props: object) -> str:
    """A key result of ``[[O]]``; ``log`` lines are written as ``- LINE`` after the front-matter."""
    return note({"type": "key-result", "objective": "[[O]]", **props},
                "".join(f"- {line}\n" for line in log) + body)


def checkin(**props: object) -> str:
    return note({"type": "check-in", **props})


# ----------------------------------------------------------------- vaults
def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files under root; text is dedented, so it can be written indented."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    """Write a vault: ``vault({"Goals/O.md": objective()})``."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write(tmp_path / "vault", files)

    return make


def run(root: Path, as_of: dt.date = AS_OF) -> Analysis:
    return analyse(root, as_of)


def kr_result(analysis: Analysis, kr_id: str):  # type: ignore[no-untyped-def]
    return analysis.results.key_results[kr_id]


def codes(analysis: Analysis) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.code) for p in analysis.problems]


# -------------------------------------------------------------------- CLI
class Ran(NamedTuple):
    code: int
    stdout: str
    stderr: str


def invoke(*args: str) -> Ran:
    """Run ``vaultokr ARGS`` in-process: exit code, stdout, stderr."""
    result = CliRunner().invoke(main, list(args))
    return Ran(result.exit_code, result.stdout, result.stderr)


# -------------------------------------------------- problem code catalogue
@pytest.fixture(autouse=True)
def catalogued_codes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any test in which vaultokr reports a problem whose code is not in
    vaultokr/codes.py, or with a severity the catalogue does not give it."""
    wrong: list[str] = []
    real = Problems.add

    def add(self: Problems, path: str, line: int, severity: Severity, code: str,
            message: str) -> None:
        entry = CATALOGUE.get(code)
        if entry is None:
            wrong.append(f"problem code {code!r} is not in vaultokr/codes.py ({message})")
            raise AssertionError(wrong[-1])
        if severity not in entry.severities:
            wrong.append(f"{code} is a {' or '.join(entry.severities)} in vaultokr/codes.py, "
                         f"reported as {severity} ({message})")
            raise AssertionError(wrong[-1])
        real(self, path, line, severity, code, message)

    monkeypatch.setattr(Problems, "add", add)
    yield wrong
    assert not wrong, wrong  # even if the code that reported it caught the AssertionError


# ------------------------------------------------------------------ index
@pytest.fixture(autouse=True)
def index_on_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--no-cache`` turns the index off for the process; in-process runs
    must not leak it into the next test."""
    from vaultokr.cache import index

    monkeypatch.setattr(index, "DISABLED", False)


def age(root: Path, seconds: int = 3600) -> None:
    """Set every note's mtime back, as a vault left alone for a while has it
    (the index does not trust notes modified just before it was written)."""
    import os
    import time

    when = time.time() - seconds
    for path in root.rglob("*.md"):
        os.utime(path, (when, when))


# ------------------------------------------------------------------ builds
@pytest.fixture(autouse=True)
def builds_wait_for_no_young_note() -> Iterator[None]:
    """A one-shot build waits for a region note changed in the last
    ``inflight.STILL`` seconds to be still (an editor may be half-way through
    a save); tests write notes and build at once, so in-process builds here
    do not wait (3 s per build otherwise). tests/test_faults.py sets the
    shipped value where the wait is what is tested; builds run in a child
    process (``python -m vaultokr``) keep it. Not through ``monkeypatch``:
    a test's ``monkeypatch.undo()`` would bring the wait back."""
    from vaultokr.write import inflight

    inflight.STILL = 0.0
    yield
    inflight.STILL = SHIPPED_STILL


def _shipped_still() -> float:
    from vaultokr.write import inflight

    return inflight.STILL


SHIPPED_STILL = _shipped_still()
