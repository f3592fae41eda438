"""``vaultokr plan``: the next period proposed from the previous one, on
copies of the sample vault, with the clock moved past the quarter's end."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from support.cli import invoke
from support.snapshot import changed, snapshot
from support.vaults import SAMPLE, Vault, copy_vault, kr, objective

HERE = Path(__file__).parent
GOLDEN = HERE / "plan" / "sample-2027-Q1-dry-run.txt"
NEW_YEAR = dt.date(2027, 1, 4)


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: NEW_YEAR)
    return copy_vault(SAMPLE, tmp_path / "sample")


def status_of(root: Path, as_of: str = "2027-01-04") -> dict[str, Any]:
    ran = invoke("status", "--vault", str(root), "--as-of", as_of, "--json")
    found: dict[str, Any] = {}
    for o in json.loads(ran.stdout)["objectives"]:
        for k in o["key_results"]:
            found[k["id"]] = k
    return found


def test_the_dry_run_of_the_sample_vault(sample: Path) -> None:
    before = snapshot(sample, caches=False)
    ran = invoke("plan", "2027-Q1", "--vault", str(sample), "--dry-run")
    assert ran.code == 0, ran.output
    if os.environ.get("VAULTOKR_UPDATE_GOLDEN"):
        GOLDEN.write_text(ran.stdout, encoding="utf-8")
    assert ran.stdout == GOLDEN.read_text(encoding="utf-8")
    assert snapshot(sample, caches=False) == before  # nothing written


def test_a_plan_carries_baselines_and_recomputes_targets(sample: Path) -> None:
    ran = invoke("plan", "2027-Q1", "--vault", str(sample), input="\n" * 40)
    assert ran.code == 0, ran.output
    assert "created  OKRs/2027-Q1/Speaking invitations (2027-Q1).md" in ran.stdout
    krs = status_of(sample)
    talks = krs["OKRs/2027-Q1/Speaking invitations (2027-Q1)"]
    # 7 invitations in 2026-Q4 with change "+100%": 7 last quarter, 14 this quarter
    assert (talks["baseline"], talks["target"]) == (7, 14)
    assert talks["start"] == "2027-01-01" and talks["due"] == "2027-03-31"
    linkedin = krs["OKRs/2027-Q1/LinkedIn connections (2027-Q1)"]  # a level, +20%
    assert linkedin["baseline"] == 1437 and linkedin["target"] == pytest.approx(1437 * 1.2)
    assert not any(i.endswith("(2027-Q1)") and "Q3" in i for i in krs)
    again = snapshot(sample, caches=False)
    second = invoke("plan", "2027-Q1", "--vault", str(sample), input="\n" * 40)
    assert second.code == 0, second.output
    assert "0 objectives to carry (3 planned already)" in second.stdout
    assert snapshot(sample, caches=False) == again  # the second run writes nothing


def test_the_walk_skips_edits_and_stops(sample: Path) -> None:
    before = snapshot(sample, caches=False)
    # objective 1 (Build a network): skip it. Objective 2 (Grow my speaking pipeline):
    # yes; its key results: guest posts get target 9, the DevEx talk is skipped, the other
    # two kept. Objective 3: q
    answers = "s\n\n9\ns\n\n\nq\n"
    ran = invoke("plan", "2027-Q1", "--vault", str(sample), input=answers)
    assert ran.code == 0, ran.output
    made = sorted(changed(before, snapshot(sample, caches=False)))
    assert made == ["OKRs/2026-Q4/Retrospective.md",  # the period planned from
                    "OKRs/2027-Q1/Grow my speaking pipeline (2027-Q1).md",
                    "OKRs/2027-Q1/Hours of focused writing (2027-Q1).md",
                    "OKRs/2027-Q1/Requests to write a guest post (2027-Q1).md",
                    "OKRs/2027-Q1/Speaking invitations (2027-Q1).md"], ran.stdout
    guest = (sample / made[3]).read_text()
    assert "\ntarget: 9\n" in guest and "previous: \"[[Guest post requests]]\"" in guest


def test_a_period_not_over_needs_force(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 12, 20))
    root = copy_vault(SAMPLE, tmp_path / "sample")
    ran = invoke("plan", "2027-Q1", "--vault", str(root), "--dry-run")
    assert ran.code == 2 and "2026-Q4 has not ended yet" in ran.stderr
    assert invoke("plan", "2027-Q1", "--vault", str(root), "--dry-run", "--force").code == 0


def test_no_previous_period_is_a_clear_error(vault: Vault,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: NEW_YEAR)
    root = vault({"O.md": objective(), "K.md": kr(target=3)})
    ran = invoke("plan", "2026-Q3", "--vault", str(root))
    assert ran.code == 2 and "no objective in 2026-Q2 to plan 2026-Q3 from" in ran.stderr
    assert "--from PERIOD" in ran.stderr
    assert invoke("plan", "2027-Q2", "--vault", str(root), "--from", "2026-Q4",
                  input="\n\n").code == 0


def test_a_name_taken_by_another_note_stops_the_plan_before_any_write(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: NEW_YEAR)
    root = vault({"O.md": objective(title="Grow"), "K.md": kr(target=3),
                  "Notes/Grow (2027-Q1).md": "my own note\n"})
    before = snapshot(root, caches=False)
    ran = invoke("plan", "2027-Q1", "--vault", str(root), input="\n\n")
    assert ran.code == 2
    assert "a note named 'Grow (2027-Q1)' exists already" in ran.stderr
    assert snapshot(root, caches=False) == before


def test_a_planned_key_result_shows_how_its_earlier_period_finished(sample: Path) -> None:
    assert invoke("plan", "2027-Q1", "--vault", str(sample), input="\n" * 40).code == 0
    assert invoke("build", "--vault", str(sample), "--as-of", "2027-01-10").code == 0
    text = (sample / "OKRs/2027-Q1/Speaking invitations (2027-Q1).md").read_text()
    assert "previous: \"[[Speaking invitations]]\"" in text
    assert ("Earlier periods:\n- [Speaking invitations](../2026-Q4/Speaking%20invitations.md)"
            " (01 Oct 2026 – 31 Dec 2026): 7 of 10 invitations, 70% · ❌ missed\n") in text


def test_a_plan_made_and_built_is_left_as_it_is(sample: Path) -> None:
    assert invoke("plan", "2027-Q1", "--vault", str(sample), input="\n" * 40).code == 0
    assert invoke("build", "--vault", str(sample), "--as-of", "2027-01-10").code == 0
    built = snapshot(sample, caches=False)
    again = invoke("plan", "2027-Q1", "--vault", str(sample), input="\n" * 40)
    assert again.code == 0, again.output
    assert "0 objectives to carry (3 planned already)" in again.stdout
    assert snapshot(sample, caches=False) == built
