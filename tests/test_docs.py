"""The docs stay true: every problem code vaultokr can emit is documented."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def emitted_codes() -> set[str]:
    source = "\n".join(p.read_text() for p in (ROOT / "vaultokr").glob("*.py"))
    literal = set(re.findall(r'"([a-z]+(?:-[a-z_]+)+)"', source))
    prefixes = ("bad-", "link-", "smart-", "yaml-", "config-", "read-", "not-", "note-",
                "frontmatter-", "inline-", "duplicate-", "kr-", "checkin-", "target-",
                "count-", "measurement-", "symlink-", "obsidian-", "initiative-",
                "output-", "region-", "template-", "write-")
    codes = {c for c in literal if c.startswith(prefixes) and c not in {"key-result"}}
    # codes made from a property name: f"bad-{key}"
    for key in re.findall(r'_(?:enum|number)\(props, "([a-z_]+)"', source):
        codes.add(f"bad-{key}")
    return codes


def test_every_problem_code_is_documented() -> None:
    documented = set(re.findall(r"`([a-z_-]+)`", (ROOT / "docs" / "problems.md").read_text()))
    missing = emitted_codes() - documented
    assert not missing, f"undocumented problem codes: {sorted(missing)}"
    assert len(emitted_codes()) > 40


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
