"""The CLI boundary: every exception that stops a command becomes a message
and an exit code here, and only here. The same table writes the "Exit codes"
section of ``--help`` (and so of docs/cli.md)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from vaultokr.core.errors import (
    CannotWrite,
    NoteChanged,
    ProblemsFound,
    Runaway,
    UsageError,
    VaultBusy,
    VaultokrError,
    debug_traceback,
)

EXIT_OK, EXIT_INTERNAL = 0, 3

# (exception, exit code), the first that matches wins
EXIT_CODES: tuple[tuple[type[VaultokrError], int], ...] = (
    (ProblemsFound, 1),
    (Runaway, 1),
    (CannotWrite, 1),
    (UsageError, 2),
    (VaultBusy, 4),
    (NoteChanged, 5),
    (VaultokrError, 2),  # a subclass not listed above is a usage error
)

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  problems found (check); an output not written, or out of date with
     --check (build); outputs rewritten by another program (watch)
  2  usage error: bad option, missing vault folder (or one you may not
     enter), bad date
  3  internal error in vaultokr (please report it)
  4  vault busy: another vaultokr holds the vault's lock; try again later
  5  a note changed while vaultokr wrote it; nothing was written, try again"""

F = TypeVar("F", bound=Callable[..., Any])


def exit_code(exc: VaultokrError) -> int:
    return next(code for kind, code in EXIT_CODES if isinstance(exc, kind))


def reader_left() -> None:
    """The program reading our output stopped (``vaultokr status | head``):
    not a bug. What was left to print goes nowhere, and the command ends as
    it would have (everything before the output was done already)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's captured output)
    sys.exit(EXIT_OK)


def boundary(func: F) -> F:
    """Convert vaultokr's errors (and any bug) into a message and an exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except VaultokrError as exc:
            if exc.message:
                click.echo(str(exc), err=True)
            sys.exit(exit_code(exc))
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            reader_left()
        except Exception as exc:  # the CLI boundary: report a bug without a traceback
            debug_traceback()
            click.echo(
                f"vaultokr: internal error: {type(exc).__name__}: {exc}\n"
                "  hint: this is a bug in vaultokr; run again with VAULTOKR_DEBUG=1 for the "
                "traceback and report it",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]
