"""``python -m vaultokr`` and the ``vaultokr`` command."""

from __future__ import annotations

import gc


def main() -> None:
    # importing the command line makes tens of thousands of objects that live as long
    # as the process and no garbage: the cyclic collector would walk them ~30 times
    # while they are made, and again in every full collection after (heap.py)
    gc.disable()
    try:
        from vaultokr.cli import main as cli
    finally:
        gc.freeze()
        gc.enable()
    cli()


if __name__ == "__main__":
    main()
