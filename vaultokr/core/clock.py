"""Today's date, in one place, so that a test can move the clock."""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()
