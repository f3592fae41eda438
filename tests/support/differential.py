"""The differential test's machinery: a cache never changes an answer.

A *sequence* is a list of steps; a step is an edit of a small vault followed
by a command. Every command runs twice, in-process, from the same user files:

- *cached*: in the sequence's own vault, whose ``.vaultokr/`` (index,
  answers, last build) persists from step to step;
- *fresh*: with ``--no-cache``, in a copy of that vault's user files as they
  were just before the command (everything but the cache files).

Both runs use the **same vault path**: the sequence's vault is moved aside
while the fresh copy is run at its place, then moved back (so paths printed,
wrapped at any width, and paths kept in the caches are the same; nothing is
normalised). The exit code, standard output and error and every file's bytes
afterwards (a symbolic link by its target) must be equal, except the cache
files themselves (:data:`CACHE_FILES`).

Steps are plain tuples, so a failing sequence is printed as Python that
replays it::

    from support.differential import replay
    replay([(("value", 0, 7), ("status",)), (("none",), ("status",))])

Edits (the first item names the kind; the integers pick a note, a value or a
variant modulo what exists, so every sequence is valid in every state) are in
:data:`EDITS`; commands in :data:`COMMANDS`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from click.testing import CliRunner

from support.differential_edits import DATES, EDITS, WIDTHS, base_vault
from vaultokr.cli import main
from vaultokr.core import clock

Edit = tuple[object, ...]
Command = tuple[str, ...]
Step = tuple[Edit, Command]

#: files of ``.vaultokr/`` that are caches (not compared, not copied)
CACHE_FILES = re.compile(
    r"\.vaultokr/(index|answer-[^/]*|last-build|last-reviews|lock|\.gitignore)(\.[^/]*)?$")

class Ran(NamedTuple):
    code: int
    stdout: str
    stderr: str
    crash: str  # an exception that was not an exit ("" for none)


def run(root: Path, command: Command, today: dt.date, columns: int, cached: bool) -> Ran:
    """``vaultokr COMMAND --vault ROOT`` in-process on the day ``today``, at a
    terminal width; the process-wide state it touches is put back after."""
    args = [*command, "--vault", str(root)] + ([] if cached else ["--no-cache"])
    real_today = clock.today
    clock.today = lambda: today
    try:
        with compiled_once():
            result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, args)
    finally:
        clock.today = real_today
    crash = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = repr(result.exception)
    return Ran(result.exit_code, result.stdout, result.stderr, crash)


#: Jinja's compiled templates, by source and everything the compiler reads
_COMPILED: dict[tuple[object, ...], Any] = {}


@contextmanager
def compiled_once() -> Iterator[None]:
    """Each distinct template source compiled by Jinja once per process (as
    Jinja's own bytecode cache does; 90% of a build's time in-process). The
    key holds the source, its name and file and the environment's class and
    syntax options, so a changed template is compiled again."""
    real: Any = jinja2.Environment.compile

    def compile(self: jinja2.Environment, source: Any, name: str | None = None,
                filename: str | None = None, raw: bool = False,
                defer_init: bool = False) -> Any:
        if not isinstance(source, str):
            return real(self, source, name, filename, raw, defer_init)
        key = (type(self), source, name, filename, raw, defer_init, self.trim_blocks,
               self.lstrip_blocks, self.keep_trailing_newline, self.autoescape,
               self.newline_sequence, tuple(self.extensions))
        if key not in _COMPILED:
            _COMPILED[key] = real(self, source, name, filename, raw, defer_init)
        return _COMPILED[key]

    setattr(jinja2.Environment, "compile", compile)  # noqa: B010 (a method replaced)
    try:
        yield
    finally:
        setattr(jinja2.Environment, "compile", real)  # noqa: B010


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but the cache files; a symbolic link as
    ``-> TARGET``, a folder as ``/``."""
    found: dict[str, bytes] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = b"-> " + os.readlink(path).encode()
            elif name in dirs:
                found[rel] = b"/"
            elif not CACHE_FILES.fullmatch(rel):
                found[rel] = path.read_bytes()
    return found


