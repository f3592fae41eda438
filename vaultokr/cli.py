"""The ``vaultokr`` command: a thin click layer over plain functions.

Exit codes: boundary.py maps every error to its code, and documents them
in the help of every command.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from vaultokr import __version__
from vaultokr.boundary import EXIT_CODES_HELP, boundary
from vaultokr.engine import Analysis
from vaultokr.errors import ProblemsFound, UsageError
from vaultokr.pipeline import analyse
from vaultokr.properties import new_options
from vaultokr.reporter import Level, Reporter


class DateParam(click.ParamType):  # type: ignore[type-arg]
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-20",
                      param, ctx)


vault_argument = click.argument(
    "vault", default=".", type=click.Path(file_okay=False, path_type=Path), required=False
)
as_of_option = click.option(
    "--as-of", "as_of", type=DateParam(), default=None,
    help="Compute as of this date (YYYY-MM-DD); measurements after it are ignored. "
    "Default: today.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "--version", prog_name="vaultokr")
def main() -> None:
    """Personal OKRs from an Obsidian-style Markdown vault.

    Write ambitions, objectives, key results and check-ins as notes with
    front-matter; vaultokr computes progress, expected progress, status,
    trends and forecasts.
    """


@main.command(epilog=EXIT_CODES_HELP)
@vault_argument
@as_of_option
@click.option("--json", "as_json", is_flag=True,
              help="Print the machine-readable report (schema 1, see docs/json.md).")
@boundary
def status(vault: Path, as_of: dt.date | None, as_json: bool) -> None:
    """Show objectives and key results with progress, status and forecast.

    VAULT is the vault folder (default: the current folder).
    """
    analysis = analyse(vault, as_of or dt.date.today())
    if as_json:
        from vaultokr.report import to_json

        click.echo(to_json(analysis), nl=False)
        return
    from vaultokr.terminal import render_status

    click.echo(render_status(analysis, str(vault)), nl=False)


@main.command(epilog=EXIT_CODES_HELP)
@vault_argument
@as_of_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one problem per line; json: a list of objects.")
@boundary
def check(vault: Path, as_of: dt.date | None, strict: bool, fmt: str) -> None:
    """List problems in the vault's OKR notes, one per line:

    PATH:LINE: SEVERITY: MESSAGE [CODE]

    The codes are listed in docs/problems.md.
    """
    analysis = analyse(vault, as_of or dt.date.today())
    emit_problems(analysis, fmt)
    if analysis.errors or (strict and analysis.warnings):
        raise ProblemsFound()


def emit_problems(analysis: Analysis, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in analysis.problems], indent=2,
                              ensure_ascii=False))
        return
    for problem in analysis.problems:
        click.echo(problem.format())
    errors, warnings = len(analysis.errors), len(analysis.warnings)
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
               f" in {analysis.files.notes_read} notes", err=True)


@main.command(epilog=EXIT_CODES_HELP)
@vault_argument
@as_of_option
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 when any output is out of date (for CI and hooks).")
@click.option("--diff", is_flag=True, help="Print a unified diff of every change.")
@click.option("--force", is_flag=True,
              help="Overwrite reviews and regions that were edited by hand.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems and errors only.")
@click.option("-v", "--verbose", is_flag=True, help="List every output, unchanged ones too.")
@boundary
def build(vault: Path, as_of: dt.date | None, dry_run: bool, check_only: bool, diff: bool,
          force: bool, quiet: bool, verbose: bool) -> None:
    """Write the review notes (dashboard, period and weekly reviews) and fill
    the vaultokr regions in your notes.

    Only files vaultokr generated, and only the lines between a region's
    markers, are ever written; a file is written only when its content
    changes. What you edited by hand inside them is kept unless --force.
    """
    from vaultokr.pipeline import build as run_build
    from vaultokr.summary import summarize

    result = run_build(vault, as_of or dt.date.today(), write=not (dry_run or check_only),
                       force=force)
    summarize(result, Reporter(click.echo, Level.of(quiet, verbose)), dry_run=dry_run,
              check=check_only, diff=diff)
    if result.failed(check_only):
        raise ProblemsFound()


@main.command(epilog=EXIT_CODES_HELP)
@vault_argument
@as_of_option
@click.option("--poll", is_flag=True,
              help="Poll for changes instead of native file events (network drives, Docker, "
              "WSL mounts).")
@click.option("--debounce", type=click.IntRange(0, 60_000), default=300, show_default=True,
              metavar="MS", help="Quiet period after a change before rebuilding.")
@click.option("--rescan", type=click.IntRange(10, 86_400), default=300, show_default=True,
              metavar="SECONDS", help="Full rescan interval, to catch events the OS dropped.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems and errors only.")
@click.option("-v", "--verbose", is_flag=True,
              help="Also print rebuilds that changed no output.")
@boundary
def watch(vault: Path, as_of: dt.date | None, poll: bool, debounce: int, rescan: int,
          quiet: bool, verbose: bool) -> None:
    """Keep the reviews current while you write: rebuild after every change.

    Runs until Ctrl-C or SIGTERM. Only the notes that changed are read again;
    a file is written only when its content changes, and vaultokr's own
    writes never trigger a rebuild.
    """
    from vaultokr.watch import WatchOptions
    from vaultokr.watch import watch as run_watch

    if not vault.is_dir():
        raise UsageError(f"{vault} is not a folder",
                         hint="give the path of your vault, e.g. vaultokr watch .")
    options = WatchOptions(debounce=debounce / 1000, max_wait=max(3.0, 10 * debounce / 1000),
                           poll=poll, rescan=float(rescan), as_of=as_of,
                           level=Level.of(quiet, verbose))
    run_watch(vault, options, click.echo)


@main.command(epilog=EXIT_CODES_HELP)
@vault_argument
@click.option("--folder", default="OKRs", show_default=True,
              help="Folder for the example ambition, objective and key result.")
@click.option("--checkins", default="Check-ins", show_default=True,
              help="Folder for check-in notes.")
@boundary
def init(vault: Path, folder: str, checkins: str) -> None:
    """Start using vaultokr in a vault (or an empty folder).

    Adds a commented vaultokr.toml and one example ambition, objective, key
    result and check-in; registers the property types in
    .obsidian/types.json when the vault has .obsidian/. Only adds: an
    existing file is never overwritten.
    """
    from vaultokr.authoring import init as run_init

    result = run_init(vault, dt.date.today(), folder, checkins)
    for rel in result.created:
        click.echo(f"created  {rel}")
    for rel in result.skipped:
        click.echo(f"kept     {rel} (exists)")
    if result.types == "added":
        click.echo("updated  .obsidian/types.json (number and date property types)")
    elif result.types == "unreadable":
        click.echo("left     .obsidian/types.json alone: it is not the JSON Obsidian writes")
    click.echo(
        "\nNext steps:\n"
        f"  vaultokr status {vault}          # where you are\n"
        f"  vaultokr checkin \"Speaking invitations\" 2 --vault {vault}\n"
        f"  vaultokr build {vault}           # write the dashboard and reviews\n"
        f"  vaultokr watch {vault}           # keep them current while you write\n"
        "Then rename the examples to your own goals: docs/tutorial.md walks through it."
    )


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("kind", type=click.Choice(["ambition", "objective", "kr", "initiative"]))
@click.argument("title")
@click.option("--vault", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The vault folder.")
@click.option("--folder", help="Folder for the note (default: OKRs/PERIOD, OKRs, "
              "OKRs/Initiatives).")
@new_options
@boundary
def new(kind: str, title: str, vault: Path, **options: Any) -> None:
    """Write a new ambition, objective, key result (kr) or initiative note.

    Everything is checked before anything is written; an existing note is
    never overwritten.
    """
    from vaultokr.newnote import NewNote, new_note

    values: dict[str, Any] = dict(options)
    spec = NewNote(kind, title, **values)
    rel = new_note(vault, spec, dt.date.today())
    click.echo(f"created  {rel}")


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("kr")
@click.argument("value")
@click.option("--vault", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The vault folder.")
@click.option("--date", "day", type=DateParam(), default=None,
              help="Date of the measurement (default: today).")
@click.option("--confidence", type=click.FloatRange(0, 10), help="Confidence, 0 to 10.")
@click.option("--comment", help="One line about what happened.")
@click.option("--note", "as_note", is_flag=True,
              help="Write a check-in note instead of a line in the key result's log.")
@click.option("--folder", default="Check-ins", show_default=True,
              help="Folder for check-in notes.")
@boundary
def checkin(kr: str, value: str, vault: Path, day: dt.date | None, confidence: float | None,
            comment: str | None, as_note: bool, folder: str) -> None:
    """Record a measurement of a key result (found by name, title, alias or
    path), then print its new progress and status.

    A key result note gets a line in its "## Log" section (made if missing);
    an inline key result, or --note, gets a check-in note.
    """
    from vaultokr.authoring import checkin as run_checkin
    from vaultokr.formatting import percent
    from vaultokr.vocab import status_label

    result = run_checkin(vault, kr, value, day or dt.date.today(), confidence, comment,
                         as_note, folder)
    r = result.analysis.results.key_results.get(result.kr.id)
    where = "added to the log of" if result.how == "log" else "wrote"
    click.echo(f"{where} {result.path}")
    if r is not None:
        click.echo(f"{r.kr.title}: {percent(r.progress)} done, {percent(r.expected)} expected"
                   f" · {status_label(r.status)}")


@main.command(epilog=EXIT_CODES_HELP)
@vault_argument
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="csv: a table for spreadsheets; json: the full report.")
@click.option("--measurements", is_flag=True,
              help="With csv: one row per measurement instead of one per key result.")
@boundary
def export(vault: Path, as_of: dt.date | None, fmt: str, measurements: bool) -> None:
    """Print key results (or measurements) for spreadsheets and other tools."""
    from vaultokr.export import export as run_export

    click.echo(run_export(analyse(vault, as_of or dt.date.today()), fmt, measurements), nl=False)
