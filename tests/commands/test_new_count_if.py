"""``vaultokr new kr --count-if`` (SPEC v3): written as the reader reads it,
and refused, before anything is written, where ``check`` would refuse it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from support.cli import invoke
from support.snapshot import snapshot
from support.vaults import write

GOAL = "---\ntype: objective\nperiod: 2026-Q4\n---\n"


def _vault(tmp_path: Path) -> Path:
    return write(tmp_path / "vault", {"vaultokr.toml": "", "Goals/Calm.md": GOAL})


def test_count_if_is_written_quoted_and_read_back(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    for day, minutes in (("2026-11-02", 45), ("2026-11-03", 30), ("2026-11-04", 35)):
        (root / "Daily").mkdir(exist_ok=True)
        (root / "Daily" / f"{day}.md").write_text(f"meditated:: {minutes}\n")
    code, _, err = invoke("new", "kr", "Long sits", "--objective", "Calm", "--measure",
                            "count", "--field", "meditated", "--count-if", "> 30",
                            "--target", "20", "--vault", str(root))
    assert code == 0, err
    assert (root / "Goals" / "Long sits.md").read_text() == (
        '---\ntype: key-result\nobjective: "[[Calm]]"\nmeasure: count\ntarget: 20\n'
        'field: meditated\ncount_if: "> 30"\n'
        f"created: {dt.date.today()}\n---\n# Long sits\n\n")
    status = invoke("status", str(root), "--json", "--as-of", "2026-11-20", "--no-cache")
    kr = json.loads(status.stdout)["objectives"][0]["key_results"][0]
    assert [m["date"] for m in kr["measurements"]] == ["2026-11-02", "2026-11-04"]
    assert kr["current"] == 2


@pytest.mark.parametrize(("extra", "message"), [
    (["--measure", "count", "--field", "x", "--count-if", "lots"],
     'count_if "lots" is neither done nor a comparison with a number: write count_if: done'),
    (["--measure", "count", "--field", "x", "--count-if", ">"], "is neither done nor"),
    (["--measure", "sum", "--field", "x", "--count-if", "done"],
     "--count-if chooses which values of a field count a note: it needs --measure count "
     "and --field NAME"),
    (["--measure", "count", "--tag", "gym", "--count-if", "done"], "it needs --measure count"),
])
def test_a_count_if_check_would_refuse_is_refused_before_writing(
        tmp_path: Path, extra: list[str], message: str) -> None:
    root = _vault(tmp_path)
    before = snapshot(root)
    code, _, err = invoke("new", "kr", "Sits", "--objective", "Calm", "--target", "5",
                          "--vault", str(root), *extra)
    assert code == 2 and message in err, err
    assert snapshot(root) == before
