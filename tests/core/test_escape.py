"""Note text written into outputs: one line, no marker, no fence (issue 9)."""

from __future__ import annotations

import os

from vaultokr.core import escape
from vaultokr.core.escape import one_line, printable
from vaultokr.write import writer


def test_line_breaks_of_every_kind_become_one_space() -> None:
    assert one_line("a\nb\r\nc\rd\u2028e\x85f") == "a b c d e f"


def test_marker_and_fence_text_is_written_as_text() -> None:
    title = "x <!-- vaultokr:end --> ``` ~~~~ `code`"
    assert one_line(title) == "x &lt;!-- vaultokr:end --> \\`\\`\\` \\~\\~\\~\\~ `code`"


def test_strings_inside_lists_and_mappings_are_escaped_and_the_rest_kept() -> None:
    context = {"krs": [{"title": "a\nb", "value": 3, "ok": None}], "pair": ("c\rd", 1.5)}
    assert one_line(context) == {"krs": [{"title": "a b", "value": 3, "ok": None}],
                                 "pair": ("c d", 1.5)}


def test_a_non_utf8_file_name_is_printable() -> None:
    name = os.fsdecode(b"Caf\xe9.md")
    assert printable(name) == "Caf\ufffd.md"
    assert printable("Café.md") == "Café.md"


def test_the_temporary_name_fits_the_file_systems_limit() -> None:
    for size in (1, 200, 240, 255):
        name = writer._temp_name("é" * (size // 2) + ".md")
        assert len(os.fsencode(name)) <= 255
        assert name.startswith(".") and name.endswith(writer.TEMP_SUFFIX)


def test_each_hazard_alone_is_escaped_and_plain_text_is_the_same_object() -> None:
    hazards = ["\r", "\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",
               "<!--", "```", "~~~", os.fsdecode(b"\xe9")]
    for hazard in hazards:
        text = f"a {hazard} b"
        assert one_line(text) == escape._text(text) != text, repr(hazard)
        assert one_line({"k": [text]}) == {"k": [escape._text(text)]}
    plain = "a ~ b `` <! -- c"
    assert one_line(plain) is plain


def test_a_list_or_mapping_met_twice_is_escaped_once_and_escaped_ones_are_kept() -> None:
    row = {"title": "a\nb"}
    done = one_line({"all": [row], "some": [row]})
    assert done == {"all": [{"title": "a b"}], "some": [{"title": "a b"}]}
    assert done["all"][0] is done["some"][0]
    ready = escape.escaped({"title": "c\nd"})
    assert ready == {"title": "c d"} and one_line([ready])[0] is ready
