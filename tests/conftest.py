from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from vaultokr.engine import Analysis, analyse

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample-vault"

Q4_START = dt.date(2026, 10, 1)
Q4_DUE = dt.date(2026, 12, 31)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def vault(tmp_path: Path) -> Callable[..., Path]:
    """Write a vault: ``vault({"Goals/O.md": "---\\ntype: objective\\n---\\n"})``."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write(tmp_path / "vault", files)

    return make


def run(root: Path, as_of: dt.date = dt.date(2026, 11, 20)) -> Analysis:
    return analyse(root, as_of)


def kr_result(analysis: Analysis, kr_id: str):  # type: ignore[no-untyped-def]
    return analysis.results.key_results[kr_id]


def codes(analysis: Analysis) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.code) for p in analysis.problems]
