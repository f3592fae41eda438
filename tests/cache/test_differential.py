"""A cache never changes an answer: random sequences of edits and commands,
each command run with the caches of ``.vaultokr/`` (kept from step to step)
and with ``--no-cache`` in a copy of the same user files; exit code, output
and every file afterwards must be the same (tests/support/differential.py
says how, and what is compared).

Profiles (environment variable ``VAULTOKR_HYPOTHESIS``):

- ``ci`` (default): 300 sequences, derandomized, no example database (the
  same sequences every run); shrinks a failure to a short sequence;
- ``long``: 3,000 new random sequences of up to 16 steps (more than the
  12 answers kept), with the example database::

      VAULTOKR_HYPOTHESIS=long .venv/bin/python -m pytest -q tests/cache/test_differential.py

A failure prints the sequence as a call of ``replay`` to paste into Python.

The watch differential (test_watch_leaves_what_a_fresh_build_leaves; 20
sequences in ci, 200 long): a real watcher thread on a vault edited step by
step; once it settles, a fresh ``build --no-cache`` of a copy of its files
must change nothing (tests/support/differential_watch.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from support.differential import COMMANDS, Difference, Edit, Step, kind, replay
from support.differential_edits import EDITS
from support.differential_watch import replay_watch

#: Known faults of the caches, found by this test and being fixed in
#: vaultokr/cache/: the edit kinds (and command kind) that show them are left
#: out of the random sequences until then. Once a fix is merged, take its
#: kinds out of this set (test_known_fault fails until then: it then finds no
#: difference) and the random sequences draw them again.
UNTIL_FIXED: set[str] = set()

#: Faults this test found besides those (reported to the lead, not fixed
#: here): left out in the same way; take a kind out once its fix is merged.
FOUND_HERE: set[str] = set()
LEFT_OUT = UNTIL_FIXED | FOUND_HERE

PROFILES = {
    "ci": settings(max_examples=300, deadline=None, derandomize=True, database=None,
                   phases=[Phase.explicit, Phase.generate, Phase.shrink],
                   suppress_health_check=list(HealthCheck)),
    "long": settings(max_examples=3000, deadline=None,
                     suppress_health_check=list(HealthCheck)),
}
PROFILE = PROFILES[os.environ.get("VAULTOKR_HYPOTHESIS", "ci")]


#: drawn more often: a command again on an unchanged vault, or once its notes
#: are old enough for the caches to keep what reading them gave
OFTEN = ["none"] * 3 + ["age"] * 6


@st.composite
def sequences(draw: st.DrawFn, size: int = 8) -> list[Step]:
    """2 to ``size`` steps, whose commands are drawn from a palette of one to
    three (an answer is replayed only for the same command and options, the
    last build only for a build: a few commands give many repeats)."""
    edit_kinds = [k for k in EDITS if k not in LEFT_OUT] + OFTEN
    palette = draw(st.lists(st.sampled_from([c for c in COMMANDS if kind(c) not in LEFT_OUT]),
                            min_size=1, max_size=3, unique=True))
    sequence: list[Step] = []
    for _ in range(draw(st.sampled_from(range(2, size + 1)))):  # uniform: long ones too
        edit_kind = draw(st.sampled_from(edit_kinds))
        numbers = [draw(st.integers(0, 99)) for _ in range(EDITS[edit_kind][1])]
        sequence.append(((edit_kind, *numbers), draw(st.sampled_from(palette))))
    return sequence


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One folder for every sequence: the vault's path is the same in each,
    so templates are compiled once (differential.compiled_once)."""
    yield tmp_path_factory.mktemp("differential")


@PROFILE
@given(sequence=sequences(8 if PROFILE is PROFILES["ci"] else 16))
def test_a_cache_never_changes_an_answer(work: Path, sequence: list[Step]) -> None:
    replay(sequence, work)


KNOWN: dict[str, list[Step]] = {
    "include": [(("none",), ("build",)), (("include", 1), ("build",))],
    "template-same-size": [(("none",), ("build",)), (("template-same-size", 3), ("build",))],
    "toml-bad": [(("none",), ("build",)), (("toml-bad", 0), ("build",))],
    "dangling": [(("none",), ("build",)), (("dangling", 0), ("build",))],
    "status --as-of": [(("none",), ("status", "--as-of", "2026-11-27")),
                       (("today", 1), ("status", "--as-of", "2026-11-27"))],
    "link-folder": [(("none",), ("build",)), (("link-folder", 0), ("build",))],
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_fault(name: str, work: Path) -> None:
    """The shortest sequence that shows each known fault: a difference while
    its kind is left out (the harness finds it), none once it is back in."""
    if name in LEFT_OUT:
        with pytest.raises(Difference):
            replay(KNOWN[name], work)
    else:
        replay(KNOWN[name], work)


def test_every_kind_is_drawn_or_known() -> None:
    """Every edit and command kind is in the sequences, or a known fault."""
    drawn = set(EDITS) | {kind(c) for c in COMMANDS}
    assert drawn >= LEFT_OUT
    assert set(KNOWN) >= LEFT_OUT


#: Edit kinds left out of the watch differential: another engineer is fixing
#: the watcher with symbolically linked notes and folders and with folder
#: moves (poll mode is not run here at all). Delete once that is merged.
WATCH_LATER: set[str] = set()
#: what does not concern a watcher at a fixed date; and a commit, which changes
#: no note (a watcher follows notes, not git's HEAD: the next build after a
#: commit does; docs/format.md says so)
WATCH_SAME = {"today", "columns", "none", "commit"}
WATCH_PROFILE = settings(PROFILE, max_examples=20 if PROFILE is PROFILES["ci"] else 200)


@WATCH_PROFILE
@given(edits=st.lists(
    st.sampled_from(sorted(set(EDITS) - WATCH_LATER - WATCH_SAME)).flatmap(
        lambda name: st.tuples(st.just(name), *[st.integers(0, 99)] * EDITS[name][1])),
    min_size=1, max_size=3))
def test_watch_leaves_what_a_fresh_build_leaves(work: Path, edits: list[Edit]) -> None:
    replay_watch(edits, work)
