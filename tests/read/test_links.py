from __future__ import annotations

from support.vaults import Vault, codes, objective, run


def kr_note(link: str) -> str:
    """A key result whose objective: is written exactly as given (quoted or not)."""
    return f"---\ntype: key-result\nobjective: {link}\ntarget: 3\n---\n"


def test_links_resolve_by_name_path_case_and_alias(vault: Vault) -> None:
    root = vault({
        "Goals/Speak More.md": objective(aliases="[Talks]"),
        "A.md": kr_note('"[[Speak More]]"'),
        "B.md": kr_note('"[[goals/speak more|the objective]]"'),
        "C.md": kr_note('"[[Talks]]"'),
        "D.md": kr_note("[[Speak More]]"),  # unquoted: YAML reads a nested list
        "E.md": kr_note('"[[Speak More.md#Heading]]"'),
    })
    analysis = run(root)
    assert analysis.errors == []
    assert sorted(analysis.model.objectives["Goals/Speak More"].key_results) == list("ABCDE")


def test_missing_ambiguous_and_wrong_type_links(vault: Vault) -> None:
    root = vault({
        "One/Plan.md": objective(),
        "Two/Plan.md": objective(),
        "Idea.md": "just a note\n",
        "A.md": kr_note('"[[Nope]]"'),
        "B.md": kr_note('"[[Plan]]"'),
        "C.md": kr_note('"[[Idea]]"'),
        "D.md": kr_note('"[[Two/Plan]]"'),
    })
    analysis = run(root)
    assert [c for c in codes(analysis) if c[2].startswith("link")] == [
        ("A.md", 3, "link-missing"),
        ("B.md", 3, "link-ambiguous"),
        ("C.md", 3, "link-wrong-type"),
    ]
    messages = {p.path: p.message for p in analysis.problems}
    assert "matches 2 notes ([[One/Plan]], [[Two/Plan]]): write the path" in messages["B.md"]
    assert analysis.model.key_results["D"].objective == "Two/Plan"
    assert "A" not in analysis.model.key_results
