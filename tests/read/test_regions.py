"""Regions: found from markdown-it's tokens, replaced byte-exactly."""

from __future__ import annotations

from vaultokr.read.ownership import checksum
from vaultokr.read.regions import apply, scan

NOTE = (
    "---\ntype: objective\n---\n"
    "# My objective\n\nMy words.\n\n"
    "<!-- vaultokr:begin objective -->\nold\n<!-- vaultokr:end -->\n"
    "\nMore of my words.\n"
)


def test_finds_a_region_and_fills_it_leaving_everything_else() -> None:
    found = scan(NOTE)
    assert found.problems == []
    (region,) = found.regions
    assert (region.name, region.line, region.content, region.stored) == ("objective", 8, "old",
                                                                         None)
    out = apply(found, {region.begin: "| a | b |\n|---|---|\n"})
    stamp = checksum("| a | b |\n|---|---|")
    assert out == NOTE.replace(
        "old\n<!-- vaultokr:end -->", f"| a | b |\n|---|---|\n<!-- vaultokr:end {stamp} -->"
    )
    again = scan(out)
    assert again.regions[0].edited is False


def test_crlf_bom_and_no_trailing_newline_are_kept() -> None:
    text = "\ufeff" + NOTE.replace("\n", "\r\n").rstrip("\r\n")
    found = scan(text)
    out = apply(found, {found.regions[0].begin: "new\n"})
    assert out.startswith("\ufeff---\r\ntype: objective\r\n")
    assert out.endswith("More of my words.")
    assert "\r\nnew\r\n<!-- vaultokr:end sha256:" in out
    assert out.replace("\r\n", "\n").count("\n") == text.replace("\r\n", "\n").count("\n")
    prefix = text[: text.index("<!-- vaultokr:begin")]
    assert out.startswith(prefix)


def test_markers_inside_code_are_text() -> None:
    text = (
        "```markdown\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n```\n\n"
        "    <!-- vaultokr:begin kr -->\n\n"
        "- <!-- vaultokr:begin kr -->\n"
    )
    found = scan(text)
    assert found.regions == [] and found.problems == []


def test_hand_edit_is_detected() -> None:
    found = scan(NOTE)
    out = apply(found, {found.regions[0].begin: "generated\n"})
    edited = out.replace("generated", "generated, and my own line")
    assert scan(edited).regions[0].edited is True


def test_unbalanced_and_nested_markers_are_problems() -> None:
    nested = "<!-- vaultokr:begin a -->\n<!-- vaultokr:begin b -->\n<!-- vaultokr:end -->\n"
    assert [(p.line, p.code) for p in scan(nested).problems] == [(2, "region-nested")]
    unclosed = "x\n<!-- vaultokr:begin a -->\n"
    assert [(p.line, p.code) for p in scan(unclosed).problems] == [(2, "region-unbalanced")]
    stray = "<!-- vaultokr:end -->\n"
    assert [(p.line, p.code) for p in scan(stray).problems] == [(1, "region-unbalanced")]


def test_params_and_an_empty_region() -> None:
    text = '<!-- vaultokr:begin kr id="OKRs/Speaking invitations" -->\n<!-- vaultokr:end -->\n'
    found = scan(text)
    assert found.regions[0].params == {"id": "OKRs/Speaking invitations"}
    assert found.regions[0].content == ""


def test_what_a_region_holds_is_never_read_back_as_measurements(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from vaultokr.run.oneshot import analyse

    (tmp_path / "O.md").write_text("---\ntype: objective\nperiod: 2026-Q4\n---\n")
    (tmp_path / "K.md").write_text(
        "---\ntype: key-result\nobjective: \"[[O]]\"\ntarget: 10\nmeasure: checklist\n---\n"
        "- 2026-10-02: 3\n- [x] real task\n\n"
        "<!-- vaultokr:begin kr -->\n| Date | Value |\n|---|---|\n| 2026-10-05 | 99 |\n"
        "- 2026-10-06: 98\n- [x] not a task\n<!-- vaultokr:end -->\n"
    )
    r = analyse(tmp_path, dt.date(2026, 11, 20)).results.key_results["K"]
    assert [(m.value, m.line) for m in r.kr.measurements] == [(3, 7)]
    assert (r.current, r.target) == (1, 1)
