"""The fixtures every test may ask for; the helpers themselves are modules of
tests/support/ (``from support.vaults import objective, kr``), since no test
module imports a conftest or another test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.counting import count_analyses
from support.settling import SHIPPED_STILL
from support.vaults import Vault, write

from vaultokr.core.codes import CATALOGUE
from vaultokr.core.errors import Problems, Severity


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    """Write a vault: ``vault({"Goals/O.md": objective()})``."""

    def make(files: dict[str, str | bytes]) -> Path:
        return write(tmp_path / "vault", files)

    return make


@pytest.fixture
def analyses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per analysis a command runs (none when it is answered)."""
    return count_analyses(monkeypatch)


# -------------------------------------------------- problem code catalogue
@pytest.fixture(autouse=True)
def catalogued_codes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any test in which vaultokr reports a problem whose code is not in
    vaultokr/core/codes.py, or with a severity the catalogue does not give it."""
    wrong: list[str] = []
    real = Problems.add

    def add(self: Problems, path: str, line: int, severity: Severity, code: str,
            message: str) -> None:
        entry = CATALOGUE.get(code)
        if entry is None:
            wrong.append(f"problem code {code!r} is not in vaultokr/core/codes.py ({message})")
            raise AssertionError(wrong[-1])
        if severity not in entry.severities:
            wrong.append(f"{code} is a {' or '.join(entry.severities)} in vaultokr/core/codes.py, "
                         f"reported as {severity} ({message})")
            raise AssertionError(wrong[-1])
        real(self, path, line, severity, code, message)

    monkeypatch.setattr(Problems, "add", add)
    yield wrong
    assert not wrong, wrong  # even if the code that reported it caught the AssertionError


# ------------------------------------------------------------------ index
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
