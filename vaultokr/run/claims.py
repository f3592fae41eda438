"""Whether a build may write a generated output (a review, the base): the
one place for the ownership rules. An output path shared with another
output, outside the vault or through a link is refused; a file vaultokr did
not write is left alone; one edited by hand since is kept until ``--force``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from vaultokr.core.errors import Problems
from vaultokr.read.ownership import Owner
from vaultokr.write.outputs import KEPT, BuildResult, OutputResult
from vaultokr.write.writer import UnsafePath, resolve_output


class Claimant(Protocol):
    """What claiming an output uses of the build (``vaultokr.run.build.Builder``)."""

    root: Path
    force: bool
    problems: Problems
    result: BuildResult

    def read_output(self, rel: str, kind: str, path: Path) -> bytes | None: ...
    def collides(self, rel: str, kind: str) -> bool: ...
    def refuse(self, rel: str, kind: str, code: str, message: str) -> None: ...


def claim(builder: Claimant, rel: str, kind: str, owner: Callable[[bytes], Owner],
          kept: str) -> tuple[Path, bytes | None] | None:
    """The output's path and present bytes (None: no file yet) when the build
    may write it; None when it may not (reported). ``owner`` tells whose the
    file is; ``kept``: what the warning says to do about a hand edit."""
    if builder.collides(rel, kind):
        return None
    try:
        path = resolve_output(builder.root, rel)
    except UnsafePath as exc:
        builder.refuse(rel, kind, "output-unsafe", f"{exc} (outputs.{kind} in vaultokr.toml)")
        return None
    try:
        old = builder.read_output(rel, kind, path)
    except LookupError:  # unreadable: reported by read_output
        return None
    if old is not None:
        state = owner(old)
        if state == "foreign":
            builder.refuse(rel, kind, "output-not-generated",
                           f"{rel} was not written by vaultokr and is left alone: move it "
                           f"away, or set outputs.{kind} in vaultokr.toml to another path")
            return None
        if state == "edited" and not builder.force:
            builder.problems.warning(rel, 1, "output-edited", kept)
            builder.result.outputs.append(OutputResult(rel, kind, KEPT, old, old))
            return None
    return path, old
