"""A full disk: a clear message, nothing committed is lost, typed text waits and is saved once there is room.

The disk is real: a small tmpfs mounted for the test (needs root, as on the CI machine; skipped elsewhere).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from talk_helpers import make_org

from notes import talks
from notes.autosave import Autosaver
from notes.errors import StorageFull
from notes.store import Store
from notes.unlock import init_database, open_database


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mount_point)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path) -> Path:
    """Leave almost no free space: a filler file grown until the disk refuses."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


def test_full_disk_is_a_message_and_loses_nothing(small_disk: Path) -> None:
    db = small_disk / "tanxin.db"
    store = init_database(db, PASSPHRASE, ["suzhou-2018"]).store
    org = make_org(store)
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    filler = _fill(small_disk)
    with pytest.raises(StorageFull, match="磁盘已满"), store.transaction():
        for index in range(2000):
            store.insert("people", {"name": f"新人{index}" + "长" * 200, "unit_id": org.unit})
    filler.unlink()
    assert store.scalar("SELECT count(*) FROM people") == 4
    store.close()
    with open_database(db, passphrase=PASSPHRASE, use_keyring=False) as reopened:
        assert reopened.scalar("PRAGMA integrity_check") == "ok"
        assert reopened.scalar("SELECT count(*) FROM people") == 4


def test_autosave_waits_for_room_and_then_saves(small_disk: Path) -> None:
    db = small_disk / "tanxin.db"
    store: Store = init_database(db, PASSPHRASE, ["suzhou-2018"]).store
    org = make_org(store)
    talk_id = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
    talks.start_talk(store, talk_id)
    entry_id = talks.add_entry(store, talk_id, text="")
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    saver = Autosaver(store, retry_seconds=0.2)
    try:
        filler = _fill(small_disk)
        typed = "谈话内容" * 20000  # far more than the few bytes left
        saver.update_entry_text(entry_id, typed)
        assert not saver.flush(timeout=2)
        assert saver.state.status == "error"
        assert "磁盘已满" in saver.state.message and "仍在本窗口中" in saver.state.message
        assert saver.unsaved()[("entry", entry_id)]["text"] == typed
        filler.unlink()
        deadline = time.monotonic() + 10
        while saver.state.status != "saved" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert saver.state.status == "saved"
    finally:
        saver.close()
    assert talks.get_talk(store, talk_id).entries[0].text == typed
    store.close()
