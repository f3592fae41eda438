"""support.safety and support.outputs: a build through the command line, the
temporary files it may leave, and what vaultokr generated."""

from __future__ import annotations

from pathlib import Path

from support.outputs import outputs, strip_outputs
from support.safety import KR, OBJ, TEMP_MARK, build, make_vault, temp_files


def test_a_build_writes_outputs_that_strip_takes_back(tmp_path: Path) -> None:
    region = OBJ + "mine\n<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n"
    root = make_vault(tmp_path, {"O.md": region, "K.md": KR})
    build(root).assert_clean()
    built = outputs(root)
    assert "OKRs/Dashboard.md" in built and built["O.md#objective"].strip() != ""
    strip_outputs(root)
    assert outputs(root) == {"O.md#objective": ""}
    assert (root / "O.md").read_text().startswith(OBJ + "mine\n<!-- vaultokr:begin objective -->")


def test_temporary_files_are_found_anywhere(tmp_path: Path) -> None:
    root = make_vault(tmp_path, {"O.md": OBJ, f"d/.x.{TEMP_MARK}": "half written"})
    assert temp_files(root) == [f"d/.x.{TEMP_MARK}"]
