"""Everyday use from the command line: the vault found from a sub-folder, one
way to name it, the slips people make, the weekly check-in with piped input,
and a pre-commit hook that passes on a new day."""

from __future__ import annotations

import datetime as dt
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.cli import Ran, invoke
from support.vaults import ROOT, goals, kr, objective, write

from vaultokr.commands.authoring import add_log_line
from vaultokr.commands.init import init

TODAY = dt.date(2026, 11, 20)  # a Friday of 2026-W47


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> list[dt.date]:
    """The CLI's clock, fixed; assign ``today[0]`` to move it."""
    clock = [TODAY]
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: clock[0])
    return clock


def files(root: Path) -> dict[str, bytes]:
    """The vault's files, but vaultokr's own index (a cache, see docs/performance.md)."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and ".vaultokr" not in p.parts}



# --------------------------------------------------------- finding the vault
def test_every_command_from_a_sub_folder_finds_the_vault(
        tmp_path: Path, today: list[dt.date], monkeypatch: pytest.MonkeyPatch) -> None:
    root = goals(tmp_path / "vault")
    inside = root / "OKRs" / "2026-Q4"
    monkeypatch.chdir(inside)
    for args in (["status"], ["check"], ["export"], ["build", "--dry-run"],
                 ["checkin", "Talks", "1", "--dry-run"]):
        code, out, err = invoke(*args)
        assert code == 0, (args, out, err)
    assert invoke("status")[1].startswith("vaultokr  ../..  ·  as of Fri 20 Nov 2026")
    assert invoke("build")[0] == 0
    assert (root / "OKRs" / "Dashboard.md").is_file()
    assert (root / "OKRs" / "Reviews" / "2026-Q4.md").is_file()
    assert not (inside / "OKRs").exists() and not (inside / ".vaultokr").exists()
    assert invoke("checkin", "Talks", "2")[0] == 0
    assert "- 2026-11-20: 2" in (inside / "Talks.md").read_text()
    assert invoke("new", "kr", "Reads", "--objective", "O", "--target", "3")[0] == 0
    assert (root / "OKRs" / "2026-Q4" / "Reads.md").is_file()  # not under the sub-folder
    assert invoke("init")[1].startswith("kept     vaultokr.toml (exists)\n")
    assert not (inside / "vaultokr.toml").exists()
    assert invoke("build", "--check")[0] == 1  # the check-in is not in the reviews yet
    assert invoke("build")[0] == 0 and invoke("build", "--check")[0] == 0


def test_an_obsidian_folder_marks_the_vault_too(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = write(tmp_path / "vault", {".obsidian/app.json": "{}", "Goals/O.md": objective()})
    monkeypatch.chdir(root / "Goals")
    assert invoke("status", "--as-of", "2026-11-20")[1].startswith("vaultokr  ..  ·")


def test_the_vault_named_by_option_environment_or_the_old_positional(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = goals(tmp_path / "vault")
    monkeypatch.chdir(tmp_path)
    by_option = invoke("status", "--vault", "vault", "--as-of", "2026-11-20", "--json")
    assert by_option.code == 0
    assert invoke("status", "vault", "--as-of", "2026-11-20", "--json") == by_option
    monkeypatch.setenv("VAULTOKR_VAULT", str(root))
    assert invoke("status", "--as-of", "2026-11-20", "--json") == by_option
    code, _, err = invoke("check", "elsewhere", "--vault", "vault")
    assert code == 2 and err == ("error: two vaults given: elsewhere and --vault vault\n"
                                 "  hint: name the vault once: --vault vault\n")


def test_a_folder_with_no_vault_above_it_is_refused_unless_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run by mistake in a home folder, a command would read every file under
    it and write OKRs/ there: without a marker it names the fix instead."""
    home = write(tmp_path / "home", {"notes/O.md": objective()})
    monkeypatch.chdir(home)
    for args in (["status"], ["build"], ["check"], ["watch"], ["checkin"],
                 ["new", "ambition", "A"], ["export"]):
        code, out, err = invoke(*args)
        assert (code, out) == (2, ""), args
        assert err == ("error: no vault here: neither this folder nor any folder above it "
                       "holds vaultokr.toml or .obsidian/\n  hint: run vaultokr inside your "
                       "vault, name it with --vault PATH, or start one here with "
                       "vaultokr init\n"), args
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == [
        "notes", "notes/O.md"]
    assert invoke("status", "--vault", ".", "--as-of", "2026-11-20")[0] == 0  # named: taken
    assert invoke("init")[1].startswith("created  vaultokr.toml\n")
    assert invoke("status", "--as-of", "2026-11-20")[0] == 0


