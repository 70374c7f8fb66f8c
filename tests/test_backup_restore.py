"""Backup and restore on real SQLCipher files, and exports that never leave a partial file behind.

A backup appears under its name only once verified; a backup killed (SIGKILL, a real child process) leaves
nothing there and does not block the retry. Restore verifies the backup, keeps the database it replaces (with
its -wal, -shm and key file, named by the store clock) and never lets a leftover -wal touch the restored file.
An export killed half-way leaves a temporary file that the next export into the folder removes.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import PASSPHRASE, TEST_NOW, run_cli
from kill_helpers import kill, kill_at, start_holding
from talk_helpers import held_talk, make_org

from notes import seal
from notes.clock import FixedClock
from notes.errors import DatabaseExists, NotATanxinDatabase, StorageFull, WrongPassphrase
from notes.keys import key_file_for
from notes.store import Store
from notes.unlock import backup, init_database, open_database, recovery_key_of, restore

LATER_UNIT = "备份之后新增的单位"


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tanxin-"))


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def _open(path: Path, passphrase: str = PASSPHRASE) -> Store:
    return open_database(path, passphrase=passphrase, use_keyring=False)


@pytest.fixture
def sealed_db(db_path: Path) -> Path:
    """A closed database with one sealed talk."""
    created = init_database(db_path, PASSPHRASE, ["suzhou-2018", "cadre-talks", "practice"])
    with created.store as store:
        talk_id = held_talk(store, make_org(store))
        seal.seal_talk(store, talk_id)
    return db_path


@pytest.fixture
def backup_file(sealed_db: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    out = folder / "b.db"
    result = run_cli(["--db", str(sealed_db), "backup", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


# -- backup ------------------------------------------------------------------------------------------------


def test_backup_is_private_verified_and_leaves_no_temporary_file(backup_file: Path) -> None:
    for path in (backup_file, key_file_for(backup_file)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _temps(backup_file.parent) == []
    with _open(backup_file) as copy:
        assert copy.scalar("SELECT count(*) FROM talks WHERE status = 'sealed'") == 1
        assert seal.verify_chain(copy).ok


@pytest.mark.parametrize("point", ["copied", "verified"])
def test_a_killed_backup_leaves_nothing_under_its_name_and_the_retry_works(
    sealed_db: Path, tmp_path: Path, point: str
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    out = folder / "b.db"
    # copied: the database copy is written, not yet verified; verified: just before the first rename.
    stop = {"copied": "after:backup_to", "verified": f"replace:{key_file_for(out)}"}[point]
    pid = kill_at(stop, ["--db", str(sealed_db), "backup", str(out)], tmp_path)
    assert not out.exists() and not key_file_for(out).exists()
    assert any(name.startswith(f".tanxin-{pid}-") for name in _temps(folder))  # it was killed mid-backup
    retry = run_cli(["--db", str(sealed_db), "backup", str(out)])
    assert retry.exit_code == 0, retry.stderr
    assert _temps(folder) == []  # the killed backup's leftovers are gone
    with _open(out) as copy:
        assert seal.verify_chain(copy).ok


def test_a_backup_killed_between_its_renames_leaves_only_a_key_file_the_retry_replaces(
    sealed_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "b.db"
    kill_at(f"replace:{out}", ["--db", str(sealed_db), "backup", str(out)], tmp_path)
    # The key file is renamed first: the one thing a kill can leave under a final name holds no records.
    assert not out.exists() and key_file_for(out).exists()
    retry = run_cli(["--db", str(sealed_db), "backup", str(out)])
    assert retry.exit_code == 0, retry.stderr
    with _open(out) as copy:
        assert copy.scalar("SELECT count(*) FROM talks") == 1


def test_a_failed_rename_leaves_nothing(sealed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "backups" / "b.db"
    out.parent.mkdir()
    real_replace = os.replace

    def failing_replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(target) == out:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    with _open(sealed_db) as store:
        monkeypatch.setattr(os, "replace", failing_replace)
        with pytest.raises(StorageFull, match="什么都没有留下"):
            backup(store, out)
        monkeypatch.undo()
        assert os.listdir(out.parent) == []
        backup(store, out)
    assert out.exists() and key_file_for(out).exists()


def test_backup_refuses_an_existing_file(sealed_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.db"
    out.write_bytes(b"somebody's file")
    with _open(sealed_db) as store, pytest.raises(DatabaseExists):
        backup(store, out)
    assert out.read_bytes() == b"somebody's file" and not key_file_for(out).exists()


# -- restore -----------------------------------------------------------------------------------------------


def test_restore_over_a_leftover_wal(sealed_db: Path, backup_file: Path, tmp_path: Path) -> None:
    # A tanxin added a unit after the backup and was killed before checkpointing: the unit is only in the -wal.
    kill(start_holding(sealed_db, tmp_path, new_unit=LATER_UNIT))
    wal = sealed_db.with_name(sealed_db.name + "-wal")
    assert wal.stat().st_size > 0
    result = run_cli(["--db", str(sealed_db), "restore", str(backup_file)])
    assert result.exit_code == 0, result.stderr
    assert "已从备份" in result.output and "改名保留" in result.output
    with _open(sealed_db) as restored:
        assert restored.scalar("PRAGMA integrity_check") == "ok"
        assert restored.scalar("SELECT count(*) FROM units WHERE name = ?", [LATER_UNIT]) == 0
        assert restored.scalar("SELECT count(*) FROM talks WHERE status = 'sealed'") == 1
        assert seal.verify_chain(restored).ok
        assert restored.scalar("SELECT count(*) FROM audit_log WHERE action = 'restore'") == 1
    # The replaced database is kept whole, its -wal beside it under the matching name; stamped by the store
    # clock (TANXIN_NOW in tests), not the computer's.
    aside = min((p for p in tmp_path.iterdir() if ".before-restore-" in p.name), key=lambda p: len(p.name))
    assert aside.name.startswith(f"tanxin.db.before-restore-{TEST_NOW:%Y%m%d-%H%M}")
    assert aside.with_name(aside.name + "-wal").exists() and key_file_for(aside).exists()
    with _open(aside) as old:
        assert old.scalar("SELECT count(*) FROM units WHERE name = ?", [LATER_UNIT]) == 1
    assert _temps(tmp_path) == []


def test_restore_names_what_it_sets_aside_by_the_store_clock(sealed_db: Path, backup_file: Path) -> None:
    clock = FixedClock(datetime(2027, 1, 3, 9, 30, 15))
    first = restore(sealed_db, backup_file, passphrase=PASSPHRASE, clock=clock)
    stamp = "tanxin.db.before-restore-20270103-093015"
    assert [p.name for p in first.set_aside] == [stamp, f"{stamp}.key"]
    second = restore(sealed_db, backup_file, passphrase=PASSPHRASE, clock=clock)
    assert [p.name for p in second.set_aside] == [f"{stamp}-2", f"{stamp}-2.key"]
    with _open(sealed_db) as restored:
        assert restored.query("SELECT at FROM audit_log WHERE action = 'restore'") == [{"at": "2027-01-03T09:30:15"}]


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _edit_a_sealed_entry(path: Path, key: bytes) -> None:
    with Store.open(path, key) as store:
        for row in store.query("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            store.execute(f"DROP TRIGGER {row['name']}")
        store.execute("UPDATE entries SET text = '被改过的内容'")


@pytest.mark.parametrize("damage", ["flipped byte", "cut short", "edited record"])
def test_restore_refuses_a_damaged_backup(sealed_db: Path, backup_file: Path, tmp_path: Path, damage: str) -> None:
    with _open(sealed_db) as store:
        key = store.key
    if damage == "flipped byte":
        _flip_a_byte(backup_file)
    elif damage == "cut short":
        backup_file.write_bytes(backup_file.read_bytes()[: 4096 * 3])
    else:
        _edit_a_sealed_entry(backup_file, key)
    before = _digests(tmp_path)
    result = run_cli(["--db", str(sealed_db), "restore", str(backup_file)])
    assert result.exit_code == 1
    assert "未通过核验" in result.stderr and "未被改动" in result.stderr and "内部错误" not in result.stderr
    if damage == "edited record":
        assert "封存链核验未通过" in result.stderr
    assert _digests(tmp_path) == before
    assert _temps(tmp_path) == [] and not [p for p in tmp_path.iterdir() if "before-restore" in p.name]


def test_restore_with_a_wrong_passphrase_changes_nothing(sealed_db: Path, backup_file: Path, tmp_path: Path) -> None:
    before = _digests(tmp_path)
    with pytest.raises(WrongPassphrase, match="备份"):
        restore(sealed_db, backup_file, passphrase="不是这个口令 wrong")
    assert _digests(tmp_path) == before


def test_restore_with_the_recovery_key_from_standard_input(sealed_db: Path, backup_file: Path) -> None:
    with _open(sealed_db) as store:
        recovery = recovery_key_of(store)
    result = run_cli(["--db", str(sealed_db), "--recovery-key", "restore", str(backup_file)],
                     env={"TANXIN_PASSPHRASE": "not used here"}, input=recovery + "\n")
    assert result.exit_code == 0, result.stderr
    with _open(sealed_db) as restored:
        assert seal.verify_chain(restored).ok


def test_restore_onto_a_new_machine(backup_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "new-machine" / "data" / "tanxin.db"
    result = run_cli(["--db", str(target), "restore", str(backup_file)])
    assert result.exit_code == 0, result.stderr
    assert "改名保留" not in result.output
    with _open(target) as restored:
        assert restored.scalar("SELECT count(*) FROM talks") == 1
    for path in (target, key_file_for(target)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_restore_refuses_while_the_database_is_open(sealed_db: Path, backup_file: Path, tmp_path: Path) -> None:
    holder = start_holding(sealed_db, tmp_path)
    try:
        before = _digests(tmp_path)
        result = run_cli(["--db", str(sealed_db), "restore", str(backup_file)])
        assert result.exit_code == 1 and "正被另一个" in result.stderr
        assert {k: v for k, v in _digests(tmp_path).items() if not k.endswith(("-wal", "-shm"))} == {
            k: v for k, v in before.items() if not k.endswith(("-wal", "-shm"))
        }
    finally:
        kill(holder)


def test_restore_refuses_a_plain_file(sealed_db: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    plain.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(NotATanxinDatabase, match="不是 tanxin 的加密备份"):
        restore(sealed_db, plain, passphrase=PASSPHRASE)


# -- exports -----------------------------------------------------------------------------------------------


def _dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    return int(finished.stdout)


def test_a_killed_export_leaves_a_temporary_file_the_next_export_removes(sealed_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "记录.docx"
    args = ["--db", str(sealed_db), "export", "record", "TX-2026-0001", "--out", str(out)]
    pid = kill_at(f"replace:{out}", args, tmp_path)
    [leftover] = _temps(folder)
    assert leftover.startswith(f".tanxin-{pid}-") and not out.exists()
    # Besides it: what an older tanxin left (an hour old), and files that only look alike, which stay.
    older = folder / ".tanxin-k3j9x_2a.docx"
    older.write_bytes(b"partial")
    reference = (folder / leftover).stat().st_mtime
    os.utime(older, (reference - 7200, reference - 7200))
    recent_older = folder / ".tanxin-abcdefgh.docx"
    recent_older.write_bytes(b"maybe still being written")
    alive = folder / f".tanxin-{os.getppid()}-0123abcd.docx"
    alive.write_bytes(b"another tanxin, running")
    dead = folder / f".tanxin-{_dead_pid()}-0123abcd.xlsx"
    dead.write_bytes(b"partial ledger")
    lookalikes = [folder / ".tanxin-notes.txt", folder / "tanxin-1-0123abcd.docx", folder / ".tanxin-1-xyz.docx"]
    for path in lookalikes:
        path.write_bytes(b"not ours")
    result = run_cli(args)
    assert result.exit_code == 0, result.stderr
    assert out.exists()
    assert not (folder / leftover).exists() and not older.exists() and not dead.exists()
    assert recent_older.exists() and alive.exists() and all(path.exists() for path in lookalikes)


def test_a_failed_export_removes_its_temporary_file(tmp_path: Path) -> None:
    from notes.documents.docxfile import write_atomically

    def fail(path: Path) -> None:
        path.write_bytes(b"half a record")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        write_atomically(tmp_path / "记录.docx", fail)
    assert os.listdir(tmp_path) == []
