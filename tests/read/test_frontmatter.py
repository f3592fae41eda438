"""Front-matter: python-frontmatter with our handler (BOM, CRLF, line numbers)."""

from __future__ import annotations

import frontmatter

from vaultokr.read.frontmatter import FrontMatterError, split
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
