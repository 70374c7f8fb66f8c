"""The encrypted store on real SQLCipher files: encryption at rest, modes, bad files, errors."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlcipher3
from conftest import PASSPHRASE, run_tanxin_process

from notes.errors import DatabaseBusy, DatabaseMissing, NewerDatabase, NotATanxinDatabase, TanxinError
from notes.keys import key_file_for
from notes.store import Store, latest_version
from notes.unlock import backup, init_database, open_database

MARKER = "标记-MARKER-7f3a9c-绝密内容"


def _all_files(db_path: Path) -> list[Path]:
    return [p for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_database_is_encrypted_and_marker_never_hits_disk(store: Store, db_path: Path) -> None:
    unit = store.insert("units", {"name": "机关党委"})
    store.insert("people", {"name": MARKER, "unit_id": unit})
    # Read while the WAL still holds the write, then after a checkpoint moved it into the main file.
    for _ in range(2):
        for path in _all_files(db_path):
            content = path.read_bytes()
            assert MARKER.encode("utf-8") not in content, path
            assert b"MARKER-7f3a9c" not in content, path
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not db_path.read_bytes().startswith(b"SQLite format 3")


def test_every_file_is_private(store: Store, db_path: Path, tmp_path: Path) -> None:
    store.insert("units", {"name": "机关党委"})
    backup(store, tmp_path / "backup.db")
    files = [*_all_files(db_path), tmp_path / "backup.db", tmp_path / "backup.db.key"]
    assert {p.name for p in files} >= {"tanxin.db", "tanxin.db.key", "tanxin.db-wal"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_pragmas_for_durability(store: Store) -> None:
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA synchronous") == 2  # FULL
    assert store.scalar("PRAGMA foreign_keys") == 1
    assert store.scalar("PRAGMA busy_timeout") == 5000


def test_wrong_passphrase_in_a_real_process(store: Store, db_path: Path) -> None:
    store.insert("units", {"name": "机关党委"})
    store.close()
    before = {p.name: _file_digest(p) for p in _all_files(db_path)}
    result = run_tanxin_process(["--db", str(db_path), "recovery-key"], env={"TANXIN_PASSPHRASE": "wrong passphrase!"})
    assert result.returncode == 1
    assert "口令错误" in result.stderr
    # Nothing from SQLCipher ("ERROR CORE … hmac check failed") and no traceback reaches fd 2.
    assert "ERROR" not in result.stderr and "hmac" not in result.stderr
    assert "Traceback" not in result.stderr
    assert {p.name: _file_digest(p) for p in _all_files(db_path)} == before


def test_wrong_raw_key_is_refused_at_open(store: Store, db_path: Path) -> None:
    store.close()
    with pytest.raises(NotATanxinDatabase):
        Store.open(db_path, b"\x01" * 32)


def test_plain_sqlite_file_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    with sqlite3.connect(plain) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(NotATanxinDatabase, match="未加密"):
        open_database(plain, passphrase=PASSPHRASE)


def test_random_file_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(8192))
    key_file_for(junk).write_bytes(b"{}")
    with pytest.raises(NotATanxinDatabase):
        Store.open(junk, os.urandom(32))


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissing, match="tanxin init"):
        open_database(tmp_path / "nothing.db", passphrase=PASSPHRASE)
    (tmp_path / "empty.db").touch()
    with pytest.raises(NotATanxinDatabase, match="空文件"):
        open_database(tmp_path / "empty.db", passphrase=PASSPHRASE)


def test_other_sqlcipher_database_is_not_taken_for_ours(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    key = os.urandom(32)
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(NotATanxinDatabase, match="不是 tanxin"):
        Store.open(path, key)


def test_database_from_a_newer_version(store: Store, db_path: Path) -> None:
    store.execute(f"PRAGMA user_version = {latest_version() + 1}")
    store.close()
    with pytest.raises(NewerDatabase, match="升级"):
        open_database(db_path, passphrase=PASSPHRASE)


def test_locked_database_gives_a_clear_message(store: Store, db_path: Path) -> None:
    other = store.reopen()
    other.execute("BEGIN IMMEDIATE")
    try:
        store.conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(DatabaseBusy, match="另一个"), store.transaction():
            store.insert("units", {"name": "机关党委"})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.scalar("SELECT count(*) FROM units") == 0


def test_transaction_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.insert("units", {"name": "机关党委"})
        raise RuntimeError("boom")
    assert store.scalar("SELECT count(*) FROM units") == 0
    with store.transaction():
        store.insert("units", {"name": "机关党委"})
        with pytest.raises(RuntimeError), store.transaction():
            store.insert("units", {"name": "第一支部"})
            raise RuntimeError("inner")
    assert [r["name"] for r in store.query("SELECT name FROM units")] == ["机关党委"]


def test_rows_come_as_tuples_and_errors_in_chinese(store: Store) -> None:
    store.insert("units", {"name": "机关党委", "kind": "机关党委"})
    assert store.rows("SELECT name, kind FROM units") == [("机关党委", "机关党委")]
    with pytest.raises(TanxinError, match="数据库操作失败"):
        store.rows("SELECT no_such_column FROM units")


def test_connections_stay_in_their_thread(store: Store) -> None:
    import threading

    errors: list[BaseException] = []

    def use_main_connection() -> None:
        try:
            store.scalar("SELECT 1")
        except BaseException as exc:
            errors.append(exc)

    def use_own_connection() -> None:
        with store.reopen() as mine:
            assert mine.scalar("SELECT 1") == 1

    for target in (use_main_connection, use_own_connection):
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
    assert len(errors) == 1  # the main thread's connection refuses another thread; reopen() is the way


def test_backup_reopens_with_same_content(store: Store, tmp_path: Path) -> None:
    store.insert("units", {"name": "机关党委"})
    digest = backup(store, tmp_path / "copy.db")
    copy = open_database(tmp_path / "copy.db", passphrase=PASSPHRASE, use_keyring=False)
    try:
        assert copy.content_digest() != "" and digest
        assert copy.query("SELECT name FROM units") == [{"name": "机关党委"}]
        assert not (tmp_path / "copy.db").read_bytes().startswith(b"SQLite format 3")
    finally:
        copy.close()


def test_init_refuses_to_overwrite(store: Store, db_path: Path) -> None:
    from notes.errors import DatabaseExists, KeyFileProblem

    store.insert("units", {"name": "机关党委"})
    store.close()
    with pytest.raises(KeyFileProblem, match="已存在"):
        init_database(db_path, PASSPHRASE, ["suzhou-2018"])
    kept_key = key_file_for(db_path).read_bytes()
    key_file_for(db_path).unlink()
    with pytest.raises(DatabaseExists, match="已存在"):
        init_database(db_path, PASSPHRASE, ["suzhou-2018"])
    assert not key_file_for(db_path).exists()
    key_file_for(db_path).write_bytes(kept_key)
    with open_database(db_path, passphrase=PASSPHRASE, use_keyring=False) as reopened:
        assert reopened.scalar("SELECT name FROM units") == "机关党委"
