"""The five measurement sources of SPEC §3, each with its source path:line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from tests.conftest import codes, kr_result, run

D = dt.date
Vault = Callable[[dict[str, str | bytes]], Path]
OBJ = "---\ntype: objective\nperiod: 2026-Q4\n---\n"


def sources(analysis, kr_id):  # type: ignore[no-untyped-def]
    return [(m.date.isoformat(), m.value, m.confidence, m.comment, m.source)
            for m in kr_result(analysis, kr_id).measurements]


def test_checkin_note_single_value(vault: Vault) -> None:
    root = vault({
        "O.md": OBJ,
        "K.md": "---\ntype: key-result\nobjective: \"[[O]]\"\ntarget: 10\nunit: people\n---\n",
        "Check-ins/2026-11-19 meetup.md": (
            "---\ntype: check-in\nkr: \"[[K]]\"\nvalue: 49 people\nconfidence: 7\n"
            "comment: first live stream\n---\n"
        ),
    })
    assert sources(run(root), "K") == [
        ("2026-11-19", 49, 7, "first live stream", "Check-ins/2026-11-19 meetup.md:4")
    ]


def test_checkin_note_values_mapping_with_inline_kr(vault: Vault) -> None:
    root = vault({
        "O.md": OBJ + "",
        "Net.md": (
            "---\ntype: objective\nperiod: 2026-Q4\nkey_results:\n  - id: mentors\n"
            "    target: 4\n---\n"
        ),
        "K.md": "---\ntype: key-result\nobjective: \"[[O]]\"\ntarget: 10\n---\n",
        "W.md": (
            "---\ntype: check-in\ndate: 2026-11-06\nvalues:\n"
            "  \"[[K]]\": {value: 2, confidence: 7, comment: two replies}\n"
            "  \"[[Net#mentors]]\": 1\n"
            "  [[K|again]]: 3\n"
            "---\n"
        ),
    })
    analysis = run(root)
    assert sources(analysis, "K") == [("2026-11-06", 3, None, None, "W.md:7")]
    assert sources(analysis, "Net#mentors") == [("2026-11-06", 1, None, None, "W.md:6")]


def test_log_list_and_table_in_the_kr_note(vault: Vault) -> None:
    body = (
        "## Log\n"
        "- 2026-10-05: 1,341 (confidence 6) went well\n"
        "- 2026-10-06 — 45% — a dash separated one\n"
        "```\n- 2026-10-07: 999\n```\n"
        "\n| Date | Value | Confidence | Comment |\n|---|---:|---:|---|\n"
        "| 2026-10-19 | 1,388 | 6 | viral post |\n| 2026-11-02 | 1412 | | |\n"
    )
    root = vault({"O.md": OBJ,
                  "K.md": "---\ntype: key-result\nobjective: \"[[O]]\"\ntarget: 2000\n---\n"
                  + body})
    assert sources(run(root), "K") == [
        ("2026-10-05", 1341, 6, "went well", "K.md:7"),
        ("2026-10-06", 45, None, "a dash separated one", "K.md:8"),
        ("2026-10-19", 1388, 6, "viral post", "K.md:15"),
        ("2026-11-02", 1412, None, None, "K.md:16"),
    ]


def test_checkins_list_in_front_matter(vault: Vault) -> None:
    root = vault({
        "O.md": (
            "---\ntype: objective\nperiod: 2026-Q4\nkey_results:\n  - id: talks\n"
            "    measure: sum\n    target: 3\n    checkins:\n"
            "      - {date: 2026-10-21, value: 1, confidence: 6}\n"
            "      - date: 2026-11-25\n        value: 1\n---\n"
        ),
    })
    analysis = run(root, D(2026, 11, 20))
    assert sources(analysis, "O#talks") == [("2026-10-21", 1, 6, None, "O.md:9")]


def test_field_from_daily_notes_front_matter_and_inline(vault: Vault) -> None:
    root = vault({
        "O.md": OBJ,
        "Sleep.md": ("---\ntype: key-result\nobjective: \"[[O]]\"\nfield: sleep\nkeep: above\n"
                     "target: 75\n---\n"),
        "Write.md": ("---\ntype: key-result\nobjective: \"[[O]]\"\nfield: writing_hours\n"
                     "measure: sum\ntarget: 40\nunit: h\n---\n"),
        "Daily/2026-11-02.md": "---\nsleep: 78\n---\n# Monday\n\nwriting_hours:: 1.5\n",
        "Daily/2026-11-03.md": "Tuesday [writing_hours:: 2 h] and `writing_hours:: 9`\n",
        "Daily/2026-11-04.md": "```\nwriting_hours:: 9\n```\n",
        "Journal/Thoughts.md": "---\ndate: 2026-11-05\nsleep: 70\n---\n",
        "Undated.md": "---\nsleep: 10\n---\nwriting_hours:: 9\n",
        "Daily/2026-09-30.md": "---\nsleep: 50\n---\n",  # before the window: not counted
    })
    analysis = run(root)
    assert sources(analysis, "Sleep") == [
        ("2026-11-02", 78, None, None, "Daily/2026-11-02.md:2"),
        ("2026-11-05", 70, None, None, "Journal/Thoughts.md:3"),
    ]
    assert sources(analysis, "Write") == [
        ("2026-11-02", 1.5, None, None, "Daily/2026-11-02.md:6"),
        ("2026-11-03", 2, None, None, "Daily/2026-11-03.md:1"),
    ]
    assert not [c for c in codes(analysis) if c[2] == "measurement-outside-window"]


def test_count_with_tag(vault: Vault) -> None:
    root = vault({
        "O.md": OBJ,
        "K.md": ("---\ntype: key-result\nobjective: \"[[O]]\"\nmeasure: count\n"
                 "tag: \"#guest-post\"\ntarget: 5\n---\n"),
        "Daily/2026-10-12.md": "---\ntags: [work, guest-post]\n---\n",
        "Daily/2026-10-29.md": "# Thu\n\nAsked for a post #guest-post and again #guest-post\n",
        "Daily/2026-10-30.md": "Nested tag counts too: #guest-post/paid\n",
        "Daily/2026-10-31.md": "Not in code: `#guest-post`\n\n    #guest-post\n",
        "Daily/2026-11-01.md": "Another tag #guest-posts is a different tag\n",
        "Notes/Undated.md": "#guest-post without a date\n",
    })
    r = kr_result(run(root), "K")
    assert r.current == 3
    assert [m.source for m in r.measurements] == [
        "Daily/2026-10-12.md:2", "Daily/2026-10-29.md:3", "Daily/2026-10-30.md:1",
    ]


def test_count_with_baseline(vault: Vault) -> None:
    root = vault({
        "O.md": OBJ,
        "K.md": ("---\ntype: key-result\nobjective: \"[[O]]\"\nmeasure: count\ntag: talk\n"
                 "baseline: 2\ntarget: 6\n---\n"),
        "2026-10-12.md": "#talk\n",
    })
    r = kr_result(run(root), "K")
    assert (r.current, r.progress) == (3, 0.25)


def test_explicit_measurement_outside_window_is_a_warning(vault: Vault) -> None:
    root = vault({
        "O.md": OBJ,
        "K.md": "---\ntype: key-result\nobjective: \"[[O]]\"\ntarget: 10\n---\n- 2026-09-30: 5\n",
    })
    analysis = run(root)
    assert kr_result(analysis, "K").measurements == []
    assert ("K.md", 6, "measurement-outside-window") in codes(analysis)


def test_bad_values_are_skipped_with_a_problem(vault: Vault) -> None:
    root = vault({
        "O.md": OBJ,
        "K.md": ("---\ntype: key-result\nobjective: \"[[O]]\"\ntarget: 10\n---\n"
                 "- 2026-10-05: lots\n- 2026-10-06: 4 (confidence 12)\n"),
        "C.md": "---\ntype: check-in\ndate: 2026-10-07\nkr: \"[[K]]\"\nvalue: 9:15\n---\n",
    })
    analysis = run(root)
    assert sources(analysis, "K") == [("2026-10-06", 4, None, None, "K.md:7")]
    assert ("K.md", 6, "bad-value") in codes(analysis)
    assert ("K.md", 7, "bad-confidence") in codes(analysis)
    assert ("C.md", 5, "bad-value") in codes(analysis)  # 9:15 is not 555
