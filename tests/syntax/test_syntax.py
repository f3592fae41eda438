"""The one reader of names, tags and dates (vaultokr.syntax.names), below the
fixture cases: the pre-checks accept every spelling the parsers read."""

from __future__ import annotations

import datetime as dt

import pytest

from vaultokr.syntax import dates as notedates
from vaultokr.syntax import names as syntax

KEYS = ["mood", "MOOD", "Mood ", "**Rating**", "_mood_", "Hours slept", "Hours   slept",
        "hours-slept", "hours_slept", "Would rewatch", "Make Progress", "`code`", "Ünïcödé key",
        "dataviewTarget", "task-completion", "time (min)", "~~old~~", "a/b"]


@pytest.mark.parametrize("key", KEYS)
def test_the_pre_checks_accept_every_key_the_parsers_read(key: str) -> None:
    name = syntax.canonical(key)
    assert name
    assert syntax.has_top_key(f"other: x\n{key}: 1\n", [name])  # front-matter
    assert syntax.has_top_key(f"{key} : 1", [name, "other"])
    for line in (f"{key}:: 1", f"- {key} :: 1", f"text [{key}:: 1] text", f"> ({key}::1)",
                 f"1. **{key}**:: 1", f"_{key}_:: 1"):
        read = {f.name for f in syntax.line_fields(line)}
        if name in read:
            assert syntax.may_inline(line, [name, "other"]), line
    assert not syntax.may_inline(f"{key}: 1", [name])  # one colon is no inline field


def test_canonical_names_as_dataview() -> None:
    assert syntax.canonical("**Hours  slept**") == "hours-slept"
    assert syntax.canonical("Hours_slept") == "hours_slept"  # `_` is kept
    assert syntax.canonical_path("Wellbeing.Pain") == ("wellbeing", "pain")
    assert syntax.has_top_key("  date: 2026-11-05\n", ["date"])  # an indented mapping
    assert syntax.has_top_key("{Date: 2026-11-05}", ["date"])  # a flow mapping
    assert not syntax.has_top_key("update: 2026-11-05\ndates: [1]\n", ["date"])


def test_inline_fields_of_a_line() -> None:
    def fields(text: str, full: bool = True) -> list[tuple[str, str]]:
        return [(f.name, f.value) for f in syntax.line_fields(text, full)]

    assert fields("mood:: 7 [energy:: 3] (sleep:: [[8 h]])") == [
        ("energy", "3"), ("sleep", "[[8 h]]"), ("mood", "7")]
    assert fields("- [ ] call mum [duration:: 5]") == [("duration", "5")]  # no full line
    assert fields("[x] done:: 3") == []  # a task's text: bracketed fields only
    assert fields("| mood:: 7 |", full=False) == []
    assert fields("wellbeing.pain:: 3") == []  # a dot is no key
    assert fields("Time: 10:00 note:: x") == []
    assert fields("unclosed [mood:: 7") == []
    assert fields("1. Hours slept :: 8") == [("hours-slept", "8")]


TAG_CASES = [
    ("#a #b/c #1984 #y1984", ["a", "b/c", "y1984"]),
    ("#one,#two (#x) \"#y\" \\#z", ["one"]),
    ("$a #m b$ and $$\n#n\n$$ but #k", ["k"]),
    ("%% #c %% <!-- #h --> [[#l]] [t](#u) #ok.", ["ok"]),
    ("#weight:72.5kg #Idée #emoji🙂", ["weight", "idée", "emoji🙂"]),
    ("costs $5 and $6 #real", ["real"]),
]


@pytest.mark.parametrize(("text", "tags"), TAG_CASES)
def test_tags_as_obsidian_shows_them(text: str, tags: list[str]) -> None:
    assert [tag for tag, _ in syntax.tags_in(text)] == tags


def test_a_tag_keeps_its_line_after_a_removed_block() -> None:
    assert syntax.tags_in("$$\nx\n$$\n#late") == [("late", 3)]


DAILY = [
    ("YYYY-MM-DD", "Daily/2026-11-05", dt.date(2026, 11, 5)),
    ("DD.MM.YYYY", "Journal/05.11.2026", dt.date(2026, 11, 5)),
    ("YYYYMMDD", "20261105", dt.date(2026, 11, 5)),
    ("YYYYMMDD", "202611051230", None),  # a zettel id is no date
    ("dddd, MMMM Do YYYY", "Thursday, November 5th 2026", dt.date(2026, 11, 5)),
    ("YYYY/MMMM/YYYY-MMM-DD", "Daily/2026/November/2026-Nov-05", dt.date(2026, 11, 5)),
    ("[Day] D MMM YY", "Day 5 nov 26", dt.date(2026, 11, 5)),
    ("DD-MM-YYYY", "31-02-2026", None),
    ("gggg-[W]ww", "2026-W45", None),  # a week is no daily format (it is a periodic one)
]


