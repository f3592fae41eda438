"""Flows and caps (issue 10) as the reviews, the regions and ``export`` show
them, worked out by hand."""

from __future__ import annotations

import csv
import io
import re

import pytest
from support.cli import invoke
from support.vaults import Vault, kr, objective


def cap(log: list[str], body: str = "") -> str:
    """20 late evenings last period, at most 10 now (a cap)."""
    return kr(body, log=log, measure="sum", unit="evenings", baseline=20, change='"-50%"')


def test_reviews_regions_and_export_show_flows_and_caps(vault: Vault) -> None:
    region = "\n<!-- vaultokr:begin kr -->\n<!-- vaultokr:end -->\n"
    root = vault({
        # Oct 1 -> Nov 30: 60 days
        "O.md": objective(period=None, start="2026-10-01", due="2026-11-30"),
        # 7 of 10 (5 last period, +100%)
        "Invitations.md": kr(region, log=["2026-10-20: 3", "2026-11-05: 4"], measure="sum",
                             unit="invitations", baseline=5, change='"+100%"'),
        # running total (0, 0), (35, 7): 0.2 a day, 12 at day 60
        "Late.md": cap(["2026-11-05: 7"], body=region),
    })
    code, out, _ = invoke("build", str(root), "--as-of", "2026-11-10")
    assert code == 0, out
    invitations = (root / "Invitations.md").read_text()
    assert "7 of 10 invitations (previous 61 days: 5)" in invitations
    late = (root / "Late.md").read_text()
    assert "7 so far, at most 10 evenings (pace 12)" in late
    code, out, _ = invoke("export", str(root), "--as-of", "2026-11-10")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert float(rows["Late"]["projected"]) == pytest.approx(12)
    assert rows["Invitations"]["projected"] == ""  # not a cap


def focus_titles(text: str) -> list[str]:
    """The key results of a review's first focus list, in order (linked as
    ``[[path|Title]]``, ``[[Title]]`` or ``[Title](path)``)."""
    block = text[text.index("Focus"):]
    found = re.findall(r"^> \d+\. (?:\[\[(?:[^|\]]*\|)?([^\]]+)\]\]|\[([^\]]+)\]\()", block,
                       re.M)
    return [wiki or md for wiki, md in found][:3]


def test_the_focus_list_ranks_by_how_far_behind_and_leaves_out_new_ones(vault: Vault) -> None:
    # as of Nov 20, tau = 50/91 = 0.5495 of Q4
    root = vault({
        "O.md": objective(),
        # a threshold breached (70 < 75): 1 behind
        "Breached.md": kr(log=["2026-11-18: 70"], keep="above", target=75),
        # nothing measured since Oct 1 (stale): 0.5495 - 0 behind
        "Forgotten.md": kr(target=10, baseline=0),
        # written today: new, not behind (it would tie with Forgotten and sort first)
        "Brand new.md": kr(target=10, baseline=0, created="2026-11-20"),
        # a cap projecting 12.74 (7 by day 50): progress 0.726, 0.274 behind
        "Busy.md": cap(["2026-11-20: 7"]),
        # 3 of 10: 0.5495 - 0.3 = 0.2495 behind, fourth: left out of three
        "Behind.md": kr(log=["2026-11-01: 3"], target=10, baseline=0),
    })
    code, out, _ = invoke("build", str(root), "--as-of", "2026-11-20")
    assert code == 0, out
    dashboard = (root / "OKRs" / "Dashboard.md").read_text()
    assert focus_titles(dashboard) == ["Breached", "Forgotten", "Busy"]
