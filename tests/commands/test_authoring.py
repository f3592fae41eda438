"""init, new, checkin and export: they only add, and never lose an edit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from support.cli import invoke
from support.snapshot import snapshot
from support.vaults import objective, write

from vaultokr.commands import authoring
from vaultokr.commands.authoring import add_log_line
from vaultokr.commands.init import init
from vaultokr.write.writer import Outcome

TODAY = dt.date(2026, 11, 20)


def test_init_twice_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    first = init(root, TODAY)
    assert len(first.created) == 5 and first.types == "absent"
    before = snapshot(root)
    second = init(root, TODAY)  # the vault has notes now: no examples again
    assert second.created == [] and second.skipped == ["vaultokr.toml"]
    assert not second.examples and second.notes_found == 4
    assert snapshot(root) == before


def test_init_keeps_existing_notes_and_user_property_types(tmp_path: Path) -> None:
    root = write(tmp_path / "vault", {
        ".obsidian/types.json": '{"types":{"target":"text","rating":"number"}}',
        "vaultokr.toml": "stale_days = 7\n",
    })
    result = init(root, TODAY)
    assert "vaultokr.toml" in result.skipped
    assert (root / "vaultokr.toml").read_text() == "stale_days = 7\n"
    assert result.types == "added"
    types = json.loads((root / ".obsidian" / "types.json").read_text())["types"]
    assert types["target"] == "text"  # the user's choice stays
    assert types["rating"] == "number" and types["baseline"] == "number"
    assert types["due"] == "date"
    complete = (root / ".obsidian" / "types.json").read_bytes()
    assert init(root, TODAY).types == "unchanged"
    assert (root / ".obsidian" / "types.json").read_bytes() == complete


def test_init_leaves_a_broken_types_json_alone(tmp_path: Path) -> None:
    root = write(tmp_path / "vault", {".obsidian/types.json": "{not json"})
    assert init(root, TODAY).types == "unreadable"
    assert (root / ".obsidian" / "types.json").read_text() == "{not json"


def test_the_initial_vault_computes(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    init(root, TODAY)
    code, out, _ = invoke("check", str(root), "--as-of", "2026-11-20")
    assert code == 0, out


def test_new_validates_before_writing(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    cases = [
        (["new", "objective", "X", "--vault", str(root)], "needs --period"),
        (["new", "kr", "X", "--vault", str(root), "--objective", "O"], "needs a target"),
        (["new", "kr", "X", "--vault", str(root), "--objective", "O", "--target", "lots"],
         "is not a number"),
        (["new", "kr", "X", "--vault", str(root), "--objective", "O", "--target", "5",
          "--change", "+5%"], "give one of"),
        (["new", "objective", "X", "--vault", str(root), "--period", "2026-Q5"],
         "is not a period"),
        (["new", "kr", "X", "--vault", str(root), "--objective", "O", "--measure", "count",
          "--target", "3"], "give --tag, --field or --task"),
        (["new", "kr", "X", "--vault", str(root), "--objective", "O", "--task", "Meditate",
          "--target", "3"], "--task counts checked tasks: give --measure count"),
        (["new", "kr", "X", "--vault", str(root), "--objective", "O", "--measure", "count",
          "--task", "Meditate", "--tag", "habit", "--target", "3"], "would count twice"),
        (["new", "kr", "X", "--vault", str(root), "--objective", "O", "--measure", "count",
          "--task", " # ", "--target", "3"], "--task needs a text or a #tag"),
    ]
    for args, message in cases:
        code, _, err = invoke(*args)
        assert code == 2 and message in err, (args, err)
    assert snapshot(root) == {}


def test_new_kr_with_task_writes_a_tag_that_yaml_reads_back(tmp_path: Path) -> None:
    """``--task "#habit"`` is written quoted (unquoted, YAML reads a comment)
    and the key result then counts the vault's checked tasks with the tag."""
    root = write(tmp_path / "vault", {
        "vaultokr.toml": "", "OKRs/Fit.md": "---\ntype: objective\nperiod: 2026-Q4\n---\n",
        "Daily/2026-11-05.md": "- [x] Ran 5 km #habit/run\n- [ ] Stretch #habit\n"})
    code, _, err = invoke("new", "kr", "Runs", "--objective", "Fit", "--measure", "count",
                          "--task", "#habit", "--target", "12", "--vault", str(root))
    assert code == 0, err
    text = (root / "OKRs" / "Runs.md").read_text()
    assert 'measure: count\ntarget: 12\ntask: "#habit"\n' in text, text
    code, out, _ = invoke("status", str(root), "--json", "--as-of", "2026-11-20")
    assert code == 0, out
    kr = next(k for o in json.loads(out)["objectives"] for k in o["key_results"])
    assert [(m["date"], m["value"], m["source"]) for m in kr["measurements"]] == [
        ("2026-11-05", 1, "Daily/2026-11-05.md:1")]


