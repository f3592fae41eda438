"""SPEC §4 formulas against values computed by hand (the arithmetic is in the
comments and literals, not re-derived with vaultokr's own code)."""

from __future__ import annotations

import datetime as dt

import pytest
from support.vaults import Vault, checkin, kr, kr_result, objective, run

from vaultokr.core.vocab import Verdict

D = dt.date


def ten_days(**props: object) -> str:
    """An objective from 2026-01-01 to 2026-01-11: on 2026-01-06, tau = 5/10."""
    return objective(period=None, start="2026-01-01", due="2026-01-11", **props)


def test_increasing_target_progress_and_expected(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(baseline=4, target=24, log=["2026-10-20: 8", "2026-11-18: 12"]),
    })
    r = kr_result(run(root, D(2026, 11, 20)), "K")
    assert r.current == 12
    assert r.progress_raw == pytest.approx((12 - 4) / (24 - 4))  # 0.4
    assert r.expected == pytest.approx(50 / 91)  # Oct 1 -> Nov 20 is 50 of 91 days
    # forecast: least squares through (0,4), (19,8), (48,12): mean x 67/3, mean y 8,
    # Sxx = 3506/3, Sxy = 192, slope = 576/3506; value at day 91:
    slope = 576 / 3506
    assert r.forecast == pytest.approx(8 + slope * (91 - 67 / 3))  # 19.2812...
    assert r.forecast_progress == pytest.approx((8 + slope * (91 - 67 / 3) - 4) / 20)
    assert r.status == "on_track"  # gap 0.4 - 0.549 = -0.149
    assert r.last_measured == D(2026, 11, 18)


def test_decreasing_target(vault: Vault) -> None:
    root = vault({
        "O.md": ten_days(),
        "K.md": kr(baseline=4, target=1, log=["2026-01-05: 2"]),
    })
    r = kr_result(run(root, D(2026, 1, 6)), "K")
    assert r.progress_raw == pytest.approx(2 / 3)  # (2-4)/(1-4)
    assert r.trend == "improving"  # 2 is lower than the baseline 4, and lower is better


def test_overachieved_keeps_raw_progress(vault: Vault) -> None:
    root = vault({"O.md": ten_days(), "K.md": kr(target=10, baseline=0, log=["2026-01-03: 13"])})
    r = kr_result(run(root, D(2026, 1, 6)), "K")
    assert r.progress_raw == pytest.approx(1.3)
    assert r.progress == 1.0
    assert r.status == "achieved"


def test_decreasing_target_overshoot_is_clamped(vault: Vault) -> None:
    root = vault({"O.md": ten_days(), "K.md": kr(baseline=10, target=5, log=["2026-01-03: 12"])})
    r = kr_result(run(root, D(2026, 1, 6)), "K")
    assert r.progress_raw == pytest.approx(-0.4)  # (12-10)/(5-10)
    assert r.progress == 0.0
    assert r.trend == "worsening"


@pytest.mark.parametrize(
    ("value", "status"),
    [(35, "on_track"), (34, "at_risk"), (20, "at_risk"), (19, "off_track")],
)
def test_status_boundaries(vault: Vault, value: int, status: str) -> None:
    # expected 0.5: gap = value/100 - 0.5 -> -0.15 on track, -0.16 / -0.30 at risk, -0.31 off
    root = vault({"O.md": ten_days(), "K.md": kr(baseline=0, target=100,
                                                   log=[f"2026-01-02: {value}"])})
    assert kr_result(run(root, D(2026, 1, 6)), "K").status == status


def test_status_thresholds_are_configurable(vault: Vault) -> None:
    root = vault({
        "vaultokr.toml": """
            [status]
            on_track = -0.05
            at_risk = -0.1
            """,
        "O.md": ten_days(),
        "K.md": kr(baseline=0, target=100, log=["2026-01-02: 44"]),
    })
    assert kr_result(run(root, D(2026, 1, 6)), "K").status == "at_risk"  # gap -0.06


