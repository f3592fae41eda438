"""Many key results reading one field of the same daily notes (the shared
benchmark shape): each value is parsed once per unit and shared, and each key
result's window is found by bisection; the result must be what checking every
(key result x note) pair gives."""

from __future__ import annotations

import datetime as dt
import itertools

from support.vaults import Vault, codes, kr, kr_result, objective, run

from vaultokr.load.sources.base import in_window, in_windows
from vaultokr.model.okr import KeyResult

D = dt.date


def test_in_windows_is_in_window_for_every_pair() -> None:
    days = [D(2026, 11, d) for d in (5, 1, 3, 3, 9, 1, 7)]  # unsorted, repeated
    bounds = [None, D(2026, 10, 1), D(2026, 11, 1), D(2026, 11, 3), D(2026, 11, 4),
              D(2026, 11, 9), D(2026, 12, 1)]
    krs = [KeyResult(f"K{i}", "", "O", "K.md", 1, start=start, due=due)
           for i, (start, due) in enumerate(itertools.product(bounds, bounds))]
    found = in_windows(days, krs)
    assert [[k.id for k in held] for held in found] == [
        [k.id for k in krs if in_window(k, day)] for day in days]
    assert any(found) and not all(len(held) == len(krs) for held in found)
    assert in_windows([], krs) == []


def test_key_results_sharing_a_daily_field(vault: Vault) -> None:
    window = {"start": "2026-11-02", "due": "2026-11-30"}
    root = vault({
        "O.md": objective(),
        "Talks.md": kr(field="focus", measure="sum", target=9, unit="talks", **window),
        "Hours.md": kr(field="focus", measure="sum", target=9, unit="h", **window),
        "Plain.md": kr(field="focus", measure="sum", target=9, **window),
        "Days.md": kr(field="focus", measure="count", target=9, **window),
        "Late.md": kr(field="focus", measure="sum", target=9, unit="talks",
                      start="2026-11-03", due="2026-11-30"),
        "Daily/2026-11-03.md": "focus:: 3 talks\n",
        "Daily/2026-11-02.md": "focus:: 2\n",
        "Daily/2026-11-01.md": "focus:: 1\n",  # before every window
    })
    analysis = run(root)

    def got(kr_id: str) -> list[tuple[str, float, str]]:
        return [(m.date.isoformat(), m.value, m.source)
                for m in kr_result(analysis, kr_id).measurements]

    two = ("2026-11-02", 2, "Daily/2026-11-02.md:1")
    three = ("2026-11-03", 3, "Daily/2026-11-03.md:1")
    assert got("Talks") == [two, three]
    assert got("Late") == [three]
    assert got("Hours") == [two]  # "3 talks" is not a number of h
    assert got("Plain") == [two]
    assert got("Days") == [("2026-11-02", 1, two[2]), ("2026-11-03", 1, three[2])]
    bad = [c for c in codes(analysis) if c[2] == "bad-value"]
    assert bad == [("Daily/2026-11-03.md", 1, "bad-value")] * 2  # Hours and Plain
    assert not [c for c in codes(analysis) if c[2] == "measurement-outside-window"]
