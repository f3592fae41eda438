"""The options every command shares: ``--vault`` (and the older positional
VAULT), ``--as-of``, ``--no-cache``, and the date type they take."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from vaultokr.commands.boundary import boundary
from vaultokr.config.locate import ENV, locate

F = TypeVar("F", bound=Callable[..., Any])


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


class AliasArgument(click.Argument):
    """The older positional VAULT: still taken, no longer shown (``--vault``
    is the one documented form)."""

    def get_usage_pieces(self, ctx: click.Context) -> list[str]:
        return []


def names_a_folder(text: str) -> bool:
    """An argument that names a folder rather than a key result (``status
    ./vault``, as earlier versions took the vault)."""
    return Path(text).is_dir() or (text.startswith(("/", "./", "../", "~"))
                                   and not text.endswith(".md"))


def vault_options(positional: bool = True, folder_in: str | None = None) -> Callable[[F], F]:
    """``--vault PATH`` (or VAULTOKR_VAULT), and the positional alias where a
    command had one (or, with ``folder_in``, an argument that may name a
    folder instead); the command gets ``vault``, the vault's root."""

    def decorate(func: F) -> F:
        @wraps(func)
        def wrapper(*args: Any, vault_option: Path | None = None,
                    vault_positional: Path | None = None, **kwargs: Any) -> Any:
            given = kwargs.get(folder_in) if folder_in is not None else None
            if folder_in is not None and isinstance(given, str) and names_a_folder(given):
                vault_positional, kwargs[folder_in] = Path(given), None
            return func(*args, vault=locate(vault_option, vault_positional), **kwargs)

        wrapper = boundary(wrapper)  # a vault that is not a folder is a usage error

        wrapped: Any = click.option(
            "--vault", "vault_option", envvar=ENV, default=None, metavar="PATH",
            type=click.Path(path_type=Path, readable=False),
            help=f"The vault (also ${ENV}). Default: the nearest folder at or above the "
            "current one that holds vaultokr.toml or .obsidian/.")(wrapper)
        if positional:
            wrapped = click.argument("vault_positional", cls=AliasArgument, required=False,
                                     default=None,
                                     type=click.Path(path_type=Path, readable=False))(wrapped)
        return wrapped  # type: ignore[no-any-return]

    return decorate


as_of_option = click.option(
    "--as-of", "as_of", type=DateParam(), default=None,
    help="Compute as of this date (YYYY-MM-DD); measurements after it are ignored. "
    "Default: today.",
)



cache_option = click.option(
    "--no-cache", "no_cache", is_flag=True,
    help="Read every note; neither use nor write the index and answers in .vaultokr/.",
)
