"""Fixtures: fresh encrypted databases in temp dirs, an isolated environment, an in-memory keyring.

The keyring is the one thing substituted in tests; everything else is real (SQLCipher files, DOCX/XLSX files
read back, the Textual app driven by Pilot). No test reads the wall clock: the process's clock is pinned to
TEST_NOW for every test (TANXIN_NOW, also seen by the CLI run in-process or as a child), and a test that needs
another day passes a clock of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import keyring
import pytest
from click.testing import CliRunner, Result
from keyring.backend import KeyringBackend

from notes.clock import NOW_VARIABLE, Clock, FixedClock
from notes.store import Store
from notes.unlock import init_database, open_database

PASSPHRASE = "测试口令 correct horse"
DEMO_SEED = 2026
# The moment every test runs at, unless it says otherwise; a weekday morning.
TEST_NOW = datetime(2026, 11, 22, 10, 0)
TEST_TODAY = TEST_NOW.date()
# The demo database used by tests is built as of this day, so due items, overdue days and snapshots are stable.
DEMO_TODAY = TEST_TODAY


def clock_on(day: date) -> Clock:
    """A clock standing still at 10:00 on `day`."""
    return FixedClock(datetime.combine(day, TEST_NOW.time()))


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps secrets in a dict (tests trust it explicitly, see `trusted_keyring`)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads the user's real data dir, database, passphrase or keyring."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in ("TANXIN_DB", "TANXIN_PASSPHRASE", "TANXIN_NEW_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(NOW_VARIABLE, TEST_NOW.isoformat())
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """The in-memory keyring, registered as a trusted backend."""
    from notes import keycache

    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    monkeypatch.setattr(keycache, "TRUSTED_BACKENDS", {f"{MemoryKeyring.__module__}.MemoryKeyring"})
    return backend


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tanxin.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh encrypted database with the default policy packs."""
    created = init_database(db_path, PASSPHRASE, ["suzhou-2018", "cadre-talks", "practice"])
    yield created.store
    created.store.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, generated once per test session."""
    from prep.demo import write_demo_database

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    write_demo_database(path, PASSPHRASE, seed=DEMO_SEED, clock=clock_on(DEMO_TODAY))
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database (and its key file) that a test may change."""
    target = tmp_path / "demo.db"
    shutil.copy2(demo_template, target)
    shutil.copy2(demo_template.with_name("demo.db.key"), tmp_path / "demo.db.key")
    return target


def open_demo_made_on(day: date, folder: Path) -> Store:
    """A demo database made on `day` in `folder`, opened with a clock standing at that day."""
    from prep.demo import write_demo_database

    path = folder / f"demo-{day.isoformat()}.db"
    write_demo_database(path, PASSPHRASE, seed=DEMO_SEED, clock=clock_on(day))
    return open_database(path, passphrase=PASSPHRASE, use_keyring=False, clock=clock_on(day))


@pytest.fixture
def demo_store(demo_db: Path) -> Iterator[Store]:
    store = open_database(demo_db, passphrase=PASSPHRASE, use_keyring=False)
    yield store
    store.close()


def run_cli(args: list[str], env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """Run `tanxin ARGS` in-process with click's runner (stdout and stderr kept apart)."""
    from tui.cli import cli

    runner = CliRunner()
    merged = {"TANXIN_PASSPHRASE": PASSPHRASE, **(env or {})}
    return runner.invoke(cli, args, env=merged, input=input, catch_exceptions=False)


def run_tanxin_process(args: list[str], env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run the real `tanxin` entry point in a child process: fd 2 and exit codes exactly as a user sees them."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "from tui.cli import main; main()", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )
