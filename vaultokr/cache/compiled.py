"""The shipped templates compiled once, kept as Python keeps vaultokr's own
bytecode: in the package's ``__pycache__`` folder, never in a vault.

A one-shot ``build`` compiles the templates it renders from their source
(about a quarter of a build after one check-in on a 10,000-note vault).
Jinja can keep compiled templates (a *bytecode cache*); vaultokr keeps only
the templates shipped with it, beside its own ``.pyc`` files, because
compiled code runs outside the template sandbox: a file in the vault, which
others may write, must never be run as code. The vault's own templates are
compiled on every run, as before.

A kept template is used only when everything it was compiled from is the
same: its name and file, its source (Jinja's checksum of it), Jinja's
bytecode format and Python's version (Jinja's header), and the code of
vaultokr and of the libraries (the header line's stamp, the index's code
digest: the environment's settings, filters and sandbox are vaultokr's
code). Otherwise the template is compiled as ever, and kept again when the
folder can be written. Either way it renders the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from vaultokr.cache import store
from vaultokr.cache.fingerprint import code
from vaultokr.reviews.shipped import PACKAGE, default_templates_dir

KIND = "template"
FORMAT = 1
FOLDER = PACKAGE / "__pycache__"


class ShippedTemplates(BytecodeCache):
    """Jinja's bytecode cache for the shipped templates only."""

    def __init__(self, folder: Path | None = None, shipped: Path | None = None) -> None:
        self.folder = folder or FOLDER
        self.shipped = os.path.realpath(shipped or default_templates_dir()) + os.sep
        self.header = store.header(KIND, FORMAT, code())

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        if filename is None or not os.path.realpath(filename).startswith(self.shipped):
            # a template of the vault (or none on disk): compiled, never kept
            return Bucket(environment, "", self.get_source_checksum(source))
        return super().get_bucket(environment, name, filename, source)

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"vaultokr-template-{bucket.key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._path(bucket), "rb") as handle:
                data = handle.read()
        except OSError:
            return
        if not data.startswith(self.header):
            return
        try:
            bucket.load_bytecode(io.BytesIO(data[len(self.header):]))
        except (EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # damaged: compiled again

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not bucket.key:
            return
        path = self._path(bucket)
        tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
        try:
            self.folder.mkdir(exist_ok=True)
            with open(tmp, "xb") as handle:
                handle.write(self.header + bucket.bytecode_to_string())
            os.replace(tmp, path)
        except OSError:  # an installation that cannot be written: compiled on every run
            with contextlib.suppress(OSError):
                os.unlink(tmp)
