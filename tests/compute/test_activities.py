"""The activity warning (SPEC v3 §6): a key result whose title starts with a
verb of one's own work measures an activity, not an outcome."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import SAMPLE, Vault, copy_vault, kr, objective

from vaultokr.compute.smart import activity_verb
from vaultokr.config.settings import ACTIVITY_VERBS

VERBS = list(ACTIVITY_VERBS)


@pytest.mark.parametrize(("title", "verb"), [
    ("Give 3 talks at local meetups", "Give"), ("write 4 guest posts", "Write"),
    ("“Ship” the beta", "Ship"), ("Organize a meetup", "Organize"),
    ("Requests to write a guest post", None), ("Speaking invitations", None),
    ("Shipped features used weekly", None), ("Doing less", None), ("3 talks given", None),
    ("", None)])
def test_the_first_word_decides(title: str, verb: str | None) -> None:
    assert activity_verb(title, VERBS) == verb


def activity_problems(root: Path) -> list[tuple[str, int]]:
    ran = invoke("check", "--vault", str(root), "--as-of", "2026-11-20", "--format", "json")
    return [(p["path"], p["line"]) for p in json.loads(ran.stdout)
            if p["code"] == "smart-activity"]


def test_the_sample_vault_warns_about_its_one_activity(tmp_path: Path) -> None:
    root = copy_vault(SAMPLE, tmp_path / "sample")
    assert activity_problems(root) == [("OKRs/2026-Q3/Start speaking in public.md", 8)]
    ran = invoke("check", "--vault", str(root), "--as-of", "2026-11-20")
    assert '"Give 3 talks at local meetups" measures your own work (Give ...)' in ran.stdout


def test_the_settings_turn_it_off_or_change_the_verbs(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": kr(title="Mentor two juniors", target=2),
                  "vaultokr.toml": "warn_activities = false\n"})
    assert activity_problems(root) == []
    (root / "vaultokr.toml").write_text('activity_verbs = ["Mentor"]\n')
    assert activity_problems(root) == [("K.md", 2)]


def test_new_says_so_and_writes_the_note(vault: Vault) -> None:
    root = vault({"O.md": objective()})
    ran = invoke("new", "kr", "Write 4 guest posts", "--vault", str(root), "--objective", "O",
                 "--target", "4")
    assert ran.code == 0, ran.output
    assert "created" in ran.stdout
    assert "warning: \"Write 4 guest posts\" measures your own work (Write ...)" in ran.stderr
    assert list(root.rglob("Write 4 guest posts.md"))
    quiet = invoke("new", "kr", "Guest post requests", "--vault", str(root), "--objective", "O",
                   "--target", "4")
    assert quiet.code == 0 and "warning" not in quiet.stderr
