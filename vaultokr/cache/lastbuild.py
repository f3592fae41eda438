"""``build`` with nothing changed: the last build's inputs, remembered in
``.vaultokr/last-build``, so that a build whose inputs are all the same as
then skips computing and rendering the reviews (the notes are still read,
from the index, and analysed: the problems are reported as ever).

The inputs: the key (index.py) of every note, the bytes of every output,
the date the build was for, the index's stamp (vaultokr's version and code,
the libraries, every setting), every problem the analysis found (the
dashboard lists them, those met reading the settings and listing the vault
too) and every file of the template folders (the vault's overrides with the
files they include, and the defaults), by content. Only a build that wrote
or kept every output without a problem is remembered, and it is replayed
only when reading the vault found every note as the index had it (a note
changed within the index's racy window is read again and compared, so a
coarse clock hides nothing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from vaultokr.cache import index as persistent
from vaultokr.cache import store
from vaultokr.cache.fingerprint import Digest, folders

if TYPE_CHECKING:
    from vaultokr.compute.analysis import Analysis
    from vaultokr.core.errors import Problem
    from vaultokr.write.outputs import BuildResult, OutputResult

LAST_BUILD_REL = ".vaultokr/last-build"
KIND = "last-build"
FORMAT = 2  # 2: the store's header, and the analysis' problems among the inputs
#: outcomes a build with nothing changed gives again: written ones are now unchanged
_AGAIN = {"created": "unchanged", "written": "unchanged", "unchanged": "unchanged",
          "kept": "kept"}


def _digest(root: Path, stamp: str, keys: dict[str, persistent.Key], as_of: dt.date,
            outputs: list[tuple[str, str, str]], templates: list[Path],
            problems: list[Problem], known: dict[str, bytes] | None = None) -> str | None:
    """The inputs' digest (None when an output cannot be read); ``known``: the
    bytes a build left in its outputs, taken instead of reading them back (a
    file changed meanwhile then differs from them, and the next build runs)."""
    digest = Digest("last-build").add("index", stamp).add("as_of", as_of.isoformat())
    digest.add("problems", repr(problems))  # the reviews list them: settings' and listing's too
    for rel in sorted(keys):
        digest.add("note", f"{rel}\0{keys[rel]}")
    for path, kind, outcome in outputs:
        data = known.get(path) if known is not None else None
        try:
            data = (root / path).read_bytes() if data is None else data
        except OSError:
            return None
        digest.add("out", f"{path}\0{kind}\0{outcome}").add("bytes", hashlib.sha256(data).digest())
    digest.add("templates", folders(templates))
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


def replay(root: Path, stamp: str, keys: dict[str, persistent.Key], as_of: dt.date,
           templates_dir: str, analysis: Analysis) -> BuildResult | None:
    """The result of the last build again, when nothing it read has changed."""
    from vaultokr.write.outputs import BuildResult, OutputResult

    try:
        first, _, payload = (root / LAST_BUILD_REL).read_bytes().partition(b"\n")
        outputs = [(str(p), str(k), str(o)) for p, k, o in json.loads(payload)["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(o not in _AGAIN.values() for _, _, o in outputs):
        return None
    digest = _digest(root, stamp, keys, as_of, outputs, template_folders(root, templates_dir),
                     analysis.problems)
    if digest is None or not store.check(first + b"\n", KIND, FORMAT, digest).usable:
        return None
    return BuildResult(analysis, [OutputResult(p, k, o) for p, k, o in outputs])


def remember(root: Path, stamp: str, keys: dict[str, persistent.Key], as_of: dt.date,
             templates_dir: str, result: BuildResult) -> None:
    """Keep this build's inputs, if it wrote or kept every output cleanly;
    forget the last ones otherwise."""
    path = root / LAST_BUILD_REL
    outs: list[OutputResult] = result.outputs
    if result.problems or any(o.outcome not in _AGAIN for o in outs):
        path.unlink(missing_ok=True)
        return
    outputs = [(o.path, o.kind, _AGAIN[o.outcome]) for o in outs]
    left = {o.path: o.new for o in outs if o.new is not None}
    digest = _digest(root, stamp, keys, as_of, outputs, template_folders(root, templates_dir),
                     result.analysis.problems, left)
    if digest is None:
        path.unlink(missing_ok=True)
        return
    store.write_atomic(path, store.header(KIND, FORMAT, digest)
                       + json.dumps({"outputs": outputs}).encode())
