"""Where the schema and the editable templates are, in a checkout and in an installed copy.

In a checkout they sit at the top of the repository (the design card); the wheel carries them under
notes/_data (pyproject.toml, force-include), so an installed tanxin finds them without the source tree.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    installed = _PACKAGE_DIR / "_data" / name
    if installed.exists():
        return installed
    return _PACKAGE_DIR.parent / name


def schema_path() -> Path:
    return _resource("schema.sql")


def templates_dir() -> Path:
    return _resource("templates")
