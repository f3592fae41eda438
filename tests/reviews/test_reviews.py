"""Reviews that read the same in Obsidian and on GitHub (SPEC v2 §5): the
structure of every generated note of the sample vault and of a vault with
every kind of key result (tests/kinds-vault): charts on a regular date grid,
tables that fit, whole-block bars, links that resolve, callouts GitHub shows
as alerts."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from support.outputs import outputs, strip_outputs
from support.snapshot import snapshot
from support.vaults import AS_OF, KINDS, SAMPLE, copy_vault

from vaultokr.core.formatting import bar, number, plural
from vaultokr.read.links import LinkIndex, parse_link
from vaultokr.reviews.charts import grid, y_range
from vaultokr.reviews.render import PLACE, Place, hints, link, nonbreaking
from vaultokr.run.oneshot import build

KINDS_AS_OF = dt.date(2027, 1, 15)
ALERTS = {"NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"}
MAX_COLUMNS = 5
ORANGE = "#e8590c"


def built_copy(source: Path, tmp_path: Path, as_of: dt.date, toml: str = "") -> Path:
    root = copy_vault(source, tmp_path / source.name)
    strip_outputs(root)
    if toml:
        (root / "vaultokr.toml").write_text(toml, encoding="utf-8")
    build(root, as_of)
    return root


@pytest.fixture(scope="module", params=["sample", "kinds"])
def vault(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "sample":
        return built_copy(SAMPLE, tmp, AS_OF)
    return built_copy(KINDS, tmp, KINDS_AS_OF)


def test_the_kinds_vault_is_committed_as_built(tmp_path: Path) -> None:
    """tests/kinds-vault holds its outputs: rebuild them with
    ``vaultokr build tests/kinds-vault --as-of 2027-01-15``."""
    got = snapshot(built_copy(KINDS, tmp_path, KINDS_AS_OF), caches=False)
    expected = snapshot(KINDS, caches=False)
    assert sorted(got) == sorted(expected)
    for rel, data in expected.items():
        assert got[rel] == data, f"{rel} differs: rebuild tests/kinds-vault and review the diff"


# ------------------------------------------------------------------ charts
def charts(root: Path) -> list[list[str]]:
    return [block.split("\n") for text in outputs(root).values()
            for block in re.findall(r"```mermaid\n(.*?)\n```", text, re.S)]


def label_dates(labels: list[str], year: int) -> list[dt.date]:
    out = []
    for label in labels:
        if len(label) == 10:
            out.append(dt.date.fromisoformat(label))
        else:
            out.append(dt.date(year, int(label[:2]), int(label[3:])))
    return out


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]


def test_every_chart_is_a_regular_grid_with_one_value_per_date(vault: Path) -> None:
    blocks = charts(vault)
    assert len(blocks) >= 5
    for lines in blocks:
        palette = re.fullmatch(r'%%\{init: \{"themeVariables": \{"xyChart": \{"plotColorPalette": '
                               r'"([^"]+)"\}\}\}\}%%', lines[0])
        assert palette, lines[0]
        assert lines[1] == "xychart-beta"
        labels = re.findall(r'"([^"]*)"', next(x for x in lines if x.startswith("    x-axis")))
        assert 2 <= len(labels) <= 12, labels
        days = label_dates(labels, 2026)
        gaps = {(b - a).days for a, b in itertools.pairwise(days)}
        assert len(gaps) == 1 and gaps.pop() > 0, labels
        series = [x for x in lines if x.startswith("    line ")]
        names = [re.findall(r'line "(\w+)"', s)[0] for s in series]
        assert names[-1] == "actual" and names in (["target", "expected", "actual"],
                                                   ["limit", "expected", "actual"],
                                                   ["threshold", "actual"], ["actual"])
        colours = [c.strip() for c in palette[1].split(",")]
        assert len(colours) == len(series) and colours[-1] == ORANGE
        low, high = numbers(next(x for x in lines if x.startswith("    y-axis")))[-2:]
        for s in series:
            values = numbers(s.split("[", 1)[1])
            assert len(values) == len(labels), s
            assert all(low <= v <= high for v in values), (s, low, high)


def test_the_grid_covers_the_window_at_a_regular_step() -> None:
    start = dt.date(2026, 1, 1)
    for days in [*range(0, 40), 89, 90, 91, 92, 120, 181, 364, 365, 730]:
        due = start + dt.timedelta(days=days)
        dates = grid(start, due)
        assert dates[0] == start and len(dates) <= 12
        steps = {(b - a).days for a, b in itertools.pairwise(dates)}
        assert len(steps) <= 1
        step = steps.pop() if steps else 1
        assert due <= dates[-1] < due + dt.timedelta(days=step), (days, dates)
    winter = grid(dt.date(2026, 11, 1), dt.date(2027, 2, 28))  # long labels: fewer
    assert len(winter) == 6 and winter[-1] == dt.date(2027, 3, 1)
    q4 = grid(dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert (q4[1] - q4[0]).days == 13 and q4[-1] == dt.date(2026, 12, 31)


def test_the_y_range_fits_the_data() -> None:
    assert y_range([1320, 1437, 1584], flow=False, counts=True) == (1250, 1650)
    assert y_range([0, 2, 4], flow=True, counts=True) == (0, 8)  # whole-number ticks
    assert y_range([66, 85, 75], flow=False, counts=True)[0] > 0  # not flattened from 0
    low, high = y_range([0.5, 3.25], flow=False, counts=False)
    assert low == 0 and high >= 3.25


def test_a_finished_window_has_its_outcome_in_the_title(vault: Path) -> None:
    titles = [x for lines in charts(vault) for x in lines if x.startswith("    title")]
    finished = [t for t in titles if ", missed" in t or ", achieved" in t]
    assert finished, titles


# ------------------------------------------------------------------ tables
def tables(text: str) -> list[list[str]]:
    found: list[list[str]] = []
    current: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    return found


def cells(row: str) -> list[str]:
    return re.split(r"(?<!\\)\|", row.strip())[1:-1]


def test_tables_fit_and_have_rows(vault: Path) -> None:
    for rel, text in outputs(vault).items():
        for table in tables(text):
            assert len(table) >= 3, f"{rel}: a table with no rows: {table}"
            width = len(cells(table[0]))
            assert width <= MAX_COLUMNS, f"{rel}: {width} columns: {table[0]}"
            assert all(len(cells(row)) == width for row in table), f"{rel}: {table}"


def test_bars_are_whole_blocks() -> None:
    assert bar(0.54) == "█████░░░░░"
    assert bar(0.0) == "░" * 10 and bar(None) == "░" * 10
    assert bar(1.7) == "█" * 10 and bar(0.96) == "█" * 10


def test_bars_in_the_outputs_are_ten_whole_cells(vault: Path) -> None:
    for rel, text in outputs(vault).items():
        for run in re.findall(r"[█░▏▎▍▌▋▊▉]+", text):
            assert set(run) <= {"█", "░"} and len(run) == 10, (rel, run)


# ---------------------------------------------------------- links, callouts
def outside_code(text: str) -> str:
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.sub(r"`[^`\n]*`", "", text)


def test_github_sees_alerts_and_no_wikilinks(vault: Path) -> None:
    for rel, text in outputs(vault).items():
        plain = outside_code(text)
        assert "[[" not in plain, f"{rel}: a wikilink outside code"
        for line in plain.split("\n"):
            if "[!" in line:
                marker = re.fullmatch(r"> \[!([A-Z]+)\]", line)
                assert marker and marker[1] in ALERTS, f"{rel}: {line}"


def test_every_markdown_link_is_an_existing_other_note(vault: Path) -> None:
    count = 0
    for rel, text in outputs(vault).items():
        note = rel.split("#", 1)[0]
        for dest in re.findall(r"\]\(([^)\s]+)\)", outside_code(text)):
            count += 1
            target = (vault / note).parent / unquote(dest)
            assert target.resolve().is_file(), f"{rel}: {dest}"
            assert target.resolve() != (vault / note).resolve(), f"{rel}: links to itself"
    assert count > 20


def test_wiki_setting_keeps_wikilinks_that_resolve(tmp_path: Path) -> None:
    root = built_copy(SAMPLE, tmp_path, AS_OF, 'links = "wiki"\n')
    ids = [p.relative_to(root).as_posix()[:-3] for p in root.rglob("*.md")]
    index = LinkIndex(ids, dict)
    texts = outputs(root).values()
    found = {m for text in texts for m in re.findall(r"\[\[[^\]]+\]\]", outside_code(text))}
    assert len(found) > 20
    for raw in found:
        parsed = parse_link(raw.replace("\\|", "|"))
        assert parsed is not None and index.resolve(parsed).id is not None, raw
    assert not any(re.search(r"\]\([^)]*\.md\)", text) for text in texts)


def test_a_link_is_relative_encoded_and_never_to_the_note_itself() -> None:
    token = PLACE.set(Place("OKRs/Reviews/2026-Q4.md", "markdown"))
    try:
        assert link("OKRs/2026-Q4/Mentorship (requests) #1 & more", "M | 1", table=True) == (
            "[M \\| 1](../2026-Q4/Mentorship%20%28requests%29%20%231%20%26%20more.md)")
        assert link("OKRs/Reviews/2026-Q4", "This review") == "This review"
        assert link("OKRs/X", "[odd]") == "[\\[odd\\]](../X.md)"
    finally:
        PLACE.reset(token)
    token = PLACE.set(Place("OKRs/Dashboard.md", "wiki"))
    try:
        assert link("OKRs/X", "Y") == "[[OKRs/X|Y]]"
    finally:
        PLACE.reset(token)


def test_units_stay_with_their_number_and_long_phrases_wrap() -> None:
    assert nonbreaking("at most 10 evenings (pace 12)", units=True) == (
        "at most 10\u00a0evenings (pace 12)")
    assert nonbreaking("on track") == "on\u00a0track"


def test_hints_are_code_not_links() -> None:
    assert hints("objective [[Nope]] not found; write `[[A]]`") == (
        "objective `[[Nope]]` not found; write `[[A]]`")


# ------------------------------------------------------------------ words
def test_numbers_agree_with_their_count() -> None:
    assert number(1, "invitations") == "1 invitation"
    assert number(2, "invitations") == "2 invitations"
    assert number(1, "h") == "1 h" and number(1, "people") == "1 people"
    assert plural(1, "day") == "1 day" and plural(41, "day") == "41 days"
    assert number(53.19, "people", 0) == "53 people"


def test_a_kr_region_does_not_link_its_own_note(tmp_path: Path) -> None:
    root = built_copy(KINDS, tmp_path, KINDS_AS_OF)
    region = outputs(root)["OKRs/Winter/Hours worked per week.md#kr"]
    assert "The latest 8 of 10 values; all of them are in this note." in region
    sample = outputs(built_copy(SAMPLE, tmp_path / "sample", AS_OF))
    q4 = sample["OKRs/Reviews/2026-Q4.md"]
    assert "the others are the `sleep` values of your daily notes" in q4
    # 42 daily values of a threshold: each point is a 13-day average, said so
    assert "Orange: the average of the values measured in each 13 days" in q4
    assert "](Hours%20worked" not in region


def test_no_reader_trips_in_the_sample_outputs(tmp_path: Path) -> None:
    texts = outputs(built_copy(SAMPLE, tmp_path, AS_OF))
    joined = "\n".join(texts.values())
    for wrong in ("1 invitations", "1 evenings", "53.19", "Line 1:", "[!summary]",
                  "[!success]", "[!bug]", "1 days", "▍"):
        assert wrong not in joined, wrong
