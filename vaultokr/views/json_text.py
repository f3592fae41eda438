"""The report's JSON text (``status --json``), made faster than encoding the
whole report at once, byte for byte the same as
:func:`vaultokr.views.json_report.to_json` (a test holds it).

On a vault where many key results read the same dated notes, most of the
report is their measurements, and the same measurement (the same date,
value, confidence, comment and source) stands in the lists of many key
results. Each distinct one is encoded once, and each key result's list is
joined from those texts; the rest of the report is encoded as ever, with a
marker where each list goes. Whenever that cannot be done exactly (a
marker character in the vault's own text, a number JSON cannot hold), the
whole report is encoded at once instead.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from typing import Any

from vaultokr.compute.analysis import Analysis
from vaultokr.compute.results import KRResult
from vaultokr.model.okr import Measurement
from vaultokr.views.json_report import measurement_dict, report, to_json

#: a private-use character: it stands around a list's number in the encoded report
MARK = "\ue000"

#: every field a measurement's dict is made of (json_report.measurement_dict):
#: measurements alike in these have the same dict
identity = operator.attrgetter("date", "value", "confidence", "comment", "path", "line")
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


class _Lists:
    """The key results' measurement lists, each standing in the report as a
    marker with its number, and the text of each distinct measurement."""

    def __init__(self) -> None:
        self.lists: list[list[Measurement]] = []
        self.texts: dict[tuple[Any, ...], str] = {}

    def marker(self, r: KRResult) -> str:
        self.lists.append(r.measurements)
        return f"{MARK}{len(self.lists) - 1}{MARK}"

    def text(self, number: int) -> str:
        measurements = self.lists[number]
        keys = list(map(identity, measurements))
        found = list(map(self.texts.get, keys))
        if None in found:
            for at, key in enumerate(keys):
                if found[at] is None:
                    found[at] = self.texts[key] = _encode(measurement_dict(measurements[at]))
        return f"[{','.join(found)}]"  # type: ignore[arg-type]


def report_json(analysis: Analysis, plain: Callable[[Analysis], str] = to_json) -> str:
    """The report as one line of JSON, the same bytes as ``plain`` gives."""
    lists = _Lists()
    try:
        text = _encode(report(analysis, lists.marker))
        pieces = text.split(MARK)
        if len(pieces) != 2 * len(lists.lists) + 1:
            return plain(analysis)  # the vault's own text holds the marker
        out = []
        before = pieces[0]
        for number in range(len(lists.lists)):
            if pieces[2 * number + 1] != str(number):
                return plain(analysis)
            # each marker is a JSON string: its quotes go with it
            out += [before[:-1], lists.text(number)]
            before = pieces[2 * number + 2][1:]
        out.append(before)
    except ValueError:  # an infinite or NaN number: the plain encoder says what becomes of it
        return plain(analysis)
    joined = "".join(out)
    if "-0.0" in joined:  # a number written -0.0: the plain encoder prints it 0.0
        return plain(analysis)
    return joined + "\n"
