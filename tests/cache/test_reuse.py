"""``watch`` leaves the reviews a save cannot change as they are (reuse.py),
and what it leaves is exactly what a fresh, full build writes.

The oracle: after each settled rebuild of a running watcher (real file
events), a copy of the vault is built from nothing (no index, no last build)
at the same date, and every file of the two vaults is compared byte for byte,
with the problems both report.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.vaults import AS_OF, checkin, kr, note, objective, write
from support.waiting import wait_for
from support.watching import LOG, Running, said, settle

from vaultokr.cache import reuse
from vaultokr.config.vault_config import Config
from vaultokr.model.okr import Model
from vaultokr.reviews import data as review
from vaultokr.run.kept import KeptPipeline
from vaultokr.run.oneshot import build
from vaultokr.run.pipeline import Pipeline
from vaultokr.run.watch import WatchOptions
from vaultokr.write.outputs import BuildResult

REGION = "\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"


def value_on(day: dt.date, value: float, kr_id: str = "K") -> str:
    return checkin(date=day.isoformat(), kr=f"[[{kr_id}]]", value=value, confidence=7)


def checkin_path(day: dt.date) -> str:
    return f"Check-ins/{day.isoformat()}.md"


# check-ins on Mondays and Thursdays from 5 October, none in the week of 26
# October (2026-W44), one in the current week (Thursday 19 November)
DAYS = [dt.date(2026, 10, 5) + dt.timedelta(days=7 * w + d) for w in range(7) for d in (0, 3)
        if w != 3] + [dt.date(2026, 11, 19)]
VAULT: dict[str, str | bytes] = {
    "O.md": objective(REGION, start="2026-10-01"),
    "K.md": kr(title="Weekly active users", target=100, baseline=0),
    "Pages.md": kr(field="pages", measure="sum", target=300),
    "Summer.md": note({"type": "objective", "period": "2026-Q3"}),
    "KS.md": note({"type": "key-result", "objective": "[[Summer]]", "target": 10},
                  "- 2026-08-10: 3\n- 2026-09-14: 6\n"),
    **{checkin_path(day): value_on(day, 5 + 3 * i) for i, day in enumerate(DAYS)},
    **{f"Daily/2026-11-{d:02d}.md": f"---\npages: {d}\n---\n" for d in (2, 9, 15, 16, 18)},
}


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the vault but vaultokr's own folder."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".vaultokr" not in p.relative_to(root).parts}


def assert_as_fresh(w: Running, scratch: Path) -> None:
    """The watcher's vault is what a fresh full build of a copy of it writes."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(w.root, scratch, ignore=shutil.ignore_patterns(".vaultokr"))
    fresh = build(scratch, AS_OF)
    assert isinstance(fresh, BuildResult)  # no answer kept: there is no .vaultokr/
    assert tree(w.root) == tree(scratch), "\n".join(LOG)
    assert w.watcher.problems == set(fresh.analysis.problems) | set(fresh.problems)


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[Running]:
    root = write(tmp_path / "vault", VAULT)
    running = Running(root, WatchOptions(debounce=0.1, as_of=AS_OF))
    yield running
    running.stop()


@pytest.fixture
def kept(tmp_path: Path) -> Pipeline:
    """A pipeline kept as ``watch`` keeps it, on VAULT."""
    return KeptPipeline.open(write(tmp_path / "vault", VAULT))


def delete(root: Path, *days: dt.date) -> None:
    for day in days:
        (root / checkin_path(day)).unlink()


def saved(w: Running, change: Callable[[Path], object]) -> None:
    """Make a change, wait for the rebuild it causes and for quiet."""
    before = w.watcher.rebuilds
    change(w.root)
    wait_for(lambda: w.watcher.rebuilds > before, said=said)
    settle(w, quiet=0.5)
    assert w.error is None


