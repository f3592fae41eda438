"""The pipeline every command runs: read the vault, analyse it as of a date,
build the reviews. One :class:`Pipeline` holds what lives between those
steps (the settings, one entry per note file, the template renderer), so a
one-shot command reads everything once and ``watch`` keeps it and refreshes
only the files that changed.

    read() / refresh(paths)  the note files -> entries (reading.py)
    analyse(as_of)           entries -> files -> model -> results (compute/analysis.py)
    build(analysis)          results -> reviews and regions in the vault (build.py)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Self

from vaultokr.cache import index as persistent
from vaultokr.compute.analysis import Analysis, analyse_files
from vaultokr.core.errors import Problem, Problems, UsageError
from vaultokr.read.entries import Reader, assemble
from vaultokr.read.listing import is_note_path
from vaultokr.run.reading import VaultReading

if TYPE_CHECKING:  # building imports the templates' machinery: only when a command builds
    from vaultokr.cache.reuse import Snapshot
    from vaultokr.reviews.render import Renderer
    from vaultokr.run.build import Builder
    from vaultokr.write.outputs import BuildResult


class Pipeline(VaultReading):
    """A vault read into entries, analysed and built: once, for a one-shot
    command; ``watch`` keeps a :class:`~vaultokr.run.kept.KeptPipeline`."""

    def __init__(self, root: Path, *, cache: bool = True) -> None:
        super().__init__(root, cache=cache)
        self.renderer: Renderer | None = None
        # what the last build read (reuse.py), and what stands for its settings and
        # templates; None: every review is rendered
        self.last_build: Snapshot | None = None
        self.reviews_token: object | None = None

    @classmethod
    def open(cls, root: Path, *, read: bool = True, cache: bool = True) -> Self:
        """The settings loaded and every note read (or, without ``read``, only
        listed: :meth:`read` reads them)."""
        if not root.is_dir():
            raise UsageError(f"{root} is not a folder",
                             hint="give the path of your vault, e.g. vaultokr status .")
        pipeline = cls(root, cache=cache)
        pipeline.load_settings()
        if read:
            pipeline.read()
        else:
            pipeline.scan()
        return pipeline

    def load_settings(self) -> bool:
        changed = super().load_settings()
        self.renderer = None
        return changed

    def templates_changed(self) -> None:
        self.renderer = None

    # ----------------------------------------------------------- analysing
    def analyse(self, as_of: dt.date) -> Analysis:
        """The analysis as of a date."""
        return self._analyse(self.config_problems + self.scan_problems, as_of)

    def _analyse(self, fixed: list[Problem], as_of: dt.date) -> Analysis:
        problems = Problems(list(fixed))
        files = assemble(self.root, self.config, self.entries, problems)
        files.history = self.kept_index.history  # kept between runs by the index
        return analyse_files(files, as_of, problems)

    # ------------------------------------------------------------ building
    def build(self, analysis: Analysis, *, write: bool = True, force: bool = False,
              being_written: Callable[[str], bool] | None = None) -> BuildResult:
        """The reviews and regions of ``analysis``, written when ``write``
        (under the vault lock); a file ``being_written`` says is busy is left."""
        from vaultokr.write.lock import vault_lock

        builder = self._builder(analysis, write, force)
        builder.being_written = being_written
        if not write:
            return builder.run()
        with vault_lock(self.root):
            result = builder.run()
        self._built(builder, result)
        return result

    def _builder(self, analysis: Analysis, write: bool, force: bool) -> Builder:
        from vaultokr.cache import reuse
        from vaultokr.reviews.render import make_renderer
        from vaultokr.run.build import Builder

        if self.renderer is None:  # compiled templates are kept until they change
            self.renderer = make_renderer(self.root, self.config.templates_dir)
            if self.index_on():  # the shipped ones compiled by an earlier run (compiled.py)
                from vaultokr.cache.compiled import ShippedTemplates

                self.renderer.env.bytecode_cache = ShippedTemplates()
        builder = Builder(analysis, write=write, force=force, renderer=self.renderer)
        last, self.last_build = self.last_build, None
        token = self._reviews_token()
        if write and not force and token is not None:
            builder.planner = reuse.Planner(last, analysis, token, self._settings_token())
        return builder

    def _reviews_token(self) -> object | None:
        """What stands for the templates a build renders with (None: no reuse)."""
        return self.reviews_token

    def _settings_token(self) -> object | None:
        return self.reviews_token

    def _built(self, builder: Builder, result: BuildResult) -> None:
        """After a build wrote: what it read and wrote, for the next build to
        compare with, and the entries of what it wrote, for the index."""
        if builder.planner is not None:
            now = builder.planner.now
            now.built(result.outputs)
            self.last_build = now
        if self.kept_index.index is not None:
            self._remember(result)

    def _remember(self, result: BuildResult) -> None:
        reader = Reader(self.config)
        for out in result.outputs:
            if out.changed and out.new is not None:
                self.written[out.path] = persistent.content_hash(out.new)
                if out.path in self.entries or is_note_path(out.path, self.config):
                    # keep the entry current, so a rescan does not take it for a change
                    full = str(self.root / out.path)
                    key = persistent.key_at(full)
                    self.entries[out.path] = reader.entry(out.path, full)
                    self._keep_key(out.path, key)
