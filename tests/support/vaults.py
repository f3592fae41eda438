"""Vaults for tests: notes built from properties, files written to a folder,
copies of the committed vaults without vaultokr's caches, and the analysis
of a vault.

    write(root, {"O.md": objective(), "K.md": kr(target=10, log=["2026-11-02: 4"])})

writes ``O.md`` and ``K.md`` as these readable notes::

    ---                          ---
    type: objective              type: key-result
    period: 2026-Q4              objective: "[[O]]"
    ---                          target: 10
                                 ---
                                 - 2026-11-02: 4
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from vaultokr.compute.analysis import Analysis
from vaultokr.run.oneshot import analyse

ROOT = Path(__file__).resolve().parent.parent.parent
TESTS = ROOT / "tests"
SAMPLE = ROOT / "sample-vault"
#: a vault with every kind of key result; read by the reviews' and the build's tests
KINDS = TESTS / "kinds-vault"

AS_OF = dt.date(2026, 11, 20)
Q4_START = dt.date(2026, 10, 1)
Q4_DUE = dt.date(2026, 12, 31)

#: the ``vault`` fixture: write files, get the vault's root
Vault = Callable[[dict[str, str | bytes]], Path]

#: what the committed vaults hold in ``.vaultokr/`` (git tracks these); the rest
#: of that folder is a cache a run of vaultokr leaves behind
TRACKED_IN_CACHE_FOLDER = frozenset({"templates", ".gitignore"})


# ------------------------------------------------------------------ notes
def yaml_value(value: object) -> str:
    """A property value as a person types it: links quoted, lists in brackets;
    any other text is written as given (so it may be YAML of its own)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, str) and value.startswith("[["):
        return f'"{value}"'
    return str(value)


def property_lines(key: str, value: object) -> list[str]:
    """``key: value``; a list of mappings (inline key results) as a block list."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [f"{key}:", *(("  - " if i == 0 else "    ") + f"{k}: {yaml_value(v)}"
                             for item in value for i, (k, v) in enumerate(item.items()))]
    return [f"{key}: {yaml_value(value)}"]


def note(props: dict[str, object], body: str = "") -> str:
    """Front-matter with the properties in order (None leaves one out), then the body."""
    lines = [line for k, v in props.items() if v is not None for line in property_lines(k, v)]
    return "\n".join(["---", *lines, "---"]) + "\n" + body


def objective(body: str = "", **props: object) -> str:
    """An objective for 2026-Q4; ``period=None`` leaves the period out."""
    return note({"type": "objective", "period": "2026-Q4", **props}, body)


def kr(body: str = "", log: Sequence[str] = (), **props: object) -> str:
    """A key result of ``[[O]]``; ``log`` lines are written as ``- LINE`` after the front-matter."""
    return note({"type": "key-result", "objective": "[[O]]", **props},
                "".join(f"- {line}\n" for line in log) + body)


def checkin(**props: object) -> str:
    return note({"type": "check-in", **props})


# ----------------------------------------------------------------- vaults
def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files under root; text is dedented, so it can be written indented."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def copy_vault(source: Path, target: Path) -> Path:
    """A copy of a committed vault (``SAMPLE``, ``KINDS``) as a clone has it:
    its notes and settings, and of its ``.vaultokr/`` only what git tracks (the
    templates, the .gitignore), never an index, answer, last build or lock that
    running vaultokr in the checkout left behind."""
    own = source / ".vaultokr"

    def caches(folder: str, names: list[str]) -> set[str]:
        if Path(folder) != own:
            return set()
        return {name for name in names if name not in TRACKED_IN_CACHE_FOLDER}

    return Path(shutil.copytree(source, target, ignore=caches))


def age(root: Path, seconds: int = 3600) -> None:
    """Set every note's mtime back, as a vault left alone for a while has it
    (the index does not trust notes modified just before it was written)."""
    when = time.time() - seconds
    for path in root.rglob("*.md"):
        os.utime(path, (when, when))


# --------------------------------------------------------------- analysis
def run(root: Path, as_of: dt.date = AS_OF) -> Analysis:
    return analyse(root, as_of)


def kr_result(analysis: Analysis, kr_id: str):  # type: ignore[no-untyped-def]
    return analysis.results.key_results[kr_id]


def codes(analysis: Analysis) -> list[tuple[str, int, str]]:
    return [(p.path, p.line, p.code) for p in analysis.problems]


# ------------------------------------------------------ small vaults, named
def okrs(vault: Vault) -> Path:
    """An objective, a key result at 4 of 10 and a note of prose, left alone an hour."""
    root = vault({"O.md": objective(), "K.md": kr(target=10, log=["2026-11-02: 4"]),
                  "Other.md": "just prose\n"})
    age(root)
    return root


def goals(root: Path) -> Path:
    """A vault marked by vaultokr.toml with two key results due a check-in."""
    return write(root, {
        "vaultokr.toml": "stale_days = 14\n",
        "OKRs/2026-Q4/O.md": objective(),
        "OKRs/2026-Q4/Talks.md": kr(target=10, measure="sum",
                                    body="## Log\n- 2026-11-02: 4\n\n## Notes\nmine\n"),
        "OKRs/2026-Q4/Posts.md": kr(target=5, measure="sum", unit="posts",
                                    body="## Log\n- 2026-10-20: 1 (confidence 5)\n"),
        "OKRs/2026-Q4/Done already.md": kr(target=3, log=["2026-11-17: 1"]),
    })
