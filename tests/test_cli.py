"""The command line: exit codes, exact messages, and the golden JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import invoke
from support.vaults import SAMPLE, Vault, age, copy_vault, kr, objective

GOLDEN = Path(__file__).resolve().parent / "sample-vault-status-2026-11-20.json"

@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy, so paths in the report are the same wherever the checkout is."""
    return copy_vault(SAMPLE, tmp_path / "sample-vault")


@pytest.mark.parametrize("cache", ["--no-cache", "indexed", "answered"])
def test_status_json_matches_the_golden_file(sample: Path, monkeypatch: pytest.MonkeyPatch,
                                             cache: str) -> None:
    monkeypatch.chdir(sample.parent)
    args = ("status", "sample-vault", "--as-of", "2026-11-20", "--json")
    if cache == "indexed":  # a second run, every note taken from the index the first wrote
        age(sample)
        assert invoke("check", "sample-vault", "--as-of", "2026-11-20")[0] == 0
        assert (sample / ".vaultokr" / "index").is_file()
        monkeypatch.setattr("vaultokr.run.reading.read_note", None)  # reading a note would fail
    if cache == "answered":  # a second run, printing again what the first printed
        age(sample)
        assert invoke(*args)[0] == 0
        monkeypatch.setattr("vaultokr.run.reading.read_note", None)
        monkeypatch.setattr("vaultokr.run.pipeline.analyse_files", None)
    code, out, _ = invoke(*args, *([cache] if cache == "--no-cache" else []))
    assert code == 0
    if os.environ.get("VAULTOKR_UPDATE_GOLDEN"):
        pretty = json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"
        GOLDEN.write_text(pretty, encoding="utf-8")
    # the golden file is pretty-printed for review; the output is its compact form, exactly
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert out == json.dumps(golden, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_status_json_follows_the_spec_contract(sample: Path) -> None:
    _, out, _ = invoke("status", str(sample), "--as-of", "2026-11-20", "--json")
    report = json.loads(out)
    assert list(report)[:2] == ["schema", "as_of"]
    assert report["schema"] == 1 and report["as_of"] == "2026-11-20"
    objective_keys = ["id", "title", "period", "start", "due", "status", "progress",
                      "expected", "grade", "commitment", "weight", "ambitions", "parent",
                      "key_results"]
    kr_keys = ["id", "title", "measure", "unit", "baseline", "target", "current", "progress",
               "progress_raw", "expected", "status", "forecast", "forecast_progress", "trend",
               "confidence", "stale", "last_measured", "weight", "measurements"]
    dues = [(o["due"], o["id"]) for o in report["objectives"]]
    assert dues == sorted(dues)
    for o in report["objectives"]:
        assert list(o)[: len(objective_keys)] == objective_keys
        ids = [k["id"] for k in o["key_results"]]
        assert ids == sorted(ids)
        for k in o["key_results"]:
            assert list(k)[: len(kr_keys)] == kr_keys
            for m in k["measurements"]:
                assert list(m) == ["date", "value", "confidence", "comment", "source"]
    assert {"id", "title", "objectives"} <= set(report["ambitions"][0])
    ini = report["initiatives"][0]
    assert {"id", "title", "start", "end", "status", "key_results"} <= set(ini)
    assert set(ini["key_results"][0]) >= {"id", "slope_before", "slope_during"}
    for p in report["problems"]:
        assert list(p) == ["path", "line", "severity", "code", "message"]


def test_sample_vault_numbers(sample: Path) -> None:
    """A few of the golden numbers, computed by hand from the sample notes."""
    _, out, _ = invoke("status", str(sample), "--as-of", "2026-11-20", "--json")
    report = json.loads(out)
    krs = {k["id"]: k for o in report["objectives"] for k in o["key_results"]}
    invites = krs["OKRs/2026-Q4/Speaking invitations"]
    assert invites["current"] == 7  # 1 + 1 logged, 1 + 1 + 2 + 1 from weekly check-ins
    assert invites["progress"] == pytest.approx(0.7)
    linkedin = krs["OKRs/2026-Q4/LinkedIn connections"]
    assert linkedin["target"] == pytest.approx(1584)
    assert linkedin["progress"] == pytest.approx(117 / 264)
    assert krs["OKRs/2026-Q4/Guest post requests"]["current"] == 3  # Nov 21 is after as-of
    q3 = next(o for o in report["objectives"] if o["period"] == "2026-Q3")
    assert q3["grade"] == 0.8  # (1 + 130/180 + 2/3) / 3 = 0.796
    assert q3["grade_band"] == "green" and q3["success"] is False  # committed: only 1.0
    speaking = next(o for o in report["objectives"] if o["title"] == "Grow my speaking pipeline")
    assert speaking["progress"] == pytest.approx((0.6 + 0.5 + 0.7 + 0.5 * 0.6) / 3.5)


def test_status_text(sample: Path) -> None:
    code, out, _ = invoke("status", str(sample), "--as-of", "2026-11-20")
    assert code == 0
    assert "2026-Q4  Grow my speaking pipeline" in out
    assert "Speaking invitations" in out and "7 of 10 invitations" in out
    assert "grade 0.80 green · short of 1.0 (committed)" in out
    assert "stale since 2026-10-28" in out
    assert out.endswith("\nProblems: 3 warnings — run `vaultokr check --vault "
                        f"{sample} --as-of 2026-11-20` for details.\n")


def test_check_on_a_clean_and_a_broken_vault(vault: Vault) -> None:
    root = vault({
        "O.md": objective(),
        "K.md": kr(baseline=0, target=5),
    })
    code, out, err = invoke("check", str(root), "--as-of", "2026-10-05")
    assert (code, out) == (0, "")
    assert err == "0 errors, 0 warnings in 2 notes\n"
    (root / "Bad.md").write_text(kr(objective="[[Nope]]"))
    code, out, err = invoke("check", str(root), "--as-of", "2026-10-05")
    assert code == 1
    assert out == (
        'Bad.md:3: error: objective: [[Nope]] links to no note in the vault: check the '
        'spelling, or write the note\'s path, e.g. "[[Folder/Note]]" [link-missing]\n'
    )
    assert err == "1 error, 0 warnings in 3 notes\n"


def test_check_strict_and_json(vault: Vault) -> None:
    root = vault({"O.md": objective()})
    code, out, _ = invoke("check", str(root), "--as-of", "2026-10-05")
    assert code == 0
    assert out.startswith("O.md:2: warning: this objective has no key result")
    code, _, _ = invoke("check", str(root), "--strict", "--as-of", "2026-10-05")
    assert code == 1
    code, out, _ = invoke("check", str(root), "--format", "json", "--as-of", "2026-10-05")
    assert json.loads(out) == [{
        "path": "O.md", "line": 2, "severity": "warning", "code": "smart-no-key-results",
        "message": 'this objective has no key result: add a key result note with objective: '
                   '"[[O]]" or key_results: in this note',
    }]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = invoke("status", str(tmp_path), "--as-of", "20/11/2026")
    assert code == 2
    assert "'20/11/2026' is not a date: write it as YYYY-MM-DD, e.g. 2026-11-20" in err
    code, _, err = invoke("status", str(tmp_path / "nope"))
    assert code == 2
    assert err == (f"error: {tmp_path / 'nope'} is not a folder\n"
                   "  hint: give the path of your vault: --vault PATH (or run vaultokr inside "
                   "the vault)\n")


def test_empty_vault_reads_well(tmp_path: Path) -> None:
    code, out, _ = invoke("status", str(tmp_path), "--as-of", "2026-11-20")
    assert code == 0
    assert "No objectives yet." in out
    assert "No problems found." in out


def test_help_lists_exit_codes_and_version() -> None:
    code, out, _ = invoke("--help")
    assert code == 0 and "Exit codes:" in out and "status" in out and "check" in out
    code, out, _ = invoke("--version")
    assert out.startswith("vaultokr, version ")


def test_python_dash_m(sample: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "vaultokr", "status", str(sample), "--as-of", "2026-11-20",
         "--json"], capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["schema"] == 1


def test_every_exit_code_is_documented() -> None:
    from vaultokr.commands.boundary import EXIT_CODES, EXIT_CODES_HELP, EXIT_INTERNAL, EXIT_OK

    documented = {int(line.split()[0]) for line in EXIT_CODES_HELP.splitlines()
                  if line[:3].strip().isdigit()}
    assert documented == {code for _, code in EXIT_CODES} | {EXIT_OK, EXIT_INTERNAL}
