"""What changed in a week (the dashboard's and a weekly review's ``changes``)
compares with the results before the week of only the objectives whose key
results were measured in it: the same rows as with every objective computed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from support.vaults import AS_OF, SAMPLE, copy_vault, run

from vaultokr.reviews.data import changes, dashboard_context, results_at, week_context
from vaultokr.syntax.values import iso_week_label, parse_period


def test_the_dashboard_and_a_week_show_the_changes_all_objectives_give(tmp_path: Path) -> None:
    analysis = run(copy_vault(SAMPLE, tmp_path / "sample-vault"))
    model, results, config = analysis.model, analysis.results, analysis.config
    week = parse_period(iso_week_label(AS_OF))
    everything = results_at(model, config, week.start - dt.timedelta(days=1))
    expected = changes(results, everything, week.start, AS_OF)
    assert expected  # the sample vault has check-ins this week
    shown = {row["id"] for row in expected}
    assert any(not shown & set(o.objective.key_results) for o in everything.objectives)
    assert dashboard_context(model, results, config, analysis.problems)["changes"] == expected
    in_week = week_context(model, config, iso_week_label(AS_OF), AS_OF)["changes"]
    assert in_week == [row for row in expected
                       if any(row["id"] == r.kr.id for r in results_at(
                           model, config, AS_OF, (week.start, week.due)).key_results.values())]
