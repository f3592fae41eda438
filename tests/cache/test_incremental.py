"""``watch``'s incremental analysis (vaultokr/incremental.py) against a fresh
full run: after every edit, the kept pipeline's analysis must be the one
``Pipeline.open`` gives from nothing, byte for byte (the JSON report, the
problems, the files the build reads), and the edits to measurement notes
only must have taken the incremental path (the test predicts which do)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.counting import count_analyses
from support.vaults import AS_OF, Vault, checkin, kr, note, objective, write

from vaultokr.compute.analysis import Analysis
from vaultokr.run.kept import KeptPipeline
from vaultokr.run.oneshot import build
from vaultokr.run.pipeline import Pipeline
from vaultokr.views.json_report import to_json

KRS = ("Last", "Sum", "Steps", "Nope", "Plain", "Goals/O", "Goals/O#inline")
UNKNOWN = "Nope"  # a link to no note: resolving it needs the aliases (a full analysis)
CHECKINS = 2  # few notes, so that an example edits one note several times
DAILIES = 3

BASE = {
    "Goals/O.md": objective(ambition="[[A]]", key_results=[{"id": "inline", "target": 5}]),
    "Goals/A.md": note({"type": "ambition"}),
    "Goals/I.md": note({"type": "initiative", "start": "2026-11-01",
                        "key_results": ["[[Last]]", "[[Sum]]", "[[Gym]]"]}),
    "KRs/Last.md": kr(measure="last", target=10, start="2026-10-15",
                      log=["2026-10-20: 2", "2026-11-05: 4 (confidence 6) steady"]),
    "KRs/Sum.md": kr(measure="sum", target=30, log=["2026-11-02: 4"]),
    "KRs/Steps.md": kr(field="steps", measure="sum", target=50000, start="2026-11-02"),
    "KRs/Days.md": kr(field="steps", measure="count", target=20),
    "KRs/Gym.md": kr(tag="gym", measure="count", target=12),
    "Plain.md": "An ordinary note, linked by mistake.\n",
    # a steps field and a #gym tag the edits never take away: every source always matches
    # something, so whether one matches nothing (the whole vault's question) never arises
    "Daily/2026-11-20.md": "---\nsteps: 500\n---\nTo the #gym.\n",
    # read only when a link needs the aliases, and then a problem of its own
    "Aliased.md": "---\naliases: [one\n---\nBroken aliases.\n",
}


def checkin_text(c: dict[str, object]) -> str:
    if c["broken"]:
        return "---\ntype: check-in\nkr: [unclosed\n---\n"
    props: dict[str, object] = {"date": c["date"]}
    if c["values"]:  # a flow mapping: two measurements on one line
        props["values"] = f'{{"[[{c["kr"]}]]": {c["value"]}, "[[Sum]]": 1}}'
    else:
        props.update(kr=f"[[{c['kr']}]]", value=c["value"])
    props["comment"] = c["comment"]
    return checkin(**props)


def daily_text(d: dict[str, object]) -> str:
    body = "Walked.\n"
    if d["broken"]:  # not a typed note: its problem is its own, the note is still read
        return "---\nsteps: [unclosed\n---\n" + body
    if d["tag"]:
        body += "Went to the #gym today.\n"
    if d["inline"] and d["steps"] is not None:
        body += f"steps:: {d['steps']}\n"
    if d["region"]:  # a region the build fills: the note is read for it
        body += "<!-- vaultokr:begin objective id=Goals/O -->\n<!-- vaultokr:end -->\n"
    props = {"date": d["date"], "steps": None if d["inline"] else d["steps"]}
    if all(v is None for v in props.values()):
        return body
    return note(props, body)


DATES = st.sampled_from(["2026-10-01", "2026-10-20", "2026-11-02", "2026-11-10",
                         "2026-11-10", "2026-11-18", "2027-01-05", "soon", None])
EDITS = st.one_of(
    st.tuples(st.just("value"), st.integers(0, CHECKINS - 1),
              st.sampled_from([1, 3, 3, 7, "x7", "2.5"])),
    st.tuples(st.just("date"), st.integers(0, CHECKINS - 1), DATES),
    st.tuples(st.just("comment"), st.integers(0, CHECKINS - 1),
              st.sampled_from([None, "ok", "fine - mostly"])),
    st.tuples(st.just("kr"), st.integers(0, CHECKINS - 1), st.sampled_from(KRS)),
    st.tuples(st.just("values"), st.integers(0, CHECKINS - 1), st.booleans()),
    st.tuples(st.just("broken"), st.integers(0, CHECKINS - 1), st.booleans()),
    st.tuples(st.just("steps"), st.integers(0, DAILIES - 1),
              st.sampled_from([None, 1000, 2500, "lots", ""])),
    st.tuples(st.just("tag"), st.integers(0, DAILIES - 1), st.booleans()),
    st.tuples(st.just("inline"), st.integers(0, DAILIES - 1), st.booleans()),
    st.tuples(st.just("daydate"), st.integers(0, DAILIES - 1), DATES),
    st.tuples(st.just("same"), st.integers(0, DAILIES - 1), st.none()),
    st.tuples(st.just("region"), st.integers(0, DAILIES - 1), st.booleans()),
    st.tuples(st.just("dbroken"), st.integers(0, DAILIES - 1), st.booleans()),
    # structural: these must fall back to the full analysis
    st.tuples(st.just("target"), st.just(0), st.sampled_from([20, 30, 40])),
    st.tuples(st.just("create"), st.integers(0, 1), st.none()),
    st.tuples(st.just("delete"), st.integers(0, CHECKINS - 1), st.none()),
)
CHECKIN_EDITS = {"value", "date", "comment", "kr", "values", "broken"}


def same_analysis(kept: Analysis, root: Path) -> None:
    fresh = Pipeline.open(root).analyse(AS_OF)
    assert to_json(kept) == to_json(fresh)
    assert kept.problems == fresh.problems
    assert kept.files.region_notes == fresh.files.region_notes
    assert kept.files.ids == fresh.files.ids
    assert sorted(kept.files.broken) == sorted(fresh.files.broken)
    assert [(n.path, n.meta) for n in kept.files.typed] == [
        (n.path, n.meta) for n in fresh.files.typed]
    assert [(d.path, d.parts) for d in kept.files.dated] == [
        (d.path, d.parts) for d in fresh.files.dated]
    # what the reviews read: every result (ambitions' objectives too) and the model
    assert repr(kept.results) == repr(fresh.results)
    assert repr(kept.model) == repr(fresh.model)


def same_build(root: Path, pipeline: Pipeline, analysis: Analysis, copy: Path) -> None:
    """The kept pipeline builds (as ``watch`` does after a save); a fresh
    build of a copy of the vault then finds every output as it would write it."""
    kept = pipeline.build(analysis)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".vaultokr"))
    fresh = build(copy, AS_OF)
    assert [p.format() for p in kept.problems] == [p.format() for p in fresh.problems]
    assert [(o.path, o.changed) for o in fresh.outputs if o.changed] == []
    assert files_of(copy) == files_of(root)


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".vaultokr" not in p.parts}


def aliases(c: dict[str, object]) -> bool:
    """Whether the check-in's link needs the aliases (a check-in with no date
    is not read further)."""
    return c["kr"] == UNKNOWN and c["date"] is not None


def replay(root: Path, edits: list[tuple[str, int, object]],
           building: Path | None = None) -> tuple[int, int]:
    """Apply the edits one by one, each followed by a kept pipeline's refresh
    and analysis checked against a fresh one (and, with ``building``, its
    build against a fresh build of a copy there); (edits predicted to be
    incremental, edits that were)."""
    checkins: list[dict[str, object] | None] = [
        {"date": f"2026-11-1{i}", "kr": ("Last", "Sum")[i], "value": i + 2,
         "comment": None, "values": False, "broken": False} for i in range(CHECKINS)]
    dailies = [{"date": None, "steps": 1000 * (j + 1), "tag": j % 2 == 0, "inline": j == 2,
                "region": False, "broken": False}
               for j in range(DAILIES)]
    files = {f"Check-ins/c{i}.md": checkin_text(c) for i, c in enumerate(checkins) if c}
    files.update({f"Daily/2026-11-0{j + 1}.md": daily_text(d) for j, d in enumerate(dailies)})
    write(root, {**BASE, **files})
    pipeline = KeptPipeline.open(root)
    analysis = pipeline.analyse(AS_OF)
    same_analysis(analysis, root)
    if building is not None:  # the outputs it writes first are new notes: analysed in full
        same_build(root, pipeline, analysis, building)
        same_build(root, pipeline, pipeline.analyse(AS_OF), building)
    expected = 0
    for what, i, value in edits:
        fast = True
        if what in CHECKIN_EDITS:
            c = checkins[i]
            if c is None:
                continue
            before = dict(c)
            c[what] = value
            fast = not (before["broken"] or c["broken"] or aliases(before) or aliases(c))
            rel, text = f"Check-ins/c{i}.md", checkin_text(c)
        elif what == "target":
            fast, rel, text = False, "KRs/Sum.md", kr(measure="sum", target=value,
                                                       log=["2026-11-02: 4"])
        elif what == "create":  # the second time, an edit of the same note
            rel = f"Check-ins/new{i}.md"
            fast = (root / rel).exists()
            text = checkin(date="2026-11-12", kr="[[Sum]]", value=2)
        elif what == "delete":
            if checkins[i] is None:
                continue
            fast, rel, text, checkins[i] = False, f"Check-ins/c{i}.md", "", None
        else:
            d = dailies[i]
            region = d["region"]
            if what != "same":
                d["date" if what == "daydate" else what] = value
            fast = d["region"] == region  # a note gaining a region: the build's list changes
            rel, text = f"Daily/2026-11-0{i + 1}.md", daily_text(d)
        path = root / rel
        if what == "delete":
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        pipeline.refresh([rel])
        before_count = pipeline.incremental
        analysis = pipeline.analyse(AS_OF)
        same_analysis(analysis, root)
        if building is not None:
            same_build(root, pipeline, analysis, building)
        assert pipeline.incremental - before_count == int(fast), (what, i, value)
        expected += fast
    return expected, pipeline.incremental


@settings(max_examples=int(os.environ.get("VAULTOKR_INCREMENTAL_EXAMPLES", "30")),
          deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=16))
def test_every_edit_gives_what_a_fresh_run_gives(tmp_path: Path,
                                                 edits: list[tuple[str, int, object]]) -> None:
    root = tmp_path / "vault"
    shutil.rmtree(root, ignore_errors=True)
    expected, done = replay(root, edits)
    assert done == expected


DAY: list[tuple[str, int, object]] = [
    ("value", 0, 7), ("value", 0, 8), ("comment", 1, "ok"), ("date", 1, "2026-11-10"),
    ("date", 0, "2026-11-10"), ("kr", 0, "Sum"), ("kr", 1, "Plain"), ("kr", 1, "Last"),
    ("steps", 0, 2500), ("tag", 1, True), ("inline", 2, True), ("daydate", 2, "2026-11-18"),
    ("broken", 0, True), ("broken", 0, False), ("target", 0, 40), ("value", 1, "x7"),
    ("value", 1, 4), ("values", 0, True), ("date", 0, "2027-01-05"), ("date", 0, None),
    ("date", 0, "2026-11-12"), ("steps", 1, "lots"), ("steps", 1, None), ("same", 0, None),
    ("region", 0, True), ("steps", 0, 100), ("dbroken", 1, True), ("dbroken", 1, False),
]


def test_most_edits_of_a_day_take_the_incremental_path(tmp_path: Path) -> None:
    """A day's saves: values, dates, comments, fields and tags, problems
    appearing and going; a note broken and repaired, a key result's new
    target and a note gaining a region are analysed in full, the rest updated."""
    expected, done = replay(tmp_path / "vault", DAY)
    assert (expected, done) == (24, 24)


def test_builds_after_updates_write_what_a_fresh_build_writes(tmp_path: Path) -> None:
    """As ``watch`` does: build after every analysis, whose outputs (and
    regions) the pipeline reads back; a fresh build of a copy agrees."""
    expected, done = replay(tmp_path / "vault", DAY, building=tmp_path / "copy")
    assert (expected, done) == (24, 24)


def test_a_link_that_needs_the_aliases_is_analysed_in_full(tmp_path: Path) -> None:
    """A fresh run reads the notes with aliases (and reports their problems)
    only when a link needs them: a check-in's link to no note, before or
    after the edit, sends the analysis in full."""
    edits: list[tuple[str, int, object]] = [
        ("kr", 0, UNKNOWN), ("value", 0, 9), ("kr", 0, "Last"), ("value", 0, 8)]
    expected, done = replay(tmp_path / "vault", edits)
    assert (expected, done) == (1, 1)


def test_an_unchanged_vault_keeps_its_analysis(vault: Vault) -> None:
    root = vault({**BASE, "Check-ins/c.md": checkin(date="2026-11-12", kr="[[Sum]]", value=2)})
    pipeline = KeptPipeline.open(root)
    first = pipeline.analyse(AS_OF)
    assert pipeline.analyse(AS_OF) is first
    assert pipeline.incremental == 1
    later = pipeline.analyse(AS_OF + dt.timedelta(days=1))  # another day: in full
    assert pipeline.incremental == 1 and later is not first


def test_one_shot_commands_analyse_in_full(vault: Vault,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    full = count_analyses(monkeypatch)
    root = vault(BASE)
    pipeline = Pipeline.open(root)
    pipeline.analyse(AS_OF)
    pipeline.analyse(AS_OF)
    assert full == [1, 1]
    assert not isinstance(pipeline, KeptPipeline)


def test_an_update_that_fails_half_way_is_followed_by_a_full_analysis(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sources ran on the blank key results, then something broke: the
    next analysis trusts nothing of the last state."""
    from vaultokr.cache import incremental

    rel = "Check-ins/c.md"
    root = vault({**BASE, rel: checkin(date="2026-11-12", kr="[[Sum]]", value=2)})
    pipeline = KeptPipeline.open(root)
    pipeline.analyse(AS_OF)

    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    (root / rel).write_text(checkin(date="2026-11-12", kr="[[Sum]]", value=3))
    pipeline.refresh([rel])
    with monkeypatch.context() as patched:
        patched.setattr(incremental, "_results", boom)
        with pytest.raises(RuntimeError):
            pipeline.analyse(AS_OF)
    same_analysis(pipeline.analyse(AS_OF), root)
    assert pipeline.incremental == 0
    (root / rel).write_text(checkin(date="2026-11-12", kr="[[Sum]]", value=4))
    pipeline.refresh([rel])
    same_analysis(pipeline.analyse(AS_OF), root)
    assert pipeline.incremental == 1


def test_a_tag_that_comes_to_match_nothing_is_warned_as_a_fresh_run_warns(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": kr(tag="gym", measure="count", target=12),
                  "Daily/2026-11-05.md": "To the #gym.\n"})
    pipeline = KeptPipeline.open(root)
    first = pipeline.analyse(AS_OF)
    assert "source-matches-nothing" not in {p.code for p in first.problems}
    (root / "Daily/2026-11-05.md").write_text("Rested.\n")
    pipeline.refresh(["Daily/2026-11-05.md"])
    now = pipeline.analyse(AS_OF)
    same_analysis(now, root)
    assert "source-matches-nothing" in {p.code for p in now.problems}
    (root / "Daily/2026-11-05.md").write_text("Back to the #gym.\n")
    pipeline.refresh(["Daily/2026-11-05.md"])
    same_analysis(pipeline.analyse(AS_OF), root)
    assert pipeline.incremental == 0  # each time in full: the whole vault's question
