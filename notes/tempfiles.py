"""The temporary files tanxin writes beside a target before renaming them into place, and the leftovers of a
process that was killed while writing one.

Every such file is named `.tanxin-<pid>-<8 hex><suffix>`: hidden, recognisably tanxin's own, and carrying the id
of the process writing it. The next write into the same folder removes the leftovers: a file whose process is
gone at once (a killed export leaves a partial record, a killed backup a partial database), a file whose process
id is still in use only when it is a day old (the id may have been reused, or belong to another machine writing
to a shared folder). Ages are measured against the file just created for the new write, so no clock is read
here (docs/clock.md): the file system stamps both.

Nothing else is ever removed: only names matching the pattern, and the older exports' names (tempfile.mkstemp
with the prefix `.tanxin-` and a document's suffix) once they are an hour old.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

TEMP_PREFIX = ".tanxin-"
# .tanxin-<pid>-<8 hex>, then the target's suffix and SQLite's own companions (-wal, -shm, -journal, .key).
_TEMP_NAME = re.compile(r"^\.tanxin-(\d+)-[0-9a-f]{8}(?:\.[^/\\]*)?$")
# What exports were written under before: mkstemp(prefix=".tanxin-", suffix=".docx" | ".xlsx" | ".md").
_OLDER_EXPORT_NAME = re.compile(r"^\.tanxin-[a-z0-9_]{8}\.(?:docx|xlsx|md)$")
OLDER_EXPORT_STALE_SECONDS = 3600
# A leftover whose process id is in use again (or names a process on another machine): kept this long.
LIVE_PID_STALE_SECONDS = 24 * 3600


def temp_path(folder: Path, suffix: str = "") -> Path:
    """A fresh temporary name in `folder` for this process (the file is not created)."""
    return folder / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{suffix}"


def create_temp(folder: Path, suffix: str = "") -> Path:
    """Create an empty temporary file, readable only by its owner, under a fresh name in `folder`."""
    while True:
        path = temp_path(folder, suffix)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return path


def is_temp_name(name: str) -> bool:
    return bool(_TEMP_NAME.match(name) or _OLDER_EXPORT_NAME.match(name))


def _process_is_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    if os.name != "posix":
        # Windows' os.kill(pid, 0) would terminate the process: there, only a file's age says it is stale.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # EPERM: the process exists and belongs to someone else
        return False
    return False


def is_stale(path: Path, reference_mtime: float) -> bool:
    """Whether `path` is a leftover of a tanxin write that will never finish. `reference_mtime` is the time
    stamp of a file created just now in the same folder."""
    try:
        age = reference_mtime - path.stat().st_mtime
    except OSError:
        return False
    match = _TEMP_NAME.match(path.name)
    if match:
        return _process_is_gone(int(match.group(1))) or age > LIVE_PID_STALE_SECONDS
    return bool(_OLDER_EXPORT_NAME.match(path.name)) and age > OLDER_EXPORT_STALE_SECONDS


def remove_stale_temps(folder: Path, reference: Path) -> list[Path]:
    """Remove the leftovers in `folder` (never `reference`, the file this write has just created); returns
    what was removed. A failure to remove one is not an error: the write goes on."""
    try:
        reference_mtime = reference.stat().st_mtime
        candidates = [entry for entry in folder.iterdir() if entry.name.startswith(TEMP_PREFIX)]
    except OSError:
        return []
    removed: list[Path] = []
    for candidate in candidates:
        if candidate.name == reference.name or not is_temp_name(candidate.name):
            continue
        if candidate.is_file() and not candidate.is_symlink() and is_stale(candidate, reference_mtime):
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
    return removed