def test_pending_missed_and_declared_statuses(vault: Vault) -> None:
    root = vault({
        "O.md": ten_days(),
        "A.md": kr(target=10),
        "B.md": kr(target=10, log=["2026-01-02: 3"]),
        "C.md": kr(target=10, status="paused", log=["2026-01-02: 3"]),
        "P.md": objective(period=None, start="2026-01-01", due="2026-01-11", status="dropped"),
        "D.md": kr(objective="[[P]]", target=10),
    })
    during = run(root, D(2026, 1, 6))
    assert kr_result(during, "A").status == "pending"  # silence is never green
    assert kr_result(during, "C").status == "paused"
    assert kr_result(during, "D").status == "dropped"  # declared on its objective
    after = run(root, D(2026, 1, 12))
    assert kr_result(after, "B").status == "missed"
    assert kr_result(after, "A").status == "missed"


def test_change_target(vault: Vault) -> None:
    root = vault({"O.md": ten_days(),
                  "K.md": kr(baseline='"1,320"', change='"+20%"', log=["2026-01-02: 1,437"])})
    r = kr_result(run(root, D(2026, 1, 6)), "K")
    assert r.target == pytest.approx(1584)  # 1320 * 1.2
    assert r.progress_raw == pytest.approx(117 / 264)


def test_growth_target_expected_and_log_forecast(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(baseline=40, growth='"10%/month"', log=["2026-10-31: 43", "2026-11-19: 49"]),
    })
    r = kr_result(run(root, D(2026, 11, 20)), "K")
    months = 91 / 30.4375  # Oct 1 -> Dec 31
    target = 40 * 1.1**months  # 53.19
    assert r.target == pytest.approx(target)
    expected_value = 40 * 1.1 ** (50 / 30.4375)
    assert r.expected == pytest.approx((expected_value - 40) / (target - 40))
    assert r.progress_raw == pytest.approx(9 / (target - 40))
    # log-linear fit through (0, ln 40), (30, ln 43), (49, ln 49)
    import math

    xs, ys = [0, 30, 49], [math.log(40), math.log(43), math.log(49)]
    mx, my = sum(xs) / 3, sum(ys) / 3
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    assert r.forecast == pytest.approx(math.exp(my + slope * (91 - mx)))


def test_weekly_growth_unit(vault: Vault) -> None:
    root = vault({"O.md": ten_days(), "K.md": kr(baseline=100, growth='"7%/week"')})
    r = kr_result(run(root, D(2026, 1, 6)), "K")
    assert r.target == pytest.approx(100 * 1.07 ** (10 / 7))


def test_keep_threshold(vault: Vault) -> None:
    root = vault({
        "O.md": ten_days(),
        "Up.md": kr(keep="above", target=75, log=["2026-01-02: 80", "2026-01-04: 79"]),
        "Low.md": kr(keep="above", target=75, log=["2026-01-04: 70"]),
        "Below.md": kr(keep="below", target=30, log=["2026-01-04: 30"]),
    })
    during = run(root, D(2026, 1, 6))
    up = kr_result(during, "Up")
    assert (up.progress, up.expected, up.status) == (1.0, None, "on_track")
    assert kr_result(during, "Low").progress == 0.0
    # SPEC v2 §4 changed this on purpose (was "pending"): a breached threshold is off track
    assert kr_result(during, "Low").status == "off_track"
    assert kr_result(during, "Below").progress == 1.0  # 30 <= 30 holds
    after = run(root, D(2026, 1, 12))
    assert kr_result(after, "Up").status == "achieved"  # keep: achieved only after due
    assert kr_result(after, "Low").status == "missed"


def test_checklist(vault: Vault) -> None:
    body = (
        "- [x] outline ✅ 2026-01-02\n- [x] draft ✅ 2026-01-09\n- [ ] rehearse\n"
        "- [X] book venue\n\n```\n- [x] not a task\n```\n"
    )
    root = vault({"O.md": ten_days(), "K.md": kr(measure="checklist", body=body)})
    r = kr_result(run(root, D(2026, 1, 6)), "K")
    assert (r.current, r.target) == (2, 4)  # the draft was done after as-of
    assert r.progress == 0.5
    assert r.expected == 0.5
    assert r.last_measured == D(2026, 1, 2)
    assert kr_result(run(root, D(2026, 1, 10)), "K").progress == 0.75


