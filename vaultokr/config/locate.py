"""Which folder is the vault: the nearest folder at or above a starting point
that holds ``vaultokr.toml`` or ``.obsidian/`` (as git finds its root). The
starting point is ``--vault`` (or the ``VAULTOKR_VAULT`` environment
variable, or the older positional VAULT) when given, and a folder named so is
the vault even with neither marker; else the current folder, and then a
marker must be found: run by mistake in a home folder, vaultokr would read
every file under it and write its reviews there."""

from __future__ import annotations

import os
from pathlib import Path

from vaultokr.config.vault_config import CONFIG_NAME
from vaultokr.core.errors import UsageError

ENV = "VAULTOKR_VAULT"
MARKERS = (CONFIG_NAME, ".obsidian")


def is_vault_root(folder: Path) -> bool:
    return (folder / CONFIG_NAME).is_file() or (folder / ".obsidian").is_dir()


def marked_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that is marked as a vault,
    given back in the form ``start`` was given (relative stays relative), so
    messages show the path the user typed; None when there is none."""
    absolute = Path(os.path.abspath(start))
    for up, folder in enumerate([absolute, *absolute.parents]):
        if is_vault_root(folder):
            if up == 0:
                return start
            return Path(os.path.relpath(folder)) if not start.is_absolute() else folder
    return None


def locate(option: Path | None, positional: Path | None = None, *,
           walk_up: bool = True, unmarked_here: bool = False) -> Path:
    """The vault for a command: ``--vault`` (or VAULTOKR_VAULT), the
    positional alias, or the current folder; then walked up to its root.
    From the current folder a marker must be found, unless ``unmarked_here``
    (``init``, which makes one)."""
    if option is not None and positional is not None and \
            os.path.abspath(option) != os.path.abspath(positional):
        raise UsageError(f"two vaults given: {positional} and --vault {option}",
                         hint=f"name the vault once: --vault {option}")
    start = option if option is not None else positional
    if start is None:
        start = Path(".")
    exists = reachable(start)
    if exists and not start.is_dir():
        raise UsageError(f"{start} is not a folder",
                         hint="give the vault's folder: --vault PATH (or run vaultokr "
                         "inside the vault)")
    if not exists:
        raise UsageError(f"{start} is not a folder",
                         hint="give the path of your vault: --vault PATH (or run vaultokr "
                         "inside the vault)")
    must_enter(start)
    if not walk_up:
        return start
    root = marked_root(start)
    if root is not None:
        must_enter(root)
        return root
    if option is None and positional is None and not unmarked_here:
        raise UsageError(
            "no vault here: neither this folder nor any folder above it holds "
            f"{CONFIG_NAME} or .obsidian/",
            hint="run vaultokr inside your vault, name it with --vault PATH, or start "
            "one here with vaultokr init")
    return start


def reachable(path: Path) -> bool:
    """Whether ``path`` exists; a usage error when a folder on the way to it
    may not be entered (so whether it exists cannot be told)."""
    try:
        return path.exists()
    except PermissionError:
        raise cannot_enter(path) from None


def must_enter(folder: Path) -> None:
    """A usage error when this user cannot list ``folder`` and open what is
    in it, or cannot reach it by its full path (a folder above it that the
    user may not enter): everything below would fail on the first note."""
    try:
        with os.scandir(folder):  # listing
            pass
        os.stat(os.path.join(os.path.abspath(folder), "."))  # entering, from the top down
    except PermissionError:
        raise cannot_enter(folder) from None


def cannot_enter(folder: Path) -> UsageError:
    """The error for a folder this user may not enter (or list), naming the
    folder that is in the way: ``folder`` itself, or the first one above it."""
    absolute = Path(os.path.abspath(folder))
    blocked = next((up for up in reversed([absolute, *absolute.parents])
                    if not os.access(up, os.R_OK | os.X_OK if up == absolute else os.X_OK)),
                   absolute)
    if blocked == absolute:
        return UsageError(f"{label(folder)} cannot be entered: permission denied",
                          hint=f"check its permissions (ls -ld {label(folder)}) or run "
                          "vaultokr as its owner")
    return UsageError(f"{label(folder)} cannot be reached: the folder {blocked} above it "
                      "cannot be entered: permission denied",
                      hint=f"check that folder's permissions (ls -ld {blocked}) or run "
                      "vaultokr as its owner")


def label(root: Path) -> str:
    """How a vault is shown in messages: as given, "." for the current folder."""
    text = str(root)
    return text if text else "."
