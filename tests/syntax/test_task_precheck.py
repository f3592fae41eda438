"""The ``task:`` pre-check (``may_task``) against the parse it stands in
for: whenever the Markdown parse finds a checked task with the text or tag,
the pre-check said yes; and it says no to notes without one, so a vault's
other notes are never parsed for tasks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultokr.load.sources.tasks import counted_by
from vaultokr.model.okr import KeyResult
from vaultokr.read import markdown
from vaultokr.syntax import names as syntax

NEEDLES = ["meditate", "#habit", "#habit/run", "every day"]
KR = KeyResult("K", "K", "O", "K.md", 1)


def parsed(text: str, needle: str) -> bool:
    """Whether the task source counts a task of ``text`` for ``needle``."""
    body = markdown.parse_body(text, 1)
    return any(task.done and list(counted_by(task, {needle: [KR]}))
               for task in markdown.tasks(body))


CASES = [
    "- [x] Meditate",
    "- [X] MEDITATE 10 min ✅ 2026-11-05",
    "> [!todo] Habits\n> - [x] Meditate\n> - [ ] Stretch",
    "1. [x] Ran 5 km #habit/run",
    "* [x] Stretch every day 🔁 every day",
    "- [x] Morning routine\n  meditate, stretch",  # a continuation line is not the task
    "- [ ] Meditate",
    "```\n- [x] Meditate\n```",
    "- [x] `#habit` in code",
    "Meditate, #habit, and a [x] elsewhere\n- [x] Something else",
]


def test_the_pre_check_says_yes_to_every_task_the_parse_counts() -> None:
    counted = 0
    for text in CASES:
        for needle in NEEDLES:
            if parsed(text, needle):
                counted += 1
                assert syntax.may_task(text.lower(), [needle]), (text, needle)
    assert counted == 6  # the cases above that count: the check is not vacuous


def test_the_pre_check_says_no_without_a_checked_line_holding_the_text() -> None:
    assert not syntax.may_task("- [ ] meditate", ["meditate"])
    assert not syntax.may_task("meditate and #habit\n- [x] something else", ["meditate", "#habit"])
    assert not syntax.may_task("- [x] run\n  meditate", ["meditate"])
    assert syntax.may_task("- [x] run\n- [x] meditate", ["#habit", "meditate"])


LINE_PARTS = st.sampled_from(["- ", "> ", "1. ", "  ", "[x] ", "[X] ", "[ ] ", "Meditate",
                              "#habit", "#habit/run", "every day", "🔁 ", "✅ 2026-11-05",
                              "`", "\n", "\n\n", "```\n", " ", "x", "#"])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(LINE_PARTS, max_size=14).map("".join))
def test_the_pre_check_never_misses_a_task_the_parse_counts(text: str) -> None:
    for needle in NEEDLES:
        if parsed(text, needle):
            assert syntax.may_task(text.lower(), [needle]), (text, needle)
