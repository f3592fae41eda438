"""The generated notes are what the writer's tests say they are."""

from __future__ import annotations

from hypothesis import given, settings

from support.front_matter import notes


@settings(max_examples=50, derandomize=True, database=None)
@given(notes(first=("type: key-result",)))
def test_a_note_starts_with_its_front_matter_and_its_first_lines(note: tuple[str, bool]) -> None:
    text, had_keys = note
    eol = "\r\n" if "\r\n" in text else "\n"
    assert text.lstrip("\ufeff").startswith("---" + eol + "type: key-result" + eol)
    computed = ("okr_current", "okr_progress", "okr_status", "okr_last_measured")
    assert had_keys == any(line.lstrip("'").startswith(computed)
                           for line in text.split("---")[1].splitlines())
