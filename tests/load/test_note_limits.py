"""``note:`` (SPEC v3) for a checklist: the tasks of the note (or the
heading's section) it names instead of the key result's own note's."""

from __future__ import annotations

from support.vaults import Vault, codes, kr, kr_result, objective, run

PLAN = """# Launch plan
- [x] write the page
## Before launch
- [x] pick a date
- [ ] invite ten people
### Details
- [x] book the room
## After launch
- [ ] send the survey
- [ ] send thanks
"""


def done(analysis, kr_id: str) -> list[tuple[int, bool]]:  # type: ignore[no-untyped-def]
    return [(t.line, t.done) for t in kr_result(analysis, kr_id).kr.tasks]


def test_a_checklist_reads_the_note_it_names(vault: Vault) -> None:
    root = vault({"O.md": objective(), "Plan.md": PLAN,
                  "K.md": kr("- [x] my own task\n", measure="checklist", note="[[Plan]]")})
    analysis = run(root)
    assert done(analysis, "K") == [(2, True), (4, True), (5, False), (7, True), (9, False),
                                   (10, False)]
    assert [code for _, _, code in codes(analysis)] in ([], ["smart-stale"])  # no link problem


def test_a_checklist_reads_a_headings_section_with_its_deeper_headings(vault: Vault) -> None:
    root = vault({"O.md": objective(), "Plan.md": PLAN,
                  "K.md": kr(measure="checklist", note="[[Plan#before launch]]")})
    analysis = run(root)
    assert done(analysis, "K") == [(4, True), (5, False), (7, True)]
    assert kr_result(analysis, "K").progress == 2 / 3


def test_an_inline_key_result_may_name_a_note(vault: Vault) -> None:
    root = vault({"Plan.md": PLAN, "O.md": objective(key_results=[
        {"id": "after", "measure": "checklist", "note": "[[Plan#After launch]]"}])})
    assert done(run(root), "O#after") == [(9, False), (10, False)]


def test_without_note_a_checklist_reads_its_own_note(vault: Vault) -> None:
    root = vault({"O.md": objective(), "Plan.md": PLAN,
                  "K.md": kr("- [x] my own task\n- [ ] another\n", measure="checklist")})
    assert [done for _, done in done(run(root), "K")] == [True, False]
