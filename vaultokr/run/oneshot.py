"""The one-shot commands' runs: the vault read, analysed (and built) once,
or answered as last time when nothing it depends on changed (answers.py).
``watch`` keeps a :class:`~vaultokr.run.pipeline.Pipeline` instead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultokr.cache import answers
from vaultokr.cache.answers import Again
from vaultokr.compute.analysis import Analysis
from vaultokr.core.collector import one_shot
from vaultokr.run.pipeline import Pipeline
from vaultokr.write.inflight import Settle

if TYPE_CHECKING:  # building imports the templates' machinery: only when a command builds
    from vaultokr.write.outputs import BuildResult


def analyse(root: Path, as_of: dt.date, *, cache: bool = True) -> Analysis:
    """The analysis of the vault at ``root`` as of a date (one-shot commands)."""
    pipeline = Pipeline.open(root, read=False, cache=cache)
    with one_shot():
        pipeline.read()
        analysis = pipeline.analyse(as_of)
        pipeline.save_index()
    return analysis


def answered(root: Path, as_of: dt.date, request: tuple[Any, ...],
             produce: Callable[[Analysis, answers.Recorder], int], *, cache: bool = True) -> int:
    """A read-only command (``status``, ``check``): ``produce`` prints from
    the analysis and returns the exit code; on a vault where nothing it
    depends on changed, what it printed last time is printed again instead
    (answers.py)."""
    pipeline = Pipeline.open(root, read=False, cache=cache)
    inputs = pipeline.inputs()
    kept = answers.replay(inputs, (as_of, *request)) if inputs is not None else None
    if kept is not None:
        kept.emit()
        return kept.exit
    with one_shot():
        pipeline.read()
        if inputs is not None:
            pipeline.keyed(inputs)
        analysis = pipeline.analyse(as_of)
        pipeline.save_index()
        recorder = answers.Recorder()
        code = recorder.answer.exit = produce(analysis, recorder)
        if inputs is not None:
            answers.remember(inputs, (as_of, *request), recorder.answer)
    return code


def build(root: Path, as_of: dt.date, *, write: bool = True, force: bool = False,
          again: Again | None = None, cache: bool = True) -> BuildResult | answers.Kept:
    """``vaultokr build``: the vault read, analysed and built once. With
    ``again`` (the request, and what a build with nothing changed prints),
    a vault where nothing changed since such a build is answered as then."""
    pipeline = Pipeline.open(root, read=False, cache=cache)
    if again is not None and write and not force:
        inputs = pipeline.inputs()
        templates = pipeline.templates()
        kept = (answers.replay(inputs, (as_of, *again.request), templates)
                if inputs is not None else None)
        if kept is not None:
            return kept
    with one_shot():
        pipeline.read()
        analysis = pipeline.analyse(as_of)
        if write and not force:
            replayed = pipeline.replay_build(as_of, analysis)
            if replayed is not None:  # nothing it read has changed since the last build
                pipeline.save_index()
                pipeline.remember_answer(as_of, replayed, again)
                return replayed
        settle = Settle(root, analysis.files.region_notes)  # an editor half-way through a save
        result = pipeline.build(analysis, write=write, force=force, being_written=settle)
        settle.report(result)
        if write:  # --dry-run and --check write nothing, not even the index
            pipeline.save_index()
            pipeline.remember_build(as_of, result)
            if not force:
                pipeline.remember_answer(as_of, result, again)
    return result

