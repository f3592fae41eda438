"""The v1 migration warning (issue 10): a flow with a baseline was read as a
running total in v1 and from zero in v2; ``check`` warns once per such key
result, names the fix, and a vault can turn the warning off."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import invoke
from support.report import problems, status
from support.vaults import Vault, objective

Q4_OBJECTIVE = objective()  # "---\ntype: objective\nperiod: 2026-Q4\n---\n"


# -------------------------------------------------------------- migration
V1_VAULT = {
    "Talks.md": Q4_OBJECTIVE,
    # v1 reading: 3 gigs already, 3 more to go; v2 reading: 6 gigs this quarter
    "Gigs.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: count\n"
               "tag: gig\nbaseline: 3\nchange: \"+100%\"\n---\n",
    "Requests.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: sum\n"
                   "baseline: 5\ntarget: 12\n---\n",
    # no warning: no baseline, a zero baseline, a level
    "Guest posts.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: sum\n"
                      "target: 5\n---\n",
    "Zero.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nmeasure: sum\n"
               "baseline: 0\ntarget: 4\n---\n",
    "LinkedIn.md": "---\ntype: key-result\nobjective: \"[[Talks]]\"\nbaseline: 500\n"
                   "change: \"+20%\"\n---\n",
}


def test_check_warns_once_per_v1_flow_with_a_baseline(vault: Vault) -> None:
    root = vault(dict(V1_VAULT))
    code, out, _ = invoke("check", str(root), "--as-of", "2026-11-20", "--format", "json")
    assert code == 0  # a warning, not an error
    found = problems(json.loads(out), "flow-baseline-changed")  # DECISION: the code
    assert [(p["path"], p["line"], p["severity"]) for p in found] == [
        ("Gigs.md", 6, "warning"), ("Requests.md", 5, "warning")]  # the baseline: lines
    for p in found:
        # the new reading, and how to keep the old one
        assert "from 0" in p["message"], p  # DECISION: wording
        assert "measure: last" in p["message"] and "cumulative" in p["message"], p
    _, text, _ = invoke("check", str(root), "--as-of", "2026-11-20")
    assert text.count("[flow-baseline-changed]") == 2  # once each, in text as in JSON
    assert len(problems(status(root), "flow-baseline-changed")) == 2


def test_the_v1_flow_warning_is_off_for_vaults_that_say_so(vault: Vault) -> None:
    root = vault({**V1_VAULT, "vaultokr.toml": "warn_v1_flows = false\n"})  # DECISION
    code, out, _ = invoke("check", str(root), "--as-of", "2026-11-20", "--format", "json")
    assert code == 0
    listed = json.loads(out)
    assert problems(listed, "flow-baseline-changed") == []
    assert problems(listed, "config-unknown-key") == []


def test_a_vault_started_by_init_gets_no_v1_warning(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    assert invoke("init", str(root)).code == 0
    (root / "Gigs.md").write_text(V1_VAULT["Gigs.md"])
    (root / "Talks.md").write_text(Q4_OBJECTIVE.lstrip("\n"))
    code, out, _ = invoke("check", str(root), "--as-of", "2026-11-20", "--format", "json")
    assert code == 0
    assert problems(json.loads(out), "flow-baseline-changed") == []
