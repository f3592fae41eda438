from __future__ import annotations

from vaultokr.cli import main

if __name__ == "__main__":
    main()
