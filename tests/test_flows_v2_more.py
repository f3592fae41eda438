"""Issue 10, beyond the prepared tests: the choices the implementation made
where SPEC v2 is open (a cap's trend, a projected total never below the total
so far, how the display names last period, focus lists, ``created`` written as
a date and time or on an inline key result's objective, ``new`` with another
``created_key``, the third check-in note of a day), each worked out by hand.

Driven through the command line on small vaults, like tests/test_flows_v2.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Vault, invoke, kr, note, objective


def status(root: Path, as_of: str = "2026-11-20") -> dict[str, Any]:
    code, out, _ = invoke("status", str(root), "--as-of", as_of, "--json")
    assert code == 0, out
    report: dict[str, Any] = json.loads(out)
    return report


def key_result(report: dict[str, Any], kr_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(k for o in report["objectives"] for k in o["key_results"]
                                 if k["id"] == kr_id)
    return found


def cap(log: list[str], body: str = "") -> str:
    """20 late evenings last period, at most 10 now (a cap)."""
    return kr(body, log=log, measure="sum", unit="evenings", baseline=20, change='"-50%"')


# ---------------------------------------------------------------- caps
def test_a_caps_trend_compares_the_last_28_days_with_the_allowed_pace(vault: Vault) -> None:
    # Q4 is 91 days: ending exactly at the cap of 10 allows 10 * 28 / 91 = 3.08 in 28 days.
    # As of Nov 20 the reference is the total on the newest date on or before Oct 23.
    root = vault({
        "O.md": objective(),
        "Slow.md": cap(["2026-10-10: 3", "2026-11-10: 1"]),  # 3 -> 4: +1 < 3.08
        "Fast.md": cap(["2026-10-10: 1", "2026-11-10: 5"]),  # 1 -> 6: +5 > 3.08
    })
    report = status(root)
    assert key_result(report, "Slow")["trend"] == "improving"
    assert key_result(report, "Fast")["trend"] == "worsening"
    # as of Oct 20 the window is the 19 days since start: 10 * 19 / 91 = 2.09 allowed
    early = status(root, "2026-10-20")
    assert key_result(early, "Slow")["trend"] == "worsening"  # 3 in 19 days > 2.09
    assert key_result(early, "Fast")["trend"] == "improving"  # 1 in 19 days < 2.09


def test_a_caps_projected_total_is_never_below_the_total_so_far(vault: Vault) -> None:
    # October (Oct 1 -> Oct 31, 30 days), as of its last day (still running).
    # Running total (0, 0), (10, 1), (30, 9): mean x 40/3, mean y 10/3,
    # Sxx = 1400/3, Sxy = 440/3, slope 11/35; at day 30: 10/3 + 11/35 * 50/3 = 60/7 = 8.57,
    # below the 9 already counted: the projected total is 9.
    root = vault({
        "O.md": objective(period="2026-10"),
        "Late.md": cap(["2026-10-11: 1", "2026-10-31: 8"]),
    })
    k = key_result(status(root, "2026-10-31"), "Late")
    assert k["forecast"] == pytest.approx(60 / 7)
    assert k["projected"] == 9
    assert k["progress_raw"] == pytest.approx(1.1)  # (20 - 9) / (20 - 10)
    assert k["status"] == "on_track"  # progress 1 against 1; achieved only from Nov 1
    assert key_result(status(root, "2026-11-01"), "Late")["status"] == "achieved"


def test_a_flow_may_aim_at_last_periods_total(vault: Vault) -> None:
    # "as many talks as last quarter": 5 then, 5 now; a flow counts from 0, so the target
    # equal to the baseline is a goal (for a level it would leave nothing to achieve)
    root = vault({
        "O.md": objective(),
        "Talks.md": kr(log=["2026-10-20: 1", "2026-11-10: 1"], measure="sum", baseline=5,
                       target=5),
        "Level.md": kr(baseline=5, target=5),
    })
    report = status(root)
    k = key_result(report, "Talks")
    assert (k["current"], k["progress_raw"]) == (2, pytest.approx(0.4))  # 2 / 5
    assert k["projected"] is None  # not a cap: the target is not below the baseline
    assert [p["path"] for p in report["problems"] if p["code"] == "target-equals-baseline"] \
        == ["Level.md"]


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


def test_reviews_regions_and_export_show_flows_and_caps(vault: Vault) -> None:
    region = "\n<!-- vaultokr:begin kr -->\n<!-- vaultokr:end -->\n"
    root = vault({
        # Oct 1 -> Nov 30: 60 days
        "O.md": objective(period=None, start="2026-10-01", due="2026-11-30"),
        # 7 of 10 (5 last period, +100%)
        "Invitations.md": kr(region, log=["2026-10-20: 3", "2026-11-05: 4"], measure="sum",
                             unit="invitations", baseline=5, change='"+100%"'),
        # running total (0, 0), (35, 7): 0.2 a day, 12 at day 60
        "Late.md": cap(["2026-11-05: 7"], body=region),
    })
    code, out, _ = invoke("build", str(root), "--as-of", "2026-11-10")
    assert code == 0, out
    invitations = (root / "Invitations.md").read_text()
    assert "7 of 10 invitations (previous 61 days: 5)" in invitations
    late = (root / "Late.md").read_text()
    assert "7 so far, at most 10 evenings (pace 12)" in late
    code, out, _ = invoke("export", str(root), "--as-of", "2026-11-10")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert float(rows["Late"]["projected"]) == pytest.approx(12)
    assert rows["Invitations"]["projected"] == ""  # not a cap


def focus_titles(text: str) -> list[str]:
    """The key results of a review's first focus list, in order (linked as
    ``[[path|Title]]``, ``[[Title]]`` or ``[Title](path)``)."""
    block = text[text.index("Focus"):]
    found = re.findall(r"^> \d+\. (?:\[\[(?:[^|\]]*\|)?([^\]]+)\]\]|\[([^\]]+)\]\()", block,
                       re.M)
    return [wiki or md for wiki, md in found][:3]


def test_the_focus_list_ranks_by_how_far_behind_and_leaves_out_new_ones(vault: Vault) -> None:
    # as of Nov 20, tau = 50/91 = 0.5495 of Q4
    root = vault({
        "O.md": objective(),
        # a threshold breached (70 < 75): 1 behind
        "Breached.md": kr(log=["2026-11-18: 70"], keep="above", target=75),
        # nothing measured since Oct 1 (stale): 0.5495 - 0 behind
        "Forgotten.md": kr(target=10, baseline=0),
        # written today: new, not behind (it would tie with Forgotten and sort first)
        "Brand new.md": kr(target=10, baseline=0, created="2026-11-20"),
        # a cap projecting 12.74 (7 by day 50): progress 0.726, 0.274 behind
        "Busy.md": cap(["2026-11-20: 7"]),
        # 3 of 10: 0.5495 - 0.3 = 0.2495 behind, fourth: left out of three
        "Behind.md": kr(log=["2026-11-01: 3"], target=10, baseline=0),
    })
    code, out, _ = invoke("build", str(root), "--as-of", "2026-11-20")
    assert code == 0, out
    dashboard = (root / "OKRs" / "Dashboard.md").read_text()
    assert focus_titles(dashboard) == ["Breached", "Forgotten", "Busy"]


# ---------------------------------------------------------------- created
@pytest.mark.parametrize("written", ["2026-11-01T14:03", "2026-11-01 14:03:00", "2026-11-01"])
def test_created_may_be_written_with_a_time(vault: Vault, written: str) -> None:
    root = vault({
        "Talk.md": note({"type": "objective", "due": "2026-12-31", "created": written}),
        "Submitted.md": note({"type": "key-result", "objective": "[[Talk]]", "baseline": 0,
                              "target": 10}, "- 2026-11-10: 3\n"),
    })
    k = key_result(status(root), "Submitted")
    assert k["start"] == "2026-11-01"  # inherited from the objective's created date
    assert k["expected"] == pytest.approx(19 / 60)  # Nov 1 -> Nov 20 of Nov 1 -> Dec 31


def test_a_created_that_is_not_a_date_is_a_warning_and_ignored(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(target=10, baseline=0, created='"last Tuesday"'),
    })
    report = status(root)
    k = key_result(report, "K")
    assert k["stale"] is True  # counted from start (Oct 1): 50 days
    found = [(p["path"], p["line"], p["severity"]) for p in report["problems"]
             if p["code"] == "bad-date"]
    assert found == [("K.md", 6, "warning")]  # the created: line; K itself is kept


def test_an_inline_key_result_was_created_with_its_objective(vault: Vault) -> None:
    inline = [{"id": "talks", "target": 3, "baseline": 0}]
    root = vault({
        "New.md": objective(key_results=inline, created="2026-11-10"),  # 10 days ago
        "Old.md": objective(key_results=inline),  # from start, Oct 1: 50 days
    })
    report = status(root)
    assert key_result(report, "New#talks")["stale"] is False
    assert key_result(report, "Old#talks")["stale"] is True


def test_new_writes_created_under_the_configured_key(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "vaultokr.toml").write_text('created_key = "date created"\n')
    code, _, err = invoke("new", "ambition", "Be known for my craft", "--vault", str(root))
    assert code == 0, err
    text = (root / "OKRs" / "Be known for my craft.md").read_text()
    assert f"\ndate created: {dt.date.today().isoformat()}\n---\n" in text


# ---------------------------------------------------------------- checkin
def test_the_third_checkin_note_of_a_day_is_the_3rd(vault: Vault) -> None:
    root = vault({"O.md": objective(), "Gigs.md": kr(measure="sum", target=6)})
    for _ in range(3):
        code, out, _ = invoke("checkin", "Gigs", "1", "--note", "--vault", str(root),
                              "--date", "2026-11-20")
        assert code == 0, out
    assert sorted(p.name for p in (root / "Check-ins").iterdir()) == [
        "2026-11-20 Gigs, 2nd check-in.md", "2026-11-20 Gigs, 3rd check-in.md",
        "2026-11-20 Gigs.md"]
    assert key_result(status(root), "Gigs")["current"] == 3  # each one counts
