"""The terminal: colour on request or not (NO_COLOR), titles as wide as the
terminal allows, natural order, ambitions and initiatives, and one key
result's history."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import goals, kr, objective, write


def test_colour_follows_no_color_and_the_flags(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = goals(tmp_path / "vault")
    args = ["status", "--vault", str(root), "--as-of", "2026-11-20"]
    coloured = invoke("--color", *args, color=True).stdout
    assert "\x1b[" in coloured
    assert "\x1b[" not in invoke("--no-color", *args, color=True).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    plain = invoke(*args, color=True).stdout
    assert "\x1b[" not in plain and plain.startswith("vaultokr  ")
    assert invoke("--color", *args, color=True).stdout == coloured


def test_status_uses_the_terminal_width_and_sorts_numbers_as_numbers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    long = "Requests from engineering managers to review their team's onboarding"
    root = write(tmp_path / "vault", {
        "O.md": objective(),
        "a.md": kr(title="10% more readers", target=5),
        "b.md": kr(title="100% more talks", target=5),
        "c.md": kr(title="20% more posts", target=5),
        "d.md": kr(title=long, target=5),
    })
    monkeypatch.setenv("COLUMNS", "200")
    out = invoke("status", "--vault", str(root), "--as-of", "2026-11-20").stdout
    titles = [line.strip().split(" ░")[0].strip() for line in out.splitlines()
              if line.startswith("    ") and not line.startswith("     ")]
    assert titles == ["10% more readers", "20% more posts", "100% more talks", long]
    monkeypatch.setenv("COLUMNS", "80")
    out = invoke("status", "--vault", str(root), "--as-of", "2026-11-20").stdout
    assert long not in out and long[:33] + "…" in out


def test_status_shows_ambitions_and_initiatives(tmp_path: Path) -> None:
    root = write(tmp_path / "vault", {
        "Craft.md": "---\ntype: ambition\n---\n",
        "O.md": objective(ambition="[[Craft]]"),
        "K.md": kr(title="Talks", target=10, measure="sum",
                   log=["2026-10-14: 1", "2026-10-19: 1", "2026-10-26: 1", "2026-11-02: 3",
                        "2026-11-09: 3", "2026-11-16: 3"]),
        "Pitch.md": "---\ntype: initiative\nstart: 2026-11-01\nkey_results: [\"[[K]]\"]\n---\n",
    })
    out = invoke("status", "--vault", str(root), "--as-of", "2026-11-20").stdout
    assert "\nAmbitions\n  Craft\n    O 100%\n" in out
    # three dates in each window (14, 19, 26 Oct; 2, 9, 16 Nov), a running total rising
    # 1 a week before and 3 a week since: faster, by about 2 a week
    assert "\nInitiatives\n  Pitch  since 2026-11-01\n    Talks: faster since it started: " \
        "+1.8 a week (90%: +1.1 to +2.5): keep it\n" in out


def test_status_of_one_key_result_shows_its_history(tmp_path: Path) -> None:
    root = write(tmp_path / "vault", {
        "O.md": objective(title="Grow"),
        "K.md": kr(title="Talks", target=10, unit="talks",
                   log=["2026-10-05: 2 (confidence 5) first pitch", "2026-11-02: 4",
                        "2026-11-16: 6 (confidence 7)", "2026-12-01: 9"]),
    })
    code, out, _ = invoke("status", "Talks", "--vault", str(root), "--as-of", "2026-11-20")
    assert code == 0
    assert out.splitlines()[4:] == [
        "  ▁▅█",
        "",
        "  date        value    confidence  comment",
        "  2026-10-05  2 talks  5/10        first pitch",
        "  2026-11-02  4 talks",
        "  2026-11-16  6 talks  7/10",
    ]
    assert out.startswith("Talks  (Grow)  ·  as of Fri 20 Nov 2026\n")
    code, _, err = invoke("status", "Tlks", "--vault", str(root))
    assert code == 2 and "hint: did you mean 'Talks'?" in err
