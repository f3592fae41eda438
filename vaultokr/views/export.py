"""``vaultokr export``: key results and measurements for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from vaultokr.compute.analysis import Analysis
from vaultokr.views.json_report import json_safe, report

KR_COLUMNS = ["objective", "objective_title", "period", "id", "title", "measure", "unit",
              "baseline", "target", "current", "progress", "progress_raw", "expected",
              "status", "forecast", "forecast_progress", "trend", "confidence", "stale",
              "last_measured", "weight", "projected"]
MEASUREMENT_COLUMNS = ["key_result", "title", "date", "value", "confidence", "comment",
                       "source"]


def export(analysis: Analysis, fmt: str, measurements: bool) -> str:
    data = report(analysis)
    if fmt == "json":
        return json.dumps(json_safe(data), indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    rows: list[list[Any]] = []
    for o in data["objectives"]:
        for k in o["key_results"]:
            if measurements:
                rows.extend([k["id"], k["title"], m["date"], m["value"], m["confidence"],
                             m["comment"], m["source"]] for m in k["measurements"])
            else:
                rows.append([o["id"], o["title"], o["period"],
                             *[k[c] for c in KR_COLUMNS[3:]]])
    writer.writerow(MEASUREMENT_COLUMNS if measurements else KR_COLUMNS)
    writer.writerows([[cell(v) for v in row] for row in rows])
    return out.getvalue()


def cell(value: Any) -> str:
    """One CSV cell as a spreadsheet reads it: empty for none, ``true``/``false``
    (as in the JSON report), whole numbers without ``.0``, and at most ten
    significant digits (the JSON report keeps the full precision)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value + 0.0, ".10g")  # never "-0"
    return str(value)