@pytest.mark.parametrize(("fmt", "note_id", "day"), DAILY)
def test_daily_note_formats(fmt: str, note_id: str, day: dt.date | None) -> None:
    assert notedates.DailyFormat.of(fmt).match(note_id) == day


PERIODS = [
    ("weekly", "gggg-[W]ww", "Weekly/2026-W47", dt.date(2026, 11, 16)),
    ("weekly", "GGGG-[W]WW", "2026-W01", dt.date(2025, 12, 29)),  # ISO week 1's Monday
    ("weekly", "[Week] w, gggg", "Week 7, 2025", dt.date(2025, 2, 10)),
    ("weekly", "gggg-[W]ww", "2025-W53", None),  # 2025 has 52 ISO weeks
    ("weekly", "gggg-[W]ww", "2026-11", None),
    ("monthly", "YYYY-MM", "Monthly/2026-11", dt.date(2026, 11, 1)),
    ("monthly", "MMMM YYYY", "November 2026", dt.date(2026, 11, 1)),
    ("monthly", "YYYY-MM", "2026-13", None),
    ("quarterly", "YYYY-[Q]Q", "2026-Q4", dt.date(2026, 10, 1)),
    ("quarterly", "YYYY/[Q]Q", "Quarters/2026/Q2", dt.date(2026, 4, 1)),
    ("quarterly", "YYYY-[Q]Q", "2026-Q5", None),
    ("yearly", "YYYY", "Yearly/2026", dt.date(2026, 1, 1)),
    ("yearly", "YYYY", "2026 plans", None),
]


@pytest.mark.parametrize(("period", "fmt", "note_id", "day"), PERIODS)
def test_periodic_note_formats(period: str, fmt: str, note_id: str, day: dt.date | None) -> None:
    assert notedates.PeriodFormat.of(period, fmt).match(note_id) == day


@pytest.mark.parametrize(("note_id", "day"), [
    ("Weekly/2025-W07", dt.date(2025, 2, 10)), ("2026-w47", dt.date(2026, 11, 16)),
    ("2026-11", dt.date(2026, 11, 1)), ("2026-Q4", dt.date(2026, 10, 1)),
    ("Years/2026", dt.date(2026, 1, 1)), ("Budget 2026-11", None), ("2026-11 budget", None),
    ("Q4 2026", None), ("2026-W00", None), ("12345", None), ("2026-1", None),
])
def test_iso_periods_as_the_whole_name(note_id: str, day: dt.date | None) -> None:
    assert notedates.path_date(note_id, None) == day


def test_date_values() -> None:
    daily = notedates.DailyFormat.of("DD.MM.YYYY")
    assert notedates.date_of("[[05.11.2026|Thursday]]", daily) == dt.date(2026, 11, 5)
    assert notedates.date_of("[[Daily/2026-11-05.md#Log]]") == dt.date(2026, 11, 5)
    assert notedates.date_of("2026-11-05T09:30") == dt.date(2026, 11, 5)
    assert notedates.date_of("[[Meeting notes]]") is None
    assert notedates.date_of("2026-02-30") is None
    assert notedates.path_date("Notes/Retro 2026-13-01 and 2026-11-05", None) == dt.date(
        2026, 11, 5)


def test_types_and_near_misses() -> None:
    assert syntax.read_type("Key Result") == ("key-result", None)
    assert syntax.read_type(["check_in"]) == ("check-in", None)
    assert syntax.read_type("objectives") == (None, "objective")
    assert syntax.read_type("[[Authors]]") == (None, None)
    assert syntax.read_type(["[[Objective]]"]) == (None, None)
    assert syntax.read_type("book") == (None, None)
    assert syntax.read_type("ok") == (None, None)  # too short to be a slip of kr
    for raw in ("Key Result", "objectives # mine", "'checkin'", "[key-result]", ""):
        assert syntax.may_be_role(raw), raw
    for raw in ('"[[Authors]]"', "book", "meeting"):
        assert not syntax.may_be_role(raw), raw
    assert syntax.near_miss("targt", ["target", "tag"]) == "target"
    assert syntax.near_miss("owner", ["target", "done"]) is None