def test_every_rebuild_writes_what_a_fresh_full_build_writes(
        watched: Running, tmp_path: Path) -> None:
    w = watched
    scratch = tmp_path / "fresh"
    # a note written a moment before the start is left to its writer and done
    # by a retry (inflight.py): the start build alone may not have filled O.md
    settle(w, quiet=0.5)
    assert_as_fresh(w, scratch)
    reviews = w.root / "OKRs" / "Reviews"
    old_week = reviews / "2026-W41.md"
    first_w46 = (reviews / "2026-W46.md").read_bytes()  # ours, stamped: out of date later
    steps: list[tuple[str, Callable[[Path], object]]] = [
        ("a value in the current week", lambda r: write(r, {
            checkin_path(dt.date(2026, 11, 19)): value_on(dt.date(2026, 11, 19), 61)})),
        ("a value in an old week", lambda r: write(r, {
            checkin_path(dt.date(2026, 10, 15)): value_on(dt.date(2026, 10, 15), 2)})),
        ("a value in the past period", lambda r: write(r, {
            "KS.md": note({"type": "key-result", "objective": "[[Summer]]", "target": 10},
                          "- 2026-08-10: 3\n- 2026-09-15: 7\n")})),
        ("a daily note's field", lambda r: write(r, {
            "Daily/2026-11-09.md": "---\npages: 40\n---\n"})),
        ("a field on the last day of a week (its review's date)", lambda r: write(r, {
            "Daily/2026-11-15.md": "---\npages: 25\n---\n"})),
        ("a check-in in a new week", lambda r: write(r, {
            checkin_path(dt.date(2026, 10, 28)): value_on(dt.date(2026, 10, 28), 30)})),
        ("a key result's target", lambda r: write(r, {
            "K.md": kr(title="Weekly active users", target=120, baseline=0)})),
        ("a deleted check-in (its week keeps another)",
         lambda r: delete(r, dt.date(2026, 11, 2))),
        ("a deleted check-in (its week goes)",
         lambda r: delete(r, dt.date(2026, 10, 5), dt.date(2026, 10, 8))),
        ("an old week's review edited by hand", lambda r: old_week.write_bytes(
            old_week.read_bytes() + b"\nMy own words.\n")),
        ("a value after the edited review's week", lambda r: write(r, {
            checkin_path(dt.date(2026, 11, 12)): value_on(dt.date(2026, 11, 12), 50)})),
        ("an old week's review put back as it was at the start", lambda r: (
            reviews / "2026-W46.md").write_bytes(first_w46)),
        ("an old week's review deleted", lambda r: (reviews / "2026-W42.md").unlink()),
        ("a value dated after today", lambda r: write(r, {
            "Check-ins/2026-11-21.md": value_on(dt.date(2026, 11, 21), 90)})),
    ]
    for what, change in steps:
        saved(w, change)
        try:
            assert_as_fresh(w, scratch)
        except AssertionError as exc:
            raise AssertionError(f"after {what}: {exc}") from None
    assert old_week.read_bytes().endswith(b"\nMy own words.\n")  # kept, as a full build keeps it


