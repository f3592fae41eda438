"""The CLI reference (docs/cli.md), generated from the commands' own help.

    python -m vaultokr.clidoc > docs/cli.md

A test fails when docs/cli.md is not what this prints, so a command or an
option cannot go undocumented.
"""

from __future__ import annotations

import click

from vaultokr.cli import main
from vaultokr.commands.boundary import EXIT_CODES_HELP

INTRO = """\
# CLI reference

Generated from `vaultokr --help` by `python -m vaultokr.clidoc > docs/cli.md`;
a test keeps it true.

Shell completion (click's): add one line to your shell's start-up file:

```sh
eval "$(_VAULTOKR_COMPLETE=bash_source vaultokr)"   # ~/.bashrc
eval "$(_VAULTOKR_COMPLETE=zsh_source vaultokr)"    # ~/.zshrc
_VAULTOKR_COMPLETE=fish_source vaultokr | source    # ~/.config/fish/completions/vaultokr.fish
```

Exit codes, for every command:

```text
{codes}
```
"""


def reference() -> str:
    parts = [INTRO.format(codes=EXIT_CODES_HELP.replace("\b\n", "").strip())]
    ctx = click.Context(main, info_name="vaultokr")
    for name in sorted(main.commands):
        command = main.commands[name]
        sub = click.Context(command, info_name=name, parent=ctx)
        usage = " ".join(command.collect_usage_pieces(sub))
        parts.append(f"## vaultokr {name}\n\n```text\nvaultokr {name} {usage}\n```\n")
        parts.append(_clean(command.help or "") + "\n")
        rows = []
        for param in command.params:
            if isinstance(param, click.Option):
                record = param.get_help_record(sub)
                if record:
                    rows.append(f"| `{record[0]}` | {record[1].replace('|', '/')} |")
            elif isinstance(param, click.Argument):
                rows.append(f"| `{param.human_readable_name}` | argument |")
        if rows:
            parts.append("| option | meaning |\n|---|---|\n" + "\n".join(rows) + "\n")
    return "\n".join(parts)


def _clean(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines())


if __name__ == "__main__":
    print(reference(), end="")