def test_checklist_done_dates_are_a_history_with_forecast_and_trend(vault: Vault) -> None:
    """SPEC v3: the tasks done by each done date are the series; a task done
    without a date counts in the current value only."""
    body = ("- [x] a ✅ 2026-01-02\n- [x] b ✅ 2026-01-04\n- [x] c ✅ 2026-01-04\n"
            "- [x] d, no date\n- [ ] e\n- [ ] f\n- [ ] g\n")
    root = vault({"O.md": ten_days(), "K.md": kr(measure="checklist", body=body)})
    r = kr_result(run(root, D(2026, 1, 6)), "K")
    assert (r.current, r.target) == (4, 7)
    assert [(m.date, m.value) for m in r.measurements] == [(D(2026, 1, 2), 1),
                                                           (D(2026, 1, 4), 3)]
    # least squares through (0, 0) at start, (1, 1), (3, 3): slope 1, at day 10: 10,
    # more than the 7 tasks the note has: the forecast stops at all of them done
    assert r.forecast == 7
    assert r.forecast_progress == 1
    assert r.trend == "improving"
    slower = vault({"O.md": ten_days(), "K2.md": kr(measure="checklist", body=(
        "- [x] a ✅ 2026-01-04\n" + "- [ ] more\n" * 9))})
    # through (0, 0) and (3, 1): slope 1/3 a day, at day 10: 10/3 of the 10 tasks
    assert kr_result(run(slower, D(2026, 1, 6)), "K2").forecast == pytest.approx(10 / 3)


def test_checklist_with_no_task_done_is_pending(vault: Vault) -> None:
    root = vault({"O.md": ten_days(), "K.md": kr(measure="checklist", body="- [ ] one\n")})
    assert kr_result(run(root, D(2026, 1, 6)), "K").status == "pending"


def test_milestone(vault: Vault) -> None:
    root = vault({
        "O.md": ten_days(),
        "K.md": kr(measure="milestone", done="2026-01-04"),
        "N.md": kr(measure="milestone"),
    })
    before = run(root, D(2026, 1, 3))
    assert kr_result(before, "K").progress == 0.0
    assert kr_result(before, "K").status == "pending"
    assert kr_result(before, "K").expected is None
    after = run(root, D(2026, 1, 5))
    assert kr_result(after, "K").progress == 1.0
    assert kr_result(after, "K").status == "achieved"
    assert kr_result(run(root, D(2026, 1, 12)), "N").status == "missed"


def test_sum_uses_cumulative_series_for_forecast_and_trend(vault: Vault) -> None:
    root = vault({
        "O.md": objective(period=None, start="2026-01-01", due="2026-03-01"),
        "K.md": kr(measure="sum", target=10, log=["2026-01-11: 2", "2026-01-21: 3"]),
    })
    r = kr_result(run(root, D(2026, 2, 25)), "K")
    assert r.current == 5
    # cumulative points (0,0), (10,2), (20,5): slope 0.25, mean (10, 7/3)
    assert r.forecast == pytest.approx(7 / 3 + 0.25 * (59 - 10))
    # reference 28 days before Feb 25 is Jan 28: cumulative 5 then and now -> flat
    assert r.trend == "flat"


def test_forecast_needs_two_distinct_dates(vault: Vault) -> None:
    root = vault({"O.md": ten_days(), "K.md": kr(target=10, log=["2026-01-01: 3"])})
    r = kr_result(run(root, D(2026, 1, 6)), "K")
    assert r.forecast is None and r.forecast_progress is None


def test_trend_reference_28_days_earlier(vault: Vault) -> None:
    root = vault({
        "O.md": objective(period="2026-Q1"),
        "K.md": kr(baseline=0, target=100,
                   log=["2026-01-10: 50", "2026-02-01: 40", "2026-02-20: 45"]),
    })
    # as of Mar 1: reference = newest on or before Feb 1 -> 40; newest 45 -> improving
    assert kr_result(run(root, D(2026, 3, 1)), "K").trend == "improving"
    # as of Feb 20: reference = newest on or before Jan 23 -> 50; newest 45 -> worsening
    assert kr_result(run(root, D(2026, 2, 20)), "K").trend == "worsening"
    # as of Jan 15: nothing 28 days earlier -> baseline 0; 50 -> improving
    assert kr_result(run(root, D(2026, 1, 15)), "K").trend == "improving"


