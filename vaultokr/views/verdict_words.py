"""An initiative's verdict on one key result in words, the same in the
terminal and in the reviews: the effect a week with its 90% interval, and
what to do (SPEC v3 §4: faster, keep it; slower or no effect after 28 days,
try another tactic; too early, the date from which it can tell)."""

from __future__ import annotations

import datetime as dt

from vaultokr.compute.results import InitiativeKR
from vaultokr.core.formatting import signed
from vaultokr.core.vocab import Verdict

TRY_AFTER = 28  # days: slower or no clear effect for this long means: try another tactic


def verdict_words(k: InitiativeKR, start: dt.date | None) -> str:
    """``faster since it started: +0.8 a week (90%: +0.3 to +1.3): keep it``."""
    j = k.judgement
    if j is None or k.verdict is Verdict.TOO_EARLY:
        return _too_early(k)
    assert j.effect is not None and j.low is not None and j.high is not None
    effect = f"{signed(j.effect * 7, places=1)} a week"
    interval = f"(90%: {signed(j.low * 7, places=1)} to {signed(j.high * 7, places=1)}"
    interval += ")" if k.verdict is not Verdict.NO_EFFECT else " a week)"
    weeks = k.days // 7
    if k.verdict is Verdict.FASTER:
        return f"faster since it started: {effect} {interval}: keep it"
    judged = k.days >= TRY_AFTER or start is None
    until = "" if judged or start is None else \
        f": give it until {_day(start + dt.timedelta(days=TRY_AFTER))}"
    if k.verdict is Verdict.SLOWER:
        return (f"slower since it started: {effect} {interval}"
                + (": try another tactic" if judged else until))
    if judged:
        return f"no clear effect after {weeks} weeks {interval}: try another tactic"
    return f"no clear effect yet after {_weeks(k.days)} {interval}{until}"


def _too_early(k: InitiativeKR) -> str:
    j = k.judgement
    if j is not None and j.tell is not None:
        return f"too early to tell until {_day(j.tell)}"
    if j is None:
        return "cannot tell: it has not started, or its key result is not a number"
    return "too early to tell: it needs 3 measurements in the weeks before it started"


def _weeks(days: int) -> str:
    weeks = days // 7
    return f"{days} days" if weeks < 2 else f"{weeks} weeks"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b}"
