"""Values beyond numbers (SPEC v3): booleans, durations, count_if, and
messages that quote a value as the note wrote it (``false``, not ``False``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import Vault

from vaultokr.syntax.measured import (
    DONE,
    CountIf,
    DurationProblem,
    duration_seconds,
    parse_count_if,
    parse_measurement,
    truthy,
)
from vaultokr.syntax.values import ValueProblem, parse_number, show_value


@pytest.mark.parametrize(("text", "seconds"), [
    ("1h 27m", 5220), ("1h27m", 5220), ("90 min", 5400), ("1.5 hours", 5400),
    ("2 hours 30 minutes", 9000), ("2 hours, 30 minutes", 9000), ("45m", 2700),
    ("2d", 172800), ("30s", 30), ("1 day", 86400), ("1 week", 604800), ("2 HRS", 7200),
    (" 10 secs ", 10), (".5h", 1800),
])
def test_durations_as_dataview_writes_them(text: str, seconds: float) -> None:
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "87", "2mo", "1 year", "h", "1h and 2m", "5 mins ago",
                                  "12:30", "1h-2m", "x" * 300])
def test_what_is_not_a_duration(text: str) -> None:
    assert duration_seconds(text) is None


@pytest.mark.parametrize(("value", "unit", "number"), [
    ("1h 27m", "minutes", 87), ("1h 27m", "Minutes", 87), ("90 min", "h", 1.5),
    ("2d", "hours", 48), ("30s", "min", 0.5), ("87", "minutes", 87), ("7 hours", "hours", 7),
    (True, None, 1), (False, "minutes", 0), ("yes", None, 1), (" No ", None, 0),
    ("TRUE", "talks", 1), ("3 talks", "talks", 3),
])
def test_a_measurement_reads_booleans_and_durations(value: object, unit: str | None,
                                                   number: float) -> None:
    got = parse_measurement(value, unit)
    assert got == number and type(got) is type(number)


@pytest.mark.parametrize(("unit", "what"), [
    (None, "the key result has no unit"),
    ("pages", 'the unit "pages" is not a unit of time'),
])
def test_a_duration_without_a_unit_of_time_says_to_set_one(unit: str | None, what: str) -> None:
    with pytest.raises(DurationProblem) as raised:
        parse_measurement("1h 27m", unit)
    assert str(raised.value) == (f'"1h 27m" is a duration and {what}: set unit: minutes '
                                 "(or hours, seconds, days) on the key result")


@pytest.mark.parametrize(("value", "counts"), [
    (True, True), (False, False), ("true", True), ("False", False), ("yes", True),
    ("no", False), ("NO", False), ("0", False), ("0.0", False), (" ", False), ("", False),
    (None, False), (0, False), (0.0, False), (2, True), (-1, True), ("done", True),
    ("0m", False), ("25m", True), ("around the lake", True), (dt.date(2026, 11, 2), True),
    ([], False), (["a"], True),
])
def test_done_is_dataviews_truth_test_with_no_and_0_false(value: object, counts: bool) -> None:
    assert truthy(value) is counts
    assert DONE.counts(value) is counts


@pytest.mark.parametrize(("written", "value", "counts"), [
    ("> 30", 31, True), ("> 30", 30, False), (">= 7", "7", True), (">=7", 6.9, False),
    ("< 2000", "1,999", True), ("<= 5", 5, True), ("= 1", True, True), ("== 1", "no", False),
    ("> 30 min", "1h", True), ("> 30 min", "20m", False), ("> 0.5 hours", "45 min", True),
])
def test_a_comparison_counts_what_passes_it(written: str, value: object, counts: bool) -> None:
    assert parse_count_if(written).counts(value) is counts


def test_done_in_any_case_is_the_default_and_a_comparison_needs_a_number() -> None:
    assert parse_count_if("Done") == DONE == CountIf("done")
    for bad in ("lots", ">", "> lots", "30", 30, True, None, ["> 3"], "=> 3"):
        with pytest.raises(ValueProblem, match="is neither done nor a comparison"):
            parse_count_if(bad)
    with pytest.raises(ValueProblem, match='"lots" is not a number'):
        parse_count_if("> 3").counts("lots")
    with pytest.raises(DurationProblem):
        parse_count_if("> 3").counts("1h")
    assert parse_count_if(">= 3").timed_hint == ("give count_if's number a unit of time, "
                                                 'e.g. count_if: ">= 30 min"')


@pytest.mark.parametrize(("value", "shown"), [
    (True, "true"), (False, "false"), (None, "null"), ("great", '"great"'), (7, "7"),
    (4.5, "4.5"), (float("inf"), ".inf"), (dt.date(2026, 11, 2), "2026-11-02"),
    (dt.datetime(2026, 11, 2, 8, 30), "2026-11-02 08:30:00"), ([1], "a list"),
    ({"a": 1}, "a mapping"),
])
def test_a_value_is_shown_as_a_note_writes_it(value: object, shown: str) -> None:
    assert show_value(value) == shown


def test_no_python_spelling_in_a_number_problem() -> None:
    with pytest.raises(ValueProblem) as raised:
        parse_number(False)
    assert str(raised.value).startswith("false is not a number")
    with pytest.raises(ValueProblem) as raised:
        parse_number("lots", "talks")
    assert str(raised.value).endswith('or a number followed by "talks"')


def _messages(root: Path) -> list[tuple[str, int, str, str]]:
    out = invoke("check", str(root), "--as-of", "2026-11-20", "--format", "json", "--no-cache")
    return [(p["path"], p["line"], p["code"], p["message"]) for p in json.loads(out.stdout)
            if p["code"] != "smart-no-key-results"]


GOAL = "---\ntype: objective\nperiod: 2026-Q4\n---\n"


def test_messages_quote_values_as_the_note_writes_them(vault: Vault) -> None:
    root = vault({
        "Goal.md": GOAL,
        "Pages.md": "---\ntype: key-result\nobjective: \"[[Goal]]\"\ntarget: false\n---\n",
        "Sits.md": "---\ntype: key-result\nobjective: \"[[Goal]]\"\nmeasure: count\n"
                   "field: sat\ncount_if: yes\ntarget: 5\n---\n",
    })
    got = _messages(root)
    assert got[0][:3] == ("Pages.md", 4, "bad-target")
    assert "false is not a number" in got[0][3] and "False" not in got[0][3]
    assert got[1] == ("Sits.md", 6, "bad-count_if",
                      'count_if true is neither done nor a comparison with a number: write '
                      'count_if: done, or a comparison such as "> 30", ">= 7", "< 2000", "= 1"')


def test_a_field_of_durations_without_a_unit_is_one_problem(vault: Vault) -> None:
    days = {f"Daily/2026-11-{d:02d}.md": "training:: 1h 27m\n" for d in range(1, 29)}
    root = vault({
        "Goal.md": GOAL, **days,
        "Training.md": "---\ntype: key-result\nobjective: \"[[Goal]]\"\nmeasure: sum\n"
                       "field: training\ntarget: 1000\n---\n",
    })
    assert [m for m in _messages(root) if m[2] != "smart-stale"] == [(
        "Training.md", 2, "duration-needs-unit",
        '[[Training]] reads field training written as a duration ("1h 27m" in '
        "Daily/2026-11-01.md:1, and 27 more notes) but it has no unit: set unit: minutes "
        "(or hours, seconds, days) on this key result; those values are read in it, until "
        "then they are skipped")]


def test_a_note_text_in_a_message_is_quoted_as_written_not_as_python_repr(vault: Vault) -> None:
    root = vault({"Goal.md": "---\ntype: objective\nperiod: 2026-Q4\nkey_results:\n"
                             "  - id: it's\n    target: 3\n  - id: It's\n    target: 4\n---\n"})
    dup = [m for m in _messages(root) if m[2] == "duplicate-id"]
    assert dup == [("Goal.md", 7, "duplicate-id",
                    "inline key result id \"It's\" is already used on line 5: give each key "
                    "result its own id; this one is skipped")]
