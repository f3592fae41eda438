"""A key result's or objective's ``created`` date (SPEC v2 §4, issue 10): where
an objective with only a due date starts, when staleness starts counting, the
key it is read from, and how it may be written. Worked out by hand; driven
through ``status --json``.

Dates: 2026-Q4 runs from 2026-10-01 to 2026-12-31; the run is as of 2026-11-20.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from support.cli import invoke
from support.report import key_result, objective_of, problems, status
from support.vaults import Vault, kr, note, objective

Q4_OBJECTIVE = objective()  # "---\ntype: objective\nperiod: 2026-Q4\n---\n"


# ------------------------------------------------------- created and dates
BY_YEAR_END_KR = """
---
type: key-result
objective: "[[{objective}]]"
baseline: 0
target: 10
---
## Log
- 2026-11-10: 3
"""


def test_due_only_objective_starts_at_its_created_date(vault: Vault) -> None:
    root = vault({
        "Talk at a conference.md": """
            ---
            type: objective
            due: 2026-12-31
            created: 2026-11-01
            ---
            By the end of 2026.
            """,
        "Talks submitted.md": BY_YEAR_END_KR.format(objective="Talk at a conference"),
    })
    report = status(root)
    o = objective_of(report, "Talk at a conference")
    assert (o["start"], o["due"]) == ("2026-11-01", "2026-12-31")
    # Nov 1 -> Dec 31 is 30 + 30 = 60 days; Nov 1 -> Nov 20 is 19: tau = 19/60 = 0.3167
    k = key_result(report, "Talks submitted")
    assert k["expected"] == pytest.approx(19 / 60)
    assert k["progress"] == pytest.approx(0.3)  # (3 - 0) / (10 - 0)
    assert k["status"] == "on_track"  # gap 0.3 - 0.3167 = -0.0167
    assert o["expected"] == pytest.approx(19 / 60)
    assert problems(report, "smart-not-time-bound") == []
    assert problems(report, "smart-no-start") == []


def test_due_only_objective_without_created_has_no_expected_value(vault: Vault) -> None:
    root = vault({
        "Talk at a conference.md": "---\ntype: objective\ndue: 2026-12-31\n---\n",
        "Talks submitted.md": BY_YEAR_END_KR.format(objective="Talk at a conference"),
    })
    report = status(root)
    o = objective_of(report, "Talk at a conference")
    assert (o["start"], o["due"], o["expected"]) == (None, "2026-12-31", None)
    k = key_result(report, "Talks submitted")
    assert k["expected"] is None  # not 0: nothing says when it started
    assert k["progress"] == pytest.approx(0.3)
    assert k["status"] == "on_track"  # no expected value, progress > 0
    assert o["status"] == "on_track"
    assert problems(report, "smart-not-time-bound") == []  # it is time-bound: it has a due
    asked = problems(report, "smart-no-start")  # DECISION: the code
    assert [(p["path"], p["severity"]) for p in asked] == [
        ("Talk at a conference.md", "warning")]
    assert "start" in asked[0]["message"] and "period" in asked[0]["message"]


def new_kr(created: str) -> str:
    extra = f"created: {created}\n" if created else ""
    return f"---\ntype: key-result\nobjective: \"[[Talks]]\"\ntarget: 10\n{extra}---\n"


def test_staleness_counts_from_the_later_of_start_and_created(vault: Vault) -> None:
    root = vault({
        "Talks.md": Q4_OBJECTIVE,
        "Today.md": new_kr("2026-11-20"),  # written today: 0 days
        "Recent.md": new_kr("2026-11-10"),  # 10 days: not stale
        "Weeks ago.md": new_kr("2026-11-01"),  # 19 days > 14: stale
        "Before start.md": new_kr("2026-09-15"),  # start Oct 1 is later: 50 days
        "Undated.md": new_kr(""),  # from start: 50 days
    })
    report = status(root)
    stale = {k: key_result(report, k)["stale"]
             for k in ("Today", "Recent", "Weeks ago", "Before start", "Undated")}
    assert stale == {"Today": False, "Recent": False, "Weeks ago": True,
                     "Before start": True, "Undated": True}
    assert key_result(report, "Today")["status"] == "pending"  # new, not behind
    warned = {p["path"]: p["message"] for p in problems(report, "smart-stale")}
    assert sorted(warned) == ["Before start.md", "Undated.md", "Weeks ago.md"]
    assert "since 2026-11-01" in warned["Weeks ago.md"]
    assert "since 2026-10-01" in warned["Before start.md"]


def test_a_key_result_written_minutes_ago_is_not_stale(vault: Vault) -> None:
    today = dt.date.today()
    root = vault({  # an objective that has run for 60 days already
        "Mentoring.md": "---\ntype: objective\nstart: "
                        f"{today - dt.timedelta(days=60)}\ndue: {today + dt.timedelta(days=30)}"
                        "\n---\n",
    })
    code, out, _ = invoke("new", "kr", "Mentorship requests", "--vault", str(root),
                       "--objective", "Mentoring", "--measure", "sum", "--target", "5",
                       "--folder", "OKRs")
    assert code == 0, out
    text = (root / "OKRs" / "Mentorship requests.md").read_text()
    written = re.search(r"^created: (\d{4}-\d\d-\d\d)$", text, re.M)
    assert written is not None, text
    k = key_result(status(root, written[1]), "OKRs/Mentorship requests")
    assert k["stale"] is False  # 0 days since created, although 60 since start


def test_the_created_key_is_configurable(vault: Vault) -> None:
    root = vault({
        "vaultokr.toml": 'created_key = "date created"\n',  # DECISION: the setting's name
        "Talks.md": Q4_OBJECTIVE,
        "Today.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\ntarget: 10\n"
                    "date created: 2026-11-20\n---\n",
    })
    report = status(root)
    assert key_result(report, "Today")["stale"] is False
    assert problems(report, "config-unknown-key") == []


# ---------------------------------------------------------------- created
@pytest.mark.parametrize("written", ["2026-11-01T14:03", "2026-11-01 14:03:00", "2026-11-01"])
def test_created_may_be_written_with_a_time(vault: Vault, written: str) -> None:
    root = vault({
        "Talk.md": note({"type": "objective", "due": "2026-12-31", "created": written}),
        "Submitted.md": note({"type": "key-result", "objective": "[[Talk]]", "baseline": 0,
                              "target": 10}, "- 2026-11-10: 3\n"),
    })
    k = key_result(status(root), "Submitted")
    assert k["start"] == "2026-11-01"  # inherited from the objective's created date
    assert k["expected"] == pytest.approx(19 / 60)  # Nov 1 -> Nov 20 of Nov 1 -> Dec 31


def test_a_created_that_is_not_a_date_is_a_warning_and_ignored(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(target=10, baseline=0, created='"last Tuesday"'),
    })
    report = status(root)
    k = key_result(report, "K")
    assert k["stale"] is True  # counted from start (Oct 1): 50 days
    found = [(p["path"], p["line"], p["severity"]) for p in report["problems"]
             if p["code"] == "bad-date"]
    assert found == [("K.md", 6, "warning")]  # the created: line; K itself is kept


def test_an_inline_key_result_was_created_with_its_objective(vault: Vault) -> None:
    inline = [{"id": "talks", "target": 3, "baseline": 0}]
    root = vault({
        "New.md": objective(key_results=inline, created="2026-11-10"),  # 10 days ago
        "Old.md": objective(key_results=inline),  # from start, Oct 1: 50 days
    })
    report = status(root)
    assert key_result(report, "New#talks")["stale"] is False
    assert key_result(report, "Old#talks")["stale"] is True
