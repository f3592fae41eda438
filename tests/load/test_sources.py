"""The five measurement sources of SPEC §3, each with its source path:line."""

from __future__ import annotations

import datetime as dt

from support.vaults import Vault, checkin, codes, kr, kr_result, objective, run

D = dt.date


def sources(analysis, kr_id):  # type: ignore[no-untyped-def]
    return [(m.date.isoformat(), m.value, m.confidence, m.comment, m.source)
            for m in kr_result(analysis, kr_id).measurements]


def test_checkin_note_single_value(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(target=10, unit="people"),
        "Check-ins/2026-11-19 meetup.md": checkin(
            kr="[[K]]", value="49 people", confidence=7, comment="first live stream"),
    })
    assert sources(run(root), "K") == [
        ("2026-11-19", 49, 7, "first live stream", "Check-ins/2026-11-19 meetup.md:4")
    ]


def test_checkin_note_values_mapping_with_inline_kr(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "Net.md": objective(key_results=[{"id": "mentors", "target": 4}]),
        "K.md": kr(target=10),
        "W.md": """
            ---
            type: check-in
            date: 2026-11-06
            values:
              "[[K]]": {value: 2, confidence: 7, comment: two replies}
              "[[Net#mentors]]": 1
              [[K|again]]: 3
            ---
            """,
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
    root = vault({"O.md": objective(),
                  "K.md": kr(target=2000, body=body)})
    assert sources(run(root), "K") == [
        ("2026-10-05", 1341, 6, "went well", "K.md:7"),
        ("2026-10-06", 45, None, "a dash separated one", "K.md:8"),
        ("2026-10-19", 1388, 6, "viral post", "K.md:15"),
        ("2026-11-02", 1412, None, None, "K.md:16"),
    ]


def test_checkins_list_in_front_matter(vault: Vault) -> None:
    root = vault({
        "O.md": """
            ---
            type: objective
            period: 2026-Q4
            key_results:
              - id: talks
                measure: sum
                target: 3
                checkins:
                  - {date: 2026-10-21, value: 1, confidence: 6}
                  - date: 2026-11-25
                    value: 1
            ---
            """,
    })
    analysis = run(root, D(2026, 11, 20))
    assert sources(analysis, "O#talks") == [("2026-10-21", 1, 6, None, "O.md:9")]


def test_field_from_daily_notes_front_matter_and_inline(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "Sleep.md": kr(field="sleep", keep="above", target=75),
        "Write.md": kr(field="writing_hours", measure="sum", target=40, unit="h"),
        "Daily/2026-11-02.md": """
            ---
            sleep: 78
            ---
            # Monday

            writing_hours:: 1.5
            """,
        "Daily/2026-11-03.md": "Tuesday [writing_hours:: 2 h] and `writing_hours:: 9`\n",
        "Daily/2026-11-04.md": """
            ```
            writing_hours:: 9
            ```
            """,
        "Journal/Thoughts.md": """
            ---
            date: 2026-11-05
            sleep: 70
            ---
            """,
        "Undated.md": """
            ---
            sleep: 10
            ---
            writing_hours:: 9
            """,
        "Daily/2026-09-30.md": """
            ---
            sleep: 50
            ---
            """,  # before the window: not counted
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
        "O.md": objective(),
        "K.md": kr(measure="count", tag='"#guest-post"', target=5),
        "Daily/2026-10-12.md": """
            ---
            tags: [work, guest-post]
            ---
            """,
        "Daily/2026-10-29.md": """
            # Thu

            Asked for a post #guest-post and again #guest-post
            """,
        "Daily/2026-10-30.md": "Nested tag counts too: #guest-post/paid\n",
        "Daily/2026-10-31.md": """
            Not in code: `#guest-post`

                #guest-post
            """,
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
        "O.md": objective(),
        "K.md": kr(measure="count", tag="talk", baseline=2, target=6),
        "2026-10-12.md": "#talk\n",
    })
    r = kr_result(run(root), "K")
    # SPEC v2 changed this on purpose (v1: 2 + 1 = 3, (3 - 2) / (6 - 2) = 0.25): a flow counts
    # from 0 and its baseline is last period's total, so 1 talk of 6 is 1/6
    assert (r.current, r.progress) == (1, 1 / 6)


def test_explicit_measurement_outside_window_is_a_warning(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(target=10, log=["2026-09-30: 5"]),
    })
    analysis = run(root)
    assert kr_result(analysis, "K").measurements == []
    assert ("K.md", 6, "measurement-outside-window") in codes(analysis)


def test_bad_values_are_skipped_with_a_problem(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(target=10, log=["2026-10-05: lots", "2026-10-06: 4 (confidence 12)"]),
        "C.md": checkin(date="2026-10-07", kr="[[K]]", value="9:15"),
    })
    analysis = run(root)
    assert sources(analysis, "K") == [("2026-10-06", 4, None, None, "K.md:7")]
    assert ("K.md", 6, "bad-value") in codes(analysis)
    assert ("K.md", 7, "bad-confidence") in codes(analysis)
    assert ("C.md", 5, "bad-value") in codes(analysis)  # 9:15 is not 555
