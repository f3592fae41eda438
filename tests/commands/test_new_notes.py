"""The notes ``checkin --note`` and ``new`` write: check-in notes of one day
get distinct plain names (never a sync conflict's look), and ``created`` is
written under the configured key."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from support.cli import invoke
from support.report import key_result, status
from support.vaults import Vault, kr, objective

Q4_OBJECTIVE = objective()  # "---\ntype: objective\nperiod: 2026-Q4\n---\n"


# ---------------------------------------------------------------- checkin
CONFLICT_LOOKING = re.compile(r"( \d+|\(\d+\))\.md$|conflict", re.I)


def test_two_checkin_notes_on_one_day_get_distinct_plain_names(vault: Vault) -> None:
    root = vault({
        "Talks.md": Q4_OBJECTIVE,
        "Speaking gigs.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: sum\n"
                            "target: 6\n---\n",
    })
    for comment in ("podcast", "meetup"):
        code, out, _ = invoke("checkin", "Speaking gigs", "1", "--note", "--vault", str(root),
                           "--date", "2026-11-20", "--comment", comment)
        assert code == 0, out
    names = sorted(p.name for p in (root / "Check-ins").iterdir())
    assert len(names) == 2 and "2026-11-20 Speaking gigs.md" in names
    for name in names:
        assert not CONFLICT_LOOKING.search(name), name  # not " 2.md", "(1).md", "conflict"
    assert key_result(status(root), "Speaking gigs")["current"] == 2  # both are read


# ---------------------------------------------------------------- checkin
def test_the_third_checkin_note_of_a_day_is_the_3rd(vault: Vault) -> None:
    root = vault({"O.md": objective(), "Gigs.md": kr(measure="sum", target=6)})
    for _ in range(3):
        code, out, _ = invoke("checkin", "Gigs", "1", "--note", "--vault", str(root),
                              "--date", "2026-11-20")
        assert code == 0, out
    assert sorted(p.name for p in (root / "Check-ins").iterdir()) == [
        "2026-11-20 Gigs, 2nd check-in.md", "2026-11-20 Gigs, 3rd check-in.md",
        "2026-11-20 Gigs.md"]
    assert key_result(status(root), "Gigs")["current"] == 3  # each one counts


def test_new_writes_created_under_the_configured_key(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "vaultokr.toml").write_text('created_key = "date created"\n')
    code, _, err = invoke("new", "ambition", "Be known for my craft", "--vault", str(root))
    assert code == 0, err
    text = (root / "OKRs" / "Be known for my craft.md").read_text()
    assert f"\ndate created: {dt.date.today().isoformat()}\n---\n" in text
