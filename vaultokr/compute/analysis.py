"""The analysis step as one plain function: the files of a vault and a date
in, the model, its computed results and the problems out. The pipeline
(pipeline.py) reads the files and builds from the analysis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from vaultokr.compute import smart
from vaultokr.compute.results import Results, compute
from vaultokr.config.vault_config import Config
from vaultokr.core.errors import Problem, Problems
from vaultokr.load.assemble import load_model
from vaultokr.model.okr import Model
from vaultokr.read.entries import VaultFiles


@dataclass
class Analysis:
    root: Path
    config: Config
    model: Model
    results: Results
    problems: list[Problem]
    files: VaultFiles

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def analyse_files(files: VaultFiles, as_of: dt.date, problems: Problems) -> Analysis:
    """The model and results of the files read."""
    model = load_model(files, problems)
    smart.check_model(model, files.config, problems)
    results = compute(model, as_of, files.config)
    smart.check_results(results, problems)
    problems.items.extend(files.link_problems)
    return Analysis(files.root, files.config, model, results, problems.sorted(), files)
