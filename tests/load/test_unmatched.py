"""A field or tag that matches nothing names the closest one the vault has
(the reading fixtures in reading-rules/unmatched.md check where and when;
these check what the message says), and the names are collected only when
something matched nothing."""

from __future__ import annotations

import pytest
from support.vaults import Vault, kr, objective, run

from vaultokr.load import unmatched


def messages(analysis: object) -> list[str]:
    return [p.message for p in analysis.problems  # type: ignore[attr-defined]
            if p.code == "source-matches-nothing"]


def test_a_misspelt_field_names_the_field_the_daily_notes_have(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(field="meditaton", measure="sum", target=300, baseline=0),
        "Daily/2026-11-05.md": "meditation:: 20\nmood:: 7\n",
        "Daily/2026-11-06.md": "---\nMeditation minutes: 15\n---\n",
    })
    assert messages(run(root)) == [
        "field: meditaton matches no dated note in the vault, so this key result reads "
        "nothing from it: did you mean meditation? Write field: meditation"]


def test_a_field_from_front_matter_is_named_as_the_canonical_name(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(field="hours slep", measure="sum", target=300, baseline=0),
        "Daily/2026-11-06.md": "---\nHours slept: 7\n---\n",
    })
    assert messages(run(root)) == [
        "field: hours slep matches no dated note in the vault, so this key result reads "
        "nothing from it: did you mean hours-slept? Write field: hours-slept"]


def test_a_misspelt_tag_names_the_tag_with_its_parents(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(tag="exercize", measure="count", target=10, baseline=0),
        "Daily/2026-11-05.md": "Ran 5k #health/exercise\n",
        "Daily/2026-11-06.md": "---\ntags:\n  - reading\n  - client-call\n---\n",
    })
    assert messages(run(root)) == [
        "tag: exercize is on no dated note in the vault, so this key result counts nothing: "
        "did you mean health/exercise? Write tag: health/exercise"]
    # the same vault, the key result now one letter off a front-matter tag
    root = vault({"K.md": kr(tag="client-cal", measure="count", target=10, baseline=0)})
    assert messages(run(root))[0].endswith("did you mean client-call? Write tag: client-call")


def test_nothing_alike_says_so(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(field="mood", target=10, baseline=0),
        "Daily/2026-11-05.md": "steps:: 9000\n",
    })
    assert messages(run(root)) == [
        "field: mood matches no dated note in the vault, so this key result reads nothing "
        "from it yet: check the spelling, or write mood:: VALUE in a daily note"]


def test_the_names_are_collected_only_when_a_name_matches_nothing(
        vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    collected: list[str] = []
    names = unmatched._field_names

    def counting(texts):  # type: ignore[no-untyped-def]
        collected.append("field")
        return names(texts)

    monkeypatch.setitem(unmatched._NAMES, "field", counting)
    files = {
        "O.md": objective(),
        "A.md": kr(field="mood", target=10, baseline=0),
        "B.md": kr(field="mood", target=10, baseline=0, start="2026-12-01"),  # no measurement
        "Daily/2026-11-05.md": "mood:: 7\n",
    }
    assert messages(run(vault(files))) == [] and collected == []
    files["C.md"] = kr(field="moood", target=10, baseline=0)
    files["D.md"] = kr(field="moo", target=10, baseline=0)
    assert len(messages(run(vault(files)))) == 2 and collected == ["field"]  # once for both
