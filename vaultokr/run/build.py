"""``vaultokr build``: review notes and regions written into the vault.

Generated notes and regions carry a checksum of what was written
(:mod:`vaultokr.read.ownership`). What was edited by hand since is kept (and
reported) unless ``force``; a file that vaultokr did not generate is never
overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from vaultokr.cache.index import content_hash
from vaultokr.cache.reuse import Planner, Reuse
from vaultokr.compute.analysis import Analysis
from vaultokr.core.errors import Problems
from vaultokr.core.oserrors import os_reason
from vaultokr.read import regions as region_mod
from vaultokr.read.ownership import note_owner, stamp_note
from vaultokr.reviews import data as review
from vaultokr.reviews.memo import FRESH, Carry, Fresh, Memo, building
from vaultokr.reviews.region_data import RegionTargetError, region_context
from vaultokr.reviews.render import Renderer, TemplateProblem
from vaultokr.run.claims import claim
from vaultokr.run.note_properties import write_properties
from vaultokr.run.retrospectives import kept_retrospective, region_kind, start_retrospectives
from vaultokr.syntax.values import parse_period, show_value
from vaultokr.write.outputs import FAILED, KEPT, REFUSED, BuildResult, OutputResult, merged
from vaultokr.write.writer import (
    Outcome,
    UnsafePath,
    WriteRefused,
    encode_like,
    read_bytes,
    replace_file,
    resolve_output,
)

REVIEW_KEPT = ("this review was edited by hand and is kept: move your words into a note of "
               "your own, then run vaultokr build --force")
REGION_NAMES = ("objective", "kr", "week", "ambition", "retrospective")

class Builder:
    def __init__(self, analysis: Analysis, write: bool, force: bool,
                 renderer: Renderer) -> None:
        self.analysis = analysis
        self.root = analysis.root
        self.config = analysis.config
        self.model = analysis.model
        self.as_of = analysis.results.as_of
        self.write = write
        self.force = force
        self.problems = Problems()
        self.result = BuildResult(analysis)
        self.renderer = renderer
        self.claimed: dict[str, str] = {}  # output path (case folded) -> what it holds
        #: whether another program is writing a file right now: it is not replaced
        self.being_written: Callable[[str], bool] | None = None
        self.planner: Planner | None = None  # reviews left as last written (reuse.py)
        self.reuse: Reuse | None = None
        self.carry: Carry | None = None  # watch: what its last build made (memo.py)
        self.memo: Fresh = FRESH  # what its outputs make once for all of them (memo.py)

    def run(self) -> BuildResult:
        self.memo = (self.carry.begin(self.model, self.config, self.analysis.results)
                     if self.carry is not None else Memo(self.analysis.results))
        with building(self.memo):
            return self._run()

    def _run(self) -> BuildResult:
        config = self.config
        if self.renderer.refused:
            self.problems.warning(config.templates_dir, 1, "templates-outside",
                                  self.renderer.refused)
        if config.dashboard:
            self._generated(config.dashboard, "dashboard", "dashboard.md.j2",
                            lambda: review.dashboard_context(self.model, self.analysis.results,
                                                             config, self.analysis.problems,
                                                             memo=self.memo))
        if self.planner is not None:  # after the dashboard: it is what the user waits for
            self.reuse = self.planner.reuse
        if config.period:
            labels = sorted({o.period for o in self.model.objectives.values() if o.period},
                            key=lambda p: (parse_period(p).start, p))
            for label in labels:
                def period(label: str = label) -> dict[str, Any]:
                    return review.period_context(self.model, config, label, self.as_of,
                                                 memo=self.memo)
                self._generated(config.period.replace("{period}", label), "period",
                                "period.md.j2", period, review.period_at(label, self.as_of))
        if config.week:
            weeks = (self.planner.now.weeks if self.planner is not None
                     else review.weeks_with_checkins(self.model, self.as_of))
            for i, label in enumerate(weeks):
                def context(i: int = i, label: str = label) -> dict[str, Any]:
                    data = review.week_context(self.model, config, label, self.as_of,
                                               memo=self.memo)
                    data["previous"] = weeks[i - 1] if i else None
                    data["next"] = weeks[i + 1] if i + 1 < len(weeks) else None
                    data["previous_link"] = self._week_link(weeks[i - 1]) if i else None
                    data["next_link"] = (self._week_link(weeks[i + 1])
                                         if i + 1 < len(weeks) else None)
                    return data
                self._generated(config.week.replace("{week}", label), "week", "week.md.j2",
                                context, review.week_at(label, self.as_of))
        if config.regions:
            for rel in self.analysis.files.region_notes:
                self.regions(rel)
        start_retrospectives(self)  # a finished period's, when it has none yet
        write_properties(self)  # after the regions: the notes' bytes as they leave them
        self.result.outputs = merged(self.result.outputs)
        self.result.problems = self.problems.sorted()
        return self.result

    def _week_link(self, label: str) -> str:
        assert self.config.week
        return self.config.week.replace("{week}", label)[:-3]

    # ------------------------------------------------------ generated notes
    def _generated(self, rel: str, kind: str, template: str,
                   context: Callable[[], dict[str, Any]], at: dt.date | None = None) -> None:
        """One review; ``at``: the date it shows the vault as of (a dated review)."""
        found = claim(self, rel, kind, note_owner, REVIEW_KEPT)
        if found is None:
            return
        path, old = found
        if (old is not None and at is not None and self.reuse is not None
                and self.reuse.keeps(rel, at, content_hash(old))):
            self.write_output(rel, kind, path, old, old)  # what rendering it would give
            return
        try:
            text = self.renderer.render(template, self._escaped(context(), rel))
        except TemplateProblem as exc:
            self._template_failed(rel, kind, exc, old)
            return
        new = encode_like(stamp_note(text), old)
        self.write_output(rel, kind, path, old, new)

    def collides(self, rel: str, kind: str) -> bool:
        """Whether this build wrote an output at ``rel`` already (reported)."""
        key = PurePosixPath(rel.replace("\\", "/")).as_posix().casefold()
        first = self.claimed.get(key)
        if first is None:
            self.claimed[key] = kind
            return False
        self.problems.error(rel, 1, "output-collision",
                            f"the {kind} output has the same path as the {first} output, which "
                            f"was written there: give outputs.{kind} (or outputs.{first}) "
                            "another path in vaultokr.toml, or rename the period")
        return True

    def write_output(self, rel: str, kind: str, path: Path, old: bytes | None, new: bytes) -> None:
        if not self.write:
            outcome = (Outcome.UNCHANGED if new == old
                       else Outcome.CREATED if old is None else Outcome.WRITTEN)
            self.result.outputs.append(OutputResult(rel, kind, outcome, old, new))
            return
        if self.being_written is not None and new != old and self.being_written(rel):
            self.result.outputs.append(OutputResult(rel, kind, Outcome.CONFLICT, old, new))
            return
        try:
            outcome = replace_file(path, new, old, root=self.root)
        except WriteRefused as exc:
            if exc.code in ("note-read-only", "note-hard-links"):
                self.problems.warning(rel, 1, exc.code, f"{rel}: {exc.message}")
                self.result.outputs.append(OutputResult(rel, kind, KEPT, old, old))
            else:
                self.refuse(rel, kind, exc.code, f"{rel} is not written: {exc.message}")
            return
        except OSError as exc:
            self.refuse(rel, kind, "write-failed",
                         f"cannot write {rel}: {os_reason(exc)}; it is left as it was")
            return
        if outcome is Outcome.CONFLICT:
            self.problems.warning(rel, 1, "write-conflict",
                                  "this note changed while vaultokr was writing it; it was left "
                                  "as it is and will be updated on the next run")
        self.result.outputs.append(OutputResult(rel, kind, outcome, old, new))

    def read_output(self, rel: str, kind: str, path: Path) -> bytes | None:
        """The output's bytes (None: none); _Unreadable (reported) if unreadable."""
        try:
            return read_bytes(path)
        except OSError as exc:
            self.refuse(rel, kind, "write-failed",
                         f"cannot read {rel} before writing it: {os_reason(exc)}")
            raise _Unreadable from None

    def refuse(self, rel: str, kind: str, code: str, message: str) -> None:
        self.problems.error(rel, 1, code, message)
        self.result.outputs.append(OutputResult(rel, kind, REFUSED))

    def _template_failed(self, rel: str, kind: str, exc: TemplateProblem,
                         old: bytes | None) -> None:
        self.problems.error(exc.path, exc.line, "template-error",
                            f"{exc.message}; {rel} is left as it was")
        self.result.outputs.append(OutputResult(rel, kind, FAILED, old, old))

    # -------------------------------------------------------------- regions
    def regions(self, rel: str) -> None:
        try:
            path = resolve_output(self.root, rel)
        except UnsafePath as exc:
            self.refuse(rel, "region", "output-unsafe", str(exc))
            return
        try:
            old = self.read_output(rel, "region", path)
        except _Unreadable:
            return
        if old is None or kept_retrospective(self, rel, path, old):
            return  # deleted since it was read, or a finished period's, as last written
        try:
            text = old.decode("utf-8")
        except UnicodeDecodeError:
            return  # reported by the reader already
        found = region_mod.scan(text)
        if found.problems:
            for p in found.problems:
                self.problems.error(rel, p.line, p.code, p.message + "; the note is left as it is")
            self.result.outputs.append(OutputResult(rel, "region", FAILED, old, old))
            return
        unknown = [r for r in found.regions if r.name not in REGION_NAMES]
        for r in unknown:
            self.problems.error(rel, r.line, "region-unknown",
                                f"unknown region {show_value(r.name)}: write one of "
                                f"{', '.join(REGION_NAMES)}; the note is left as it is")
        if unknown or not found.regions:
            if unknown:
                self.result.outputs.append(OutputResult(rel, "region", FAILED, old, old))
            return
        contents, kept, failed = self._region_texts(rel, found)
        new_text = region_mod.apply(found, contents)
        new = new_text.encode("utf-8")
        if new == old and (kept or failed):
            self.result.outputs.append(OutputResult(rel, "region", KEPT if kept else FAILED,
                                                    old, old))
            return
        self.write_output(rel, region_kind(self.config, rel), path, old, new)

    def _region_texts(self, rel: str, found: region_mod.Scan
                      ) -> tuple[dict[int, str], bool, bool]:
        """Each region's new lines by its begin line; whether one was kept
        (edited by hand) and whether one failed (a target or template problem)."""
        contents: dict[int, str] = {}
        kept = failed = False
        for region in found.regions:
            if region.edited and not self.force:
                self.problems.warning(rel, region.line, "region-edited",
                                      f"region {show_value(region.name)} was edited by hand "
                                      "and is kept: move your words outside the markers, then "
                                      "run vaultokr build --force")
                kept = True
                continue
            try:
                context = region_context(self.analysis, rel, region, self.memo)
            except RegionTargetError as exc:
                self.problems.error(rel, region.line, "region-target", str(exc))
                failed = True
                continue
            try:
                contents[region.begin] = self.renderer.render(
                    f"region-{region.name}.md.j2", self._escaped(context, rel))
            except TemplateProblem as exc:
                self.problems.error(exc.path, exc.line, "template-error",
                                    f"{exc.message}; the region in {rel} is left as it was")
                failed = True
        return contents, kept, failed

    def _escaped(self, context: dict[str, Any], rel: str) -> Any:
        """The context one-line, with where it goes and how it links (from ``here``)."""
        return self.memo.one_line_context(context | {"here": rel, "links": self.config.links})


class _Unreadable(LookupError):
    """An output that could not be read back (already reported)."""
