"""Issue 10 (SPEC v2 §2-§4): flows and levels, caps, equal dates, thresholds,
``created`` dates, and the v1 migration warning.

Driven only through the command line (``status --json``, ``check``,
``checkin``, ``new``) on small vaults written as notes, so the tests hold
whatever the package looks like inside. Every expected number is worked out
by hand in the comments; nothing is re-derived with vaultokr's own code.

Dates: 2026-Q4 runs from 2026-10-01 (start) to 2026-12-31 (due), 91 days;
as of 2026-11-20, 50 days have passed, so tau = 50/91 = 0.5495.

Where the spec leaves a detail open (a JSON field name, a problem code, a
setting) the choice is written down in the decisions note of issue 10 and the
assertion is marked ``# DECISION``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from vaultokr.cli import main

Vault = Callable[[dict[str, str | bytes]], Path]
TAU = 50 / 91  # 2026-10-01 -> 2026-11-20 is 50 of the quarter's 91 days

Q4_OBJECTIVE = """
---
type: objective
period: 2026-Q4
---
"""


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout


def status(root: Path, as_of: str = "2026-11-20") -> dict[str, Any]:
    code, out = invoke("status", str(root), "--as-of", as_of, "--json")
    assert code == 0, out
    report: dict[str, Any] = json.loads(out)
    return report


def key_result(report: dict[str, Any], kr_id: str) -> dict[str, Any]:
    for o in report["objectives"]:
        for k in o["key_results"]:
            if k["id"] == kr_id:
                found: dict[str, Any] = k
                return found
    raise AssertionError(f"no key result {kr_id} in the report")


def objective(report: dict[str, Any], obj_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(o for o in report["objectives"] if o["id"] == obj_id)
    return found


def problems(report_or_list: dict[str, Any] | list[dict[str, Any]],
             code: str) -> list[dict[str, Any]]:
    listed = report_or_list["problems"] if isinstance(report_or_list, dict) else report_or_list
    return [p for p in listed if p["code"] == code]


def tagged_note(day: str, tag: str, body: str = "") -> str:
    return f"---\ndate: {day}\ntags: [{tag}]\n---\n{body}"


# ------------------------------------------------------------------ flows
def test_speaking_gigs_plus_100_percent_is_half_done_with_three_gigs(vault: Vault) -> None:
    """The issue's example: 3 gigs last quarter, "+100%", 3 gigs so far."""
    root = vault({
        "Talks.md": Q4_OBJECTIVE,
        "Speaking gigs.md": """
            ---
            type: key-result
            objective: "[[Talks]]"
            measure: count
            tag: gig
            unit: gigs
            baseline: 3
            change: "+100%"
            ---
            Last quarter I gave 3 talks; this quarter I want twice as many.
            """,
        "Daily/2026-09-24.md": tagged_note("2026-09-24", "gig", "Last quarter's gig.\n"),
        "Daily/2026-10-08.md": tagged_note("2026-10-08", "gig", "Berlin meetup.\n"),
        "Daily/2026-10-29.md": tagged_note("2026-10-29", "gig", "Podcast.\n"),
        "Daily/2026-11-12.md": tagged_note("2026-11-12", "gig", "Conference talk.\n"),
    })
    k = key_result(status(root), "Speaking gigs")
    assert k["baseline"] == 3  # still reported: last quarter's total
    assert k["target"] == 6  # 3 * (1 + 100%)
    assert k["current"] == 3  # Oct 8, Oct 29, Nov 12; the Sep 24 gig is last quarter's
    assert k["progress_raw"] == pytest.approx(0.5)  # current / target = 3 / 6
    assert k["progress"] == pytest.approx(0.5)
    assert k["expected"] == pytest.approx(TAU)
    assert k["status"] == "on_track"  # gap 0.5 - 0.5495 = -0.0495 >= -0.15; not achieved
    # forecast: the running total from (start, 0): days 0, 7, 28, 42 -> totals 0, 1, 2, 3.
    # mean x = 77/4 = 19.25, mean y = 6/4 = 1.5
    # Sxx = 19.25^2 + 12.25^2 + 8.75^2 + 22.75^2 = 370.5625 + 150.0625 + 76.5625 + 517.5625
    #     = 1114.75
    # Sxy = (-19.25)(-1.5) + (-12.25)(-0.5) + (8.75)(0.5) + (22.75)(1.5)
    #     = 28.875 + 6.125 + 4.375 + 34.125 = 73.5
    # slope = 73.5 / 1114.75 = 6/91 per day; at day 91: 1.5 + 6/91 * (91 - 19.25) = 567/91
    assert k["forecast"] == pytest.approx(567 / 91)  # 6.2308 gigs at due
    assert k["forecast_progress"] == pytest.approx(567 / 91 / 6)  # 1.0385
    assert k["trend"] == "improving"  # total 3 now vs 1 on Oct 8 (newest by Oct 23)
    assert objective(status(root), "Talks")["status"] == "on_track"


