"""``checkin`` into a key-result note that is a link (outside the vault, or to
another note): a clear error naming the link, never a write through it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from support.cli import invoke
from support.safety import KR, OBJ
from support.snapshot import snapshot

# ------------------------------------- 2. checkin into a link leading outside


def linked_kr_vault(tmp_path: Path) -> tuple[Path, Path]:
    """A vault whose key-result note K.md is a link to a file outside it."""
    outside = tmp_path / "elsewhere" / "K.md"
    outside.parent.mkdir()
    outside.write_text(KR)
    root = tmp_path / "vault"
    root.mkdir()
    (root / "vaultokr.toml").write_text("")
    (root / "O.md").write_text(OBJ)
    (root / "K.md").symlink_to(outside)
    return root, outside


@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_checkin_into_a_key_result_that_links_outside_the_vault(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dry_run: bool) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 11, 20))
    root, outside = linked_kr_vault(tmp_path)
    before = snapshot(tmp_path)
    ran = invoke("checkin", "Talks given", "5", "--vault", str(root),
              *(["--dry-run"] if dry_run else []))
    assert ran.code == 1, ran.output
    assert "internal error" not in ran.output and "Traceback" not in ran.output, ran.output
    assert ("K.md: error: the note is a link to a file outside the vault "
            f"({os.path.realpath(outside)}); vaultokr writes only inside the vault and never "
            "through a link: nothing was added") in ran.output, ran.output
    assert "vaultokr checkin 'Talks given' 5 --note" in ran.output, ran.output
    assert snapshot(tmp_path) == before  # neither the vault nor the file outside changed
    # what the hint says works: the value lands in a check-in note of the vault
    ran = invoke("checkin", "Talks given", "5", "--vault", str(root), "--note")
    assert ran.code == 0, ran.output
    assert "value: 5" in (root / "Check-ins" / "2026-11-20 Talks given.md").read_text()
    assert outside.read_text() == KR


def test_checkin_into_a_key_result_that_links_to_another_note_of_the_vault(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 11, 20))
    root = tmp_path / "vault"
    (root / "Real").mkdir(parents=True)
    (root / "O.md").write_text(OBJ)
    (root / "Real" / "K2.md").write_text(KR)
    (root / "K.md").symlink_to(Path("Real", "K2.md"))
    before = snapshot(root)
    ran = invoke("checkin", "K", "5", "--vault", str(root))
    assert ran.code == 1, ran.output
    assert "K.md: error: the note is a link to Real/K2.md; vaultokr never writes through a link: "\
        "nothing was added" in ran.output, ran.output
    assert "hint: check in to that note: vaultokr checkin Real/K2 5 " in ran.output, ran.output
    assert snapshot(root) == before


def test_the_weekly_walk_leaves_a_key_result_that_links_outside_and_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a week after the last measurement (2026-11-16): both key results are due
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 11, 27))
    root, outside = linked_kr_vault(tmp_path)
    other = KR.replace("title: Talks given", "title: Blog posts")
    (root / "B.md").write_text(other)
    # Blog posts first (titles in order, both stale alike), then Talks given
    ran = invoke("checkin", "--vault", str(root), input="3\n\n\n4\n\n\n")
    assert ran.code == 1, ran.output
    assert "internal error" not in ran.output and "Traceback" not in ran.output, ran.output
    assert "→ not recorded: K.md: error: the note is a link to a file outside the vault" \
        in ran.output, ran.output
    assert "1 recorded, 0 skipped, 1 not recorded." in ran.output, ran.output
    assert "error: not recorded: Talks given" in ran.output, ran.output
    assert (root / "B.md").read_text() == other + "\n## Log\n- 2026-11-27: 3\n"
    assert outside.read_text() == KR