def test_a_save_renders_only_the_reviews_it_can_change(
        kept: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline = kept
    pipeline.build(pipeline.analyse(AS_OF))
    weeks: list[str] = []
    periods: list[str] = []
    week_context, period_context = review.week_context, review.period_context

    def counted_week(model: Model, config: Config, label: str,
                     as_of: dt.date, **memo: Any) -> dict[str, Any]:
        weeks.append(label)
        return week_context(model, config, label, as_of, **memo)

    def counted_period(model: Model, config: Config, label: str,
                       as_of: dt.date, **memo: Any) -> dict[str, Any]:
        periods.append(label)
        return period_context(model, config, label, as_of, **memo)

    monkeypatch.setattr(review, "week_context", counted_week)
    monkeypatch.setattr(review, "period_context", counted_period)

    def save(rel: str, text: str) -> list[tuple[str, str]]:
        weeks.clear()
        periods.clear()
        write(pipeline.root, {rel: text})
        pipeline.refresh([rel])
        result = pipeline.build(pipeline.analyse(AS_OF))
        return [(o.path, o.outcome) for o in result.outputs if o.changed]

    day = dt.date(2026, 11, 12)  # Thursday of 2026-W46
    wrote = save(checkin_path(day), value_on(day, 77))
    assert weeks == ["2026-W46", "2026-W47"] and periods == ["2026-Q4"]
    assert wrote == [("O.md", "written"), ("OKRs/Dashboard.md", "written"),
                     ("OKRs/Reviews/2026-Q4.md", "written"),
                     ("OKRs/Reviews/2026-W46.md", "written"),
                     ("OKRs/Reviews/2026-W47.md", "written")]
    wrote = save(checkin_path(day), value_on(day, 77))  # the same bytes: no change at all
    assert weeks == periods == [] and wrote == []
    day = dt.date(2026, 10, 1)  # a new week: the previous and next links move
    save(checkin_path(day), value_on(day, 1))
    assert len(weeks) == len(review.weeks_with_checkins(pipeline.analyse(AS_OF).model, AS_OF))


def test_the_dashboard_is_the_first_output_written(
        kept: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    from vaultokr.run import build as build_mod
    from vaultokr.write.writer import Outcome, replace_file

    kept.build(kept.analyse(AS_OF))
    order: list[str] = []

    def recording(path: Path, data: bytes, old: bytes | None,
                  root: Path | None = None) -> Outcome:
        outcome = replace_file(path, data, old, root=root)
        if data != old:
            order.append(path.relative_to(root or path.parent).as_posix())
        return outcome

    monkeypatch.setattr(build_mod, "replace_file", recording)
    day = dt.date(2026, 10, 15)
    write(kept.root, {checkin_path(day): value_on(day, 44)})
    kept.refresh([checkin_path(day)])
    kept.build(kept.analyse(AS_OF))
    assert order[0] == "OKRs/Dashboard.md" and len(order) > 3


# ------------------------------------------------------------ the rule itself
def snap(root: Path, pipeline: Pipeline, as_of: dt.date = AS_OF) -> reuse.Snapshot:
    if pipeline.renderer is None:
        pipeline.build(pipeline.analyse(as_of), write=False)
    return reuse.snapshot(pipeline.analyse(as_of), pipeline.renderer)


def resave(pipeline: Pipeline, files: dict[str, str | bytes]) -> None:
    write(pipeline.root, files)
    pipeline.refresh(files)


def test_nothing_changed_keeps_every_review_whose_file_is_as_written(kept: Pipeline) -> None:
    last = snap(kept.root, kept)
    last.outputs = {"W.md": "abc"}
    plan = reuse.plan(last, snap(kept.root, kept))
    assert plan == reuse.Reuse(None, {"W.md": "abc"})
    assert plan.keeps("W.md", dt.date(2026, 12, 31), "abc")
    assert not plan.keeps("W.md", dt.date(2026, 12, 31), "abd")  # edited, replaced
    assert not plan.keeps("X.md", dt.date(2026, 1, 1), "abc")  # not written last time


def test_since_is_the_earliest_changed_measurement(kept: Pipeline) -> None:
    last = snap(kept.root, kept)
    day = dt.date(2026, 10, 22)
    resave(kept, {checkin_path(day): value_on(day, 99)})
    plan = reuse.plan(last, snap(kept.root, kept))
    assert plan is not None and plan.since == day
    assert not plan.keeps("W.md", day, "") and not reuse.Reuse(day, {"W.md": ""}).keeps(
        "W.md", day, "")
    assert reuse.Reuse(day, {"W.md": ""}).keeps("W.md", day - dt.timedelta(days=1), "")


def test_a_measurement_moved_counts_from_where_it_moves(kept: Pipeline) -> None:
    """A log line inserted above the others: every later line moved, the
    earliest of them (by place, not date) bounds what is kept."""
    last = snap(kept.root, kept)
    resave(kept, {"KS.md": note({"type": "key-result", "objective": "[[Summer]]", "target": 10},
                                "- 2026-09-20: 9\n- 2026-08-10: 3\n- 2026-09-14: 6\n")})
    plan = reuse.plan(last, snap(kept.root, kept))
    assert plan is not None and plan.since == dt.date(2026, 8, 10)


def test_settings_read_again_the_same_are_no_change(kept: Pipeline) -> None:
    """The reviews depend on the settings' values: read again unchanged, they
    leave every review as it is."""
    last = snap(kept.root, kept)
    renderer = kept.renderer
    kept.load_settings()
    kept.renderer = renderer
    assert reuse.plan(last, snap(kept.root, kept)) == reuse.Reuse(None, last.outputs)


@pytest.mark.parametrize("change", ["target", "new week", "new day", "settings", "templates"])
def test_anything_structural_is_a_full_build(kept: Pipeline, change: str) -> None:
    last = snap(kept.root, kept)
    as_of = AS_OF
    if change == "target":
        resave(kept, {"K.md": kr(title="Weekly active users", target=101, baseline=0)})
    elif change == "new week":
        resave(kept, {checkin_path(dt.date(2026, 10, 27)): value_on(dt.date(2026, 10, 27), 1)})
    elif change == "new day":
        as_of = AS_OF + dt.timedelta(days=1)
    elif change == "settings":  # (the same renderer: the settings alone tell)
        renderer = kept.renderer
        (kept.root / "vaultokr.toml").write_text("stale_days = 30\n")
        kept.load_settings()
        kept.renderer = renderer
    elif change == "templates":
        kept.templates_changed()
    assert reuse.plan(last, snap(kept.root, kept, as_of)) is None


def test_a_rescan_that_finds_a_change_forgets_the_last_build(kept: Pipeline) -> None:
    kept.build(kept.analyse(AS_OF))
    assert kept.last_build is not None and kept.last_build.outputs
    assert kept.read() == set()  # every note as it was: the last build still holds
    assert kept.last_build is not None
    (kept.root / "New note.md").write_text("prose\n")
    assert kept.read() == {"New note.md"}
    assert kept.last_build is None
