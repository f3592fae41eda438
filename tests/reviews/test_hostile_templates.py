"""Issue 9, templates overridden in the vault: every hostile template is a
``template-error`` problem naming the template file and line, within a time
and output-size budget, with the previous output left as it was. Each build
runs in a child process, bounded in time (a hang fails the test, it does not
stall the suite)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.cli import subprocess_cli
from support.safety import AS_OF, KR, OBJ, build, make_vault, temp_files

TEMPLATE = ".vaultokr/templates/dashboard.md.j2"
HOSTILE: dict[str, bytes] = {
    "macro-recursion": b"# Mine\n{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n",
    "loop-10e10": b"# Mine\n{% for i in range(100000) %}{% for j in range(100000) %}"
                  b"{% endfor %}{% endfor %}\n",
    "300MB-output": b"# Mine\n{{ 'x' * 300000000 }}\n",
    "division-by-zero": b"# Mine\n{{ 1 / 0 }}\n",
    "date-filter": b"# Mine\n{{ objectives | date }}\n",
    "percent-filter": b"# Mine\n{{ 'ten' | percent }}\n",
    "bar-filter": b"# Mine\n{{ 'ten' | bar }}\n",
    "number-filter": b"# Mine\n{{ objectives | number }}\n",
    "non-utf8": b"# Mine\n\xff\xfe caf\xe9 {{ objectives | length }}\n",
    # a loop that calls nothing: only the timer (budget.py) stops it
    "loop-without-calls": b"# Mine\n{% set x = [1] * 100000 %}\n"
                          b"{% for a in x %}{% for b in x %}{% endfor %}{% endfor %}\n",
}
IN_A_CHILD = {"macro-recursion", "loop-10e10", "300MB-output", "loop-without-calls"}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_template_is_a_template_error(tmp_path: Path, name: str) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR})
    build(root).assert_clean()
    dashboard = root / "OKRs" / "Dashboard.md"
    kept = dashboard.read_bytes()
    (root / TEMPLATE).parent.mkdir(parents=True)
    (root / TEMPLATE).write_bytes(HOSTILE[name])
    if name in IN_A_CHILD:
        # the budget is 3 s of CPU; a bound of 60 s (wall) leaves room for a busy machine
        ran = subprocess_cli("build", str(root), "--as-of", AS_OF, timeout=60)
    else:
        ran = build(root)
    ran.assert_clean()
    assert ran.code >= 0, ran.output  # neither hung nor killed
    assert "template-error" in ran.output, ran.output[:500]
    assert re.search(re.escape(TEMPLATE) + r"[:( ]+(line )?\d+", ran.output), ran.output[:500]
    assert dashboard.read_bytes() == kept
    assert temp_files(root) == []
