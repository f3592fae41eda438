"""``vaultokr new kr`` with SPEC v3's ``--note`` (a note or a heading of
one, checked as ``check`` reads it) and a repeatable ``--field``."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from support.cli import invoke
from support.snapshot import snapshot
from support.vaults import objective, write

GOAL = "---\nProgress: 7500\n---\n# Reach 10k MRR\n## Milestones\n- [x] first\n- [ ] second\n"


def vault(tmp_path: Path) -> Path:
    return write(tmp_path / "vault", {"OKRs/Grow.md": objective(),
                                      "Goals/Reach 10k MRR.md": GOAL, "vaultokr.toml": ""})


def new_kr(root: Path, title: str, *args: str) -> tuple[int, str]:
    code, _, err = invoke("new", "kr", title, "--objective", "Grow", "--vault", str(root), *args)
    return code, err


def properties(path: Path) -> str:
    text = path.read_text()
    return text.split("---\n")[1]


def test_note_and_field_are_written_and_read(tmp_path: Path) -> None:
    root = vault(tmp_path)
    assert new_kr(root, "MRR", "--note", "Reach 10k MRR", "--field", "Progress",
                  "--baseline", "0", "--target", "10000")[0] == 0
    written = properties(root / "OKRs" / "MRR.md")
    assert 'field: Progress\nnote: "[[Reach 10k MRR]]"\n' in written
    when = time.mktime(time.strptime("2026-11-10 12:00", "%Y-%m-%d %H:%M"))
    os.utime(root / "Goals" / "Reach 10k MRR.md", (when, when))  # without git: its date
    ran = invoke("status", str(root), "--json", "--no-cache", "--as-of", "2026-11-20")
    report = json.loads(ran.stdout)
    kr = report["objectives"][0]["key_results"][0]
    assert [m["value"] for m in kr["measurements"]] == [7500]
    assert report["problems"] == []


def test_a_heading_of_the_note_is_written_as_the_note_spells_it(tmp_path: Path) -> None:
    root = vault(tmp_path)
    assert new_kr(root, "Steps", "--note", "[[Reach 10k MRR#milestones|steps]]", "--measure",
                  "checklist")[0] == 0
    assert 'note: "[[Reach 10k MRR#Milestones]]"\n' in properties(root / "OKRs" / "Steps.md")
    report = json.loads(invoke("status", str(root), "--json", "--no-cache").stdout)
    kr = report["objectives"][0]["key_results"][0]
    assert kr["progress"] == 0.5 and report["problems"] == []


def test_a_note_or_heading_that_is_not_there_writes_nothing(tmp_path: Path) -> None:
    root = vault(tmp_path)
    before = snapshot(root)
    code, err = new_kr(root, "A", "--note", "Reach 20k MRR", "--field", "Progress",
                       "--target", "5")
    assert code == 2 and "--note 'Reach 20k MRR': no note of that name" in err
    code, err = new_kr(root, "B", "--note", "Reach 10k MRR#Budget", "--field", "Progress",
                       "--target", "5")
    assert code == 2 and "has no heading 'Budget'" in err and "'Milestones'" in err
    assert snapshot(root) == before


def test_field_is_repeatable_and_written_as_a_list(tmp_path: Path) -> None:
    root = vault(tmp_path)
    write(root, {"Daily/2026-11-02.md": "linkedin:: 3\ntwitter:: 2\n"})
    assert new_kr(root, "Posts", "--field", "linkedin", "--field", "twitter", "--measure",
                  "sum", "--target", "50")[0] == 0
    assert "field:\n  - linkedin\n  - twitter\n" in properties(root / "OKRs" / "Posts.md")
    ran = invoke("status", str(root), "--json", "--no-cache", "--as-of", "2026-11-20")
    kr = json.loads(ran.stdout)["objectives"][0]["key_results"][0]
    assert kr["current"] == 5