def test_new_writes_notes_as_obsidian_does_and_never_overwrites(tmp_path: Path) -> None:
    root = write(tmp_path / "vault", {"A/Career.md": "---\ntype: ambition\n---\n",
                                      "A/Craft.md": "---\ntype: ambition\n---\n"})
    args = ["new", "objective", "Grow: my network?", "--vault", str(root), "--period",
            "2026-Q4", "--ambition", "Career", "--ambition", "Craft"]
    assert invoke(*args)[0] == 0
    text = (root / "OKRs" / "2026-Q4" / "Grow my network.md").read_text()
    assert text.startswith('---\ntitle: "Grow: my network?"\ntype: objective\n'
                           'period: 2026-Q4\nambition:\n  - "[[Career]]"\n  - "[[Craft]]"\n'
                           f'created: {dt.date.today()}\n---\n')  # SPEC v2: new writes created
    code, _, err = invoke(*args)
    assert code == 2 and "a note named 'Grow my network' exists already" in err


def test_a_new_key_result_goes_beside_its_objective(tmp_path: Path) -> None:
    """Not into this quarter's folder: next quarter's objective keeps its key
    results, and so does an objective kept in a folder of the user's own."""
    plan = "---\ntype: objective\nperiod: 2027-Q1\n---\n"
    root = write(tmp_path / "vault", {"vaultokr.toml": "", "Goals/Plan.md": plan})
    assert invoke("new", "objective", "Ship", "--period", "2027-Q1", "--vault", str(root))[0] == 0
    for title, objective_name in (("Users", "Ship"), ("Talks", "Plan")):
        assert invoke("new", "kr", title, "--objective", objective_name, "--target", "3",
                      "--vault", str(root))[0] == 0
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md")) == [
        "Goals/Plan.md", "Goals/Talks.md", "OKRs/2027-Q1/Ship.md", "OKRs/2027-Q1/Users.md"]
    assert (root / "Goals/Talks.md").read_text() == (
        '---\ntype: key-result\nobjective: "[[Plan]]"\ntarget: 3\n'
        f'created: {dt.date.today()}\n---\n# Talks\n\n## Log\n')


def test_checkin_appends_to_the_log_and_prints_progress(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: TODAY)
    root = tmp_path / "vault"
    init(root, TODAY)
    code, out, _ = invoke("checkin", "speaking invitations", "2", "--vault", str(root),
                       "--date", "2026-11-20", "--confidence", "6", "--comment", "podcast")
    assert code == 0
    assert out.splitlines()[-1] == "Speaking invitations: 50% done, 55% expected · on track"
    note = root / "OKRs" / "2026-Q4" / "Speaking invitations.md"
    assert note.read_text().endswith("## Log\n- 2026-11-20: 2 (confidence 6) podcast\n")


