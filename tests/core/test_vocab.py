"""The vocabularies' tables stay complete: a new status, measure or property
is shown, computed and registered everywhere from its one row."""

from __future__ import annotations

import json

from vaultokr.core.vocab import STATUS_INFO, Measure, Status
from vaultokr.model.measures import RULES
from vaultokr.model.properties import OBSIDIAN_TYPES, PROPERTIES


def test_every_status_has_a_row_and_serialises_as_its_word() -> None:
    assert set(STATUS_INFO) == set(Status)
    assert json.dumps([Status.ON_TRACK, Measure.SUM]) == '["on_track", "sum"]'


def test_every_measure_has_its_object() -> None:
    assert set(RULES) == set(Measure)


def test_obsidian_registration_is_the_table_s_typed_properties() -> None:
    assert {p.name: p.obsidian for p in PROPERTIES if p.obsidian} == OBSIDIAN_TYPES
    assert list(OBSIDIAN_TYPES) == ["baseline", "target", "value", "confidence", "weight",
                                    "start", "due", "date", "end", "created"]
