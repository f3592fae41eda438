"""A finished period's retrospective note: written once by build, the
user's words kept, its region with grades, experiments and confidence
against outcome."""

from __future__ import annotations

from pathlib import Path

from support.cli import invoke
from support.vaults import SAMPLE, Vault, copy_vault, kr, objective

RETRO = "OKRs/2026-Q3/Retrospective.md"


def build(root: Path, as_of: str) -> str:
    ran = invoke("build", "--vault", str(root), "--as-of", as_of)
    assert ran.code == 0, ran.output
    return ran.stdout


def test_the_sample_vaults_finished_quarter_has_one(tmp_path: Path) -> None:
    committed = (SAMPLE / RETRO).read_text(encoding="utf-8")  # the golden file
    assert committed.startswith("# Retrospective 2026-Q3\n")
    assert "| [Newsletter subscribers](Newsletter%20subscribers.md) | 5/10 on 29 Aug | 72% · " \
        "❌ missed |" in committed
    root = copy_vault(SAMPLE, tmp_path / "sample")
    (root / RETRO).unlink()
    build(root, "2026-11-20")
    assert (root / RETRO).read_text(encoding="utf-8") == committed


def test_the_users_words_survive_every_rebuild(tmp_path: Path) -> None:
    root = copy_vault(SAMPLE, tmp_path / "sample")
    note = root / RETRO
    text = note.read_text(encoding="utf-8")
    mine = text.replace("## What moved a key result?\n\n",
                        "## What moved a key result?\n\nThe newsletter, twice.\n")
    note.write_text(mine, encoding="utf-8")
    for day in ("2026-11-20", "2026-11-27", "2027-01-10"):
        build(root, day)
        assert note.read_text(encoding="utf-8") == mine


def test_a_note_of_the_users_at_that_path_is_never_overwritten(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": kr(target=4, log=["2026-11-02: 1"]),
                  "OKRs/2026-Q4/Retrospective.md": "mine\n"})
    build(root, "2027-01-05")
    assert (root / "OKRs/2026-Q4/Retrospective.md").read_text() == "mine\n"


def test_confidence_against_outcome(vault: Vault) -> None:
    # mid-Q4 is 15 Nov: the confidence nearest it counts. A (8 on 14 Nov) ends at 80%,
    # B (9 on 16 Nov) at 40%, C (5) does not count among the confident ones
    root = vault({
        "O.md": objective(),
        "A.md": kr(target=10, log=["2026-10-10: 2 (confidence 3)", "2026-11-14: 5 (confidence 8)",
                                   "2026-12-20: 8"]),
        "B.md": kr(target=10, log=["2026-11-16: 3 (confidence 9)", "2026-12-20: 4"]),
        "C.md": kr(target=10, log=["2026-11-01: 9 (confidence 5)"]),
    })
    build(root, "2027-01-05")
    text = (root / "OKRs/2026-Q4/Retrospective.md").read_text()
    assert "| [A](../../A.md) | 8/10 on 14 Nov | 80% · " in text
    assert "| [B](../../B.md) | 9/10 on 16 Nov | 40% · " in text
    assert "A confidence of 7 or more ended at 70% or more 1 time out of 2." in text


def test_none_while_the_period_runs_or_when_turned_off(vault: Vault) -> None:
    root = vault({"O.md": objective(), "K.md": kr(target=4, log=["2026-11-02: 1"])})
    build(root, "2026-12-31")
    assert not (root / "OKRs/2026-Q4/Retrospective.md").exists()
    (root / "vaultokr.toml").write_text("[outputs]\nretrospective = false\n")
    build(root, "2027-01-05")
    assert not (root / "OKRs/2026-Q4/Retrospective.md").exists()