def test_checkin_suggests_near_misses(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    init(root, TODAY)
    code, _, err = invoke("checkin", "Speking invitation", "2", "--vault", str(root))
    assert code == 2
    assert "no key result named 'Speking invitation'" in err
    assert "hint: did you mean 'Speaking invitations'?" in err


def test_checkin_of_an_inline_key_result_writes_a_note(tmp_path: Path) -> None:
    root = write(tmp_path / "vault", {
        "Net.md": objective(key_results=[{"id": "mentors", "measure": "sum", "target": 4}]),
    })
    before = (root / "Net.md").read_bytes()
    code, out, _ = invoke("checkin", "Net#mentors", "1", "--vault", str(root), "--date",
                       "2026-11-20")
    assert code == 0, out
    assert (root / "Net.md").read_bytes() == before  # the user's front-matter is not touched
    assert (root / "Check-ins" / "2026-11-20 mentors.md").read_text() == (
        '---\ntype: check-in\ndate: 2026-11-20\nkr: "[[Net#mentors]]"\nvalue: 1\n---\n')
    assert out.splitlines()[-1].startswith("mentors: 25% done")


def test_checkin_loses_neither_edit_when_the_note_changes_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "vault"
    init(root, TODAY)
    note = root / "OKRs" / "2026-Q4" / "Speaking invitations.md"
    real = authoring.replace_file
    calls = {"n": 0}

    def user_types_in_obsidian(path: Path, data: bytes, expected: bytes | None,
                               root: Path | None = None) -> Outcome:
        calls["n"] += 1
        if calls["n"] == 1:  # between our read and our write
            path.write_text(path.read_text() + "- 2026-11-19: 1 typed in Obsidian\n")
        return real(path, data, expected, root=root)

    monkeypatch.setattr(authoring, "replace_file", user_types_in_obsidian)
    code, out, _ = invoke("checkin", "Speaking invitations", "3", "--vault", str(root),
                       "--date", "2026-11-20")
    assert code == 0, out
    assert calls["n"] == 2  # the first write was refused, the second made on the new text
    assert note.read_text().endswith(
        "## Log\n- 2026-11-19: 1 typed in Obsidian\n- 2026-11-20: 3\n")


def test_log_lines_go_into_the_log_section() -> None:
    text = "---\ntype: key-result\n---\n# T\n\n## Log\n- 2026-10-01: 1\n\n## Notes\nmine\n"
    assert add_log_line(text, "- X") == (
        "---\ntype: key-result\n---\n# T\n\n## Log\n- 2026-10-01: 1\n- X\n\n## Notes\nmine\n")
    assert add_log_line("# T\r\nwords", "- X") == "# T\r\nwords\r\n\r\n## Log\r\n- X\r\n"
    fenced = "```\n## Log\n```\n"
    assert add_log_line(fenced, "- X") == fenced + "\n## Log\n- X\n"
    nested = "# Log\n- a\n\n### Details\ntext\n\n# Next\n"  # a deeper heading stays inside
    assert add_log_line(nested, "- X") == "# Log\n- a\n\n### Details\ntext\n- X\n\n# Next\n"
    assert add_log_line("", "- X") == "## Log\n- X\n"
    quoted = "> ## Log\n> - a\n"  # a heading in a quote is not the log's (as the reader sees it)
    assert add_log_line(quoted, "- X") == quoted + "\n## Log\n- X\n"


def test_log_lines_go_under_the_configured_log_heading() -> None:
    text = "## Ideas\n- 2026-11-15: 5 ideas\n\n## Progress\n- 2026-11-16: 2\n\n## Notes\n"
    assert add_log_line(text, "- X", heading="progress") == (
        "## Ideas\n- 2026-11-15: 5 ideas\n\n## Progress\n- 2026-11-16: 2\n- X\n\n## Notes\n")
    assert add_log_line("words\n", "- X", heading="Progress") == "words\n\n## Progress\n- X\n"


def test_export_csv_and_json(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    init(root, TODAY)
    code, out, _ = invoke("export", str(root), "--as-of", "2026-11-20")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("objective,objective_title,period,id,title,measure")
    assert "Speaking invitations" in lines[1]
    code, out, _ = invoke("export", str(root), "--as-of", "2026-11-20", "--measurements")
    assert code == 0
    assert out.splitlines()[0] == "key_result,title,date,value,confidence,comment,source"
    assert ",2026-11-19,1,5,a meetup organiser asked me,Check-ins/2026-11-19 First check-in.md:5" \
        in out
    code, out, _ = invoke("export", str(root), "--as-of", "2026-11-20", "--format", "json")
    assert code == 0 and json.loads(out)["schema"] == 1


def test_checkin_exits_5_when_the_note_never_stops_changing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "vault"
    init(root, TODAY)
    note = root / "OKRs" / "2026-Q4" / "Speaking invitations.md"
    before = note.read_bytes()
    monkeypatch.setattr(authoring, "replace_file", lambda *args, **kwargs: Outcome.CONFLICT)
    res = invoke("checkin", "Speaking invitations", "3", "--vault", str(root),
                 "--date", "2026-11-20")
    assert res.code == 5
    assert res.stderr == ("error: OKRs/2026-Q4/Speaking invitations.md kept changing while "
                          "vaultokr wrote to it; nothing was added\n"
                          "  hint: run vaultokr checkin again\n")
    assert note.read_bytes() == before


def test_export_csv_cells_read_the_same_in_every_row() -> None:
    from vaultokr.views.export import cell

    assert [cell(v) for v in (None, True, False, 20.0, 40, 0.1 + 0.2, 12.223055123456789,
                              "a, b")] == ["", "true", "false", "20", "40", "0.3",
                                           "12.22305512", "a, b"]
