"""The shipped templates compiled once (cache/compiled.py): kept outside the
vault, used only for the same source and code, never for a vault's own
templates, and the reviews are the same bytes either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
from support.outputs import strip_outputs
from support.snapshot import snapshot
from support.vaults import AS_OF, SAMPLE, age, copy_vault

from vaultokr.cache import compiled
from vaultokr.cache.compiled import ShippedTemplates
from vaultokr.run.oneshot import build


def environment(tmp_path: Path, kept: Path) -> jinja2.Environment:
    loaders = [jinja2.FileSystemLoader(str(tmp_path / "vault")),
               jinja2.FileSystemLoader(str(tmp_path / "shipped"))]
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), keep_trailing_newline=True,
                              bytecode_cache=ShippedTemplates(kept, tmp_path / "shipped"))


def templates(tmp_path: Path, shipped: str) -> None:
    (tmp_path / "vault").mkdir(exist_ok=True)
    (tmp_path / "shipped").mkdir(exist_ok=True)
    (tmp_path / "shipped" / "s.j2").write_text(shipped)
    (tmp_path / "vault" / "v.j2").write_text("vault {{ x }}\n")


def refusing(env: jinja2.Environment) -> None:
    def compile_(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"compiled again: {args[1]}")
    env.compile = compile_  # type: ignore[method-assign]


def test_a_shipped_template_is_compiled_once_a_vault_s_never_kept(tmp_path: Path) -> None:
    templates(tmp_path, "shipped {{ x }}\n")
    kept = tmp_path / "kept"
    first = environment(tmp_path, kept)
    assert first.get_template("s.j2").render(x=1) == "shipped 1\n"
    assert first.get_template("v.j2").render(x=1) == "vault 1\n"
    assert len(list(kept.iterdir())) == 1  # the shipped one only
    again = environment(tmp_path, kept)
    refusing(again)
    assert again.get_template("s.j2").render(x=2) == "shipped 2\n"
    with pytest.raises(AssertionError, match=r"compiled again: v\.j2"):
        again.get_template("v.j2")


def test_another_source_or_other_code_compiles_again(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    templates(tmp_path, "shipped {{ x }}\n")
    kept = tmp_path / "kept"
    environment(tmp_path, kept).get_template("s.j2")
    templates(tmp_path, "changed {{ x }}\n")
    assert environment(tmp_path, kept).get_template("s.j2").render(x=1) == "changed 1\n"
    monkeypatch.setattr(compiled, "code", lambda: "other code")
    other = environment(tmp_path, kept)
    refusing(other)
    with pytest.raises(AssertionError, match=r"compiled again: s\.j2"):
        other.get_template("s.j2")


def test_a_damaged_file_is_compiled_again(tmp_path: Path) -> None:
    templates(tmp_path, "shipped {{ x }}\n")
    kept = tmp_path / "kept"
    environment(tmp_path, kept).get_template("s.j2")
    (path,) = kept.iterdir()
    path.write_bytes(path.read_bytes()[:-20])
    assert environment(tmp_path, kept).get_template("s.j2").render(x=3) == "shipped 3\n"


def test_a_build_with_kept_templates_writes_what_one_without_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "FOLDER", tmp_path / "kept")
    plain = copy_vault(SAMPLE, tmp_path / "plain")
    strip_outputs(plain)
    age(plain)
    build(plain, AS_OF, cache=False)
    assert not (tmp_path / "kept").exists()  # --no-cache keeps nothing
    for name in ("first", "second"):
        root = copy_vault(SAMPLE, tmp_path / name)
        strip_outputs(root)
        age(root)
        build(root, AS_OF)
        assert snapshot(root, caches=False) == snapshot(plain, caches=False)
    assert list((tmp_path / "kept").iterdir())
