"""The design card's layout: a core free of Textual, and resources found from an installed wheel."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import notes
import prep

REPO = Path(__file__).resolve().parent.parent


def _core_modules() -> list[str]:
    names = []
    for package in (prep, notes):
        names.append(package.__name__)
        names.extend(info.name for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."))
    return names


def test_core_never_loads_textual() -> None:
    modules = _core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == ""


def test_cli_commands_load_without_textual() -> None:
    """The CLI starts fast and prints plain text: only opening the app loads Textual."""
    code = (
        "import importlib, pkgutil, sys\nimport tui.commands\nfrom tui.cli import cli\nimport tui.text\n"
        "for info in pkgutil.iter_modules(tui.commands.__path__, 'tui.commands.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == "False"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("tanxin-*.whl"))


def test_wheel_ships_schema_and_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "notes/_data/schema.sql" in names
    assert any(n.startswith("notes/_data/templates/packs/") and n.endswith(".toml") for n in names)
    assert any(n.startswith("tui/") for n in names) and any(n.startswith("prep/") for n in names)
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))
    ).decode()
    assert "tanxin = tui.cli:main" in entry_points


def test_installed_copy_finds_its_resources(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "from notes.resources import schema_path, templates_dir\n"
        "print(schema_path()); print(templates_dir())\n"
        "from notes.store import load_migrations; print(len(load_migrations()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r})\n{code}"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    schema, templates, versions = result.stdout.split()
    assert schema.startswith(str(target)) and Path(schema).is_file()
    assert templates.startswith(str(target)) and (Path(templates) / "packs").is_dir()
    assert int(versions) >= 1
