"""``vaultokr plan``'s walk and its writes: the proposal shown one objective
at a time, as the weekly check-in shows key results (Enter keeps, ``s``
skips, a number is a new target, ``q`` stops; answers can be piped), then
the notes kept written, none overwritten, or with ``--dry-run`` printed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from vaultokr.commands.authoring import create_note
from vaultokr.commands.checkin import prompt
from vaultokr.commands.plan import (
    Ask,
    Plan,
    PlannedKR,
    PlannedObjective,
    kr_text,
    make_plan,
    objective_text,
    summary,
)
from vaultokr.config.vault_config import load_config
from vaultokr.core.errors import Problems
from vaultokr.core.formatting import percent
from vaultokr.core.vocab import status_label
from vaultokr.reviews.retrospective import retrospective_note
from vaultokr.syntax.values import ValueProblem, parse_number


def run_plan(root: Path, label: str, today: dt.date, *, source: str | None = None,
             everything: bool = False, force: bool = False, dry_run: bool = False,
             ask: Ask = prompt) -> None:
    plan = make_plan(root, label, source, today, everything=everything, force=force)
    todo = [o for o in plan.objectives if not o.done]
    done = len(plan.objectives) - len(todo)
    click.echo(f"Plan {plan.period.label} from {plan.previous.label}: {len(todo)} "
               f"objective{'s' * (len(todo) != 1)} to carry"
               + (f" ({done} planned already)" if done else "")
               + (" — dry run, nothing is written" if dry_run else
                  " (Enter keeps, s skips, a number is a new target, q stops)"))
    if not todo:
        return
    if not dry_run:
        walk(todo, plan, ask)
    write_plan(root, plan, todo, today, dry_run)


def walk(todo: list[PlannedObjective], plan: Plan, ask: Ask) -> None:
    """Ask about each objective and its key results; at ``q`` or the end of
    the input, what is left is skipped."""
    for i, o in enumerate(todo, 1):
        old = o.old
        click.echo(f"\n[{i}/{len(todo)}] {o.title}: {percent(old.progress)} in "
                   f"{plan.previous.label}, {status_label(old.status)}")
        for k in o.krs:
            click.echo(f"  - {k.title}: {summary(k)}")
            if k.flag:
                click.echo(f"    ! {k.flag}")
        answer = ask(f"  plan it for {plan.period.label}? (Enter: yes, s: skip, q: stop)")
        if answer is None or answer.strip().lower() == "q":
            for rest in todo[i - 1:]:
                rest.skip = True
            click.echo("  stopped")
            return
        if answer.strip().lower() == "s":
            o.skip = True
            continue
        for k in o.krs:
            if not _ask_kr(k, ask):
                for rest in todo[i:]:
                    rest.skip = True
                return


def _ask_kr(k: PlannedKR, ask: Ask) -> bool:
    """One key result's answer; False when the walk stops."""
    while True:
        answer = ask(f"  {k.title}: Enter keeps it, s skips it, or type a new target")
        if answer is None or answer.strip().lower() == "q":
            click.echo("  stopped")
            return False
        text = answer.strip()
        if text.lower() == "s":
            k.skip = True
            return True
        if not text:
            return True
        try:
            k.target = float(parse_number(text, k.old.kr.unit))
        except ValueProblem as exc:
            click.echo(f"    {exc}")
            continue
        k.flag = ""
        return True


def write_plan(root: Path, plan: Plan, todo: list[PlannedObjective], today: dt.date,
               dry_run: bool) -> None:
    config = load_config(root, Problems())
    created_key = config.created_key
    notes: list[tuple[str, str]] = []
    for o in todo:
        if o.skip:
            continue
        notes.append((plan.note(o.title), objective_text(plan, o, today, created_key)))
        notes += [(plan.note(k.title), kr_text(plan, o, k, today, created_key, root))
                  for k in o.krs if not k.skip]
    if not notes:
        click.echo("Nothing to write.")
        return
    if config.retrospective:  # the period just planned from gets its retrospective
        rel = config.retrospective.replace("{period}", plan.previous.label)
        if not (root / rel).exists():
            notes.append((rel, retrospective_note(plan.previous.label)))
    if not dry_run:
        click.echo()
    for rel, text in notes:
        if dry_run:
            click.echo(f"\nwould create  {rel}")
            click.echo("".join(f"    {line}\n" if line else "\n"
                               for line in text.splitlines()), nl=False)
        else:
            create_note(root, rel, text)
            click.echo(f"created  {rel}")
