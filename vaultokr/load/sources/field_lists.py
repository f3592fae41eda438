"""A key result that reads several fields (``field: [linkedin, twitter,
instagram]``, SPEC v3): its value is their sum. A flow (``sum``) adds
every measurement of any of them as it is (``count``: each note once); a level (``last``) has, on
each date one of them was measured, the sum of each field's newest value on
or before that date, and a value only from the first date on which every
field has one."""

from __future__ import annotations

from collections import defaultdict

from vaultokr.core.vocab import MeasurementKind
from vaultokr.model.measures import rule
from vaultokr.model.okr import KeyResult, Measurement
from vaultokr.syntax import names as syntax


class Several:
    """The measurements each field gave a key result with several fields."""

    def __init__(self) -> None:
        self.krs: dict[str, KeyResult] = {}
        self.read: dict[str, list[tuple[tuple[str, ...], Measurement]]] = defaultdict(list)

    def added(self, kr: KeyResult, path: tuple[str, ...], before: int) -> None:
        """After a field's value was added to ``kr`` (``before``: how many
        measurements it had; as many still when the value was refused)."""
        if len(kr.fields) < 2 or len(kr.measurements) == before:
            return
        if rule(kr).counts_notes:  # count: a note counts once, however many fields it has
            earlier = kr.measurements[before - 1] if before else None
            if earlier is not None and earlier.path == kr.measurements[-1].path \
                    and earlier.kind == kr.measurements[-1].kind:
                kr.measurements.pop()
            return
        if rule(kr).cumulative:
            return
        self.krs[kr.id] = kr
        self.read[kr.id].append((path, kr.measurements[-1]))

    def combine(self) -> None:
        """Each level's field values replaced by their sums, date by date."""
        for kr_id, kr in self.krs.items():
            read = self.read[kr_id]
            mine = {id(m) for _, m in read}
            kr.measurements = [m for m in kr.measurements if id(m) not in mine]
            kr.measurements += sums(kr, read)


def sums(kr: KeyResult, read: list[tuple[tuple[str, ...], Measurement]]) -> list[Measurement]:
    """The sum of each field's newest value, on each date a field was measured,
    from the first date every field has a value (on one date, the later note wins)."""
    wanted = {syntax.canonical_path(name) for name in kr.fields}
    newest: dict[tuple[str, ...], float] = {}
    found: list[Measurement] = []
    by_date = sorted(read, key=lambda item: item[1].order)
    for i, (path, m) in enumerate(by_date):
        newest[path] = m.value
        if i + 1 < len(by_date) and by_date[i + 1][1].date == m.date:
            continue  # the date's last value makes its sum
        if len(newest) == len(wanted):
            found.append(Measurement(kr.id, m.date, sum(newest.values()), None, None,
                                     m.path, m.line, MeasurementKind.FIELD))
    return found
