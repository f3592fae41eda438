"""Issue 10, item 5: what a user reads in ``vaultokr status`` for a flow with
a baseline, a cap and a breached threshold. The phrases are the issue's own
("3 of 6 gigs (last quarter: 3)", "7 so far, at most 10 (pace 12)"); the
numbers are worked out by hand in the comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import Vault, kr, note


def status_line(root: Path, as_of: str, title: str) -> str:
    result = invoke("status", str(root), "--as-of", as_of)
    assert result.code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip().startswith(title)]
    assert len(lines) == 1, result.stdout
    return lines[0]


def test_a_flow_shows_this_period_and_the_last(vault: Vault) -> None:
    root = vault({
        "Talks.md": "---\ntype: objective\nperiod: 2026-Q4\n---\n",
        "Speaking gigs.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: count\n"
                            "tag: gig\nunit: gigs\nbaseline: 3\nchange: \"+100%\"\n---\n",
        **{f"Daily/{d}.md": f"---\ndate: {d}\ntags: [gig]\n---\n"
           for d in ("2026-10-08", "2026-10-29", "2026-11-12")},
    })
    line = status_line(root, "2026-11-20", "Speaking gigs")
    assert "3 of 6 gigs (last quarter: 3)" in line  # DECISION: "last quarter" for a quarter
    assert "50%" in line  # 3 / 6


def test_a_cap_shows_its_total_its_limit_and_its_pace(vault: Vault) -> None:
    root = vault({
        # a 60-day window: Oct 1 -> Nov 30
        "Evenings.md": "---\ntype: objective\nstart: 2026-10-01\ndue: 2026-11-30\n---\n",
        "Late evenings.md": "---\ntype: key-result\nobjective: \"[[Evenings]]\"\n"
                            "measure: sum\nbaseline: 20\nchange: \"-50%\"\n---\n"
                            "## Log\n- 2026-11-05: 7\n",
    })
    # running total (0, 0), (35, 7): 0.2 a day, so 12 at day 60 = the pace; the cap is
    # 20 * (1 - 50%) = 10; progress (20 - 12) / (20 - 10) = 0.8
    line = status_line(root, "2026-11-10", "Late evenings")
    assert "7 so far, at most 10 (pace 12)" in line


def test_a_breached_threshold_shows_off_track(vault: Vault) -> None:
    root = vault({
        "Health.md": "---\ntype: objective\nperiod: 2026-Q4\n---\n",
        "Sleep score.md": "---\ntype: key-result\nobjective: \"[[Health]]\"\nkeep: above\n"
                          "target: 75\n---\n## Log\n- 2026-11-18: 70\n",
    })
    line = status_line(root, "2026-11-20", "Sleep score")
    assert "off track" in line and "70 (keep ≥ 75)" in line


def cap(log: list[str], body: str = "") -> str:
    """20 late evenings last period, at most 10 now (a cap)."""
    return kr(body, log=log, measure="sum", unit="evenings", baseline=20, change='"-50%"')


# -------------------------------------------------------------- display
@pytest.mark.parametrize(("dates", "words"), [
    ({"period": "2026-11"}, "last month"),
    ({"period": "2026-W47"}, "last week"),
    ({"period": "2026-H2"}, "last half-year"),
    ({"period": "2026"}, "last year"),
    ({"period": None, "start": "2026-10-01", "due": "2026-11-30"}, "previous 61 days"),
])
def test_a_flow_names_its_previous_period(vault: Vault, dates: dict[str, object],
                                          words: str) -> None:
    root = vault({
        "O.md": note({"type": "objective", "period": "2026-Q4", **dates}),
        "Gigs.md": kr(log=["2026-11-17: 2"], measure="sum", baseline=4, change='"+50%"'),
    })
    code, out, _ = invoke("status", str(root), "--as-of", "2026-11-20")
    assert code == 0
    assert f"2 of 6 ({words}: 4)" in out  # 4 * (1 + 50%) = 6
