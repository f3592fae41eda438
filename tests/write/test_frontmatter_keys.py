"""The front-matter writer of ``properties = true``, property-based: on
generated front-matter (orders, quoting, comments, block and flow lists,
values over several lines, CRLF, a BOM, Obsidian's property-editor output,
computed keys already there in odd shapes) it changes only its keys' lines,
reads back what it wrote, writes nothing the second time, and removing the
keys gives the note back byte for byte."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.front_matter import notes

from vaultokr.write.frontmatter_keys import KeysRefused, has_any, set_keys

MANAGED = ["okr_current", "okr_progress", "okr_status", "okr_last_measured"]
VALUES = st.fixed_dictionaries({
    "okr_current": st.sampled_from(["7", "0", "-2.5", "1437", ""]),
    "okr_progress": st.sampled_from(["70", "42.9", "0", "100", ""]),
    "okr_status": st.sampled_from(["on_track", "at_risk", "achieved"]),
    "okr_last_measured": st.sampled_from(["2026-11-20", ""]),
})


def _readable(text: str) -> bool:
    try:
        return isinstance(yaml.safe_load(text.split("---", 2)[1].replace("\r\n", "\n")),
                          (dict, type(None)))
    except yaml.YAMLError:
        return False


def _without_keys(text: str) -> list[str]:
    """The note's lines other than computed keys' (top-level) lines and their values."""
    kept, skipping = [], False
    for line in filter(None, re.split(r"(?<=\n)", text)):
        if re.match(r"^['\"]?(okr_current|okr_progress|okr_status|okr_last_measured)['\"]?:",
                    line):
            skipping = True
            continue
        if skipping and (line[:1] in (" ", "\t") or line.startswith("- ") or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    return kept


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(notes(), VALUES)
def test_only_its_own_lines_change(note: tuple[str, bool], values: dict[str, str]) -> None:
    text, had_keys = note
    if not _readable(text):
        with pytest.raises(KeysRefused):
            set_keys(text, values, MANAGED)
        return
    new = set_keys(text, values, MANAGED)
    data = yaml.safe_load(new.lstrip("\ufeff").split("---", 2)[1].replace("\r\n", "\n"))
    for key, value in values.items():  # read back as written
        assert data[key] == (yaml.safe_load(value) if value else None)
    assert set_keys(new, values, MANAGED) == new  # a second build writes nothing
    assert _without_keys(new) == _without_keys(text)  # every other line as it was
    removed = set_keys(new, {}, MANAGED)
    assert not has_any(removed, MANAGED)
    if not had_keys:
        assert removed == text  # properties = false gives the note back byte for byte
    assert new.startswith("\ufeff") == text.startswith("\ufeff")
    assert ("\r\n" in new) == ("\r\n" in text)


def test_a_key_is_replaced_where_it_is_and_added_after_the_last_line() -> None:
    text = "---\ntitle: T\nokr_status: off_track\ntags:\n  - a\n---\nbody\n"
    new = set_keys(text, {"okr_progress": "50", "okr_status": "on_track"}, MANAGED)
    assert new == ("---\ntitle: T\nokr_status: on_track\ntags:\n  - a\nokr_progress: 50\n"
                   "---\nbody\n")


def test_a_key_written_twice_or_as_a_list_is_replaced_whole() -> None:
    text = "---\nokr_status:\n- a\n- b\nx: 1\nokr_status: c\n---\n"
    assert set_keys(text, {"okr_status": "achieved"}, MANAGED) == (
        "---\nokr_status: achieved\nx: 1\n---\n")


@pytest.mark.parametrize("text", ["no front-matter\n", "---\nopen: [1,\n---\n",
                                  "---\n- a list\n---\n", "---\nnever closed\n"])
def test_a_note_whose_front_matter_does_not_read_is_refused(text: str) -> None:
    with pytest.raises(KeysRefused):
        set_keys(text, {"okr_status": "on_track"}, MANAGED)


def test_a_flow_mapping_front_matter_is_refused_rather_than_broken() -> None:
    with pytest.raises(KeysRefused):
        set_keys("---\n{a: 1}\n---\n", {"okr_status": "on_track"}, MANAGED)
