"""Issue 9, "writes outside the vault": links inside the vault that lead out
of it are never written through, and a folder swapped for such a link while
a build runs does not receive the output."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from support.safety import KR, OBJ, build, make_vault, temp_files
from support.snapshot import snapshot


def vault_and_outside(tmp_path: Path) -> tuple[Path, Path]:
    root = make_vault(tmp_path, {"O.md": OBJ, "K.md": KR})
    outside = tmp_path / "outside"
    outside.mkdir()
    return root, outside


def test_a_vaultokr_folder_linked_outside(tmp_path: Path) -> None:
    root, outside = vault_and_outside(tmp_path)
    (root / ".vaultokr").symlink_to(outside, target_is_directory=True)
    ran = build(root)
    ran.assert_clean()
    assert snapshot(outside, folders=True) == {}
    assert ".vaultokr" in ran.output, ran.output


@pytest.mark.parametrize("name", ["lock", ".gitignore"])
def test_a_dangling_link_in_the_vaultokr_folder(tmp_path: Path, name: str) -> None:
    root, outside = vault_and_outside(tmp_path)
    (root / ".vaultokr").mkdir()
    (root / ".vaultokr" / name).symlink_to(outside / "target")
    ran = build(root)
    ran.assert_clean()
    assert not (outside / "target").exists()
    assert f".vaultokr/{name}" in ran.output, ran.output


def test_a_reviews_folder_swapped_for_a_link_mid_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, outside = vault_and_outside(tmp_path)
    build(root).assert_clean()
    reviews = root / "OKRs" / "Reviews"
    (reviews / "2026-Q4.md").unlink()  # to be created again
    real_open = os.open
    swapped: list[bool] = []

    def swap_on_first_create(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and "2026-Q4.md" in os.fsdecode(path) and not swapped:
            reviews.rename(root / "OKRs" / "Reviews.moved")
            reviews.symlink_to(outside, target_is_directory=True)
            swapped.append(True)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", swap_on_first_create)
    ran = build(root)
    ran.assert_clean()
    assert swapped, "the swap was not injected: the review is no longer created with os.open"
    assert snapshot(outside, folders=True) == {}
    assert temp_files(root) == []


def test_a_template_folder_linked_outside(tmp_path: Path) -> None:
    root, outside = vault_and_outside(tmp_path)
    (outside / "dashboard.md.j2").write_text("# FROM OUTSIDE\n")
    (root / ".vaultokr").mkdir()
    (root / ".vaultokr" / "templates").symlink_to(outside, target_is_directory=True)
    ran = build(root)
    ran.assert_clean()
    assert ".vaultokr/templates" in ran.output, ran.output
    assert snapshot(outside, folders=True) == {"dashboard.md.j2": b"# FROM OUTSIDE\n"}


def test_a_region_note_that_is_a_link_outside_is_not_written(tmp_path: Path) -> None:
    root, outside = vault_and_outside(tmp_path)
    target = outside / "Theirs.md"
    content = (OBJ + "<!-- vaultokr:begin objective -->\n<!-- vaultokr:end -->\n").encode()
    target.write_bytes(content)
    (root / "Linked.md").symlink_to(target)
    build(root).assert_clean()
    assert target.read_bytes() == content
