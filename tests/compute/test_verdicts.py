"""Initiative verdicts (SPEC v3 §4), computed by hand.

Every case fits three weekly points, x = 0, 7, 14 days, so the sums are the
same: mean x = 7, Sxx = 49 + 0 + 49 = 98, and a slope is Sxy / 98.

The window before, values 0, 1, 3 (mean 4/3):
  Sxy = (-7)(0 - 4/3) + 0 + 7(3 - 4/3) = 28/3 + 35/3 = 21, slope = 21/98 = 3/14 a day;
  intercept = 4/3 - 7 * 3/14 = -1/6; residuals 1/6, -1/3, 1/6, SSR = 1/6;
  se = sqrt(SSR / (3 - 2) / Sxx) = sqrt(1/588) = 0.0412393.
The 90% interval: effect ± t(0.95, df = 3 - 2 = 1) * sqrt(se_b² + se_d²),
t = 6.314.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from vaultokr.compute.verdicts import judge, slope, t95
from vaultokr.core.vocab import Verdict

START = dt.date(2026, 11, 1)  # the initiative's first day
BEFORE = [(dt.date(2026, 10, 11), 0.0), (dt.date(2026, 10, 18), 1.0),
          (dt.date(2026, 10, 25), 3.0)]
SE = math.sqrt(1 / 588)


def during(*values: float) -> list[tuple[dt.date, float]]:
    return [(START + dt.timedelta(days=7 * i), v) for i, v in enumerate(values)]


def test_the_slope_and_its_standard_error() -> None:
    found = slope(BEFORE)
    assert found is not None
    assert found.per_day == pytest.approx(3 / 14)
    assert found.se == pytest.approx(SE)
    assert found.dates == 3
    assert slope(BEFORE[:2]) is None  # two dates: no error to estimate


def test_faster() -> None:
    # during 10, 14, 19 (mean 43/3): Sxy = (-7)(-13/3) + 7(14/3) = 63, slope 63/98 = 9/14;
    # residuals 1/6, -1/3, 1/6 again: se = sqrt(1/588).
    # effect = 9/14 - 3/14 = 3/7 = 0.428571 a day (3 a week);
    # margin = 6.314 * sqrt(2/588) = 0.368240: interval 0.060331 .. 0.796811, above 0.
    j = judge(BEFORE + during(10, 14, 19), START, START + dt.timedelta(days=21), 1,
              START + dt.timedelta(days=21))
    assert j.verdict is Verdict.FASTER
    assert j.effect == pytest.approx(3 / 7)
    assert j.low == pytest.approx(3 / 7 - 6.314 * math.sqrt(2 / 588))
    assert j.high == pytest.approx(3 / 7 + 6.314 * math.sqrt(2 / 588))
    assert j.low == pytest.approx(0.060331, abs=1e-6)
    assert j.tell is None


def test_no_effect_when_the_interval_spans_zero() -> None:
    # during 10, 11, 14 (mean 35/3): Sxy = (-7)(-5/3) + 7(7/3) = 28, slope 28/98 = 2/7;
    # residuals: intercept 35/3 - 2 = 29/3; 10 - 29/3 = 1/3, 11 - 35/3 = -2/3, 14 - 41/3 = 1/3;
    # SSR = 2/3, se = sqrt(2/3 / 98) = sqrt(1/147) = 0.0824786.
    # effect = 2/7 - 3/14 = 1/14 = 0.0714286; margin = 6.314 * sqrt(1/588 + 1/147)
    # = 6.314 * 0.0922139 = 0.582238: -0.510810 .. 0.653667 spans 0.
    j = judge(BEFORE + during(10, 11, 14), START, START + dt.timedelta(days=21), 1,
              START + dt.timedelta(days=21))
    assert j.verdict is Verdict.NO_EFFECT
    assert j.during is not None and j.during.se == pytest.approx(math.sqrt(1 / 147))
    assert j.low == pytest.approx(1 / 14 - 0.582238, abs=1e-5)


def test_slower_is_judged_in_the_targets_direction() -> None:
    # the faster case's numbers, for a target below the baseline (fewer is better):
    # the interval 0.060 .. 0.797 lies wholly on the wrong side of 0.
    j = judge(BEFORE + during(10, 14, 19), START, START + dt.timedelta(days=21), -1,
              START + dt.timedelta(days=21))
    assert j.verdict is Verdict.SLOWER


def test_too_early_with_two_dates_since_it_started_and_the_date_it_can_tell() -> None:
    # as of 12 Nov: two measurement dates since 1 Nov. It can tell once it has run
    # 14 days (15 Nov), the window before, as long as the one during, reaches back to
    # the third date before the start, 11 Oct (21 days: 22 Nov), and a third date
    # comes at one check-in a week (19 Nov): the latest, 22 Nov.
    as_of = dt.date(2026, 11, 12)
    j = judge(BEFORE + during(10, 14), START, as_of, 1, as_of)
    assert j.verdict is Verdict.TOO_EARLY
    assert j.tell == dt.date(2026, 11, 22)


def test_too_early_before_14_days_even_with_three_dates_in_each_window() -> None:
    # 1, 5 and 10 Nov since the start; 23, 27 and 30 Oct before (the 10-day window
    # before reaches back to 22 Oct): enough dates, but 10 days is too short: 15 Nov.
    before = [(dt.date(2026, 10, 23), 0.0), (dt.date(2026, 10, 27), 1.0),
              (dt.date(2026, 10, 30), 2.0)]
    days = [(dt.date(2026, 11, 1), 3.0), (dt.date(2026, 11, 5), 5.0),
            (dt.date(2026, 11, 10), 9.0)]
    as_of = dt.date(2026, 11, 11)
    j = judge(before + days, START, dt.date(2026, 11, 11), 1, as_of)
    assert j.before is not None and j.during is not None  # both slopes are known
    assert j.verdict is Verdict.TOO_EARLY
    assert j.tell == dt.date(2026, 11, 15)


def test_it_cannot_foresee_a_date_with_fewer_than_three_dates_before_it_started() -> None:
    as_of = dt.date(2026, 11, 30)
    j = judge(BEFORE[1:] + during(10, 14, 19, 22), START, as_of, 1, as_of)
    assert j.verdict is Verdict.TOO_EARLY
    assert j.tell is None


def test_student_t_is_never_narrower_than_the_exact_one() -> None:
    assert t95(1) == 6.314
    assert t95(11) == 1.812  # df 10's: wider than df 11's 1.796
    assert t95(500) == 1.658