# --------------------------------------------------------------- the slips
def test_each_slip_gets_a_message_that_names_the_fix(
        tmp_path: Path, today: list[dt.date], monkeypatch: pytest.MonkeyPatch) -> None:
    root = goals(tmp_path / "vault")
    monkeypatch.chdir(root)
    assert invoke("status", "--vault", ".")[0] == 0  # was "No such option"
    code, _, err = invoke("checkin", ".", "Talks", "1")
    assert code == 2 and err == (
        "error: '.' looks like the vault folder: checkin takes the vault as an option\n"
        "  hint: vaultokr checkin Talks 1 --vault . (or run it inside the vault: "
        "vaultokr checkin Talks 1)\n")
    code, out, _ = invoke("checkin", "Talks", "-1")  # a negative value is a value
    assert code == 0, out
    assert "- 2026-11-20: -1\n" in (root / "OKRs/2026-Q4/Talks.md").read_text()
    code, _, err = invoke("checkin", "Talks", "2", "--confidnce", "5")
    assert code == 2 and err == (
        "error: no such option: --confidnce\n"
        "  hint: did you mean --confidence? vaultokr checkin --help lists the options\n")
    code, _, err = invoke("checkin", "Talks", "-x")
    assert code == 2 and err == (
        "error: no such option: -x\n"
        "  hint: vaultokr checkin --help lists the options; a value that starts with - goes "
        "after --: vaultokr checkin KR -- -x\n")
    code, _, err = invoke("checkin", "Talks")
    assert code == 2 and err == (
        "error: no value for 'Talks'\n"
        "  hint: vaultokr checkin Talks VALUE, or vaultokr checkin alone for the weekly "
        "check-in\n")