def test_trend_flat_and_none(vault: Vault) -> None:
    root = vault({
        "O.md": objective(period="2026-Q1"),
        "F.md": kr(baseline=0, target=100, log=["2026-01-02: 20", "2026-03-01: 20"]),
        "N.md": kr(baseline=0, target=100),
    })
    analysis = run(root, D(2026, 3, 5))
    assert kr_result(analysis, "F").trend == "flat"
    assert kr_result(analysis, "N").trend is None


@pytest.mark.parametrize(("as_of", "stale"), [(D(2026, 1, 16), False), (D(2026, 1, 17), True)])
def test_stale_after_14_days(vault: Vault, as_of: dt.date, stale: bool) -> None:
    root = vault({
        "O.md": objective(period="2026-Q1"),
        "K.md": kr(target=100, log=["2026-01-02: 20"]),
    })
    analysis = run(root, as_of)
    assert kr_result(analysis, "K").stale is stale  # 14 days is fine, 15 is stale
    assert any(p.code == "smart-stale" for p in analysis.problems) is stale


def test_stale_counts_from_start_without_measurements(vault: Vault) -> None:
    root = vault({"O.md": objective(period="2026-Q1"),
                  "K.md": kr(target=100)})
    assert kr_result(run(root, D(2026, 1, 15)), "K").stale is False
    assert kr_result(run(root, D(2026, 1, 16)), "K").stale is True


def test_confidence_is_the_latest_given(vault: Vault) -> None:
    root = vault({"O.md": ten_days(),
                  "K.md": kr(target=10, log=["2026-01-02: 1 (confidence 4)", "2026-01-03: 2"])})
    assert kr_result(run(root, D(2026, 1, 6)), "K").confidence == 4


def test_measurements_after_as_of_are_ignored(vault: Vault) -> None:
    root = vault({"O.md": ten_days(),
                  "K.md": kr(target=10, log=["2026-01-02: 1", "2026-01-08: 9"])})
    assert kr_result(run(root, D(2026, 1, 6)), "K").current == 1
    assert kr_result(run(root, D(2026, 1, 8)), "K").current == 9


def test_equal_dates_later_source_wins(vault: Vault) -> None:
    root = vault({
        "O.md": ten_days(),
        "K.md": kr(target=10, measure="sum", log=["2026-01-02: 1", "2026-01-02: 4"]),
        "Z check-in.md": checkin(date="2026-01-03", kr="[[K]]", value=2),
        "A check-in.md": checkin(date="2026-01-03", kr="[[K]]", value=5),
    })
    r = kr_result(run(root, D(2026, 1, 6)), "K")
    # SPEC v2 §3 changed this on purpose: for `sum` every measurement adds (the later
    # source winning is now `last`'s rule, tested in test_flows_v2). Jan 2: 1 + 4 (lines
    # 6, 7); Jan 3: 5 + 2 ("A check-in.md" sorts before "Z check-in.md"): 12
    assert r.current == 12
    assert [m.value for m in r.measurements] == [1, 4, 5, 2]


def test_objective_rollup_weights_and_dropped(vault: Vault) -> None:
    root = vault({
        "O.md": ten_days(),
        "A.md": kr(target=10, weight=3, log=["2026-01-02: 5"]),  # 0.5
        "B.md": kr(target=10, log=["2026-01-02: 9"]),  # 0.9
        "C.md": kr(target=10, status="dropped", log=["2026-01-02: 0"]),
        "M.md": kr(measure="milestone", weight=1),  # 0, no expected
    })
    o = run(root, D(2026, 1, 6)).results.objectives[0]
    assert o.progress == pytest.approx((3 * 0.5 + 0.9 + 0) / 5)
    assert o.expected == pytest.approx(0.5)  # over the two that have one
    assert o.status == "on_track"  # gap 0.48 - 0.5 = -0.02


