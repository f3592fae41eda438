"""The docs stay true: settings, problem codes and the CLI reference are
generated from, or checked against, the one place each is declared."""

from __future__ import annotations

import re

import pytest
from support.vaults import ROOT

from vaultokr.config.settings import markdown_table
from vaultokr.core.codes import CATALOGUE
from vaultokr.core.errors import Problems


def documented_codes() -> dict[str, tuple[str, str]]:
    """docs/problems.md's rows: code -> (severity, meaning)."""
    rows = re.findall(r"^\| `([a-z0-9_-]+)` \| ([a-z /]+) \| (.*) \|$",
                      (ROOT / "docs" / "problems.md").read_text(), re.M)
    assert len(rows) == len({code for code, _, _ in rows}), "a code is documented twice"
    return {code: (severity, meaning) for code, severity, meaning in rows}


def test_every_problem_code_is_documented() -> None:
    documented = documented_codes()
    assert set(documented) == set(CATALOGUE)
    for code, entry in CATALOGUE.items():
        assert documented[code] == (" / ".join(entry.severities), entry.meaning), code
    assert len(CATALOGUE) > 40


def test_a_problem_code_not_in_the_catalogue_fails_the_suite(
    catalogued_codes: list[str],
) -> None:
    # conftest checks every problem any test makes against the catalogue
    with pytest.raises(AssertionError, match=r"'no-such-code' is not in vaultokr/core/codes\.py"):
        Problems().error("O.md", 1, "no-such-code", "a message")
    with pytest.raises(AssertionError,
                       match=r"smart-stale is a warning in vaultokr/core/codes\.py"):
        Problems().error("O.md", 1, "smart-stale", "a message")
    assert len(catalogued_codes) == 2
    catalogued_codes.clear()  # else this test fails too, as intended for any other


def test_settings_table_is_generated() -> None:
    assert markdown_table() in (ROOT / "docs" / "configuration.md").read_text(), (
        "docs/configuration.md is out of date: paste in `python -m vaultokr.config.settings`")


def test_cli_reference_is_generated_from_help() -> None:
    from vaultokr.clidoc import reference

    assert (ROOT / "docs" / "cli.md").read_text() == reference(), (
        "docs/cli.md is out of date: python -m vaultokr.clidoc > docs/cli.md")


def test_every_command_and_option_has_help() -> None:
    import click

    from vaultokr.cli import main

    for name, command in main.commands.items():
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"


def test_every_module_is_named_in_the_architecture_page() -> None:
    """docs/architecture.md names every module of the package (by its file name)."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "vaultokr"
    unnamed = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                     if p.name != "__init__.py" and f"`{p.name}`" not in page)
    assert not unnamed, f"name these in docs/architecture.md: {unnamed}"
