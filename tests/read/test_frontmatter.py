"""Front-matter: python-frontmatter with our handler (BOM, CRLF, line numbers)."""

from __future__ import annotations

import frontmatter

from vaultokr.read.frontmatter import FrontMatterError, Pos, Respelt, fold_keys, split
from vaultokr.read.yaml_values import HANDLER, LineYAMLHandler


def test_python_frontmatter_with_our_handler_reads_a_bom_and_crlf_note() -> None:
    text = "\ufeff---\r\ntype: objective\r\nlink: [[Speak]]\r\nclock: 9:15\r\n---\r\nbody\r\n"
    post = frontmatter.loads(text, handler=LineYAMLHandler())
    assert post.metadata == {"type": "objective", "link": "[[Speak]]", "clock": "9:15"}
    assert post.content == "body"


def test_positions_are_lines_of_the_file() -> None:
    parts = split("---\n\ntitle: x\nkey_results:\n  - id: a\n    target: 3\n---\n# Body\n")
    assert (parts.fm_line, parts.body_line) == (2, 8)
    meta, pos = HANDLER.load_located(parts.fm_text or "", parts.fm_line)
    assert meta["key_results"][0]["target"] == 3
    assert pos.line_of("title") == 3
    assert pos.line_of("key_results", 0, "target") == 6


def test_a_yaml_error_has_the_files_line() -> None:
    try:
        HANDLER.load_located("a: 1\nb: [1, 2\nc: 3\n", 5)
    except FrontMatterError as exc:
        assert exc.line in (6, 7) and exc.code == "yaml-syntax"
    else:
        raise AssertionError("no error")


def test_property_names_fold_to_lowercase_with_their_lines() -> None:
    meta = {"Type": "objective", "Target": 8, "target": 10, "VALUES": {"[[KR]]": 1}}
    pos = Pos(1, {"Type": Pos(2), "Target": Pos(3), "target": Pos(4),
                  "VALUES": Pos(5, {"[[KR]]": Pos(6)})})
    folded, folded_pos, respelt = fold_keys(meta, pos)
    assert folded == {"type": "objective", "target": 10, "values": {"[[KR]]": 1}}
    assert [folded_pos.line_of(k) for k in ("type", "target", "values")] == [2, 4, 5]
    assert folded_pos.line_of("values", "[[KR]]") == 6  # nested names stay as written
    assert respelt == [Respelt("target", "Target", 3)]


def test_without_a_lowercase_spelling_the_first_is_read() -> None:
    meta = {"TARGET": 8, "Target": 10}
    folded, _, respelt = fold_keys(meta, Pos(1, {"TARGET": Pos(2), "Target": Pos(3)}))
    assert folded == {"target": 8}
    assert respelt == [Respelt("TARGET", "Target", 3)]
    assert "Target and TARGET are one property" in respelt[0].message()


def test_lowercase_names_are_kept_as_they_are() -> None:
    meta = {"type": "objective", "period": "2026-Q4", "2026": 1}
    pos = Pos(1, {"type": Pos(2)})
    assert fold_keys(meta, pos) == (meta, pos, [])