def test_guest_post_requests_without_baseline_count_from_zero(vault: Vault) -> None:
    """"5 requests to write a guest post": a flow with no baseline (v1 and v2 agree)."""
    root = vault({
        "Writing.md": Q4_OBJECTIVE,
        "Guest post requests.md": """
            ---
            type: key-result
            objective: "[[Writing]]"
            measure: sum
            unit: requests
            target: 5
            ---
            ## Log
            - 2026-10-15: 1 from a platform-engineering newsletter
            - 2026-11-02: 2 two editors after the conference
            """,
    })
    k = key_result(status(root), "Guest post requests")
    assert k["baseline"] in (None, 0)  # no previous period given
    assert k["current"] == 3  # 1 + 2
    assert k["progress_raw"] == pytest.approx(0.6)  # 3 / 5
    assert k["expected"] == pytest.approx(TAU)
    assert k["status"] == "on_track"  # gap 0.6 - 0.5495 > 0


MENTORSHIP = """
---
type: key-result
objective: "[[Network]]"
measure: sum
unit: requests
baseline: 10
change: "+20%"
---
Last quarter 10 people asked me to mentor them; I want 20% more.

## Log
- 2026-09-25: 4 last quarter's tail, written here by mistake
- 2026-10-11: 2
- 2026-10-31: 3
- 2026-11-15: 1
"""


def test_mentorship_requests_sum_from_zero_in_the_window(vault: Vault) -> None:
    root = vault({"Network.md": Q4_OBJECTIVE, "Mentorship requests.md": MENTORSHIP})
    report = status(root)
    k = key_result(report, "Mentorship requests")
    assert k["target"] == pytest.approx(12)  # 10 * (1 + 20%)
    assert k["current"] == 6  # 2 + 3 + 1; Sep 25 is before start, and the total starts at 0
    assert k["progress_raw"] == pytest.approx(0.5)  # 6 / 12
    assert k["expected"] == pytest.approx(TAU)
    assert k["status"] == "on_track"  # gap -0.0495
    assert [m["value"] for m in k["measurements"]] == [2, 3, 1]
    outside = problems(report, "measurement-outside-window")
    assert [(p["path"], p["line"]) for p in outside] == [("Mentorship requests.md", 12)]


def test_flow_forecast_and_trend_start_from_zero(vault: Vault) -> None:
    root = vault({"Network.md": Q4_OBJECTIVE, "Mentorship requests.md": MENTORSHIP})
    k = key_result(status(root), "Mentorship requests")
    # running total from (start, 0): Oct 11 is day 10, Oct 31 day 30, Nov 15 day 45
    # points (0, 0), (10, 2), (30, 5), (45, 6); mean x = 85/4 = 21.25, mean y = 13/4 = 3.25
    # dx = -21.25, -11.25, 8.75, 23.75; dy = -3.25, -1.25, 1.75, 2.75
    # Sxx = 451.5625 + 126.5625 + 76.5625 + 564.0625 = 1218.75
    # Sxy = 69.0625 + 14.0625 + 15.3125 + 65.3125 = 163.75
    # slope = 163.75 / 1218.75 = 0.134359 per day; at day 91: 3.25 + slope * 69.75 = 12.6215
    forecast = 3.25 + 163.75 / 1218.75 * (91 - 21.25)
    assert k["forecast"] == pytest.approx(forecast)
    assert k["forecast"] == pytest.approx(12.6215, abs=1e-4)
    assert k["forecast_progress"] == pytest.approx(forecast / 12)  # 1.0518, unclamped
    # trend as of Nov 20: reference = total on the newest date on or before Oct 23 -> 2
    # (Oct 11); newest total 6 -> improving
    assert k["trend"] == "improving"
    # as of Oct 20: nothing on or before Sep 22 in the window -> reference 0 (not the
    # baseline 10); newest total 2 -> improving
    early = key_result(status(root, "2026-10-20"), "Mentorship requests")
    assert (early["current"], early["trend"]) == (2, "improving")
    # as of Dec 20: reference = total on or before Nov 22 -> 6 (Nov 15); newest 6 -> flat
    assert key_result(status(root, "2026-12-20"), "Mentorship requests")["trend"] == "flat"


