"""``vaultokr checkin``: one measurement from the command line, or, with no
key result, the weekly check-in: every running key result with no
measurement this week, stale ones first, asked one at a time (Enter skips,
``q`` stops), each written through the same safe path as a single check-in,
then the week's summary. It reads its answers from standard input, so it
works with piped input too."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from vaultokr.commands.authoring import CheckinResult, checkin
from vaultokr.compute.results import KRResult
from vaultokr.core.errors import CannotWrite, UsageError
from vaultokr.core.formatting import number, percent
from vaultokr.core.vocab import Status, status_label
from vaultokr.model.measures import RULES
from vaultokr.reviews.data import is_running
from vaultokr.run.oneshot import analyse
from vaultokr.syntax.measured import parse_measurement
from vaultokr.syntax.values import ValueProblem
from vaultokr.views.terminal import natural_key

_NUMBER = re.compile(r"^-[\d.,]")
Ask = Callable[[str], str | None]  # a prompt's answer; None at the end of the input


@dataclass
class Checkin:
    """The options of ``vaultokr checkin``."""

    day: dt.date
    confidence: float | None = None
    comment: str | None = None
    as_note: bool = False
    folder: str | None = None
    dry_run: bool = False
    cache: bool = True  # --no-cache: neither read nor write the index and answers


def checkin_words(words: tuple[str, ...], options: Sequence[str] = ()) -> tuple[str | None, str]:
    """KR and VALUE from the command line (none: the weekly check-in), with a
    hint for each slip: the vault given as a word, a misspelt option (one of
    ``options``, the command's own)."""
    for word in words:
        if word.startswith("-") and not _NUMBER.match(word):
            close = difflib.get_close_matches(word.split("=")[0], list(options), n=1)
            hint = (f"did you mean {close[0]}? " if close else "") + \
                "vaultokr checkin --help lists the options"
            if not word.startswith("--"):
                hint += "; a value that starts with - goes after --: vaultokr checkin KR -- " \
                    + word
            raise UsageError(f"no such option: {word}", hint=hint)
    if len(words) == 3 and Path(words[0]).is_dir():
        rest = shlex.join(words[1:])
        raise UsageError(f"{words[0]!r} looks like the vault folder: checkin takes the vault "
                         "as an option",
                         hint=f"vaultokr checkin {rest} --vault {shlex.quote(words[0])} (or "
                         f"run it inside the vault: vaultokr checkin {rest})")
    if len(words) > 2:
        raise UsageError(f"checkin takes a key result and a value, not {len(words)} words",
                         hint="quote a name with spaces: vaultokr checkin "
                         "\"Speaking invitations\" 3")
    if len(words) == 1:
        raise UsageError(f"no value for {words[0]!r}",
                         hint=f"vaultokr checkin {shlex.quote(words[0])} VALUE, or vaultokr "
                         "checkin alone for the weekly check-in")
    return (words[0], words[1]) if words else (None, "")


def one_checkin(root: Path, today: dt.date, kr: str, value: str, options: Checkin) -> None:
    result = checkin(root, kr, value, options.day, options.confidence, options.comment,
                     options.as_note, options.folder, today=today, dry_run=options.dry_run,
                     cache=options.cache)
    _report(result, options, today)


def _report(result: CheckinResult, options: Checkin, today: dt.date) -> None:
    if options.dry_run:
        where = "would add to the log of" if result.how == "log" else "would write"
        click.echo(f"{where} {result.path} (--dry-run: nothing written):")
        for line in result.written.splitlines():
            click.echo(f"  {line}")
        return
    where = "added to the log of" if result.how == "log" else "wrote"
    click.echo(f"{where} {result.path}")
    r = result.analysis.results.key_results.get(result.kr.id)
    if r is not None:
        click.echo(f"{r.kr.title}: {_standing(r)}{_dated(options.day, today)}")


def _standing(r: KRResult) -> str:
    return (f"{percent(r.progress)} done, {percent(r.expected)} expected"
            f" · {status_label(r.status)}")


def _dated(day: dt.date, today: dt.date) -> str:
    return "" if day == today else f" (as of today; the check-in is dated {day.isoformat()})"


# ----------------------------------------------------------- the weekly walk
def due_this_week(results: list[KRResult], week_start: dt.date) -> list[KRResult]:
    """Running key results measured by check-ins with none since Monday,
    stale first, then the longest unmeasured, then by title."""
    due = [r for r in results
           if not r.kr.done and r.status not in (Status.DROPPED, Status.PAUSED)
           and RULES[r.kr.measure].logged and not (r.kr.tag or r.kr.field)
           and not any(m.explicit and m.date >= week_start for m in r.measurements)]
    return sorted(due, key=lambda r: (not r.stale, r.last_measured or dt.date.min,
                                      natural_key(r.kr.title)))


def weekly(root: Path, today: dt.date, options: Checkin, ask: Ask | None = None) -> None:
    ask = ask or prompt
    analysis = analyse(root, today, cache=options.cache)
    week_start = today - dt.timedelta(days=today.weekday())
    running = [r for o in analysis.results.objectives if is_running(o, today)
               for r in o.key_results]
    due = due_this_week(running, week_start)
    iso = today.isocalendar()
    week = f"{iso[0]}-W{iso[1]:02d}"
    if not running:
        click.echo(f"Week {week}: no key result is running today; write one with "
                   "vaultokr new kr TITLE --objective NAME --target N.")
        return
    if not due:
        click.echo(f"Week {week}: every running key result that takes check-ins has a "
                   "measurement this week.")
        return
    click.echo(f"Week {week}: {len(due)} key result{'s' * (len(due) != 1)} to check in "
               "(Enter skips, q stops)" + (" — dry run, nothing is written" if options.dry_run
                                           else ""))
    recorded: list[tuple[str, str]] = []
    refused: list[str] = []
    skipped = 0
    for i, r in enumerate(due, 1):
        click.echo(f"\n[{i}/{len(due)}] {r.kr.title}")
        click.echo(f"  {_last(r)}")
        answer = _ask_value(ask, r)
        if answer is None:
            skipped += len(due) - i + 1
            click.echo("  stopped")
            break
        if answer == "":
            skipped += 1
            continue
        confidence = _ask_confidence(ask)
        comment = (ask("  comment (Enter for none)") or "").strip() or None
        try:
            result = checkin(root, r.kr.id, answer, options.day, confidence, comment,
                             options.as_note, options.folder, today=today,
                             dry_run=options.dry_run)
        except CannotWrite as exc:  # this one is left; the walk goes on
            click.echo("  → not recorded: " + str(exc).replace("\n", "\n    "))
            refused.append(r.kr.title)
            continue
        shown = _shown(result, r.kr.id, options.dry_run)
        click.echo(f"  → {shown}")
        recorded.append((r.kr.title, shown))
    click.echo(f"\nWeek {week}: {len(recorded)} recorded, {skipped} skipped"
               + (f", {len(refused)} not recorded" if refused else "") + ".")
    for title, shown in recorded:
        click.echo(f"  {title}: {shown}")
    if refused:
        raise CannotWrite(f"not recorded: {', '.join(refused)} (the reason is above each)",
                          hint="record them as check-in notes: vaultokr checkin KR VALUE --note")


def _shown(result: CheckinResult, kr_id: str, dry_run: bool) -> str:
    """What the walk says of a check-in once it is written (or would be)."""
    if dry_run:
        return (f"would add: {result.written}" if result.how == "log"
                else f"would write {result.path}")
    after = result.analysis.results.key_results.get(kr_id)
    return _standing(after) if after is not None else f"written to {result.path}"


def _last(r: KRResult) -> str:
    explicit = [m for m in r.measurements if m.explicit]
    last = (f"last {number(explicit[-1].value, r.kr.unit)} on {explicit[-1].date}"
            if explicit else "no measurement yet")
    text = f"{last} · {_standing(r)}"
    if r.stale:
        text += " · stale"
    return text


def _ask_value(ask: Ask, r: KRResult) -> str | None:
    """The value typed ("" to skip), or None to stop; asked again until it reads."""
    while True:
        answer = ask("  value" + (f" ({r.kr.unit})" if r.kr.unit else ""))
        if answer is None or answer.strip().lower() in ("q", "quit"):
            return None
        answer = answer.strip()
        if not answer:
            return ""
        try:
            parse_measurement(answer, r.kr.unit)
            return answer
        except ValueProblem as exc:
            click.echo(f"  {exc}; type a number, Enter to skip, q to stop")


def _ask_confidence(ask: Ask) -> float | None:
    while True:
        answer = (ask("  confidence 0-10 (Enter for none)") or "").strip()
        if not answer:
            return None
        try:
            value = float(answer)
        except ValueError:
            value = -1.0
        if 0 <= value <= 10:
            return value
        click.echo("  confidence is a number from 0 to 10")


def prompt(text: str) -> str | None:
    try:
        answer: str = click.prompt(text, default="", show_default=False, prompt_suffix=": ")
    except click.Abort:  # the end of piped input, or Ctrl-C/Ctrl-D
        click.echo()
        return None
    if _piped():
        click.echo(answer)  # no terminal echoed it: the transcript reads as typed
    return answer


def _piped() -> bool:
    """Answers come from a pipe or file, which no terminal echoes."""
    try:
        return not sys.stdin.isatty() and sys.stdin.fileno() >= 0
    except (OSError, ValueError, AttributeError):  # not a real file (a test's input)
        return False
