"""Issue 9, "bytes of a user's note changed outside the markers", "text from
notes injects markers" and "two outputs sharing one path": the regions
writer, driven through ``vaultokr build``."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.safety import KR, OBJ, build, make_vault, temp_files
from support.snapshot import changed, snapshot

END = b"<!-- vaultokr:end"


def after_end(data: bytes, nth: int = -1) -> bytes:
    """The bytes after the ``-->`` of the nth end marker."""
    ends = []
    start = 0
    while (at := data.find(END, start)) >= 0:
        ends.append(data.index(b"-->", at) + 3)
        start = at + 1
    return data[ends[nth]:]


def settles(root: Path) -> None:
    """A second build writes nothing."""
    before = snapshot(root, folders=True)
    ran = build(root)
    ran.assert_clean()
    assert changed(before, snapshot(root, folders=True)) == set(), ran.output


def test_a_stray_cr_after_an_end_marker_keeps_the_users_words(tmp_path: Path) -> None:
    note = (b"<!-- vaultokr:begin objective id=O -->\n<!-- vaultokr:end -->\rMY WORDS AFTER A CR"
            b"\n\n<!-- vaultokr:begin kr id=K -->\n<!-- vaultokr:end -->\n\nSome words of mine.\n")
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR, "N.md": note})
    ran = build(root)
    ran.assert_clean()
    data = (root / "N.md").read_bytes()
    assert data.count(b"MY WORDS AFTER A CR") == 1
    assert b"\rMY WORDS AFTER A CR\n\n<!-- vaultokr:begin kr id=K -->\n" in data
    assert after_end(data) == b"\n\nSome words of mine.\n"
    assert data.startswith(b"<!-- vaultokr:begin objective id=O -->")
    settles(root)


def test_a_bom_and_a_lone_cr_in_a_region_is_not_a_crash(tmp_path: Path) -> None:
    note = (b"\xef\xbb\xbf<!-- vaultokr:begin objective id=Obj -->\rafter-cr\n"
            b"<!-- vaultokr:end -->")
    root = make_vault(tmp_path, {"Obj.md": OBJ, "K.md": KR.replace("[[O]]", "[[Obj]]"),
                                 "B.md": note})
    ran = build(root)
    ran.assert_clean()
    data = (root / "B.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf<!-- vaultokr:begin objective id=Obj -->")
    assert after_end(data) == b""
    assert temp_files(root) == []


@pytest.mark.parametrize("note", [b"\r<!-- vaultokr:begin objective -->",
                                  b"\n\r\r<!-- vaultokr:begin objective -->\n"])
def test_an_unclosed_marker_after_lone_crs_is_a_problem_not_a_crash(
        tmp_path: Path, note: bytes) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR, "Notes/N.md": note})
    ran = build(root)
    ran.assert_clean()
    assert "Notes/N.md" in ran.output
    assert (root / "Notes" / "N.md").read_bytes() == note


def test_a_crlf_note_ending_with_its_end_marker_gets_nothing_after_it(tmp_path: Path) -> None:
    note = (OBJ + "<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->").replace(
        "\n", "\r\n").encode()
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR, "Notes/N.md": note})
    build(root).assert_clean()
    data = (root / "Notes" / "N.md").read_bytes()
    assert data.startswith(note[: note.index(b"<!-- vaultokr:end")])
    assert after_end(data) == b""
    settles(root)


def test_mixed_line_endings_around_a_region_are_kept(tmp_path: Path) -> None:
    crlf_head = OBJ.replace("\n", "\r\n").encode()
    note = (crlf_head + b"intro\r\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
            b"after LF\r\nlast CRLF\r\n")
    root = make_vault(tmp_path, {"O.md": note, "K.md": KR})
    build(root).assert_clean()
    data = (root / "O.md").read_bytes()
    assert data.startswith(crlf_head + b"intro\r\n<!-- vaultokr:begin objective -->")
    assert after_end(data) == b"\nafter LF\r\nlast CRLF\r\n"
    settles(root)


def test_a_stray_cr_above_a_region_is_not_a_marker_problem(tmp_path: Path) -> None:
    note = (OBJ + "one\rtwo\n\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
            "tail\n").encode()
    root = make_vault(tmp_path, {"O.md": note, "K.md": KR})
    ran = build(root)
    ran.assert_clean()
    assert "without" not in ran.output and "region" not in ran.output.lower(), ran.output
    data = (root / "O.md").read_bytes()
    assert data.startswith(OBJ.encode() + b"one\rtwo\n\n<!-- vaultokr:begin objective -->\n")
    assert b"Talks given" in data
    assert after_end(data) == b"\ntail\n"


@pytest.mark.parametrize("body", [
    "> <!-- vaultokr:begin objective -->\n> <!-- vaultokr:end -->\n",
    "- <!-- vaultokr:begin objective -->\n- <!-- vaultokr:end -->\n",
    "    <!-- vaultokr:begin objective -->\n    <!-- vaultokr:end -->\n",
    "```md\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n```\n",
    "<!-- vaultokr:begin objective -->\nno end\n",
    "<!-- vaultokr:end -->\nno begin\n",
    "<!-- vaultokr:begin objective -->\n<!-- vaultokr:begin kr -->\n<!-- vaultokr:end -->\n"
    "<!-- vaultokr:end -->\n",
], ids=["quote", "list", "indented-code", "fence", "unclosed", "stray-end",
        "nested"])
def test_a_note_without_a_valid_region_is_never_changed(tmp_path: Path, body: str) -> None:
    note = (OBJ + "words before\n" + body + "words after\n").encode()
    root = make_vault(tmp_path, {"O.md": note, "K.md": KR})
    build(root).assert_clean()
    assert (root / "O.md").read_bytes() == note


INJECTING_TITLE = "Talks\n<!-- vaultokr:end -->\n<!-- vaultokr:begin kr -->\nx"


def test_a_title_with_markers_does_not_grow_the_note(tmp_path: Path) -> None:
    kr = KR.replace("title: Talks given", "title: " + repr(INJECTING_TITLE).replace("'", '"'))
    note = (OBJ + "mine\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
            "after the region\n").encode()
    root = make_vault(tmp_path, {"O.md": note, "K.md": kr})
    ran = build(root)
    ran.assert_clean()
    data = (root / "O.md").read_bytes()
    assert data.startswith(OBJ.encode() + b"mine\n<!-- vaultokr:begin objective -->\n")
    assert after_end(data) == b"\nafter the region\n"
    assert data.count(b"<!-- vaultokr:begin") == 1 and data.count(END) == 1
    assert (root / "OKRs" / "Dashboard.md").is_file()
    settles(root)
    assert "not written" not in build(root).output


def test_a_fence_in_a_checkin_comment_does_not_break_the_week_region(tmp_path: Path) -> None:
    checkin = ('---\ntype: check-in\ndate: 2026-11-18\nkr: "[[K]]"\nvalue: 6\n'
               'comment: "went well\\n```\\nthen this"\n---\n')
    week = b"# Week\n<!-- vaultokr:begin week week=2026-W47 -->\n<!-- vaultokr:end -->\nmine\n"
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR, "Check-ins/c.md": checkin,
                                 "Weekly/2026-W47.md": week})
    ran = build(root)
    ran.assert_clean()
    assert "nested" not in ran.output
    data = (root / "Weekly" / "2026-W47.md").read_bytes()
    assert after_end(data) == b"\nmine\n"
    assert data.count(b"\n```") % 2 == 0, data.decode()
    settles(root)
    assert "nested" not in build(root).output


def test_a_title_with_a_cr_keeps_the_line_between_two_regions(tmp_path: Path) -> None:
    kr = KR.replace("title: Talks given", 'title: "Talks\\rgiven"')
    note = (OBJ + "<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
            "MY LINE BETWEEN\n<!-- vaultokr:begin kr id=K -->\n<!-- vaultokr:end -->\n"
            "tail\n").encode()
    root = make_vault(tmp_path, {"O.md": note, "K.md": kr})
    for _ in range(3):
        build(root).assert_clean()
        data = (root / "O.md").read_bytes()
        assert after_end(data, 0).startswith(b"\nMY LINE BETWEEN\n<!-- vaultokr:begin kr id=K")
        assert after_end(data) == b"\ntail\n"
    settles(root)


def test_a_period_review_that_is_also_the_week_review_is_reported(tmp_path: Path) -> None:
    obj = OBJ.replace("2026-Q4", "2026-W47")
    kr = KR.replace("- 2026-11-02: 4\n- 2026-11-16: 5\n", "- 2026-11-17: 4\n- 2026-11-18: 5\n")
    root = make_vault(tmp_path, {"O.md": obj, "K.md": kr})
    ran = build(root)
    ran.assert_clean()
    assert "OKRs/Reviews/2026-W47.md" in ran.output
    assert ran.output.count("OKRs/Reviews/2026-W47.md") == 1 or "same" in ran.output
    settles(root)


def test_the_dashboard_at_the_week_reviews_path_is_reported(tmp_path: Path) -> None:
    kr = KR.replace("- 2026-11-02: 4\n- 2026-11-16: 5\n", "- 2026-11-17: 4\n- 2026-11-18: 5\n")
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": kr, "vaultokr.toml":
                                 '[outputs]\ndashboard = "OKRs/Reviews/2026-W47.md"\n'})
    ran = build(root)
    ran.assert_clean()
    settles(root)
    assert "2026-W47.md" in build(root).output
