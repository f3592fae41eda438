"""Files shipped with the package: the default templates. (Apart from
render.py so that finding them imports no template machinery.)"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # vaultokr/


def default_templates_dir() -> Path:
    """The templates shipped in the wheel (``vaultokr/templates``), or, in a
    checkout, the project's ``templates/`` folder."""
    inside = PACKAGE / "templates"
    if (inside / "dashboard.md.j2").is_file():
        return inside
    return PACKAGE.parent / "templates"
