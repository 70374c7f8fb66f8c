"""Messages that carry results up: from thread workers to their screen, and from screens to the app.

Workers never touch widgets; they post one of these and the handler, on the main thread, updates the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.message import Message


@dataclass
class Unlocked(Message):
    """The database opened (or was created) in a worker; the app reopens it on the main thread with `key`."""

    path: Path
    key: bytes
    recovery_key: str | None = None  # set on first run only: shown once, then forgotten


@dataclass
class UnlockFailed(Message):
    """Unlocking did not succeed; `message` says why, in Chinese. `quiet` when nothing was typed yet."""

    message: str
    quiet: bool = False


@dataclass
class KeyringAvailable(Message):
    """The name of a trusted keyring backend that could remember the key (None: none to offer)."""

    backend: str | None


@dataclass
class DashboardLoaded(Message):
    """Everything 工作台 shows, computed in a worker."""

    data: Any  # tui.screens.dashboard.DashboardData (kept loose so this module imports no screen)


@dataclass
class RosterLoaded(Message):
    """Everyone's names, units and the pinyin index, built in a worker."""

    roster: Any  # tui.screens.people.Roster


@dataclass
class PersonLoaded(Message):
    """One person's page: profile, roles, talks, follow-ups, events."""

    data: Any  # tui.screens.people.PersonData


@dataclass
class WorkerFailed(Message):
    """A thread worker raised: its screen (tui/screens/base.py) passes it up and the app reports it (tui/app.py),
    once, in Chinese."""

    error: BaseException

