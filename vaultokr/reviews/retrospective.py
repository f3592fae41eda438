"""A finished period's retrospective: the note vaultokr starts for it (the
user's questions, then a region), and what its region shows: the grades,
the initiatives' verdicts, and confidence against outcome (for each key
result with confidence check-ins, the confidence given nearest the middle of
the period next to how it finished; overall, how often a confidence of 7 or
more ended at 70% or more)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vaultokr.config.vault_config import Config
from vaultokr.model.okr import Model
from vaultokr.reviews import data as review
from vaultokr.reviews.memo import FRESH, Fresh
from vaultokr.syntax.values import parse_period

CONFIDENT = 7  # a confidence of this or more ...
FINISHED_WELL = 0.7  # ... is borne out by this much progress

QUESTIONS = ("What moved a key result?", "What did not move, and why?",
             "Which tactic to keep, which to drop?", "What to carry into the next period?")


def retrospective_note(label: str) -> str:
    """The note as vaultokr first writes it: the questions are the user's to
    answer; only the region is vaultokr's."""
    asked = "".join(f"## {q}\n\n\n" for q in QUESTIONS)
    return (f"# Retrospective {label}\n\n"
            "Answer under each question: these words are yours, and vaultokr never "
            "changes them. It fills in only the numbers at the end.\n\n"
            f"{asked}## The numbers\n\n"
            f"<!-- vaultokr:begin retrospective period={label} -->\n"
            "<!-- vaultokr:end -->\n")


def retrospective_context(model: Model, config: Config, label: str, as_of: dt.date, *,
                          memo: Fresh = FRESH) -> dict[str, Any]:
    context = review.period_data(model, config, label, as_of, memo=memo)
    period = parse_period(label)
    results = review.results_at(model, config, review.period_at(label, as_of),
                                (period.start, period.due), memo=memo)
    middle = period.start + (period.due - period.start) / 2
    rows: list[dict[str, Any]] = []
    for o in results.objectives:
        if o.objective.period != label:
            continue
        for r in o.key_results:
            rated = [m for m in r.measurements if m.confidence is not None]
            if not rated:
                continue
            nearest = min(rated, key=lambda m: (abs((m.date - middle).days), m.date))
            rows.append({"id": r.kr.id, "title": r.kr.title, "link": review.note_link(r.kr.path),
                         "confidence": nearest.confidence, "on": nearest.date.isoformat(),
                         "progress": r.progress, "status": r.status})
    confident = [row for row in rows if row["confidence"] >= CONFIDENT]
    borne_out = [row for row in confident
                 if row["progress"] is not None and row["progress"] >= FINISHED_WELL]
    context["confidence"] = {"rows": rows, "confident": len(confident),
                             "borne_out": len(borne_out), "at_least": CONFIDENT,
                             "finished_at": FINISHED_WELL}
    return context
