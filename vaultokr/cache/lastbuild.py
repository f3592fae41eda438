"""``build`` with nothing changed: the last build's inputs, remembered in
``.vaultokr/last-build``, so that a build whose inputs are all the same as
then skips computing and rendering the reviews (the notes are still read,
from the index, and analysed: the problems are reported as ever).

The inputs: the key (index.py) of every note, the bytes of every output,
the date the build was for, the index's stamp (vaultokr's version and code,
every setting) and the template files (the vault's overrides and the
defaults). Only a build that wrote or kept every output without a problem
is remembered, and it is replayed only when reading the vault found every
note as the index had it (a note changed within the index's racy window is
read again and compared, so a coarse clock hides nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from vaultokr.cache import index as persistent

if TYPE_CHECKING:
    from vaultokr.compute.analysis import Analysis
    from vaultokr.write.outputs import BuildResult, OutputResult

LAST_BUILD_REL = ".vaultokr/last-build"
#: outcomes a build with nothing changed gives again: written ones are now unchanged
_AGAIN = {"created": "unchanged", "written": "unchanged", "unchanged": "unchanged",
          "kept": "kept"}


def _digest(root: Path, stamp: bytes, keys: dict[str, persistent.Key], as_of: dt.date,
            outputs: list[tuple[str, str, str]], templates: list[Path]) -> str | None:
    """The inputs' digest (None when an output cannot be read)."""
    digest = hashlib.sha256(stamp + as_of.isoformat().encode())
    for rel in sorted(keys):
        digest.update(f"{rel}\0{keys[rel]}\n".encode("utf-8", "surrogateescape"))
    for path, kind, outcome in outputs:
        try:
            data = (root / path).read_bytes()
        except OSError:
            return None
        digest.update(f"out {path}\0{kind}\0{outcome}\0".encode("utf-8", "surrogateescape"))
        digest.update(hashlib.sha256(data).digest())
    persistent.hash_files(digest, templates)
    return digest.hexdigest()


def template_folders(root: Path, templates_dir: str) -> list[Path]:
    """The vault's template overrides and the default templates."""
    from vaultokr.reviews.shipped import default_templates_dir

    return [root / templates_dir, default_templates_dir()]


def again(result: BuildResult) -> BuildResult | None:
    """What the next build gives if nothing changes: every output unchanged
    (or kept); None when this build wrote with a problem or left an output."""
    from vaultokr.write.outputs import BuildResult, OutputResult

    outs: list[OutputResult] = result.outputs
    if result.problems or any(o.outcome not in _AGAIN for o in outs):
        return None
    return BuildResult(result.analysis, [OutputResult(o.path, o.kind, _AGAIN[o.outcome])
                                         for o in outs])


def replay(root: Path, stamp: bytes, keys: dict[str, persistent.Key], as_of: dt.date,
           templates_dir: str, analysis: Analysis) -> BuildResult | None:
    """The result of the last build again, when nothing it read has changed."""
    from vaultokr.write.outputs import BuildResult, OutputResult

    try:
        saved = json.loads((root / LAST_BUILD_REL).read_text(encoding="utf-8"))
        outputs = [(str(p), str(k), str(o)) for p, k, o in saved["outputs"]]
        digest = str(saved["digest"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(o not in _AGAIN.values() for _, _, o in outputs):
        return None
    if _digest(root, stamp, keys, as_of, outputs, template_folders(root, templates_dir)) != digest:
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
    digest = _digest(root, stamp, keys, as_of, outputs, template_folders(root, templates_dir))
    if digest is None:
        path.unlink(missing_ok=True)
        return
    persistent.write_atomic(path, json.dumps(
        {"digest": digest, "outputs": outputs}).encode())
