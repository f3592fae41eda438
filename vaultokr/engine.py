"""The engine as one plain function: a vault folder and a date in, the model,
its computed results and the problems out.  Every command builds on this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from vaultokr import smart
from vaultokr.compute import Results, compute
from vaultokr.config import Config, load_config
from vaultokr.errors import Problem, Problems, VaultokrError
from vaultokr.loader import load_model
from vaultokr.model import Model
from vaultokr.vault import VaultFiles, read_vault


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


def analyse(root: Path, as_of: dt.date) -> Analysis:
    if not root.is_dir():
        raise VaultokrError(
            f"{root} is not a folder", hint="give the path of your vault, e.g. vaultokr status ."
        )
    problems = Problems()
    config = load_config(root, problems)
    files = read_vault(root, config, problems)
    return analyse_files(files, as_of, problems)


def analyse_files(files: VaultFiles, as_of: dt.date, problems: Problems) -> Analysis:
    """The model and results of files already read (``watch`` keeps them)."""
    model = load_model(files, problems)
    results = compute(model, as_of, files.config)
    smart.check_results(results, problems)
    return Analysis(files.root, files.config, model, results, problems.sorted(), files)