# ------------------------------------------------------------------- caps
def late_evenings(log: str) -> str:
    """"Fewer late evenings than last quarter": 20 last quarter, at most 10 now."""
    return (
        "---\ntype: key-result\nobjective: \"[[Evenings]]\"\nmeasure: sum\nunit: evenings\n"
        "baseline: 20\nchange: \"-50%\"\n---\n## Log\n" + log
    )


def test_cap_before_due_is_judged_by_its_projected_total(vault: Vault) -> None:
    root = vault({
        "Evenings.md": Q4_OBJECTIVE,
        # cumulative (0,0), (20,2), (50,5): a straight line of 0.1 a day -> 9.1 at day 91
        "Calm.md": late_evenings("- 2026-10-21: 2\n- 2026-11-20: 3\n"),
        # (0,0), (50,7): 0.14 a day -> 12.74 at day 91 (= current / tau = 7 * 91/50)
        "Busy.md": late_evenings("- 2026-11-20: 7\n"),
        # (0,0), (20,4), (50,10): 0.2 a day -> 18.2 at day 91
        "Crunch.md": late_evenings("- 2026-10-21: 4\n- 2026-11-20: 6\n"),
        # only on the start date: one distinct date, no forecast -> current / tau
        "Launch.md": late_evenings("- 2026-10-01: 2\n"),
        "Quiet.md": late_evenings(""),
    })
    report = status(root)
    calm = key_result(report, "Calm")
    assert calm["target"] == pytest.approx(10)  # 20 * (1 - 50%)
    assert calm["current"] == 5  # 2 + 3, counted from 0
    assert calm["expected"] is None  # a cap has no expected value
    # projected 9.1: progress_raw = (20 - 9.1) / (20 - 10) = 1.09
    assert calm["forecast"] == pytest.approx(9.1)
    assert calm["progress_raw"] == pytest.approx(1.09)
    assert calm["progress"] == 1.0
    assert calm["status"] == "on_track"  # gap 1 - 1 = 0; not achieved before due
    assert calm["projected"] == pytest.approx(9.1)  # DECISION: field name "projected"
    assert calm["forecast_progress"] == pytest.approx(1.09)  # DECISION: the cap's formula

    busy = key_result(report, "Busy")
    # projected 12.74: (20 - 12.74) / 10 = 0.726; gap -0.274 -> at risk
    assert busy["progress_raw"] == pytest.approx(0.726)
    assert busy["status"] == "at_risk"

    crunch = key_result(report, "Crunch")
    # projected 18.2: (20 - 18.2) / 10 = 0.18; gap -0.82 -> off track
    assert crunch["progress_raw"] == pytest.approx(0.18)
    assert crunch["status"] == "off_track"

    launch = key_result(report, "Launch")
    assert launch["forecast"] is None  # one distinct date
    # projected = current / tau = 2 / (50/91) = 3.64; (20 - 3.64) / 10 = 1.636
    assert launch["progress_raw"] == pytest.approx((20 - 2 * 91 / 50) / 10)
    assert launch["status"] == "on_track"

    assert key_result(report, "Quiet")["status"] == "pending"  # silence is never green