def test_objective_status_achieved_pending(vault: Vault) -> None:
    root = vault({
        "O.md": ten_days(),
        "A.md": kr(target=10, log=["2026-01-02: 10"]),
        "B.md": kr(measure="milestone", done="true"),
        "P.md": objective(period=None, start="2026-01-01", due="2026-01-11"),
        "X.md": kr(objective="[[P]]", target=5),
    })
    objectives = {o.objective.id: o for o in run(root, D(2026, 1, 6)).results.objectives}
    assert objectives["O"].status == "achieved"
    assert objectives["P"].status == "pending"


@pytest.mark.parametrize(
    ("value", "commitment", "grade", "band", "success"),
    [
        (675, "aspirational", 0.68, "yellow", False),  # 0.675 rounds half up
        (700, "aspirational", 0.7, "green", True),
        (399, "committed", 0.4, "yellow", False),  # 0.399 -> 0.40 is yellow
        (394, "aspirational", 0.39, "red", False),
        (1000, "committed", 1.0, "green", True),
    ],
)
def test_grades(vault: Vault, value: int, commitment: str, grade: float, band: str,
                success: bool) -> None:
    root = vault({
        "O.md": ten_days(commitment=commitment),
        "K.md": kr(baseline=0, target=1000, log=[f"2026-01-05: {value}"]),
    })
    o = run(root, D(2026, 1, 12)).results.objectives[0]
    assert (o.grade, o.grade_band, o.success) == (grade, band, success)
    assert run(root, D(2026, 1, 11)).results.objectives[0].grade is None  # due is the last day


def test_initiative_slopes(vault: Vault) -> None:
    root = vault({
        "O.md": objective(period="2026-Q1"),
        "K.md": kr(baseline=0, target=100,
                   log=["2026-01-11: 10", "2026-01-21: 12", "2026-01-31: 30", "2026-02-10: 50"]),
        "I.md": """
            ---
            type: initiative
            key_results: ["[[K]]"]
            start: 2026-01-21
            end: 2026-02-10
            ---
            """,
    })
    ini = run(root, D(2026, 3, 1)).results.initiatives[0]
    row = ini.key_results[0]
    # during Jan 21..Feb 10: (0,12), (10,30), (20,50): slope 1.9 per day
    assert row.slope_during == pytest.approx(1.9)
    # before: Jan 1..Jan 20 holds one real measurement (Jan 11); the baseline at the
    # start is not one (SPEC v3): no slope, and too early to tell, with no date in sight
    assert row.slope_before is None
    assert row.verdict is Verdict.TOO_EARLY and row.faster is None
    assert row.judgement is not None and row.judgement.tell is None


def test_ambition_rollup(vault: Vault) -> None:
    root = vault({
        "Career.md": """
            ---
            type: ambition
            ---
            """,
        "O.md": ten_days(ambition="[[Career]]"),
        "P.md": objective(ambition='["[[Career]]"]'),
    })
    amb = run(root, D(2026, 1, 6)).results.ambitions[0]
    assert [o.objective.id for o in amb.objectives] == ["O", "P"]  # by due date


def test_initiative_slope_of_a_running_total_fits_its_measured_dates(vault: Vault) -> None:
    root = vault({
        "O.md": objective(period="2026-Q1"),
        "K.md": kr(measure="sum", target=40,
                   log=["2026-01-02: 1", "2026-01-09: 1", "2026-01-16: 1",
                        "2026-01-23: 2", "2026-01-30: 2", "2026-02-06: 2"]),
        "I.md": """
            ---
            type: initiative
            key_results: ["[[K]]"]
            start: 2026-01-20
            ---
            """,
    })
    row = run(root, D(2026, 2, 8)).results.initiatives[0].key_results[0]
    # the running total on each measured date, nothing held or added: before (Jan 1..19)
    # 1, 2, 3 on Jan 2, 9, 16: 1 a week; during (Jan 20..Feb 8) 5, 7, 9 on Jan 23, 30,
    # Feb 6: 2 a week; both exact lines (standard errors 0): faster after 19 days
    assert row.slope_before == pytest.approx(1 / 7)
    assert row.slope_during == pytest.approx(2 / 7)
    assert row.verdict is Verdict.FASTER and row.faster is True
