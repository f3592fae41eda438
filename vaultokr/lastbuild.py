"""``build`` with nothing changed: the last build's inputs, remembered in
``.vaultokr/last-build``, so that a build whose inputs are all the same as
then skips computing and rendering the reviews (the notes are still read,
from the index, and analysed: the problems are reported as ever).

The inputs: the key (index.py) of every note and of every output, the date
the build was for, the index's stamp (vaultokr's version and code, every
setting) and the template files (the vault's overrides and the defaults).
Only a build that wrote or kept every output without a problem is
remembered; a note or output changed within :data:`index.RACY_NS` of it
is not trusted to be unchanged (a coarse clock), so the next build runs
in full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from vaultokr import index as persistent

if TYPE_CHECKING:
    from vaultokr.build import BuildResult, OutputResult
    from vaultokr.engine import Analysis

LAST_BUILD_REL = ".vaultokr/last-build"
#: outcomes a build with nothing changed gives again: written ones are now unchanged
_AGAIN = {"created": "unchanged", "written": "unchanged", "unchanged": "unchanged",
          "kept": "kept"}


def _digest(root: Path, stamp: bytes, keys: dict[str, persistent.Key], as_of: dt.date,
            outputs: list[tuple[str, str, str]], templates: list[Path],
            before_ns: int) -> str | None:
    """The inputs' digest, or None when one of them cannot be trusted (no
    key, or changed at or after ``before_ns`` minus the racy window)."""
    limit = before_ns - persistent.RACY_NS
    digest = hashlib.sha256(stamp + as_of.isoformat().encode())
    for rel in sorted(keys):
        key = keys[rel]
        if key[3] >= limit or key[1] >= limit:
            return None
        digest.update(f"{rel}\0{key}\n".encode())
    for path, kind, outcome in outputs:
        try:
            key = persistent.key_of(os.stat(root / path))
        except OSError:
            return None
        if key[3] >= limit:
            return None
        digest.update(f"out {path}\0{kind}\0{outcome}\0{key}\n".encode())
    persistent.hash_files(digest, templates)
    return digest.hexdigest()


def _templates(root: Path, templates_dir: str) -> list[Path]:
    from vaultokr.render import default_templates_dir

    return [root / templates_dir, default_templates_dir()]


def replay(root: Path, stamp: bytes, keys: dict[str, persistent.Key], as_of: dt.date,
           templates_dir: str, analysis: Analysis) -> BuildResult | None:
    """The result of the last build again, when nothing it read has changed."""
    from vaultokr.build import BuildResult, OutputResult

    try:
        saved = json.loads((root / LAST_BUILD_REL).read_text(encoding="utf-8"))
        outputs = [(str(p), str(k), str(o)) for p, k, o in saved["outputs"]]
        when, digest = int(saved["written_ns"]), str(saved["digest"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(o not in _AGAIN.values() for _, _, o in outputs):
        return None
    if _digest(root, stamp, keys, as_of, outputs, _templates(root, templates_dir),
               when) != digest:
        return None
    return BuildResult(analysis, [OutputResult(p, k, o) for p, k, o in outputs])


def remember(root: Path, stamp: bytes, keys: dict[str, persistent.Key], as_of: dt.date,
             templates_dir: str, result: BuildResult) -> None:
    """Keep this build's inputs, if it wrote or kept every output cleanly;
    forget the last ones otherwise."""
    path = root / LAST_BUILD_REL
    outs: list[OutputResult] = result.outputs
    if result.problems or any(o.outcome not in _AGAIN for o in outs):
        path.unlink(missing_ok=True)
        return
    outputs = [(o.path, o.kind, _AGAIN[o.outcome]) for o in outs]
    written = persistent.now_ns()
    digest = _digest(root, stamp, keys, as_of, outputs, _templates(root, templates_dir),
                     written + persistent.RACY_NS + 1)  # every input counts now
    if digest is None:
        path.unlink(missing_ok=True)
        return
    persistent.write_atomic(path, json.dumps(
        {"written_ns": written, "digest": digest, "outputs": outputs}).encode())
