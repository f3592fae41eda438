"""No input makes vaultokr raise: mutated copies of the sample vault (cut
short, bytes flipped, properties given strange values) are all computed."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from support.vaults import SAMPLE, copy_vault, run

from vaultokr.views.json_report import to_json
from vaultokr.views.terminal import render_status

STRANGE = ["[]", "{}", "null", "true", "-1", "1e400", "'[[O]]'", "[[Nope]]", "2026-13-45",
           "9:15", "&a x", "*a", "[1, [2, [3]]]", "{value: {value: 1}}", '"+x%"', "0", "nan",
           ".inf", "|\n  text", "~", "2026-W53", "2026-Q0", "2026-02-30"]
KEYS = ["value", "target", "baseline", "period", "date", "kr", "values", "checkins",
        "key_results", "done", "measure", "keep", "growth", "change", "weight", "tags", "type",
        "id", "start", "due", "confidence", "objective", "field", "tag"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0 and data:
        return data[: rng.randrange(len(data))]
    if kind == 1 and data:
        i = rng.randrange(len(data))
        return data[:i] + bytes([rng.randrange(256)]) + data[i + 1 :]
    lines = data.decode("utf-8", "replace").split("\n")
    i = rng.randrange(len(lines))
    if ":" in lines[i]:
        lines[i] = f"{lines[i].split(':', 1)[0]}: {rng.choice(STRANGE)}"
    else:
        lines.insert(i, f"{rng.choice(KEYS)}: {rng.choice(STRANGE)}")
    return "\n".join(lines).encode()


@pytest.mark.parametrize("seed", range(40))
def test_mutated_vaults_never_raise(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    root = copy_vault(SAMPLE, tmp_path / "v")
    notes = sorted(p for p in root.rglob("*.md") if ".obsidian" not in p.parts)
    for _ in range(rng.randint(1, 4)):
        note = rng.choice(notes)
        note.write_bytes(mutate(note.read_bytes(), rng))
    analysis = run(root, dt.date(2026, 11, 20))
    assert to_json(analysis).startswith('{"schema":1')
    assert "as of" in render_status(analysis, "v")


def test_an_impossible_date_is_text_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "O.md").write_text(
        "---\ntype: objective\nstart: 2026-13-45\ndue: 2026-12-31\n---\n"
    )
    analysis = run(tmp_path)
    assert [(p.line, p.code) for p in analysis.errors] == [(3, "bad-date")]
