"""vaultokr build on the sample vault: golden outputs, idempotence, and
reviews that render in Obsidian (tables, callouts, Mermaid, links)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from support.outputs import outputs, strip_outputs
from support.snapshot import snapshot
from support.vaults import AS_OF, SAMPLE, copy_vault

from vaultokr.read.markdown import _parser
from vaultokr.run.oneshot import build
from vaultokr.write.writer import Outcome

UPDATE_HINT = ("the sample vault is the golden output: after changing templates, run "
               "`vaultokr build sample-vault --as-of 2026-11-20 --force` and review the diff")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = copy_vault(SAMPLE, tmp_path / "sample-vault")
    strip_outputs(root)
    result = build(root, AS_OF)
    assert result.problems == []
    return root


def test_rebuilt_sample_vault_equals_the_committed_one(built: Path) -> None:
    expected, got = snapshot(SAMPLE, caches=False), snapshot(built, caches=False)
    assert sorted(got) == sorted(expected), UPDATE_HINT
    for rel, data in expected.items():
        assert got[rel] == data, f"{rel} differs: {UPDATE_HINT}"


def test_every_template_is_exercised(built: Path) -> None:
    files = snapshot(built, caches=False)
    assert "OKRs/Dashboard.md" in files
    assert {"OKRs/Reviews/2026-Q3.md", "OKRs/Reviews/2026-Q4.md",
            "OKRs/Reviews/2026-W47.md"} <= set(files)
    regions = {m for data in files.values()
               for m in re.findall(rb"<!-- vaultokr:begin (\w+)", data)}
    assert regions == {b"objective", b"kr", b"week", b"ambition", b"retrospective"}


def test_second_build_touches_nothing(built: Path) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in built.rglob("*")}
    for p in built.rglob("*.md"):
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    # every note's time changed, so the index in .vaultokr/ is written again; nothing else is
    def stamps_now() -> dict[Path, int]:
        return {p: p.stat().st_mtime_ns for p in built.rglob("*") if ".vaultokr" not in p.parts}

    stamps = stamps_now()
    result = build(built, AS_OF)
    assert {o.outcome for o in result.outputs} == {Outcome.UNCHANGED}
    assert len(result.outputs) == 23
    assert stamps_now() == stamps


def test_old_reviews_do_not_change_when_rebuilt_later(built: Path) -> None:
    before = snapshot(built, caches=False)
    result = build(built, dt.date(2027, 2, 3))
    changed = {o.path for o in result.outputs if o.changed}
    assert "OKRs/Reviews/2026-Q3.md" not in changed
    assert "OKRs/Reviews/2026-W45.md" not in changed
    q3 = "OKRs/Reviews/2026-Q3.md"
    assert snapshot(built, caches=False)[q3] == before[q3]
    assert "OKRs/Dashboard.md" in changed  # today's view does change


def test_tables_and_callouts_render(built: Path) -> None:
    for rel, text in outputs(built).items():
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        tokens = _parser().parse(body)
        table_lines: set[int] = set()
        quote_starts: set[int] = set()
        for tok in tokens:
            if tok.type == "table_open" and tok.map:
                table_lines.update(range(*tok.map))
            if tok.type == "blockquote_open" and tok.map:
                quote_starts.add(tok.map[0])
        fence_lines: set[int] = set()
        for tok in tokens:
            if tok.type == "fence" and tok.map:
                fence_lines.update(range(*tok.map))
        for number, line in enumerate(body.split("\n")):
            if line.startswith("|") and number not in fence_lines:
                assert number in table_lines, f"{rel}: line {number} is not in a table: {line}"
            if line.startswith("> [!"):
                assert number in quote_starts, f"{rel}: callout on line {number} is not a quote"


ALLOWED = [
    re.compile(r'^%%\{init: \{"themeVariables": \{"xyChart": \{"plotColorPalette": '
               r'"#[0-9a-f]{6}(, #[0-9a-f]{6})*"\}\}\}\}%%$'),
    re.compile(r"^xychart-beta$"),
    re.compile(r'^    title "[^"]*"$'),
    re.compile(r'^    x-axis \[("[^"]*")(, "[^"]*")*\]$'),
    re.compile(r'^    y-axis ("[^"]*" )?-?\d+(\.\d+)? --> -?\d+(\.\d+)?$'),
    re.compile(r'^    line "\w+" \[-?\d+(\.\d+)?(, -?\d+(\.\d+)?)*\]$'),
]


def test_every_mermaid_block_is_valid_xychart(built: Path) -> None:
    """Only the lines Mermaid 11's xychart reads (the init directive first);
    the grid and series are tested in tests/test_reviews.py."""
    blocks = [b for text in outputs(built).values()
              for b in re.findall(r"```mermaid\n(.*?)\n```", text, re.S)]
    assert len(blocks) > 10
    for block in blocks:
        lines = block.split("\n")
        assert lines[1] == "xychart-beta"
        for line in lines:
            assert any(p.match(line) for p in ALLOWED), line
        low, high = map(float, re.findall(r"(-?\d+(?:\.\d+)?)",
                                          next(x for x in lines if "y-axis" in x))[-2:])
        assert low < high


def test_building_the_sample_vault_changes_no_file_the_repository_holds(tmp_path: Path) -> None:
    # the README's first command builds sample-vault/ in the checkout: afterwards
    # `git status` must be clean, vaultokr's own .vaultokr/.gitignore included
    root = copy_vault(SAMPLE, tmp_path / "sample-vault")
    held = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    build(root, AS_OF)
    assert {p: p.read_bytes() for p in held} == held
