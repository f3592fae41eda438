"""Issue 21: the JSON report never prints ``-0.0``. A decreasing level with
no measurement has made (100 - 100) / (80 - 100) = -0.0 of its way: the
report says 0.0, as it says for every other zero."""

from __future__ import annotations

import json
import re

from support.cli import invoke
from support.vaults import Vault

from vaultokr.views.json_report import _num, json_safe

MINUS_0 = re.compile(r"(?<![\w-])-0(?:\.0*)?(?![\w.])")  # -0 or -0.0, not a date's -01
GOAL = "---\ntype: objective\nperiod: 2026-Q4\n---\n"


def test_a_decreasing_level_with_no_measurement_has_progress_0(vault: Vault) -> None:
    root = vault({
        "Goal.md": GOAL,
        "Weight.md": "---\ntype: key-result\nobjective: \"[[Goal]]\"\nbaseline: 100\n"
                     "target: 80\n---\n",
    })
    out = invoke("status", str(root), "--json", "--as-of", "2026-11-20", "--no-cache")
    assert out.code == 0, out.output
    assert "-0.0" not in out.stdout and "-0," not in out.stdout
    kr = json.loads(out.stdout)["objectives"][0]["key_results"][0]
    assert kr["progress"] == 0 and kr["progress_raw"] == 0 and kr["current"] == 100


def test_a_value_and_a_weight_written_minus_0_are_printed_0(vault: Vault) -> None:
    root = vault({
        "Goal.md": GOAL,
        "Balance.md": "---\ntype: key-result\nobjective: \"[[Goal]]\"\nbaseline: 5\n"
                      "target: -5\nweight: -0.0\n---\n## Log\n- 2026-11-02: -0.0\n",
    })
    out = invoke("status", str(root), "--json", "--as-of", "2026-11-20", "--no-cache")
    assert out.code == 0, out.output
    assert "-0.0" not in out.stdout
    kr = json.loads(out.stdout)["objectives"][0]["key_results"][0]
    assert kr["measurements"][0]["value"] == 0.0 and kr["weight"] == 0.0
    assert kr["current"] == 0.0 and kr["progress"] == 0.5


def test_the_normalisers_map_minus_0_to_0_and_keep_the_rest() -> None:
    assert str(_num(-0.0)) == "0.0" and _num(-1.5) == -1.5 and _num(3) == 3
    assert _num(float("inf")) is None and _num(None) is None
    cleaned = json_safe({"a": [-0.0, float("nan"), 2.5, "-0.0"], "b": -0.0})
    assert json.dumps(cleaned) == '{"a": [0.0, null, 2.5, "-0.0"], "b": 0.0}'


def test_the_export_prints_no_minus_0_either(vault: Vault) -> None:
    root = vault({
        "Goal.md": GOAL,
        "Weight.md": "---\ntype: key-result\nobjective: \"[[Goal]]\"\nbaseline: 100\n"
                     "target: 80\nweight: -0.0\n---\n",
    })
    for fmt in ("json", "csv"):
        out = invoke("export", "--vault", str(root), "--format", fmt, "--as-of", "2026-11-20")
        assert out.code == 0, out.output
        assert not MINUS_0.search(out.stdout), out.stdout
