"""Every input of a kept answer or build is named: each case below once made a
cached run print or write something that a run with ``--no-cache`` on a
fresh copy of the same files did not. Each is run on its exact input."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import ROOT, SAMPLE, age

AS_OF = ("--as-of", "2026-11-20")
CACHES = {"index", "index.delta", "last-build", "last-reviews", "lock"}


def cacheless_copy(root: Path, to: Path) -> Path:
    """The vault's files as a user has them: everything but vaultokr's caches."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        if Path(folder).name != ".vaultokr":
            return set()
        return {n for n in names if n in CACHES or n.startswith("answer-")}
    return Path(shutil.copytree(root, to, symlinks=True, ignore=ignore))


def files(root: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] == ".vaultokr" and (rel.name in CACHES or rel.name.startswith("answer-")):
            continue
        if path.is_file() and not path.is_symlink():
            found[rel.as_posix()] = path.read_bytes()
    return found


def same_as_uncached(root: Path, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """Run ``args`` on the vault with its caches, and with --no-cache on a fresh
    copy taken just before: the same exit code, output and files."""
    fresh = cacheless_copy(root, tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}")
    cached = invoke(*args, "--vault", str(root))
    uncached = invoke(*args, "--vault", str(fresh), "--no-cache")
    assert cached == (uncached[0], uncached[1].replace(str(fresh), str(root)),
                      uncached[2].replace(str(fresh), str(root)))
    assert files(root) == files(fresh)
    return cached


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = cacheless_copy(SAMPLE, tmp_path / "vault")
    age(root)
    monkeypatch.setenv("COLUMNS", "100")
    return root


def set_back(path: Path, text: str) -> None:
    """Write ``text`` (the same size as before) and set the file's times back."""
    st = path.stat()
    assert len(text.encode()) == st.st_size
    path.write_text(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_template_s_include_in_a_sub_folder_is_an_input(sample: Path, tmp_path: Path) -> None:
    templates = sample / ".vaultokr" / "templates"
    (templates / "parts").mkdir(parents=True)
    (templates / "parts" / "extra.md.j2").write_text("Extra: first\n")
    shipped = ROOT / "templates" / "dashboard.md.j2"
    (templates / "dashboard.md.j2").write_text(
        shipped.read_text() + '{% include "parts/extra.md.j2" %}\n')
    same_as_uncached(sample, tmp_path, "build", *AS_OF)
    (templates / "parts" / "extra.md.j2").write_text("Extra: second\n")
    _, out, _ = same_as_uncached(sample, tmp_path, "build", *AS_OF)
    assert "Extra: second" in (sample / "OKRs" / "Dashboard.md").read_text()
    assert "1 written" in out


def test_a_template_edited_to_the_same_size_with_its_time_set_back_is_seen(
        sample: Path, tmp_path: Path) -> None:
    templates = sample / ".vaultokr" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "dashboard.md.j2").write_text("Dashboard AAAA\n")
    same_as_uncached(sample, tmp_path, "build", *AS_OF)
    set_back(templates / "dashboard.md.j2", "Dashboard BBBB\n")
    same_as_uncached(sample, tmp_path, "build", *AS_OF)
    assert "Dashboard BBBB" in (sample / "OKRs" / "Dashboard.md").read_text()


@pytest.mark.parametrize("setting", ['colour = "red"\n', "stale_days = -3\n"])
def test_a_settings_problem_reaches_the_dashboard_after_a_kept_build(
        sample: Path, tmp_path: Path, setting: str) -> None:
    same_as_uncached(sample, tmp_path, "build", *AS_OF)
    settings = sample / "vaultokr.toml"
    settings.write_text(settings.read_text() + setting)
    same_as_uncached(sample, tmp_path, "build", *AS_OF)
    assert setting.split(" ")[0] in (sample / "OKRs" / "Dashboard.md").read_text()


def test_a_dangling_note_link_reaches_the_dashboard_after_a_kept_build(
        sample: Path, tmp_path: Path) -> None:
    same_as_uncached(sample, tmp_path, "build", *AS_OF)
    (sample / "Gone.md").symlink_to(sample / "nowhere.md")
    same_as_uncached(sample, tmp_path, "build", *AS_OF)
    assert "Gone.md" in (sample / "OKRs" / "Dashboard.md").read_text()


def test_the_terminal_status_of_another_day_names_that_day(
        sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 11, 20))
    _, today, _ = same_as_uncached(sample, tmp_path, "status", *AS_OF)
    monkeypatch.setattr("vaultokr.core.clock.today", lambda: dt.date(2026, 11, 21))
    _, later, _ = same_as_uncached(sample, tmp_path, "status", *AS_OF)
    assert "--as-of 2026-11-20" not in today
    assert "--as-of 2026-11-20" in later


def test_no_cache_holds_for_its_own_run_only(sample: Path) -> None:
    """--no-cache is an option of one run, not a state of the process: the
    next run in the same process keeps its index and answer again."""
    assert invoke("status", "--vault", str(sample), *AS_OF, "--no-cache")[0] == 0
    assert not (sample / ".vaultokr" / "index").exists()
    assert invoke("status", "--vault", str(sample), *AS_OF)[0] == 0
    assert (sample / ".vaultokr" / "index").exists()
    assert list((sample / ".vaultokr").glob("answer-*"))


def test_the_periodic_notes_formats_are_an_input(tmp_path: Path) -> None:
    """A weekly note dated by the Periodic Notes plugin's format: another
    format (same size, time set back) undates it, cached or not."""
    root = tmp_path / "vault"
    settings = root / ".obsidian" / "plugins" / "periodic-notes" / "data.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"weekly": {"enabled": true, "format": "[Week] ww [of] gggg"}}')
    (root / "OKRs").mkdir()
    (root / "OKRs" / "Goal.md").write_text("---\ntype: objective\nperiod: 2026-Q4\n---\n")
    (root / "OKRs" / "Mood.md").write_text('---\ntype: key-result\nobjective: "[[Goal]]"\n'
                                           "baseline: 0\ntarget: 10\nfield: mood\n---\n")
    (root / "Weeks").mkdir()
    (root / "Weeks" / "Week 47 of 2026.md").write_text("mood:: 7\n")
    invoke("check", "--vault", str(root), *AS_OF)  # the caches' folder, as after a first run
    age(root)
    _, dated, _ = same_as_uncached(root, tmp_path, "status", "--json", *AS_OF)
    assert '"2026-11-16"' in dated
    set_back(settings, '{"weekly": {"enabled": true, "format": "[Week] ww [in] gggg"}}')
    _, undated, _ = same_as_uncached(root, tmp_path, "status", "--json", *AS_OF)
    assert '"2026-11-16"' not in undated and "source-matches-nothing" in undated
