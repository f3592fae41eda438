"""support.cli: a run's exit code, stdout and stderr, in-process or in a child."""

from __future__ import annotations

import pytest

from support.cli import UNCAUGHT, Ran, invoke, subprocess_cli
from vaultokr.cli import main


def test_stdout_and_stderr_are_apart() -> None:
    ran = invoke("status", "--as-of", "not-a-date", "--vault", "/nonexistent-vault")
    assert ran.code == 2 and ran.stdout == "" and ran.stderr != ""
    assert ran.output == ran.stderr


def test_a_clean_run_has_nothing_on_stderr() -> None:
    ran = invoke("--version")
    assert ran == Ran(0, ran.stdout, "") and ran.stdout.strip() != ""


def test_an_exception_that_escapes_is_told(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(main, "main", boom)
    ran = invoke("status")
    assert f"{UNCAUGHT} RuntimeError: boom" in ran.stderr
    with pytest.raises(AssertionError):
        ran.assert_clean()


def test_a_child_reports_its_exit_and_a_hang() -> None:
    ran = subprocess_cli("--version")
    assert ran.code == 0 and ran.stdout.strip() == invoke("--version").stdout.strip()
    hung = subprocess_cli("--version", timeout=0.001)
    assert hung.code == -9 and "hung for more than" in hung.stderr