def test_cap_after_due_is_judged_by_the_final_total(vault: Vault) -> None:
    root = vault({
        "Evenings.md": Q4_OBJECTIVE,
        # total at due 2 + 3 + 4 = 9; the Jan 3 line is after due (a warning, ignored)
        "Kept.md": late_evenings(
            "- 2026-10-21: 2\n- 2026-11-20: 3\n- 2026-12-15: 4\n- 2027-01-03: 5\n"),
        # total at due 2 + 3 + 7 = 12, over the cap of 10
        "Broken.md": late_evenings("- 2026-10-21: 2\n- 2026-11-20: 3\n- 2026-12-15: 7\n"),
    })
    report = status(root, "2027-01-05")
    kept = key_result(report, "Kept")
    assert kept["current"] == 9
    assert kept["progress_raw"] == pytest.approx(1.1)  # (20 - 9) / (20 - 10)
    assert kept["status"] == "achieved"
    assert kept["projected"] == 9  # DECISION: the final total once due has passed
    broken = key_result(report, "Broken")
    assert broken["current"] == 12
    assert broken["progress_raw"] == pytest.approx(0.8)  # (20 - 12) / 10
    assert broken["status"] == "missed"
    # the same Kept on Dec 31 (the last day) is still running: projected is the forecast,
    # and it is not achieved yet. Points (0,0), (20,2), (50,5), (75,9): mean x 36.25,
    # mean y 4, Sxx = 3268.75, Sxy = 385, slope 0.117782; at day 91: 4 + 0.117782 * 54.75
    # = 10.4486; (20 - 10.4486) / 10 = 0.9551, gap -0.045 -> on track
    on_due = key_result(status(root, "2026-12-31"), "Kept")
    assert on_due["progress_raw"] == pytest.approx(0.9551, abs=1e-4)
    assert on_due["status"] == "on_track"


def test_growth_on_a_flow_is_a_problem_that_names_the_fix(vault: Vault) -> None:
    root = vault({
        "Network.md": Q4_OBJECTIVE,
        "Referrals.md": """
            ---
            type: key-result
            objective: "[[Network]]"
            measure: sum
            baseline: 40
            growth: "10%/month"
            ---
            """,
    })
    code, out = invoke("check", str(root), "--as-of", "2026-11-20", "--format", "json")
    found = problems(json.loads(out), "bad-growth")  # DECISION: the existing code
    assert [(p["path"], p["line"], p["severity"]) for p in found] == [
        ("Referrals.md", 6, "error")]  # the growth: line
    assert "change" in found[0]["message"]  # the fix: change: "+N%" on last period's total
    assert code == 1


