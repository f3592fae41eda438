"""The README's quick start and the tutorial, run as a new user would."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import ROOT, SAMPLE, copy_vault


def commands(markdown: str, first_block_only: bool = False) -> list[list[str]]:
    """The vaultokr commands (and ``cd``) in the document's ```sh blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", markdown, re.S)
    if first_block_only:
        blocks = blocks[:1]
    found = []
    for block in blocks:
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                if words and words[0].endswith("vaultokr"):
                    found.append(words[1:])
                elif words and words[0] == "cd":
                    found.append(words)
    return found


def run(args: list[str], typed: str | None = None) -> str:
    """``vaultokr ARGS``, with ``typed`` as what the user types at its prompts."""
    result = invoke(*args, input=typed)
    assert result.code == 0, f"vaultokr {' '.join(args)}\n{result.output}"
    return result.stdout


# what the tutorial's reader types in the weekly check-in: LinkedIn connections 1388 with
# confidence 7, Meetup attendees 44 with a comment, Enter to skip Mentorship requests
WEEKLY = "1388\n7\n\n44\n\ntwo new faces\n\nq\n"


def test_readme_quick_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_vault(SAMPLE, tmp_path / "sample-vault")
    monkeypatch.chdir(tmp_path)
    steps = commands((ROOT / "README.md").read_text(), first_block_only=True)
    assert [s[0] for s in steps] == ["build", "status"]
    out = run(steps[0])
    assert out.splitlines()[-1] == "vaultokr build: 0 written, 23 unchanged"
    assert "2026-Q4  Grow my speaking pipeline" in run(steps[1])


def test_tutorial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    today = dt.date.today()
    number = (today.month - 1) // 3 + 1
    quarter = f"{today.year}-Q{number}"
    following = f"{today.year + number // 4}-Q{number % 4 + 1}"
    text = (ROOT / "docs" / "tutorial.md").read_text().replace("2026-Q4", quarter)
    text = text.replace("2027-Q1", following)
    steps = commands(text)
    assert len(steps) >= 10
    outputs = []
    for step in steps:
        if step[0] == "cd":
            monkeypatch.chdir(step[1])
            continue
        typed = WEEKLY if step == ["checkin"] else "\n" * 60 if step[0] == "plan" else None
        outputs.append(run(step, typed))
    vault = tmp_path / "my-vault"
    okrs = vault / "OKRs" / quarter
    for name in ("Guest post requests", "Mentorship requests", "LinkedIn connections",
                 "Meetup attendees", "Grow a network that knows my work"):
        assert (okrs / f"{name}.md").is_file(), name
    log = (okrs / "Speaking invitations.md").read_text()
    assert f"- {today.isoformat()}: 2 (confidence 6) podcast and a meetup" in log
    meetups = (okrs / "Meetup attendees.md").read_text()
    assert f"- {today.isoformat()}: 44 two new faces\n" in meetups
    assert f"- {today.isoformat()}: 1388 (confidence 7)\n" in (
        okrs / "LinkedIn connections.md").read_text()
    assert (okrs / "Mentorship requests.md").read_text()[-7:] == "## Log\n"  # skipped
    weekly = next(out for out in outputs if "key results to check in" in out)
    assert "2 recorded, 1 skipped." in weekly
    planned = vault / "OKRs" / following  # the end of the quarter: the next one planned
    assert (planned / f"Grow a network that knows my work ({following}).md").is_file()
    assert "previous: \"[[LinkedIn connections]]\"" in (
        planned / f"LinkedIn connections ({following}).md").read_text()
    problems = invoke("check", "--vault", str(vault), "--format", "json").stdout
    assert "smart-activity" not in problems  # the tutorial's key results are outcomes
    dashboard = (vault / "OKRs" / "Dashboard.md").read_text()
    for title in ("Speaking invitations", "LinkedIn connections", "Meetup attendees"):
        assert title in dashboard
    week = f"{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}"
    assert (vault / "OKRs" / "Reviews" / f"{week}.md").is_file()
    assert (vault / "OKRs" / "Reviews" / f"{quarter}.md").is_file()
    objective = (okrs / "Become a visible voice in my field.md").read_text()
    assert "| Key result |" in objective  # its region was filled
    assert any("LinkedIn connections:" in out for out in outputs)


def test_habits_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/habits.md, as a user with a habit vault follows it: its daily notes
    written as the page shows them, then its commands in order."""
    text = (ROOT / "docs" / "habits.md").read_text()
    vault = tmp_path / "my-habits"
    notes = re.findall(r'```markdown title="([^"]+)"\n(.*?)```', text, re.S)
    assert len(notes) == 3
    for rel, body in notes:
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(body, encoding="utf-8")
    before = {rel: (vault / rel).read_bytes() for rel, _ in notes}
    monkeypatch.chdir(tmp_path)
    steps = commands(text)
    assert [s[0] for s in steps] == ["cd", "init", "new", "new", "new", "new", "new", "status"]
    for step in steps:
        if step[0] == "cd":
            monkeypatch.chdir(step[1])
            continue
        out = run(step)
    assert "Days I meditate" in out
    report = invoke("status", "--vault", str(vault), "--as-of", "2026-11-04", "--json").stdout
    found = {k["title"]: k for o in json.loads(report)["objectives"] for k in o["key_results"]}
    # what the page says: 2 days of meditation, 2 workouts, 32 pages, 8 hours last night
    assert found["Days I meditate"]["current"] == 2
    assert found["Workouts"]["current"] == 2
    assert found["Pages read"]["current"] == 32
    assert found["Hours of sleep a night"]["current"] == 8
    assert json.loads(invoke("check", "--vault", str(vault), "--as-of", "2026-11-04",
                             "--format", "json").stdout) == []
    assert {rel: (vault / rel).read_bytes() for rel, _ in notes} == before  # never edited
