"""The one-shot commands' runs: the vault read, analysed (and built) once,
or answered as last time when nothing it depends on changed (answers.py).
Each run reads top-down, one comment per step; each kept answer is a named
step, and ``--no-cache`` (``cache=False``) skips them all. ``watch`` keeps a
:class:`~vaultokr.run.kept.KeptPipeline` instead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultokr.cache import answers, lastbuild, reuse
from vaultokr.cache.answers import Again
from vaultokr.cache.fingerprint import git_head
from vaultokr.cache.index import Key, fingerprint, key_at
from vaultokr.cache.lastbuild import template_folders
from vaultokr.compute.analysis import Analysis
from vaultokr.core.collector import one_shot
from vaultokr.read.listing import is_note_path
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
    inputs = listed(pipeline)
    kept = answers.replay(inputs, (as_of, *request)) if inputs is not None else None
    if kept is not None:
        kept.emit()
        return kept.exit
    with one_shot():
        pipeline.read()
        keyed(pipeline, inputs)
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
    # the settings, and the vault listed with every note's key
    pipeline = Pipeline.open(root, read=False, cache=cache)
    remembering = write and not force
    templates = template_folders(root, pipeline.config.templates_dir)
    # kept answer: nothing the last such build read has changed, print what it printed
    inputs = listed(pipeline) if again is not None and remembering else None
    kept = (answers.replay(inputs, (as_of, *again.request), templates)
            if inputs is not None and again is not None else None)
    if kept is not None:
        return kept
    with one_shot():
        # read: the notes whose key changed (the index gives the others), then analyse
        pipeline.read()
        keyed(pipeline, inputs)
        analysis = pipeline.analyse(as_of)
        # last build: nothing it read has changed, every output is as it left it
        replayed = replay_build(pipeline, as_of, analysis) if remembering else None
        if replayed is not None:
            pipeline.save_index()
            remember_answer(pipeline, inputs, as_of, replayed, again)
            return replayed
        # last reviews: those dated before the earliest changed measurement stay as written
        token = None
        if remembering and pipeline.index_on():
            token = reuse.stamp(pipeline.config, templates)
            pipeline.reviews_token, pipeline.last_build = token, reuse.load(root, token)
        # build: render and write, leaving notes an editor is half-way through saving
        settle = Settle(root, analysis.files.region_notes)
        result = pipeline.build(analysis, write=write, force=force, being_written=settle)
        settle.report(result)
        # keep: the index, the last build and the answer (--dry-run and --check keep nothing)
        if write:
            pipeline.save_index()
            if token is not None:
                reuse.save(root, token, pipeline.last_build)
            remember_build(pipeline, as_of, result)
            if not force:
                remember_answer(pipeline, inputs, as_of, result, again)
    return result


# ------------------------------------------------------ the kept answers
def listed(pipeline: Pipeline) -> answers.Inputs | None:
    """What the listing found, for the answers (None when they are off). A
    listing that took no keys (nothing kept to compare them with) has None
    for every key until reading gives it the keys it took."""
    if pipeline.kept or pipeline.listing is None or not pipeline.index_on():
        return None
    keys = {rel: key if isinstance(key, tuple) else None for rel, _, key in pipeline.listing}
    stamp = fingerprint(pipeline.config) + git_head(pipeline.root)
    return answers.Inputs(pipeline.root, stamp, pipeline.started_ns,
                          keys, [*pipeline.config_problems, *pipeline.scan_problems])


def keyed(pipeline: Pipeline, inputs: answers.Inputs | None) -> None:
    """After reading: a listing that took no keys gets the keys reading took."""
    if inputs is not None and not pipeline.listed_keys:
        inputs.keys = {rel: pipeline.keys.get(rel) for rel in inputs.keys}


def remember_answer(pipeline: Pipeline, inputs: answers.Inputs | None, as_of: dt.date,
                    result: BuildResult, again: Again | None) -> None:
    """Keep what the next build prints if nothing changes: the listing of this
    run with the keys of what this build wrote (a note someone else saved
    meanwhile keeps the key it was read at, so the next run reads it again)."""
    next_time = lastbuild.again(result) if again is not None else None
    if inputs is None or again is None or next_time is None:
        return
    for out in result.outputs:
        if out.changed and (out.path in inputs.keys or is_note_path(out.path, pipeline.config)):
            inputs.keys[out.path] = key_at(pipeline.root / out.path)
    written = {o.path: o.new for o in result.outputs if o.changed and o.new is not None}
    answers.remember(inputs, (as_of, *again.request), again.show(next_time),
                     written=written, extra=[o.path for o in result.outputs],
                     templates=template_folders(pipeline.root, pipeline.config.templates_dir))


# ------------------------------------------------------- the last build
def _note_keys(pipeline: Pipeline) -> tuple[str, dict[str, Key]] | None:
    """The index's stamp and every note's key, when the index was used, no
    note read again differed from it, and every note has a key."""
    index = pipeline.kept_index.index
    if (index is None or not pipeline.index_on()
            or set(pipeline.keys) != set(pipeline.entries)):
        return None
    return index.stamp + git_head(pipeline.root), pipeline.keys


def replay_build(pipeline: Pipeline, as_of: dt.date, analysis: Analysis) -> BuildResult | None:
    kept = _note_keys(pipeline)
    if kept is None or pipeline.kept_index.dirty:
        return None  # a note read again differed from the index: build in full
    return lastbuild.replay(pipeline.root, *kept, as_of, pipeline.config.templates_dir,
                            analysis)


def remember_build(pipeline: Pipeline, as_of: dt.date, result: BuildResult) -> None:
    kept = _note_keys(pipeline)
    if kept is not None:
        lastbuild.remember(pipeline.root, *kept, as_of, pipeline.config.templates_dir, result)

