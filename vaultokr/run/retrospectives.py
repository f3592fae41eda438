"""A retrospective note for each finished period that has none yet
(``outputs.retrospective``, ``OKRs/{period}/Retrospective.md``): written
once, never overwritten (a note that exists, even one the user emptied, is
theirs), its region filled by the same build."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from vaultokr.cache.index import content_hash
from vaultokr.cache.reuse import Reuse
from vaultokr.compute.analysis import Analysis
from vaultokr.config.vault_config import Config
from vaultokr.model.okr import Model
from vaultokr.reviews.data import period_at
from vaultokr.reviews.retrospective import retrospective_note
from vaultokr.syntax.values import ValueProblem, parse_period
from vaultokr.write.writer import UnsafePath, resolve_output

KIND = "retrospective"


class Builder(Protocol):
    """What this step uses of the build (``vaultokr.run.build.Builder``)."""

    analysis: Analysis
    config: Config
    model: Model
    root: Path
    write: bool
    reuse: Reuse | None

    def read_output(self, rel: str, kind: str, path: Path) -> bytes | None: ...
    def write_output(self, rel: str, kind: str, path: Path, old: bytes | None,
                     new: bytes) -> None: ...
    def collides(self, rel: str, kind: str) -> bool: ...
    def refuse(self, rel: str, kind: str, code: str, message: str) -> None: ...
    def regions(self, rel: str) -> None: ...


def retrospective_label(config: Config, rel: str) -> str | None:
    """The period whose retrospective note is at ``rel``, or None."""
    if not config.retrospective:
        return None
    pattern = re.escape(config.retrospective).replace(re.escape("{period}"), "(.+)")
    m = re.fullmatch(pattern, rel)
    return None if m is None else m[1]


def region_kind(config: Config, rel: str) -> str:
    """What a build writing the regions of ``rel`` wrote: a retrospective (a
    dated output, kept as written while nothing it shows changed) or regions."""
    return KIND if retrospective_label(config, rel) is not None else "region"


def kept_retrospective(builder: Builder, rel: str, path: Path, old: bytes) -> bool:
    """Whether ``rel`` is a finished period's retrospective that the last
    build wrote as it is now and no measurement up to the period's end has
    changed since (the planner's rule for dated reviews): then its region is
    what rendering it would give, and it is left as written."""
    label = retrospective_label(builder.config, rel)
    if builder.reuse is None or label is None:
        return False
    try:
        period = parse_period(label)
    except ValueProblem:
        return False
    at = period_at(period.label, builder.analysis.results.as_of)
    if at <= period.due or not builder.reuse.keeps(rel, at, content_hash(old)):
        return False
    builder.write_output(rel, KIND, path, old, old)
    return True


def finished_periods(model: Model, as_of: object) -> list[str]:
    """The periods of the vault's objectives that are over as of the date."""
    labels = {o.period for o in model.objectives.values() if o.period}
    done = []
    for label in labels:
        period = parse_period(label)
        if period_at(label, as_of) > period.due:  # type: ignore[arg-type]
            done.append(label)
    return sorted(done, key=lambda p: (parse_period(p).start, p))


def start_retrospectives(builder: Builder) -> None:
    config = builder.config
    if not config.retrospective:
        return
    for label in finished_periods(builder.model, builder.analysis.results.as_of):
        rel = config.retrospective.replace("{period}", label)
        if builder.collides(rel, KIND):
            continue
        try:
            path = resolve_output(builder.root, rel)
        except UnsafePath as exc:
            builder.refuse(rel, KIND, "output-unsafe",
                           f"{exc} (outputs.retrospective in vaultokr.toml)")
            continue
        try:
            old = builder.read_output(rel, KIND, path)
        except LookupError:
            continue
        if old is not None:
            continue  # the user's note now: never overwritten
        builder.write_output(rel, KIND, path, None, retrospective_note(label).encode("utf-8"))
        if builder.write and config.regions:
            builder.regions(rel)
