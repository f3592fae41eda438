"""Answers on an unchanged vault: what ``status``, ``check`` and ``build``
printed last time, printed again when nothing they read has changed.

A command that ran in full keeps what it printed (and its exit code) in
``.vaultokr/answer-*`` (one file per command and options), under the
digest of everything the answer depends on: the key (index.py: size,
mtime_ns, inode, ctime_ns) of every note the vault lists, the problems met
while listing it and reading the settings, the date the command ran for,
the command and its options (for the terminal's ``status``, also the width
it printed for), and the stamp of the index (vaultokr's version, its code,
the Python version, every setting). ``build`` keeps what the *next* build
prints when nothing has changed (every output written or unchanged, no
problem while writing) and adds the keys of its outputs and the files of
the templates.

The next run lists the vault and ``stat``-s every note (it does so anyway
for the index), computes the same digest and, when an answer has it,
prints that answer without reading, analysing or building anything.

Racy notes: a note modified within :data:`vaultokr.cache.index.RACY_NS` of the
start of the run that answered could have changed again within the same
timestamp tick without its key changing. No answer is kept then, except for
outputs this build wrote itself: their bytes' hash is kept with the answer
and compared again before it is used.

The answers are off with ``--no-cache`` and ``index = false``, as the
index is; an answer file that cannot be read or parsed is ignored (it is
only ever a shortcut: the full run gives the same output).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import click

from vaultokr.cache import index as persistent
from vaultokr.cache import store
from vaultokr.cache.fingerprint import Digest, environment, folders
from vaultokr.core import clock

if TYPE_CHECKING:
    from vaultokr.write.outputs import BuildResult

ANSWERS_DIR = ".vaultokr"
PREFIX = "answer-"
#: answers kept per vault (the oldest go): a few commands, options and dates
KEEP = 12
KIND = "answer"
FORMAT = 3  # 3: the store's header; 2: paths and keys marshalled into the digest


@dataclass
class Answer:
    """What a command printed: (text, to standard error, newline) in order,
    and its exit code."""

    lines: list[tuple[str, bool, bool]] = field(default_factory=list)
    exit: int = 0

    def emit(self) -> None:
        for text, err, nl in self.lines:
            click.echo(text, err=err, nl=nl)


class Recorder:
    """Prints as ``click.echo`` does (or not, with ``echo=False``) and keeps
    every line for :func:`remember`."""

    def __init__(self, echo: bool = True) -> None:
        self.answer = Answer()
        self.echo = echo

    def write(self, text: str, *, err: bool = False, nl: bool = True) -> None:
        self.answer.lines.append((text, err, nl))
        if self.echo:
            click.echo(text, err=err, nl=nl)

    def line(self, text: str) -> None:
        """One line to standard output (a :class:`~vaultokr.views.printer.Reporter`'s writer)."""
        self.write(text)


@dataclass
class Inputs:
    """What a one-shot command read before anything was parsed."""

    root: Path
    stamp: str  # the index's: version, code, Python, libraries, settings
    started_ns: int  # when the vault was listed
    keys: dict[str, persistent.Key | None]  # every listed note's key (None: not stat-ed)
    problems: list[Any]  # met while reading the settings and listing the vault


def _digest(inputs: Inputs, request: tuple[Any, ...], extra: dict[str, persistent.Key | None],
            templates: list[Path]) -> str | None:
    """The digest of everything an answer depends on; None when a note has no key."""
    digest = Digest("answer").add("index", inputs.stamp).add("request", repr(request))
    digest.add("problems", repr(inputs.problems))
    digest.add("today", clock.today().isoformat()).add("environment", environment())
    for kind, keys in (("note", inputs.keys), ("out", extra)):
        if None in keys.values():
            return None
        # marshal's version 0 writes values alone (no references, no interning): the same
        # paths and keys give the same bytes
        digest.add(kind, marshal.dumps(sorted(keys.items()), 0))
    digest.add("templates", folders(templates))
    return digest.hexdigest()


def _file(root: Path, request: tuple[Any, ...]) -> Path:
    name = hashlib.sha256(repr(request).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return root / ANSWERS_DIR / (PREFIX + name)


@dataclass
class Kept:
    """An answer kept in ``.vaultokr/``, its file held open until printed:
    each line is streamed from the file in pieces (a 50 MB report is never
    held whole in memory)."""

    handle: BinaryIO
    lines: list[tuple[int, bool, bool]]  # (bytes, to standard error, newline)
    exit: int

    def emit(self) -> None:
        with self.handle:
            for size, err, nl in self.lines:
                left = size
                while left > 0:
                    piece = self.handle.read(min(left, CHUNK))
                    if not piece:
                        raise OSError("the answer file is shorter than it says")
                    piece += _to_boundary(self.handle, piece, left - len(piece))
                    left -= len(piece)
                    click.echo(piece.decode("utf-8", "surrogateescape"), err=err, nl=False)
                if nl:
                    click.echo("", err=err)


#: bytes printed at a time when an answer is printed again
CHUNK = 1 << 20


def _to_boundary(handle: BinaryIO, piece: bytes, left: int) -> bytes:
    """What must follow ``piece`` so it ends where text can be cut: after an
    ASCII byte (never inside a UTF-8 character) or, once the text holds an
    escape sequence (colour, which click strips piece by piece), at the end
    of a line."""
    escape = b"\x1b" in piece
    last = piece[-1]
    more = bytearray()
    while left > 0 and not (last == 0x0A if escape else last < 0x80):
        byte = handle.read(1)
        if not byte:
            break
        more += byte
        left -= 1
        last = byte[0]
        escape = escape or byte == b"\x1b"
    return bytes(more)


def replay(inputs: Inputs, request: tuple[Any, ...],
           templates: list[Path] | None = None) -> Kept | None:
    """The answer kept for this request, if nothing it depends on changed."""
    try:
        handle = open(_file(inputs.root, request), "rb")  # noqa: SIM115 (kept open for emit)
    except OSError:
        return None
    try:
        first = handle.readline()
        saved = json.loads(handle.readline())
        extra = {str(rel): persistent.key_at(inputs.root / str(rel)) for rel in saved["extra"]}
        digest = _digest(inputs, request, extra, templates or [])
        if digest is None or not store.check(first, KIND, FORMAT, digest).usable:
            raise ValueError("other inputs")
        for rel, sha in saved["racy"]:
            if _sha(inputs.root / str(rel)) != sha:
                raise ValueError("an output changed")
        kept = Kept(handle, [(int(n), bool(e), bool(nl)) for n, e, nl in saved["lines"]],
                    int(saved["exit"]))
        size = sum(n for n, _, _ in kept.lines)
        if (kept.exit not in (0, 1) or any(n < 0 for n, _, _ in kept.lines)
                or handle.tell() + size != os.fstat(handle.fileno()).st_size):
            raise ValueError("not an answer")
        if saved["racy"]:
            _settle(inputs, request, saved, handle, extra, templates or [])
    except (OSError, ValueError, KeyError, TypeError):
        handle.close()
        return None  # none kept, or not one we can use: the full run answers
    return kept


def _settle(inputs: Inputs, request: tuple[Any, ...], saved: dict[str, Any],
            handle: BinaryIO, extra: dict[str, persistent.Key | None],
            templates: list[Path]) -> None:
    """Outputs checked by their content that are no longer recent: their key
    alone tells from now on (a later edit moves their mtime), so the answer
    is kept again without them and the next run does not read them."""
    keys = {**extra, **inputs.keys}
    newest = inputs.started_ns - persistent.RACY_NS
    racy = [(rel, sha) for rel, sha in saved["racy"]
            if (key := keys.get(str(rel))) is None or key[1] >= newest]
    if len(racy) == len(saved["racy"]):
        return
    start = handle.tell()
    payload = handle.read()
    handle.seek(start)
    header = json.dumps({**saved, "racy": racy})
    digest = _digest(inputs, request, extra, templates)
    if digest is not None:
        store.write_atomic(_file(inputs.root, request), b"".join(
            [store.header(KIND, FORMAT, digest), header.encode(), b"\n", payload]))


def remember(inputs: Inputs, request: tuple[Any, ...], answer: Answer, *,
             written: dict[str, bytes] | None = None, extra: Iterable[str] = (),
             templates: list[Path] | None = None) -> bool:
    """Keep ``answer`` for the next run with the same inputs; whether it was
    kept. ``written``: the outputs this run wrote (path -> bytes), whose
    recent mtimes are checked by their content instead."""
    written = written or {}
    path = _file(inputs.root, request)
    racy: list[tuple[str, str]] = []
    newest = inputs.started_ns - persistent.RACY_NS
    for rel, key in inputs.keys.items():
        if key is not None and key[1] >= newest:
            if rel not in written:
                _forget(path)  # a note changed just now: it could change again unseen
                return False
            racy.append((rel, persistent.content_hash(written[rel])))
    extras = {rel: persistent.key_at(inputs.root / rel)
              for rel in sorted(set(extra) - set(inputs.keys))}
    digest = _digest(inputs, request, extras, templates or [])
    if digest is None or answer.exit not in (0, 1):
        _forget(path)
        return False
    texts = [text.encode("utf-8", "surrogateescape") for text, _, _ in answer.lines]
    header = json.dumps({"racy": racy, "extra": sorted(extras),
                         "exit": answer.exit,
                         "lines": [[len(data), err, nl] for data, (_, err, nl)
                                   in zip(texts, answer.lines, strict=True)]})
    if not store.write_atomic(path, b"".join([store.header(KIND, FORMAT, digest),
                                              header.encode(), b"\n", *texts])):
        return False
    _prune(path.parent)
    return True


def _forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    """Keep the :data:`KEEP` most recent answers."""
    try:
        found = sorted((entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder)
                       if entry.name.startswith(PREFIX) and entry.is_file(follow_symlinks=False))
        for _, old in found[:-KEEP]:
            os.unlink(old)
    except OSError:
        pass


def _sha(path: Path) -> str | None:
    try:
        return persistent.content_hash(path.read_bytes())
    except OSError:
        return None


@dataclass
class Again:
    """What identifies a ``build`` request (its options), and what a build
    prints for a result: for the answer kept for the next build."""

    request: tuple[Any, ...]
    show: Callable[[BuildResult], Answer]
