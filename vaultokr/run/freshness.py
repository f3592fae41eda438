"""``vaultokr build --check`` judges the outputs at the as-of date written in
them (SPEC v2 §5): reviews carry the date they were built for, and a build
on a later day would change them even when no note changed (expected
progress moves with time). So the check renders everything at the date the
outputs say (the latest ``as_of:`` of the generated notes; a region is
judged at that date too) and compares; a measurement dated after that date
(and not after today) is new data the outputs lack, so it fails the check
too. An explicit ``--as-of`` overrides; with no generated note yet, today."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from vaultokr.model.okr import Measurement
from vaultokr.read.frontmatter import split
from vaultokr.run.pipeline import Pipeline
from vaultokr.write.outputs import BuildResult

_AS_OF = re.compile(r"^as_of:[ \t]*['\"]?(\d{4}-\d{2}-\d{2})['\"]?[ \t]*$", re.M)


@dataclass
class Freshness:
    result: BuildResult
    as_of: dt.date
    written: bool  # whether the date was read from the outputs
    newer: list[Measurement] = field(default_factory=list)  # after as_of, up to today

    @property
    def failed(self) -> bool:
        return self.result.failed(True) or bool(self.newer)


def written_as_of(pipeline: Pipeline) -> dt.date | None:
    """The latest as-of date written in the vault's generated notes."""
    latest: dt.date | None = None
    for rel, entry in pipeline.entries.items():
        if not entry.generated:
            continue
        day = as_of_in(pipeline.root / rel)
        if day is not None and (latest is None or day > latest):
            latest = day
    return latest


def as_of_in(path: Path) -> dt.date | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    fm = split(text.replace("\r\n", "\n")).fm_text
    m = _AS_OF.search(fm or "")
    if m is None:
        return None
    try:
        return dt.date.fromisoformat(m[1])
    except ValueError:
        return None


def check(root: Path, today: dt.date, as_of: dt.date | None, *, cache: bool = True) -> Freshness:
    """What ``build --check`` reports: nothing is written."""
    pipeline = Pipeline.open(root, cache=cache)
    written = as_of is None and (found := written_as_of(pipeline)) is not None
    at = as_of or (found if written and found is not None else today)
    analysis = pipeline.analyse(at)
    result = pipeline.build(analysis, write=False)
    newer = []
    if written:
        newer = sorted((m for kr in analysis.model.key_results.values()
                        for m in kr.measurements if at < m.date <= today),
                       key=lambda m: (m.date, m.path, m.line))
    return Freshness(result, at, bool(written), newer)
