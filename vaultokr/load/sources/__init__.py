"""The measurement sources of SPEC §3, in the order they are read (a later
source wins a date over an earlier one, see ``vaultokr.model.measures``).

Each is a function ``read(reading)`` that finds measurements and adds them
with ``reading.add``. To add a source: a module here with a ``read``, and its
place in ``SOURCES``.
"""

from __future__ import annotations

from vaultokr.load.sources import (
    checkin_notes,
    checkins_list,
    fields,
    followed,
    kr_log,
    tags,
    tasks,
)
from vaultokr.load.sources.base import DatedNote, Reading, Source

SOURCES: list[Source] = [
    checkin_notes.read,  # 1. check-in notes
    checkins_list.read,  # 2. a key result's checkins: list
    kr_log.read,  # 3. a key result note's log (list items, tables, tasks)
    fields.read,  # 4. a property of dated notes
    tags.read,  # 5. a tag on dated notes
    followed.read,  # 6. one note's property over time (note: and field:, SPEC v3)
    tasks.read,  # 7. checked tasks (SPEC v3)
]

__all__ = ["SOURCES", "DatedNote", "Reading", "Source"]
