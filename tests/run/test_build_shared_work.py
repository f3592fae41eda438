"""A build makes some things once for all its outputs (reviews/memo.py Memo: each
measurement's escaped dict, each objective's results at a date; escape.py:
lists and mappings escaped once): the oracle here builds every output again
without any of that (no memo, every context walked by a plain escaper that
trusts nothing) and compares every output's bytes and every template's whole
context."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from support.vaults import KINDS, SAMPLE, copy_vault, kr, objective, write

from vaultokr.core import escape
from vaultokr.reviews.memo import Fresh
from vaultokr.reviews.render import Renderer
from vaultokr.run.build import Builder
from vaultokr.run.pipeline import Pipeline

#: one hazard to a text: each must be escaped on its own
HAZARDS = ["<!-- x -->", "a ``` b", "c ~~~ d", "e \\u2028 f", "g \\x85 h", "plain"]


def plain_one_line(value: Any) -> Any:
    """Every string escaped, every list and mapping walked, whatever its type."""
    if isinstance(value, str):
        return escape._text(value)
    if isinstance(value, dict):
        return {key: plain_one_line(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return (tuple if isinstance(value, tuple) else list)(plain_one_line(v) for v in value)
    return value


def outputs(root: Path, as_of: dt.date, plain: bool,
            monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], list[str]]:
    """Each output's (kind, outcome, bytes) and, per render, the context as
    repr shows it (a template could show any of it)."""
    contexts: list[str] = []
    render = Renderer.render

    def recording(self: Renderer, name: str, context: dict[str, Any]) -> str:
        contexts.append(name + repr(context))
        return render(self, name, context)

    with monkeypatch.context() as patch:
        patch.setattr(Renderer, "render", recording)
        if plain:
            # no memo: the build's memo is FRESH, whose escaping trusts nothing here
            patch.setattr(Builder, "run", Builder._run)
            patch.setattr(Fresh, "one_line_context",
                          lambda self, context: plain_one_line(context))
        pipeline = Pipeline.open(root)
        result = pipeline.build(pipeline.analyse(as_of), write=False)
    found: dict[str, Any] = {o.path: (o.kind, o.outcome, o.new) for o in result.outputs}
    found["problems"] = [p.as_dict() for p in result.problems]
    return found, contexts


def hostile(root: Path) -> Path:
    """Weeks of check-ins whose text must be escaped (a marker, a fence, line
    separators, a file name that is not UTF-8), objectives of different
    windows, and regions that show them."""
    krs = {f"K{n}.md": kr("<!-- vaultokr:begin kr -->\n<!-- vaultokr:end kr -->\n",
                          target=20 + n, baseline=n, objective=f"[[O{n % 2}]]",
                          title=f"K{n} {HAZARDS[n]}", start="2026-09-01" if n else None,
                          due="2026-12-20" if n else None)
           for n in range(4)}
    checkins = {f"Check-ins/2026-{month:02d}-{day:02d} c.md": _checkin(
        f"2026-{month:02d}-{day:02d}",
        {f"K{n}": f'{{value: {day % 7 + n}, comment: "w{day} {HAZARDS[(day + n) % len(HAZARDS)]}"}}'
         for n in range(4) if (day + n) % 3})
        for month in (9, 10, 11) for day in (2, 9, 10, 17, 23)}
    write(root, {
        "O0.md": objective("<!-- vaultokr:begin objective -->\n<!-- vaultokr:end objective -->\n",
                           period="2026-Q4"),
        "O1.md": objective(period="2026-Q3"),
        "Weekly/2026-W42.md": "<!-- vaultokr:begin week -->\n<!-- vaultokr:end week -->\n",
        **krs, **checkins,
    })
    name = os.fsdecode(b"Check-ins/2026-11-12 caf\xe9.md")
    with contextlib.suppress(OSError, UnicodeEncodeError):  # a file system wanting UTF-8 names
        (root / name).write_text(_checkin("2026-11-12", {"K1": "3", "K2": "4"}),
                                 encoding="utf-8")
    return root


def _checkin(day: str, values: dict[str, str]) -> str:
    lines = "".join(f'  "[[{k}]]": {v}\n' for k, v in values.items())
    return f"---\ntype: check-in\ndate: {day}\nvalues:\n{lines}---\n"


@pytest.mark.parametrize("which", ["sample", "kinds", "hostile"])
@pytest.mark.parametrize("as_of", [dt.date(2026, 11, 20), dt.date(2027, 1, 9)])
def test_every_output_and_context_is_what_the_plain_build_makes(
        which: str, as_of: dt.date, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / which
    if which == "hostile":
        hostile(root)
    else:
        copy_vault(SAMPLE if which == "sample" else KINDS, root)
    fast, fast_contexts = outputs(root, as_of, False, monkeypatch)
    plain, plain_contexts = outputs(root, as_of, True, monkeypatch)
    assert len(fast) > 3 and fast_contexts
    assert fast.keys() == plain.keys()
    for path in fast:
        assert fast[path] == plain[path], path
    assert fast_contexts == plain_contexts


def test_a_history_is_reused_only_as_far_as_baseline_target_and_points_are_the_same(
        tmp_path: Path) -> None:
    from vaultokr.model.measures import rule
    from vaultokr.reviews.memo import Memo, _rows, _same

    root = hostile(tmp_path / "v")
    analysis = Pipeline.open(root).analyse(dt.date(2026, 11, 20))
    r = analysis.results.key_results["K1"]
    points = rule(r.kr).series(r.measurements, r.baseline)
    assert len(points) > 3 and r.target is not None
    memo = Memo()
    variants = [r, dataclasses.replace(r, target=r.target + 1),
                dataclasses.replace(r, baseline=r.baseline + 1), r]
    for variant in variants:
        for shown in (points[:2], points, [*points[:2], (points[2][0], points[2][1] + 1)]):
            fresh = _rows(variant.kr, variant.baseline, variant.target, shown)
            assert memo.history(variant, shown) == fresh
    assert _same(0.0, 0.0) and not _same(0.0, -0.0) and not _same(1, 1.0)
    assert not _same(None, 0.0) and _same(None, None)
