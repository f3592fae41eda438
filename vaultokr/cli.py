"""The ``vaultokr`` command: a thin click layer over plain functions.

Exit codes: boundary.py maps every error to its code, and documents them
in the help of every command.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
from pathlib import Path
from typing import Any

import click

from vaultokr import __version__
from vaultokr.cache.answers import Answer, Kept, Recorder
from vaultokr.commands.boundary import EXIT_CODES_HELP, boundary
from vaultokr.commands.options import (
    AliasArgument,
    DateParam,
    as_of_option,
    cache_option,
    vault_options,
)
from vaultokr.compute.analysis import Analysis
from vaultokr.config.locate import ENV, label, locate, reachable
from vaultokr.core import clock
from vaultokr.core.errors import ProblemsFound
from vaultokr.model.properties import new_options
from vaultokr.run.oneshot import analyse, answered
from vaultokr.views.printer import Level, Reporter


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "--version", prog_name="vaultokr")
@click.option("--color/--no-color", default=None,
              help="Colour the output, or not. Default: colour in a terminal, unless the "
              "NO_COLOR environment variable is set.")
@click.pass_context
def main(ctx: click.Context, color: bool | None) -> None:
    """Personal OKRs from an Obsidian-style Markdown vault.

    Write ambitions, objectives, key results and check-ins as notes with
    front-matter; vaultokr computes progress, expected progress, status,
    trends and forecasts.

    Every command finds the vault by walking up from the current folder to
    the nearest folder with vaultokr.toml or .obsidian/; --vault PATH (or
    VAULTOKR_VAULT) names another.
    """
    if color is None and os.environ.get("NO_COLOR"):
        color = False
    ctx.color = color


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("kr_name", metavar="[KR]", required=False, default=None)
@vault_options(positional=False, folder_in="kr_name")
@as_of_option
@click.option("--json", "as_json", is_flag=True,
              help="Print the machine-readable report (schema 1, see docs/json.md).")
@cache_option
@boundary
def status(kr_name: str | None, vault: Path, as_of: dt.date | None, as_json: bool,
           no_cache: bool) -> None:
    """Show objectives and key results with progress, status and forecast,
    then ambitions and initiatives.

    With KR (a key result's name, title, alias or path): its history, with
    dates, values, a sparkline, confidence and comments. (A folder given
    here is taken as the vault, as in earlier versions.)
    """
    columns = 0 if as_json else shutil.get_terminal_size().columns

    def produce(analysis: Analysis, out: Recorder) -> int:
        if as_json:
            from vaultokr.views.json_text import report_json

            out.write(report_json(analysis), nl=False)
        elif kr_name is not None:
            from vaultokr.commands.find_kr import find_kr
            from vaultokr.views.history import render_history

            found = analysis.results.key_results[find_kr(analysis, kr_name).id]
            out.write(render_history(analysis, found), nl=False)
        else:
            from vaultokr.views.terminal import render_status

            out.write(render_status(analysis, label(vault), columns), nl=False)
        return 0

    request = ("status", as_json, kr_name, columns, label(vault))
    answered(vault, as_of or clock.today(), request, produce, cache=not no_cache)


@main.command(epilog=EXIT_CODES_HELP)
@vault_options()
@as_of_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one problem per line; json: a list of objects.")
@cache_option
@boundary
def check(vault: Path, as_of: dt.date | None, strict: bool, fmt: str, no_cache: bool) -> None:
    """List problems in the vault's OKR notes, one per line.

    Each line reads PATH:LINE: SEVERITY: MESSAGE [CODE]; the codes are
    listed in docs/problems.md.
    """
    def produce(analysis: Analysis, out: Recorder) -> int:
        emit_problems(analysis, fmt, out)
        return 1 if analysis.errors or (strict and analysis.warnings) else 0

    if answered(vault, as_of or clock.today(), ("check", strict, fmt), produce,
                cache=not no_cache):
        raise ProblemsFound()


def emit_problems(analysis: Analysis, fmt: str, out: Recorder | None = None) -> None:
    write = out.write if out is not None else Recorder().write
    if fmt == "json":
        write(json.dumps([p.as_dict() for p in analysis.problems], indent=2,
                         ensure_ascii=False))
        return
    for problem in analysis.problems:
        write(problem.format())
    errors, warnings = len(analysis.errors), len(analysis.warnings)
    write(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
          f" in {analysis.files.notes_read} notes", err=True)


@main.command(epilog=EXIT_CODES_HELP)
@vault_options()
@as_of_option
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 when any output is out of date (for CI and hooks). "
              "Outputs are judged at the as-of date written in them, so they stay current on "
              "a later day until a note changes.")
@click.option("--diff", is_flag=True, help="Print a unified diff of every change.")
@click.option("--force", is_flag=True,
              help="Overwrite reviews and regions that were edited by hand.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems and errors only.")
@click.option("-v", "--verbose", is_flag=True, help="List every output, unchanged ones too.")
@cache_option
@boundary
def build(vault: Path, as_of: dt.date | None, dry_run: bool, check_only: bool, diff: bool,
          force: bool, quiet: bool, verbose: bool, no_cache: bool) -> None:
    """Write the review notes (dashboard, period and weekly reviews) and fill
    the vaultokr regions in your notes.

    Only files vaultokr generated, and only the lines between a region's
    markers, are ever written; a file is written only when its content
    changes. What you edited by hand inside them is kept unless --force.
    """
    from vaultokr.cache.answers import Again
    from vaultokr.run.oneshot import build as run_build
    from vaultokr.run.summary import summarize
    from vaultokr.write.outputs import BuildResult

    report = Reporter(click.echo, Level.of(quiet, verbose))
    if check_only:
        from vaultokr.run.freshness import check as run_check

        fresh = run_check(vault, clock.today(), as_of, cache=not no_cache)
        if fresh.written:
            report.info(f"judged as of {fresh.as_of}, the date written in the outputs")
        summarize(fresh.result, report, dry_run=dry_run, check=True, diff=diff)
        for m in fresh.newer:
            report.essential(f"{m.source}: a measurement dated {m.date} is newer than the "
                             f"outputs (as of {fresh.as_of}): run vaultokr build")
        if fresh.failed:
            raise ProblemsFound()
        return
    level = Level.of(quiet, verbose)

    def show(again: BuildResult) -> Answer:
        recorder = Recorder(echo=False)
        summarize(again, Reporter(recorder.line, level), dry_run=False, check=False, diff=diff)
        recorder.answer.exit = int(again.failed(False))
        return recorder.answer

    result = run_build(vault, as_of or clock.today(), write=not dry_run, force=force,
                       again=Again(("build", int(level), diff), show), cache=not no_cache)
    if isinstance(result, Kept):  # nothing changed since a build that printed this
        result.emit()
        if result.exit:
            raise ProblemsFound()
        return
    summarize(result, report, dry_run=dry_run, check=False, diff=diff)
    if result.failed(False):
        raise ProblemsFound()


@main.command(epilog=EXIT_CODES_HELP)
@vault_options()
@as_of_option
@click.option("--poll", is_flag=True,
              help="Poll for changes instead of native file events (network drives, Docker, "
              "WSL mounts).")
@click.option("--debounce", type=click.IntRange(0, 60_000), default=None, metavar="MS",
              help="Quiet period after a change before rebuilding.  [default: 100; 300 "
              "when polling]")
@click.option("--rescan", type=click.IntRange(10, 86_400), default=300, show_default=True,
              metavar="SECONDS", help="Full rescan interval, to catch events the OS dropped.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems and errors only.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also print rebuilds that changed no output.")
@cache_option
@boundary
def watch(vault: Path, as_of: dt.date | None, poll: bool, debounce: int | None, rescan: int,
          quiet: bool, verbose: bool, no_cache: bool) -> None:
    """Keep the reviews current while you write: rebuild after every change.

    Runs until Ctrl-C or SIGTERM. Only the notes that changed are read again;
    a file is written only when its content changes, and vaultokr's own
    writes never trigger a rebuild.
    """
    from vaultokr.run.watch import WatchOptions
    from vaultokr.run.watch import watch as run_watch

    seconds = debounce / 1000 if debounce is not None else None
    options = WatchOptions(debounce=seconds, max_wait=max(3.0, 10 * (seconds or 0)),
                           poll=poll, rescan=float(rescan), as_of=as_of,
                           level=Level.of(quiet, verbose), cache=not no_cache)
    run_watch(vault, options, click.echo)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("vault_positional", cls=AliasArgument, required=False, default=None,
                type=click.Path(file_okay=False, readable=False, path_type=Path))
@click.option("--vault", "vault_option", envvar=ENV, default=None, metavar="PATH",
              type=click.Path(file_okay=False, readable=False, path_type=Path),
              help=f"The folder to start using (also ${ENV}); made if missing. Default: the "
              "vault around the current folder, else the current folder.")
@click.option("--folder", default="OKRs", show_default=True,
              help="Folder for your OKR notes and the reviews (saved in vaultokr.toml).")
@click.option("--checkins", default="Check-ins", show_default=True,
              help="Folder for check-in notes (saved in vaultokr.toml).")
@click.option("--examples/--no-examples", default=None,
              help="Add the example notes. Default: only when the vault has no notes yet.")
@boundary
def init(vault_positional: Path | None, vault_option: Path | None, folder: str, checkins: str,
         examples: bool | None) -> None:
    """Start using vaultokr in a vault (or an empty folder).

    Adds a commented vaultokr.toml with the folders chosen and, in a vault
    with no notes yet, one example ambition, objective, key result and
    check-in; registers the property types in .obsidian/types.json when the
    vault has .obsidian/. Only adds: an existing file is never overwritten.
    """
    from vaultokr.commands.init import init as run_init

    given = vault_option or vault_positional
    root = given if given is not None and not reachable(given) else \
        locate(vault_option, vault_positional, walk_up=given is None, unmarked_here=True)
    had_types = (root / ".obsidian" / "types.json").exists()
    result = run_init(root, clock.today(), folder, checkins, examples)
    for rel in result.created:
        click.echo(f"created  {rel}")
    for rel in result.skipped:
        click.echo(f"kept     {rel} (exists)")
    if not result.examples:
        notes = f"{result.notes_found} note{'s' * (result.notes_found != 1)}"
        click.echo(f"no example notes: the vault has {notes} already (--examples adds them)")
    if result.types == "added":
        click.echo(f"{'updated' if had_types else 'created'}  .obsidian/types.json "
                   "(number and date property types)")
    elif result.types == "unreadable":
        click.echo("left     .obsidian/types.json alone: it is not the JSON Obsidian writes")
    click.echo(next_steps(root, result.examples))


def next_steps(root: Path, examples: bool) -> str:
    inside = Path.cwd().resolve().is_relative_to(root.resolve())
    where = "" if inside else f"cd {shlex.quote(str(root))}\n  "
    first = ('vaultokr checkin "Speaking invitations" 2   # record a value' if examples else
             'vaultokr new objective "My objective" --period '
             f'{clock.today().year}-Q{(clock.today().month - 1) // 3 + 1}')
    return (
        "\nNext steps (inside the vault, or anywhere with --vault PATH):\n"
        f"  {where}vaultokr status        # where you are\n"
        f"  {first}\n"
        "  vaultokr checkin       # the weekly check-in, one key result at a time\n"
        "  vaultokr build         # write the dashboard and reviews\n"
        "  vaultokr watch         # keep them current while you write\n"
        "Every command explains itself: vaultokr --help, vaultokr new --help."
        + ("\nThen rename the examples to your own goals, or delete them." if examples else "")
    )


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("period")
@vault_options(positional=False)
@click.option("--from", "source", metavar="PERIOD", help="Plan from this period.")
@click.option("--all", "everything", is_flag=True, help="Carry achieved key results too.")
@click.option("--dry-run", is_flag=True, help="Print the notes it would write; write nothing.")
@click.option("--force", is_flag=True, help="Plan before the previous period ends.")
@boundary
def plan(period: str, vault: Path, **options: Any) -> None:
    """Propose PERIOD's objectives from the previous period's: unfinished key results
    in new notes (previous: the old one), baselines from how it ended, one objective at
    a time (Enter keeps, s skips, a number is a new target, q stops)."""
    from vaultokr.commands.plan_walk import run_plan

    run_plan(vault, period, clock.today(), **options)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("kind", type=click.Choice(["ambition", "objective", "kr", "initiative"]))
@click.argument("title")
@vault_options(positional=False)
@click.option("--folder", help="Folder for the note. Default, with FOLDER the notes.folder "
              "of vaultokr.toml (OKRs): FOLDER/PERIOD for an objective, its objective's "
              "folder for a key result, FOLDER/Initiatives for an initiative, FOLDER for "
              "an ambition.")
@new_options
@boundary
def new(kind: str, title: str, vault: Path, **options: Any) -> None:
    """Write a new ambition, objective, key result (kr) or initiative note.

    Everything is checked before anything is written: links name a note of
    the right kind, dates are in order, no note of the same name exists
    anywhere in the vault; an existing note is never overwritten.
    """
    from vaultokr.commands.new import new_note
    from vaultokr.commands.new_checks import NewNote

    values: dict[str, Any] = dict(options)
    spec = NewNote(kind, title, **values)
    rel, warnings = new_note(vault, spec, clock.today())
    click.echo(f"created  {rel}")
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)


@main.command(epilog=EXIT_CODES_HELP,
              context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, metavar="[KR VALUE]")
@vault_options(positional=False)
@click.option("--date", "day", type=DateParam(), default=None,
              help="Date of the measurement (default: today; never a future date).")
@click.option("--confidence", type=click.FloatRange(0, 10), help="Confidence, 0 to 10.")
@click.option("--comment", help="One line about what happened.")
@click.option("--note", "as_note", is_flag=True,
              help="Write a check-in note instead of a line in the key result's log.")
@click.option("--folder", default=None,
              help="Folder for check-in notes (default: notes.checkins of vaultokr.toml, "
              "Check-ins).")
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@cache_option
@boundary
def checkin(words: tuple[str, ...], vault: Path, day: dt.date | None,
            confidence: float | None, comment: str | None, as_note: bool,
            folder: str | None, dry_run: bool, no_cache: bool) -> None:
    """Record a measurement of a key result (found by name, title, alias or
    path), then print its progress and status as of today.

    With no KR: the weekly check-in. It walks through every running key
    result with no measurement this week, stale ones first, shows where each
    stands and asks for the value, confidence and a comment (Enter skips,
    q stops), then prints the week's summary.

    A key result note gets a line in its "## Log" section (made if missing,
    kept in date order); an inline key result, or --note, gets a check-in
    note. A negative value is taken as it is: vaultokr checkin KR -1.
    """
    from vaultokr.commands.checkin import Checkin, checkin_words, one_checkin, weekly

    today = clock.today()
    names = [name for p in click.get_current_context().command.params for name in p.opts]
    kr, value = checkin_words(words, names)
    options = Checkin(day or today, confidence, comment, as_note, folder, dry_run,
                      cache=not no_cache)
    if kr is None:
        weekly(vault, today, options)
    else:
        one_checkin(vault, today, kr, value, options)


@main.command(epilog=EXIT_CODES_HELP)
@vault_options()
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="csv: a table for spreadsheets; json: the full report.")
@click.option("--measurements", is_flag=True,
              help="With csv: one row per measurement instead of one per key result.")
@cache_option
@boundary
def export(vault: Path, as_of: dt.date | None, fmt: str, measurements: bool,
           no_cache: bool) -> None:
    """Print key results (or measurements) for spreadsheets and other tools."""
    from vaultokr.views.export import export as run_export

    analysis = analyse(vault, as_of or clock.today(), cache=not no_cache)
    click.echo(run_export(analysis, fmt, measurements), nl=False)