def copy_user_files(src: Path, dst: Path) -> None:
    """Copy the vault but its cache files: bytes, times and links as they are."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(src).as_posix()
        return {n for n in names if CACHE_FILES.fullmatch(f"{rel}/{n}".removeprefix("./"))}

    shutil.copytree(src, dst, symlinks=True, ignore=ignore)


class Difference(AssertionError):
    """The cached and the fresh run differ."""


def compare(cached: Ran, fresh: Ran, after: dict[str, bytes],
            fresh_after: dict[str, bytes]) -> list[str]:
    """What differs between the cached run and the fresh one (empty: nothing),
    as unified diffs (``-`` cached, ``+`` fresh)."""
    found = [_diff(name, str(getattr(cached, name)), str(getattr(fresh, name)))
             for name in Ran._fields if getattr(cached, name) != getattr(fresh, name)]
    if cached.crash or fresh.crash:
        found.append(f"a crash: {cached.crash or fresh.crash}")
    for rel in sorted(set(after) | set(fresh_after)):
        mine, theirs = after.get(rel), fresh_after.get(rel)
        if mine != theirs:
            found.append(_diff(f"file {rel}", _text(mine), _text(theirs)))
    return found


def _text(data: bytes | None) -> str:
    return "(missing)\n" if data is None else data.decode("utf-8", "backslashreplace")


def _diff(what: str, cached: str, fresh: str) -> str:
    lines = difflib.unified_diff(cached.splitlines(keepends=True),
                                 fresh.splitlines(keepends=True), "cached", "fresh", n=1)
    return f"{what} differs:\n" + "".join(f"    {line.rstrip(chr(10))}\n" for line in lines)


def replay(steps: Sequence[Step], work: Path | None = None) -> None:
    """Run a sequence in ``work`` (emptied first; default: a new temporary
    folder); raise :class:`Difference` at the first step whose two runs
    differ, with the sequence up to it as Python to replay. (Templates are
    compiled once per source *and file name*: sequences run in the same
    ``work`` share them.)"""
    with _workdir(work) as folder:
        vault = Vault(folder / "vault")
        for n, step in enumerate(steps):
            found = vault.step(step)
            if found:
                raise Difference(
                    f"step {n + 1} of {len(steps)}: {step!r}\n" + "".join(found)
                    + "\nreplay with:\n  from support.differential import replay\n"
                    f"  replay({list(steps[:n + 1])!r})")


@contextmanager
def _workdir(work: Path | None) -> Iterator[Path]:
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        yield work
        return
    work = Path(tempfile.mkdtemp(prefix="vaultokr-diff-"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


class Vault:
    """A sequence's vault and what the steps set: the day, the terminal's width
    and the clock of edits (each write gets a later time, days ago, so the
    caches trust the notes: a note modified just now is never kept)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.today = DATES[0]
        self.columns = WIDTHS[0]
        self.clock = time.time() - 30 * 86400
        for rel, text in base_vault().items():
            self.write(rel, text)

    # ------------------------------------------------------------ one step
    def step(self, step: Step) -> list[str]:
        edit, command = step
        EDITS[str(edit[0])][0](self, *[int(str(n)) for n in edit[1:]])
        parked = self.root.with_name("parked")
        fresh_root = self.root.with_name("fresh")
        shutil.rmtree(fresh_root, ignore_errors=True)
        self.root.rename(parked)
        try:
            copy_user_files(parked, self.root)
            fresh = run(self.root, command, self.today, self.columns, cached=False)
            self.root.rename(fresh_root)
        finally:
            if self.root.exists():
                shutil.rmtree(self.root)
            parked.rename(self.root)
        cached = run(self.root, command, self.today, self.columns, cached=True)
        return compare(cached, fresh, tree(self.root), tree(fresh_root))

    # ------------------------------------------------------------- writing
    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.age(path)

    def age(self, path: Path) -> None:
        self.clock += 1.0
        os.utime(path, (self.clock, self.clock), follow_symlinks=False)

    def notes(self, *, generated: bool = False) -> list[str]:
        """The vault's Markdown files that are not symbolic links: the user's
        (or, with ``generated``, vaultokr's outputs), sorted."""
        found = []
        for path in sorted(self.root.rglob("*.md")):
            rel = path.relative_to(self.root).as_posix()
            if path.is_symlink() or not path.is_file() or rel.startswith(".vaultokr/"):
                continue
            if ("vaultokr: generated" in path.read_text(encoding="utf-8",
                                                        errors="replace")) == generated:
                found.append(rel)
        return found

    def pick(self, i: int, *, generated: bool = False) -> str | None:
        notes = self.notes(generated=generated)
        return notes[i % len(notes)] if notes else None

    def text(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8", errors="surrogateescape")


COMMANDS: list[Command] = [
    ("status",), ("status", "--json"), ("check",), ("check", "--format", "json"),
    ("build",), ("build", "-v"), ("build", "--dry-run"), ("build", "--check"), ("export",),
    ("status", "Readers"), ("check", "--strict"), ("build", "--force"), ("build", "-q"),
    ("build", "--diff"), ("export", "--format", "json"), ("export", "--measurements"),
    *[("status", "--as-of", d.isoformat()) for d in DATES],
    *[("status", "--json", "--as-of", d.isoformat()) for d in DATES],
    *[("build", "--as-of", d.isoformat()) for d in DATES[:2]],
]


def kind(command: Command) -> str:
    """A command's kind: its words but dates (``status --as-of``)."""
    return " ".join(word for word in command if not word[:1].isdigit())
