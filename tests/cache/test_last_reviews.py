"""A one-shot ``build`` after an edit renders only the reviews the edit can
change, as ``watch`` does: the last build's snapshot (what it read and wrote)
is kept in ``.vaultokr/last-reviews``, and what a build leaves as it was is
byte for byte what a build from nothing writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from support.cli import invoke
from support.vaults import age, checkin, copy_vault, kr, objective, write

from vaultokr.config.vault_config import Config
from vaultokr.model.okr import Model
from vaultokr.reviews import data as review

AS_OF = ("--as-of", "2026-11-20")
DAYS = [dt.date(2026, 10, 5) + dt.timedelta(days=7 * w) for w in range(7)]
VAULT: dict[str, str | bytes] = {
    "O.md": objective("\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n",
                      start="2026-10-01"),
    "K.md": kr(title="Weekly active users", target=100, baseline=0),
    **{f"Check-ins/{day}.md": checkin(date=day.isoformat(), kr="[[K]]", value=5 + i)
       for i, day in enumerate(DAYS)},
}


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The weeks and periods whose review data a build makes."""
    made: list[str] = []
    week_context, period_context = review.week_context, review.period_context

    def week(model: Model, config: Config, label: str, as_of: dt.date,
             **memo: Any) -> dict[str, Any]:
        made.append(label)
        return week_context(model, config, label, as_of, **memo)

    def period(model: Model, config: Config, label: str, as_of: dt.date,
               **memo: Any) -> dict[str, Any]:
        made.append(label)
        return period_context(model, config, label, as_of, **memo)

    monkeypatch.setattr(review, "week_context", week)
    monkeypatch.setattr(review, "period_context", period)
    return made


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".vaultokr" not in p.relative_to(root).parts}


def as_from_nothing(root: Path, scratch: Path) -> None:
    copy_vault(root, scratch)  # the notes, the settings and the vault's templates
    assert invoke("build", "--vault", str(scratch), *AS_OF, "--no-cache").code == 0
    assert files(root) == files(scratch)


def test_a_one_shot_build_after_a_check_in_renders_only_what_it_can_change(
        tmp_path: Path, rendered: list[str]) -> None:
    root = write(tmp_path / "vault", VAULT)
    assert invoke("build", "--vault", str(root), *AS_OF).code == 0
    assert "2026-W41" in rendered and (root / ".vaultokr" / "last-reviews").is_file()
    rendered.clear()
    day = dt.date(2026, 11, 12)  # Thursday of 2026-W46: a week that has a check-in
    write(root, {"Check-ins/2026-11-12.md": checkin(date=day.isoformat(), kr="[[K]]",
                                                     value=40)})
    age(root)
    ran = invoke("build", "--vault", str(root), *AS_OF)
    assert ran.code == 0, ran.output
    assert sorted(rendered) == ["2026-Q4", "2026-W46", "2026-W47"]
    as_from_nothing(root, tmp_path / "fresh")


@pytest.mark.parametrize("change", ["template", "setting", "target", "date", "no-cache"])
def test_anything_else_renders_every_review(tmp_path: Path, rendered: list[str],
                                             change: str) -> None:
    root = write(tmp_path / "vault", VAULT)
    assert invoke("build", "--vault", str(root), *AS_OF).code == 0
    everything = sorted(rendered)
    rendered.clear()
    args: tuple[str, ...] = AS_OF
    if change == "template":
        folder = root / ".vaultokr" / "templates"
        folder.mkdir()
        shipped = Path(__file__).resolve().parents[2] / "templates" / "week.md.j2"
        (folder / "week.md.j2").write_text(shipped.read_text() + "\nmy line\n")
    elif change == "setting":
        (root / "vaultokr.toml").write_text("stale_days = 30\n")
    elif change == "target":
        write(root, {"K.md": kr(title="Weekly active users", target=90, baseline=0)})
    elif change == "date":
        args = ("--as-of", "2026-11-21")
    else:
        args = (*AS_OF, "--no-cache")
    age(root)
    assert invoke("build", "--vault", str(root), *args).code == 0
    assert sorted(rendered) == everything
    if change != "date":
        as_from_nothing(root, tmp_path / "fresh")


def test_a_review_edited_since_goes_the_full_way(tmp_path: Path, rendered: list[str]) -> None:
    """Not left as the last build wrote it (it is not): found edited by hand
    and kept, as a build from nothing finds it."""
    root = write(tmp_path / "vault", VAULT)
    assert invoke("build", "--vault", str(root), *AS_OF).code == 0
    review_path = root / "OKRs" / "Reviews" / "2026-W41.md"
    review_path.write_text(review_path.read_text() + "my words\n")
    age(root)
    rendered.clear()
    ran = invoke("build", "--vault", str(root), *AS_OF)
    assert "kept (edited by hand) OKRs/Reviews/2026-W41.md" in ran.output
    assert "my words" in review_path.read_text()
    as_from_nothing(root, tmp_path / "fresh")


def test_a_damaged_snapshot_is_only_a_missed_shortcut(tmp_path: Path,
                                                      rendered: list[str]) -> None:
    root = write(tmp_path / "vault", VAULT)
    assert invoke("build", "--vault", str(root), *AS_OF).code == 0
    kept = root / ".vaultokr" / "last-reviews"
    header, _, payload = kept.read_bytes().partition(b"\n")
    kept.write_bytes(header + b"\n" + payload[: len(payload) // 2])
    write(root, {"Check-ins/2026-11-12.md": checkin(date="2026-11-12", kr="[[K]]", value=40)})
    age(root)
    rendered.clear()
    assert invoke("build", "--vault", str(root), *AS_OF).code == 0
    assert "2026-W41" in rendered  # rendered in full
    as_from_nothing(root, tmp_path / "fresh")
