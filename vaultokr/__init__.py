"""vaultokr: personal OKRs computed from an Obsidian-style Markdown vault."""

from __future__ import annotations

__version__ = "0.1.0"
