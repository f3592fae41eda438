"""``vaultokr checkin`` takes a value as a note may write it (SPEC v3): a
duration in the key result's unit of time, a boolean as 1 or 0; the log
gets the number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import write

TODAY = dt.date(2026, 11, 20)
GOAL = "---\ntype: objective\nperiod: 2026-Q4\n---\n"


def _kr(unit: str) -> str:
    return (f"---\ntype: key-result\nobjective: \"[[Fit]]\"\nmeasure: sum\nunit: {unit}\n"
            "target: 600\n---\n## Log\n")


@pytest.mark.parametrize(("unit", "value", "line"), [
    ("minutes", "1h 27m", "- 2026-11-20: 87"),
    ("hours", "90 min", "- 2026-11-20: 1.5"),
    ("minutes", "yes", "- 2026-11-20: 1"),
])
def test_a_duration_or_a_boolean_is_logged_as_its_number(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unit: str, value: str,
        line: str) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: TODAY)
    root = write(tmp_path / "vault", {"vaultokr.toml": "", "Fit.md": GOAL,
                                      "Training.md": _kr(unit)})
    code, out, err = invoke("checkin", "Training", value, "--vault", str(root))
    assert code == 0, out + err
    assert (root / "Training.md").read_text() == _kr(unit) + line + "\n"


def test_a_duration_for_a_key_result_without_a_unit_of_time_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: TODAY)
    root = write(tmp_path / "vault", {"vaultokr.toml": "", "Fit.md": GOAL,
                                      "Training.md": _kr("sessions")})
    code, _, err = invoke("checkin", "Training", "1h", "--vault", str(root))
    assert code == 2
    assert '"1h" is a duration and the unit "sessions" is not a unit of time: set unit: ' \
           "minutes" in err
    assert (root / "Training.md").read_text() == _kr("sessions")