# ------------------------------------------------------------ equal dates
def test_two_same_day_check_ins_of_a_sum_both_count(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    # checkin's today:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 11, 10))
    root = vault({
        "Talks.md": Q4_OBJECTIVE,
        "Speaking gigs.md": """
            ---
            type: key-result
            objective: "[[Talks]]"
            measure: sum
            unit: gigs
            target: 6
            ---
            ## Log
            """,
        "Check-ins/2026-11-12 a.md": """
            ---
            type: check-in
            date: 2026-11-12
            kr: "[[Speaking gigs]]"
            value: 1
            ---
            """,
        "Check-ins/2026-11-12 b.md": """
            ---
            type: check-in
            date: 2026-11-12
            values:
              "[[Speaking gigs]]": 1
            ---
            """,
    })
    for _ in range(2):  # two podcasts on Nov 10
        code, out = invoke("checkin", "Speaking gigs", "1", "--vault", str(root),
                           "--date", "2026-11-10")
        assert code == 0, out
    # after the second: 2 of 6 = 33%; Nov 10 is 40 of 91 days = 44% expected (today: 17%)
    assert out.splitlines()[-1].startswith("Speaking gigs: 33% done, 44% expected")
    log = (root / "Speaking gigs.md").read_text()
    assert log.endswith("## Log\n- 2026-11-10: 1\n- 2026-11-10: 1\n")
    k = key_result(status(root), "Speaking gigs")
    assert k["current"] == 4  # 1 + 1 on Nov 10, 1 + 1 on Nov 12
    assert k["progress_raw"] == pytest.approx(4 / 6)
    assert [(m["date"], m["source"]) for m in k["measurements"]] == [
        ("2026-11-10", "Speaking gigs.md:9"),
        ("2026-11-10", "Speaking gigs.md:10"),
        ("2026-11-12", "Check-ins/2026-11-12 a.md:5"),
        ("2026-11-12", "Check-ins/2026-11-12 b.md:5"),
    ]


def test_a_level_on_equal_dates_keeps_the_later_source(vault: Vault) -> None:
    """"20% more LinkedIn connections": a level; the later path, then line, wins."""
    root = vault({
        "Network.md": Q4_OBJECTIVE,
        "LinkedIn connections.md": """
            ---
            type: key-result
            objective: "[[Network]]"
            baseline: 500
            change: "+20%"
            ---
            ## Log
            - 2026-11-02: 540 counted on my phone
            - 2026-11-02: 545 counted again on the laptop
            """,
        "Check-ins/2026-11-10 a.md": """
            ---
            type: check-in
            date: 2026-11-10
            kr: "[[LinkedIn connections]]"
            value: 560
            ---
            """,
        "Check-ins/2026-11-10 b.md": """
            ---
            type: check-in
            date: 2026-11-10
            kr: "[[LinkedIn connections]]"
            value: 555
            ---
            """,
    })
    k = key_result(status(root), "LinkedIn connections")
    assert k["target"] == pytest.approx(600)  # 500 * 1.2
    assert [m["value"] for m in k["measurements"]] == [545, 555]  # line 9 and path "b" win
    assert k["current"] == 555
    assert k["progress_raw"] == pytest.approx(0.55)  # (555 - 500) / (600 - 500)
    assert k["status"] == "on_track"  # gap 0.55 - 0.5495 > 0


def test_count_counts_each_note_once(vault: Vault) -> None:
    root = vault({
        "Talks.md": Q4_OBJECTIVE,
        "Speaking gigs.md": """
            ---
            type: key-result
            objective: "[[Talks]]"
            measure: count
            tag: gig
            target: 6
            ---
            """,
        # tagged three times (front-matter, body, nested tag): one gig
        "Daily/2026-11-03.md": tagged_note(
            "2026-11-03", "gig", "#gig at the Berlin meetup, then #gig/podcast recording\n"),
        # two notes on one day: two gigs
        "Gigs/2026-11-05 morning.md": tagged_note("2026-11-05", "gig"),
        "Gigs/2026-11-05 evening.md": tagged_note("2026-11-05", "gig"),
    })
    k = key_result(status(root), "Speaking gigs")
    assert k["current"] == 3  # 1 + 2
    assert len(k["measurements"]) == 3
    assert k["progress_raw"] == pytest.approx(0.5)  # 3 / 6


# ------------------------------------------------------------------- keep
SLEEP = """
---
type: key-result
objective: "[[Health]]"
keep: above
target: 75
---
## Log
{log}"""


def test_a_breached_keep_is_off_track_before_due(vault: Vault) -> None:
    root = vault({
        "Health.md": Q4_OBJECTIVE,
        "Breached.md": SLEEP.format(log="- 2026-11-02: 80\n- 2026-11-18: 70\n"),
        "Holding.md": SLEEP.format(log="- 2026-11-02: 70\n- 2026-11-18: 75\n"),
    })
    report = status(root)
    breached = key_result(report, "Breached")
    assert (breached["progress"], breached["expected"]) == (0.0, None)  # 70 < 75
    assert breached["status"] == "off_track"
    holding = key_result(report, "Holding")
    assert (holding["progress"], holding["status"]) == (1.0, "on_track")  # 75 >= 75 holds


def test_a_keep_after_due_is_judged_by_the_value_at_due(vault: Vault) -> None:
    root = vault({
        "Health.md": Q4_OBJECTIVE,
        # breached in November, holding on the last value before due; Jan 3 is ignored
        "Recovered.md": SLEEP.format(
            log="- 2026-11-18: 70\n- 2026-12-20: 78\n- 2027-01-03: 60\n"),
        "Slipped.md": SLEEP.format(log="- 2026-11-18: 80\n- 2026-12-28: 70\n"),
    })
    report = status(root, "2027-01-05")
    assert key_result(report, "Recovered")["status"] == "achieved"  # 78 >= 75 at due
    assert key_result(report, "Slipped")["status"] == "missed"  # 70 < 75 at due
    # before due, the same notes: holding is on track, not yet achieved
    assert key_result(status(root, "2026-12-28"), "Recovered")["status"] == "on_track"


# ------------------------------------------------------- created and dates
BY_YEAR_END_KR = """
---
type: key-result
objective: "[[{objective}]]"
baseline: 0
target: 10
---
## Log
- 2026-11-10: 3
"""


def test_due_only_objective_starts_at_its_created_date(vault: Vault) -> None:
    root = vault({
        "Talk at a conference.md": """
            ---
            type: objective
            due: 2026-12-31
            created: 2026-11-01
            ---
            By the end of 2026.
            """,
        "Talks submitted.md": BY_YEAR_END_KR.format(objective="Talk at a conference"),
    })
    report = status(root)
    o = objective(report, "Talk at a conference")
    assert (o["start"], o["due"]) == ("2026-11-01", "2026-12-31")
    # Nov 1 -> Dec 31 is 30 + 30 = 60 days; Nov 1 -> Nov 20 is 19: tau = 19/60 = 0.3167
    k = key_result(report, "Talks submitted")
    assert k["expected"] == pytest.approx(19 / 60)
    assert k["progress"] == pytest.approx(0.3)  # (3 - 0) / (10 - 0)
    assert k["status"] == "on_track"  # gap 0.3 - 0.3167 = -0.0167
    assert o["expected"] == pytest.approx(19 / 60)
    assert problems(report, "smart-not-time-bound") == []
    assert problems(report, "smart-no-start") == []


def test_due_only_objective_without_created_has_no_expected_value(vault: Vault) -> None:
    root = vault({
        "Talk at a conference.md": "---\ntype: objective\ndue: 2026-12-31\n---\n",
        "Talks submitted.md": BY_YEAR_END_KR.format(objective="Talk at a conference"),
    })
    report = status(root)
    o = objective(report, "Talk at a conference")
    assert (o["start"], o["due"], o["expected"]) == (None, "2026-12-31", None)
    k = key_result(report, "Talks submitted")
    assert k["expected"] is None  # not 0: nothing says when it started
    assert k["progress"] == pytest.approx(0.3)
    assert k["status"] == "on_track"  # no expected value, progress > 0
    assert o["status"] == "on_track"
    assert problems(report, "smart-not-time-bound") == []  # it is time-bound: it has a due
    asked = problems(report, "smart-no-start")  # DECISION: the code
    assert [(p["path"], p["severity"]) for p in asked] == [
        ("Talk at a conference.md", "warning")]
    assert "start" in asked[0]["message"] and "period" in asked[0]["message"]


def new_kr(created: str) -> str:
    extra = f"created: {created}\n" if created else ""
    return f"---\ntype: key-result\nobjective: \"[[Talks]]\"\ntarget: 10\n{extra}---\n"


def test_staleness_counts_from_the_later_of_start_and_created(vault: Vault) -> None:
    root = vault({
        "Talks.md": Q4_OBJECTIVE,
        "Today.md": new_kr("2026-11-20"),  # written today: 0 days
        "Recent.md": new_kr("2026-11-10"),  # 10 days: not stale
        "Weeks ago.md": new_kr("2026-11-01"),  # 19 days > 14: stale
        "Before start.md": new_kr("2026-09-15"),  # start Oct 1 is later: 50 days
        "Undated.md": new_kr(""),  # from start: 50 days
    })
    report = status(root)
    stale = {k: key_result(report, k)["stale"]
             for k in ("Today", "Recent", "Weeks ago", "Before start", "Undated")}
    assert stale == {"Today": False, "Recent": False, "Weeks ago": True,
                     "Before start": True, "Undated": True}
    assert key_result(report, "Today")["status"] == "pending"  # new, not behind
    warned = {p["path"]: p["message"] for p in problems(report, "smart-stale")}
    assert sorted(warned) == ["Before start.md", "Undated.md", "Weeks ago.md"]
    assert "since 2026-11-01" in warned["Weeks ago.md"]
    assert "since 2026-10-01" in warned["Before start.md"]


def test_a_key_result_written_minutes_ago_is_not_stale(vault: Vault) -> None:
    today = dt.date.today()
    root = vault({  # an objective that has run for 60 days already
        "Mentoring.md": "---\ntype: objective\nstart: "
                        f"{today - dt.timedelta(days=60)}\ndue: {today + dt.timedelta(days=30)}"
                        "\n---\n",
    })
    code, out = invoke("new", "kr", "Mentorship requests", "--vault", str(root),
                       "--objective", "Mentoring", "--measure", "sum", "--target", "5",
                       "--folder", "OKRs")
    assert code == 0, out
    text = (root / "OKRs" / "Mentorship requests.md").read_text()
    written = re.search(r"^created: (\d{4}-\d\d-\d\d)$", text, re.M)
    assert written is not None, text
    k = key_result(status(root, written[1]), "OKRs/Mentorship requests")
    assert k["stale"] is False  # 0 days since created, although 60 since start


def test_the_created_key_is_configurable(vault: Vault) -> None:
    root = vault({
        "vaultokr.toml": 'created_key = "date created"\n',  # DECISION: the setting's name
        "Talks.md": Q4_OBJECTIVE,
        "Today.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\ntarget: 10\n"
                    "date created: 2026-11-20\n---\n",
    })
    report = status(root)
    assert key_result(report, "Today")["stale"] is False
    assert problems(report, "config-unknown-key") == []


# ---------------------------------------------------------------- checkin
CONFLICT_LOOKING = re.compile(r"( \d+|\(\d+\))\.md$|conflict", re.I)


def test_two_checkin_notes_on_one_day_get_distinct_plain_names(vault: Vault) -> None:
    root = vault({
        "Talks.md": Q4_OBJECTIVE,
        "Speaking gigs.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: sum\n"
                            "target: 6\n---\n",
    })
    for comment in ("podcast", "meetup"):
        code, out = invoke("checkin", "Speaking gigs", "1", "--note", "--vault", str(root),
                           "--date", "2026-11-20", "--comment", comment)
        assert code == 0, out
    names = sorted(p.name for p in (root / "Check-ins").iterdir())
    assert len(names) == 2 and "2026-11-20 Speaking gigs.md" in names
    for name in names:
        assert not CONFLICT_LOOKING.search(name), name  # not " 2.md", "(1).md", "conflict"
    assert key_result(status(root), "Speaking gigs")["current"] == 2  # both are read


# -------------------------------------------------------------- migration
V1_VAULT = {
    "Talks.md": Q4_OBJECTIVE,
    # v1 reading: 3 gigs already, 3 more to go; v2 reading: 6 gigs this quarter
    "Gigs.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: count\n"
               "tag: gig\nbaseline: 3\nchange: \"+100%\"\n---\n",
    "Requests.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: sum\n"
                   "baseline: 5\ntarget: 12\n---\n",
    # no warning: no baseline, a zero baseline, a level
    "Guest posts.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: sum\n"
                      "target: 5\n---\n",
    "Zero.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: sum\n"
               "baseline: 0\ntarget: 4\n---\n",
    "LinkedIn.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nbaseline: 500\n"
                   "change: \"+20%\"\n---\n",
}


def test_check_warns_once_per_v1_flow_with_a_baseline(vault: Vault) -> None:
    root = vault(dict(V1_VAULT))
    code, out = invoke("check", str(root), "--as-of", "2026-11-20", "--format", "json")
    assert code == 0  # a warning, not an error
    found = problems(json.loads(out), "flow-baseline-changed")  # DECISION: the code
    assert [(p["path"], p["line"], p["severity"]) for p in found] == [
        ("Gigs.md", 6, "warning"), ("Requests.md", 5, "warning")]  # the baseline: lines
    for p in found:
        # the new reading, and how to keep the old one
        assert "from 0" in p["message"], p  # DECISION: wording
        assert "measure: last" in p["message"] and "cumulative" in p["message"], p
    _, text = invoke("check", str(root), "--as-of", "2026-11-20")
    assert text.count("[flow-baseline-changed]") == 2  # once each, in text as in JSON
    assert len(problems(status(root), "flow-baseline-changed")) == 2


def test_the_v1_flow_warning_is_off_for_vaults_that_say_so(vault: Vault) -> None:
    root = vault({**V1_VAULT, "vaultokr.toml": "warn_v1_flows = false\n"})  # DECISION
    code, out = invoke("check", str(root), "--as-of", "2026-11-20", "--format", "json")
    assert code == 0
    listed = json.loads(out)
    assert problems(listed, "flow-baseline-changed") == []
    assert problems(listed, "config-unknown-key") == []


def test_a_vault_started_by_init_gets_no_v1_warning(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    assert invoke("init", str(root))[0] == 0
    (root / "Gigs.md").write_text(V1_VAULT["Gigs.md"])
    (root / "Talks.md").write_text(Q4_OBJECTIVE.lstrip("\n"))
    code, out = invoke("check", str(root), "--as-of", "2026-11-20", "--format", "json")
    assert code == 0
    assert problems(json.loads(out), "flow-baseline-changed") == []