def test_a_closed_pipe_is_not_a_bug() -> None:
    """``vaultokr status --json | head -c 10``: the reader is gone before we write."""
    proc = subprocess.Popen([sys.executable, "-m", "vaultokr", "status", "--json", "--vault",
                             str(ROOT / "sample-vault"), "--no-cache"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert (proc.wait(), err) == (0, b"")


# ------------------------------------------------------------- one check-in
def test_checkin_refuses_a_future_date_and_keeps_the_log_in_date_order(
        tmp_path: Path, today: list[dt.date]) -> None:
    root = goals(tmp_path / "vault")
    before = files(root)
    code, _, err = invoke("checkin", "Talks", "3", "--vault", str(root), "--date", "2026-11-21")
    assert code == 2 and err == (
        "error: 2026-11-21 is in the future (today is 2026-11-20); a check-in records a value "
        "measured already\n  hint: leave out --date for today, or give a past date\n")
    assert files(root) == before
    code, out, _ = invoke("checkin", "Talks", "1", "--vault", str(root), "--date", "2026-10-30")
    assert code == 0
    assert out.splitlines() == [
        "added to the log of OKRs/2026-Q4/Talks.md",
        "Talks: 50% done, 55% expected · on track (as of today; the check-in is dated "
        "2026-10-30)"]
    text = (root / "OKRs/2026-Q4/Talks.md").read_text()
    assert "- 2026-10-30: 1\n- 2026-11-02: 4\n\n## Notes\nmine\n" in text


def test_log_line_goes_before_the_first_later_one() -> None:
    text = "## Log\n- 2026-10-01: 1\n- [x] 2026-11-01: 3\n"
    assert add_log_line(text, "- 2026-10-15: 2", dt.date(2026, 10, 15)) == (
        "## Log\n- 2026-10-01: 1\n- 2026-10-15: 2\n- [x] 2026-11-01: 3\n")
    assert add_log_line(text, "- 2026-12-01: 4", dt.date(2026, 12, 1)).endswith(
        "- [x] 2026-11-01: 3\n- 2026-12-01: 4\n")


def test_checkin_dry_run_writes_nothing(tmp_path: Path, today: list[dt.date]) -> None:
    root = goals(tmp_path / "vault")
    before = files(root)
    code, out, _ = invoke("checkin", "Posts", "2", "--vault", str(root), "--dry-run",
                          "--comment", "two guest posts")
    assert code == 0 and files(root) == before
    assert out == ("would add to the log of OKRs/2026-Q4/Posts.md (--dry-run: nothing "
                   "written):\n  - 2026-11-20: 2 two guest posts\n")


def test_a_broken_or_ambiguous_key_result_is_named_never_picked(
        tmp_path: Path, today: list[dt.date]) -> None:
    root = write(tmp_path / "vault", {
        "O.md": objective(),
        "Goals/Talks.md": kr(target="lots"),
        "Archive/Talks.md": kr(target=5),
    })
    before = files(root)
    code, _, err = invoke("checkin", "Talks", "1", "--vault", str(root))
    assert code == 2, err
    lines = err.splitlines()
    assert lines[0] == "error: 'Talks' names 2 key results:"
    assert lines[1] == "  Archive/Talks"
    assert lines[2].startswith("  Goals/Talks: has errors (Goals/Talks.md:4: ")
    assert lines[3] == ('  hint: fix the errors (vaultokr check), or write the path of the one '
                        'you mean, e.g. vaultokr checkin "Archive/Talks" 3')
    code, _, err = invoke("checkin", "Goals/Talks.md", "1", "--vault", str(root))
    assert code == 2 and err.startswith(
        "error: 'Goals/Talks.md' names 1 key result that has errors:\n"
        "  Goals/Talks: has errors (Goals/Talks.md:4: ")
    assert files(root) == before
    assert invoke("checkin", "Archive/Talks", "1", "--vault", str(root))[0] == 0


# ------------------------------------------------------ the weekly check-in
def test_the_weekly_checkin_with_piped_input(tmp_path: Path, today: list[dt.date]) -> None:
    root = goals(tmp_path / "vault")
    talks = (root / "OKRs/2026-Q4/Talks.md").read_bytes()
    # Posts (stale since 2026-10-20) comes first: a bad value, then 3, confidence 7 and a
    # comment; Talks is skipped; "Done already" was measured this week and is not asked
    code, out, err = invoke("checkin", "--vault", str(root),
                        input="three\n3\n7\ntwo guest posts\n\n")
    assert code == 0, out + err
    assert "- 2026-11-20: 3 (confidence 7) two guest posts\n" in (
        root / "OKRs/2026-Q4/Posts.md").read_text()
    assert (root / "OKRs/2026-Q4/Talks.md").read_bytes() == talks
    assert "Done already" not in out
    assert out.index("[1/2] Posts") < out.index("[2/2] Talks")
    assert "  last 1 post on 2026-10-20 · 20% done, 55% expected · off track · stale" in out
    assert '  value (posts): three\n  "three" is not a number' in out  # asked again
    assert "; type a number, Enter to skip, q to stop\n  value (posts): 3\n" in out
    assert out.endswith("Week 2026-W47: 1 recorded, 1 skipped.\n"
                        "  Posts: 80% done, 55% expected · on track\n")


def test_piped_answers_are_echoed_after_their_prompts(tmp_path: Path) -> None:
    """A real pipe (no terminal echoes it): the transcript shows what was typed,
    as the tutorial's does. In a real process, so the clock is today's."""
    start = dt.date.today() - dt.timedelta(days=30)
    root = write(tmp_path / "vault", {
        "vaultokr.toml": "",
        "O.md": f"---\ntype: objective\nstart: {start}\ndue: {start + dt.timedelta(90)}\n---\n",
        "Talks.md": "---\ntype: key-result\nobjective: \"[[O]]\"\ntarget: 10\n---\n"})
    ran = subprocess.run([sys.executable, "-m", "vaultokr", "checkin", "--dry-run"],
                         cwd=root, input="4\n7\n\n", capture_output=True, text=True,
                         check=False)
    assert ran.returncode == 0, ran.stderr
    assert "  value: 4\n  confidence 0-10 (Enter for none): 7\n" \
        "  comment (Enter for none): \n" \
        f"  → would add: - {dt.date.today()}: 4 (confidence 7)\n" in ran.stdout


def test_the_weekly_checkin_stops_at_q_and_at_the_end_of_input(
        tmp_path: Path, today: list[dt.date]) -> None:
    root = goals(tmp_path / "vault")
    before = files(root)
    code, out, _ = invoke("checkin", "--vault", str(root), input="q\n")
    assert code == 0 and files(root) == before
    assert out.endswith("  stopped\n\nWeek 2026-W47: 0 recorded, 2 skipped.\n")
    code, out, _ = invoke("checkin", "--vault", str(root), input="")
    assert code == 0 and files(root) == before
    code, out, _ = invoke("checkin", "--vault", str(root), "--dry-run", input="2\n\n\n\n")
    assert code == 0 and files(root) == before
    assert "  → would add: - 2026-11-20: 2\n" in out


def test_nothing_to_check_in(tmp_path: Path, today: list[dt.date]) -> None:
    root = write(tmp_path / "vault", {"O.md": objective(),
                                      "K.md": kr(target=3, log=["2026-11-16: 1"])})
    assert invoke("checkin", "--vault", str(root), input="") == Ran(
        0, "Week 2026-W47: every running key result that takes check-ins has a measurement "
        "this week.\n", "")
    empty = write(tmp_path / "empty", {"vaultokr.toml": "", "Journal.md": "# hi\n"})
    assert invoke("checkin", "--vault", str(empty), input="") == Ran(
        0, "Week 2026-W47: no key result is running today; write one with vaultokr new kr "
        "TITLE --objective NAME --target N.\n", "")
    assert invoke("status", "--vault", str(empty)).stdout.startswith(
        f"vaultokr  {empty}  ·  as of Fri 20 Nov 2026  ·  1 note read\n")


# ------------------------------------------------ build --check on a new day
def hooks() -> list[list[str]]:
    """The commands of the shipped pre-commit hooks."""
    spec = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return [shlex.split(h["entry"])[1:] for h in spec]


def test_the_pre_commit_hooks_pass_on_a_new_day_and_fail_after_a_check_in(
        tmp_path: Path, today: list[dt.date]) -> None:
    root = goals(tmp_path / "vault")
    today[0] = dt.date(2026, 11, 19)
    assert invoke("build", "--vault", str(root))[0] == 0
    today[0] = dt.date(2026, 11, 20)  # a new day, no note changed
    for args in hooks():
        code, out, err = invoke(*args, "--vault", str(root))
        assert code == 0, (args, out, err)
    assert invoke("build", "--check", "--vault", str(root)).stdout.splitlines()[0] == (
        "judged as of 2026-11-19, the date written in the outputs")
    # an explicit --as-of still judges at that date
    assert invoke("build", "--check", "--as-of", "2026-11-20", "--vault", str(root))[0] == 1
    assert invoke("checkin", "Posts", "2", "--vault", str(root))[0] == 0
    code, out, _ = invoke("build", "--check", "--vault", str(root))
    assert code == 1
    assert out.splitlines()[-1] == (
        "OKRs/2026-Q4/Posts.md:10: a measurement dated 2026-11-20 is newer than the outputs "
        "(as of 2026-11-19): run vaultokr build")


def test_build_check_fails_when_a_note_changed_even_on_the_built_day(
        tmp_path: Path, today: list[dt.date]) -> None:
    root = goals(tmp_path / "vault")
    assert invoke("build", "--vault", str(root))[0] == 0
    today[0] = dt.date(2026, 11, 23)
    note = root / "OKRs/2026-Q4/Talks.md"
    note.write_text(note.read_text().replace("target: 10", "target: 12"))
    code, out, _ = invoke("build", "--check", "--vault", str(root))
    assert code == 1 and "would update" in out


# --------------------------------------------------------------------- init
def test_init_in_an_existing_vault_adds_no_examples_and_saves_its_folders(
        tmp_path: Path, today: list[dt.date]) -> None:
    root = write(tmp_path / "vault", {".obsidian/app.json": "{}",
                                      "Journal/2026-11-19.md": "dear diary\n"})
    code, out, _ = invoke("init", "--vault", str(root), "--folder", "Goals",
                          "--checkins", "Goals/Check-ins")
    assert code == 0
    assert out.startswith("created  vaultokr.toml\nno example notes: the vault has 1 note "
                          "already (--examples adds them)\ncreated  .obsidian/types.json "
                          "(number and date property types)\n")
    assert sorted(files(root)) == [".obsidian/app.json", ".obsidian/types.json",
                                   "Journal/2026-11-19.md", "vaultokr.toml"]
    toml = (root / "vaultokr.toml").read_text()
    assert 'folder = "Goals"\n' in toml and 'checkins = "Goals/Check-ins"\n' in toml
    assert 'dashboard = "Goals/Dashboard.md"\n' in toml
    assert "docs/tutorial.md" not in out
    # the folders chosen are used by new, checkin --note and build
    assert invoke("new", "objective", "Grow", "--vault", str(root), "--period", "2026-Q4")[0] == 0
    assert invoke("new", "kr", "Talks", "--vault", str(root), "--objective", "Grow",
                  "--target", "4", "--measure", "sum")[0] == 0
    assert (root / "Goals/2026-Q4/Talks.md").is_file()
    assert invoke("checkin", "Talks", "1", "--note", "--vault", str(root))[0] == 0
    assert (root / "Goals/Check-ins/2026-11-20 Talks.md").is_file()
    assert invoke("build", "--vault", str(root))[0] == 0
    assert (root / "Goals/Dashboard.md").is_file() and not (root / "OKRs").exists()
    # --examples asks for them anyway
    assert invoke("init", "--vault", str(root), "--examples")[0] == 0
    assert (root / "OKRs/Be the person people ask about my craft.md").is_file()


def test_init_makes_a_new_folder_with_examples(tmp_path: Path, today: list[dt.date]) -> None:
    code, out, _ = invoke("init", "--vault", str(tmp_path / "new"))
    assert code == 0 and "created  OKRs/2026-Q4/Speaking invitations.md" in out
    assert init(tmp_path / "new", TODAY).created == []


# ---------------------------------------------------------------------- new
def test_new_checks_links_dates_and_names_against_the_vault(
        tmp_path: Path, today: list[dt.date]) -> None:
    root = write(tmp_path / "vault", {
        "vaultokr.toml": "",
        "Ambitions/Craft.md": "---\ntype: ambition\n---\n",
        "OKRs/2026-Q4/Grow.md": objective(),
        "Notes/Reading list.md": "books\n",
    })
    before = files(root)
    cases = [
        (["kr", "X", "--objective", "Nope", "--target", "3"],
         "error: --objective 'Nope': no note of that name in the vault\n"
         "  hint: write it first: vaultokr new objective \"Nope\"\n"),
        (["kr", "X", "--objective", "Craft", "--target", "3"],
         "error: --objective 'Craft' is an ambition (Ambitions/Craft.md), not an objective\n"
         "  hint: give the name of an objective (vaultokr status lists them)\n"),
        (["objective", "X", "--start", "2026-12-01", "--due", "2026-11-01"],
         "error: --due 2026-11-01 is before --start 2026-12-01\n"
         "  hint: give a --due on or after the start\n"),
        (["objective", "Reading list", "--period", "2026-Q4"],
         "error: a note named 'Reading list' exists already: Notes/Reading list.md\n"
         "  hint: choose another title: a link by name must find one note\n"),
        (["kr", "X", "--objective", "Grow", "--measure", "sum", "--baseline", "3",
          "--growth", "10%/month"],
         "error: --growth compounds a level; --measure sum is a flow (this period's total, "
         "from 0)\n  hint: write --change \"+N%\" to compare with last period's total "
         "(--baseline), or --measure last if the values are a level\n"),
        (["objective", "X", "--period", "2026-Q4", "--ambition", "Craf"],
         "error: --ambition 'Craf': no note of that name in the vault\n"
         "  hint: did you mean 'Craft'?\n"),
    ]
    for args, message in cases:
        assert invoke("new", *args, "--vault", str(root)) == Ran(2, "", message), args
    assert files(root) == before


def test_a_title_with_a_colon_links_and_checks_in(tmp_path: Path, today: list[dt.date]) -> None:
    root = write(tmp_path / "vault", {"vaultokr.toml": ""})
    title = "Career: become a PM expert"
    assert invoke("new", "objective", title, "--vault", str(root), "--period", "2026-Q4")[0] == 0
    assert invoke("new", "kr", "PM interviews", "--vault", str(root), "--objective", title,
                  "--target", "3", "--measure", "sum")[0] == 0
    assert invoke("new", "initiative", "Ask around", "--vault", str(root),
                  "--key-result", "PM interviews")[0] == 0
    text = (root / "OKRs/2026-Q4/PM interviews.md").read_text()
    assert 'objective: "[[Career become a PM expert]]"\n' in text
    assert (root / "OKRs/2026-Q4/Career become a PM expert.md").read_text().startswith(
        '---\ntitle: "Career: become a PM expert"\n')
    initiative = (root / "OKRs/Initiatives/Ask around.md").read_text()
    assert "start: 2026-11-20\n" in initiative  # today by default
    code, out, _ = invoke("checkin", "PM interviews", "1", "--vault", str(root))
    assert code == 0 and out.splitlines()[-1].startswith("PM interviews: 33% done")
    assert invoke("check", "--vault", str(root))[0] == 0

