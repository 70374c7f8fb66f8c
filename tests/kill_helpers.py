"""Killing a real `tanxin` process at a chosen point: the child pauses there and the test sends SIGKILL.

A point is `before:NAME` / `after:NAME` (a method of notes.store.Store: the child pauses just before it runs or
just after it returned) or `replace:PATH` (just before the child renames a file onto PATH).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import PASSPHRASE

PAUSING_CHILD = r"""
import os, sys, time
from pathlib import Path

marker, point, *args = sys.argv[1:]
kind, _, name = point.partition(":")


def pause():
    Path(marker).write_text(str(os.getpid()))
    time.sleep(120)


if kind in ("before", "after"):
    from notes.store import Store

    original = getattr(Store, name)

    def wrapper(self, *a, **k):
        if kind == "before":
            pause()
        result = original(self, *a, **k)
        if kind == "after":
            pause()
        return result

    setattr(Store, name, wrapper)
elif kind == "replace":
    real_replace = os.replace

    def replace(source, target):
        if os.fspath(target) == name:
            pause()
        real_replace(source, target)

    os.replace = replace
else:
    raise SystemExit(f"unknown point {point}")

from tui.cli import main

main(args)
"""


def kill_at(point: str, args: list[str], marker_dir: Path, env: dict[str, str] | None = None) -> int:
    """Run `tanxin ARGS` in a child, SIGKILL it when it reaches `point`; returns the child's pid."""
    marker = marker_dir / f"paused-{time.monotonic_ns()}"
    full_env = {**os.environ, "TANXIN_PASSPHRASE": PASSPHRASE, **(env or {})}
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_CHILD, str(marker), point, *args],
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    try:
        while not marker.exists():
            if child.poll() is not None:
                out, err = child.communicate()
                raise AssertionError(f"the child ended before {point} (exit {child.returncode}): {out}{err}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the child never reached {point}")
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
        if child.stderr is not None:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return child.pid


HOLDING_CHILD = r"""
import sys, time
from pathlib import Path
from notes.unlock import open_database

db, marker, unit = sys.argv[1:]
store = open_database(Path(db), use_keyring=False)
store.execute("PRAGMA wal_autocheckpoint = 0")
if unit:
    store.insert("units", {"name": unit})
Path(marker).write_text("open")
time.sleep(120)
"""


def start_holding(db: Path, marker_dir: Path, new_unit: str = "") -> subprocess.Popen[str]:
    """A child that opened the database (and added a unit, committed to the -wal only) and holds it open until
    it is killed."""
    marker = marker_dir / f"holding-{time.monotonic_ns()}"
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDING_CHILD, str(db), str(marker), new_unit],
        env={**os.environ, "TANXIN_PASSPHRASE": PASSPHRASE},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if child.poll() is not None:
            raise AssertionError(f"the holding child ended (exit {child.returncode}): {child.communicate()[1]}")
        assert time.monotonic() < deadline, "the holding child never opened the database"
        time.sleep(0.02)
    return child


def kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    if child.stderr is not None:
        child.stderr.close()
