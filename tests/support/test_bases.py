"""The Bases formula evaluator of the tests reads what the help documents."""

from __future__ import annotations

import datetime as dt

import pytest

from support.bases import BasesError, evaluate

TODAY = dt.date(2026, 11, 20)


def test_arithmetic_comparison_and_functions() -> None:
    assert evaluate("max(0, min(1, 3 / 4)) * 100", {}, TODAY) == 75
    assert evaluate("(2.3333).round(2)", {}, TODAY) == 2.33
    assert evaluate('if(x, "yes", "no")', {"x": 0}, TODAY) == "no"
    assert evaluate('x.toString() + " / " + y.toString()', {"x": 3, "y": 10}, TODAY) == "3 / 10"
    assert evaluate('s != "done" && !file.hasProperty("t")', {"s": "open"}, TODAY) is True


def test_dates() -> None:
    props = {"start": dt.date(2026, 11, 1)}
    assert evaluate("(today() - start) / 86400000", props, TODAY) == 19
    assert evaluate('start < today() - "14d"', props, TODAY) is True
    assert evaluate('start < today() - "3w"', props, TODAY) is False


@pytest.mark.parametrize("text", ["foo()", "x.unknown()", 'today() - "1M"', "x ^ 2"])
def test_what_it_does_not_know_is_an_error(text: str) -> None:
    with pytest.raises(BasesError):
        evaluate(text, {"x": 1}, TODAY)
