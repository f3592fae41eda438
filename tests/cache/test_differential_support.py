"""The differential test's own machinery (tests/support/differential.py):
what it compares, copies and puts back, and that it finds a cache that
answers from stale inputs."""

from __future__ import annotations

import ast
import datetime as dt
import os
from pathlib import Path

import jinja2
import pytest
from support.differential import (
    Difference,
    Ran,
    Step,
    Vault,
    compare,
    compiled_once,
    copy_user_files,
    kind,
    replay,
    run,
    tree,
)
from support.differential_edits import DATES, EDITS, base_vault

from vaultokr.cache import answers
from vaultokr.core import clock

CACHES = [".vaultokr/index", ".vaultokr/answer-0123", ".vaultokr/last-build",
          ".vaultokr/last-reviews", ".vaultokr/index.delta",
          ".vaultokr/lock", ".vaultokr/.gitignore", ".vaultokr/index.tmp-1"]


def filled(root: Path) -> Path:
    for rel in ["Notes/A.md", ".vaultokr/templates/x.md.j2", *CACHES]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    os.symlink("A.md", root / "Notes/Link.md")
    os.symlink("missing.md", root / "Notes/Gone.md")
    return root


def test_tree_leaves_out_the_caches_and_shows_links(tmp_path: Path) -> None:
    found = tree(filled(tmp_path))
    assert found == {"Notes": b"/", "Notes/A.md": b"Notes/A.md", "Notes/Link.md": b"-> A.md",
                     "Notes/Gone.md": b"-> missing.md", ".vaultokr": b"/",
                     ".vaultokr/templates": b"/",
                     ".vaultokr/templates/x.md.j2": b".vaultokr/templates/x.md.j2"}


def test_the_copy_has_the_user_files_their_times_and_links(tmp_path: Path) -> None:
    src = filled(tmp_path / "src")
    os.utime(src / "Notes/A.md", (1_000_000, 1_000_000))
    copy_user_files(src, tmp_path / "dst")
    assert tree(tmp_path / "dst") == tree(src)
    assert not any((tmp_path / "dst" / rel).exists() for rel in CACHES)
    assert (tmp_path / "dst/Notes/A.md").stat().st_mtime == 1_000_000
    assert os.readlink(tmp_path / "dst/Notes/Gone.md") == "missing.md"


def test_a_run_puts_back_the_clock(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    real = clock.today
    ran = run(vault.root, ("status",), dt.date(2026, 11, 27), 200, cached=False)
    assert ran.code == 0 and not ran.crash
    assert "as of Fri 27 Nov 2026" in ran.stdout
    assert clock.today is real
    assert not (vault.root / ".vaultokr/index").exists()
    narrow = run(vault.root, ("status",), dt.date(2026, 11, 27), 40, cached=True)
    assert narrow.code == 0 and narrow.stdout != ran.stdout  # COLUMNS=40: lines cut
    assert (vault.root / ".vaultokr/index").exists()


def test_compare_names_every_difference() -> None:
    same = Ran(0, "out\n", "err\n", "")
    assert compare(same, same, {"a": b"1"}, {"a": b"1"}) == []
    found = compare(same, Ran(1, "out\nmore\n", "err\n", "ValueError()"),
                    {"a": b"1", "b": b"2"}, {"a": b"3"})
    text = "".join(found)
    assert [f.split(" ", 2)[:2] for f in found] == [
        ["code", "differs:\n"], ["stdout", "differs:\n"], ["crash", "differs:\n"],
        ["a", "crash:"], ["file", "a"], ["file", "b"]]
    assert "+more" in text and "-1" in text and "+3" in text and "+(missing)" in text


@pytest.mark.parametrize("name", sorted(EDITS))
def test_every_edit_applies_to_any_vault(name: str, tmp_path: Path) -> None:
    """An edit picks modulo what exists: it applies to the starting vault, a
    built one and one with no notes left."""
    vault = Vault(tmp_path / "vault")
    arity = EDITS[name][1]
    run(vault.root, ("build",), DATES[0], 80, cached=True)
    for numbers in [(1,) * arity, (7,) * arity]:
        EDITS[name][0](vault, *numbers)
    for rel in vault.notes() + vault.notes(generated=True):
        (vault.root / rel).unlink()
    EDITS[name][0](vault, *(3,) * arity)


def test_the_vault_starts_with_a_template_including_a_part(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault")
    assert tree(vault.root)[".vaultokr/templates/parts/extra.md.j2"] == b"Extra: one\n"
    run(vault.root, ("build",), DATES[0], 80, cached=True)
    dashboard = (vault.root / "OKRs/Dashboard.md").read_text()
    assert dashboard.endswith("Edition 1\nExtra: one\n")
    assert len(vault.notes(generated=True)) >= 3
    assert set(base_vault()) <= set(tree(vault.root))


def test_a_stale_answer_is_found_and_printed_for_replay(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache that ignores the notes (the answers' digest without them)
    answers a changed vault as before: the harness reports it, with the
    sequence as a call of replay that gives the same steps."""
    real = answers._digest

    def blind(inputs: answers.Inputs, *args: object) -> str | None:
        inputs = answers.Inputs(inputs.root, inputs.stamp, inputs.started_ns, {}, [])
        return real(inputs, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(answers, "_digest", blind)
    # the edit picks a note by its place among the vault's notes: Readers's
    notes = sorted(Path(rel) for rel in base_vault() if rel.endswith(".md"))
    readers = notes.index(Path("OKRs/Q4/Readers.md"))
    steps: list[Step] = [(("none",), ("status",)), (("value", readers, 99), ("status",))]
    with pytest.raises(Difference) as failed:
        replay(steps, tmp_path / "work")
    message = str(failed.value)
    assert message.startswith("step 2 of 2") and "stdout differs" in message
    call = message.split("replay(", 1)[1].rsplit(")", 1)[0]
    assert ast.literal_eval(call) == steps
    monkeypatch.setattr(answers, "_digest", real)
    replay(steps, tmp_path / "work")


def test_templates_compiled_once_still_see_a_changed_source() -> None:
    env = jinja2.Environment()
    with compiled_once():
        first = env.from_string("one {{ x }}").render(x=1)
        again = jinja2.Environment().from_string("one {{ x }}").render(x=2)
        other = env.from_string("two {{ x }}").render(x=1)
    assert (first, again, other) == ("one 1", "one 2", "two 1")
    assert jinja2.Environment.compile.__module__ == "jinja2.environment"  # put back


def test_a_command_kind_is_its_words_but_dates() -> None:
    assert kind(("status", "--json", "--as-of", "2026-11-27")) == "status --json --as-of"
    assert kind(("build", "-v")) == "build -v"
