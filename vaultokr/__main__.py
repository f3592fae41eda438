"""``python -m vaultokr`` and the ``vaultokr`` command."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import NoReturn


def main() -> NoReturn:
    # importing the command line makes tens of thousands of objects that live as long
    # as the process and no garbage: the cyclic collector would walk them ~30 times
    # while they are made, and again in every full collection after (heap.py)
    gc.disable()
    try:
        from vaultokr.cli import main as cli
    finally:
        gc.freeze()
        gc.enable()
    try:
        cli()
    except SystemExit as exc:
        leave(exc.code)
    leave(0)


def leave(code: object) -> NoReturn:
    """End the process with ``code`` as Python's exit would, without taking
    the interpreter apart first: freeing every module and object one by one
    is work the operating system does at once (~18 ms of a first ``status``
    on 10,000 notes). Standard output and error are flushed, and logging is
    shut down (the one exit handler of the libraries vaultokr imports). While
    another thread runs, Python's own exit, which waits for it, is used."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)  # type: ignore[arg-type]
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as Python does: the text to standard error, and 1
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        # a reader that left (boundary.reader_left), or no stream at all
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.shutdown()
    os._exit(status)


if __name__ == "__main__":
    main()
