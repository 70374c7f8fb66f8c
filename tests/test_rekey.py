"""`tanxin passwd --rekey`: the database key itself changes (SQLCipher rekey), so a leaked key file + passphrase
or recovery key can be revoked; a rekey killed at any point leaves a database that one of the two keys opens.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import PASSPHRASE, MemoryKeyring, run_cli
from kill_helpers import kill, kill_at, start_holding

from notes import seal
from notes.errors import NotATanxinDatabase, WrongPassphrase, WrongRecoveryKey
from notes.keys import key_file_for, key_fingerprint
from notes.store import Store
from notes.unlock import offer_keyring, open_database, recovery_key_of

NEW_PASSPHRASE = "新的口令 after a leak"
RECOVERY_KEY = re.compile(r"\b(?:[0-9A-F]{8}-){7}[0-9A-F]{8}\b")


def _open(path: Path, passphrase: str) -> Store:
    return open_database(path, passphrase=passphrase, use_keyring=False)


def test_rekey_revokes_the_old_key_file_passphrase_and_recovery_key(demo_db: Path) -> None:
    key_path = key_file_for(demo_db)
    old_key_file = key_path.read_bytes()
    with _open(demo_db, PASSPHRASE) as store:
        old_recovery = recovery_key_of(store)
        old_key = store.key
        sealed = store.scalar("SELECT count(*) FROM seals")
    assert sealed > 0

    result = run_cli(["--db", str(demo_db), "passwd", "--rekey"], env={"TANXIN_NEW_PASSPHRASE": NEW_PASSPHRASE})
    assert result.exit_code == 0, result.stderr
    printed = RECOVERY_KEY.findall(result.output)
    assert len(printed) == 1 and printed[0] != old_recovery  # the new recovery key, shown once
    new_recovery = printed[0]
    assert "旧恢复密钥" in result.output and "重新备份" in result.output
    assert "pending" not in json.loads(key_path.read_text(encoding="utf-8"))

    # The old recovery key, the old key file with the old passphrase, the new key file with the old passphrase.
    with pytest.raises(WrongRecoveryKey):
        open_database(demo_db, recovery_key=old_recovery)
    with pytest.raises(NotATanxinDatabase):
        Store.open(demo_db, old_key)
    new_key_file = key_path.read_bytes()
    key_path.write_bytes(old_key_file)
    with pytest.raises(NotATanxinDatabase, match="旧密钥文件"):
        _open(demo_db, PASSPHRASE)
    key_path.write_bytes(new_key_file)
    with pytest.raises(WrongPassphrase):
        _open(demo_db, PASSPHRASE)

    # The new ones open it, the record is whole and its seals verify.
    with _open(demo_db, NEW_PASSPHRASE) as store:
        assert store.scalar("SELECT count(*) FROM seals") == sealed
        assert store.get_setting("key_fingerprint") == key_fingerprint(store.key)
        assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'rekey'") == 1
        assert store.scalar("PRAGMA integrity_check") == "ok"
    with open_database(demo_db, recovery_key=new_recovery) as store:
        assert seal.verify_chain(store).ok
    verified = run_cli(["--db", str(demo_db), "verify"], env={"TANXIN_PASSPHRASE": NEW_PASSPHRASE})
    assert verified.exit_code == 0, verified.stderr


def test_rekey_with_the_recovery_key_after_a_lost_key_file(store: Store, db_path: Path) -> None:
    recovery = recovery_key_of(store)
    store.close()
    key_file_for(db_path).unlink()
    result = run_cli(["--db", str(db_path), "--recovery-key", "passwd", "--rekey"],
                     env={"TANXIN_NEW_PASSPHRASE": NEW_PASSPHRASE}, input=recovery + "\n")
    assert result.exit_code == 0, result.stderr
    with _open(db_path, NEW_PASSPHRASE) as reopened:
        assert recovery_key_of(reopened) in result.output


def test_rekey_replaces_the_cached_keyring_entry(store: Store, db_path: Path, memory_keyring: MemoryKeyring) -> None:
    assert offer_keyring(store)
    old_key = store.key
    store.close()
    result = run_cli(["--db", str(db_path), "passwd", "--rekey"], env={"TANXIN_NEW_PASSPHRASE": NEW_PASSPHRASE})
    assert result.exit_code == 0, result.stderr
    [cached] = memory_keyring.secrets.values()
    assert cached != old_key.hex()
    with open_database(db_path, passphrase=None, use_keyring=True) as reopened:  # no passphrase: the keyring
        assert reopened.key.hex() == cached


def test_a_rekey_killed_before_the_database_changed_keeps_the_old_passphrase(demo_db: Path, tmp_path: Path) -> None:
    kill_at("before:rekey", ["--db", str(demo_db), "passwd", "--rekey"], tmp_path,
            env={"TANXIN_NEW_PASSPHRASE": NEW_PASSPHRASE})
    assert "pending" in json.loads(key_file_for(demo_db).read_text(encoding="utf-8"))
    with pytest.raises(WrongPassphrase, match="更换没有生效"):
        _open(demo_db, NEW_PASSPHRASE)
    with _open(demo_db, PASSPHRASE) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert seal.verify_chain(store).ok
    again = run_cli(["--db", str(demo_db), "passwd", "--rekey"], env={"TANXIN_NEW_PASSPHRASE": NEW_PASSPHRASE})
    assert again.exit_code == 0, again.stderr
    with _open(demo_db, NEW_PASSPHRASE) as store:
        assert seal.verify_chain(store).ok


def test_a_rekey_killed_after_the_database_changed_is_finished_by_the_new_passphrase(
    demo_db: Path, tmp_path: Path
) -> None:
    kill_at("after:rekey", ["--db", str(demo_db), "passwd", "--rekey"], tmp_path,
            env={"TANXIN_NEW_PASSPHRASE": NEW_PASSPHRASE})
    with pytest.raises(WrongPassphrase, match="新口令"):
        _open(demo_db, PASSPHRASE)
    with _open(demo_db, NEW_PASSPHRASE) as store:
        assert store.scalar("PRAGMA integrity_check") == "ok"
        assert seal.verify_chain(store).ok
    # The unlock finished the change: the key file holds the new key alone.
    data = json.loads(key_file_for(demo_db).read_text(encoding="utf-8"))
    assert "pending" not in data
    shown = run_cli(["--db", str(demo_db), "recovery-key"], env={"TANXIN_PASSPHRASE": NEW_PASSPHRASE})
    assert shown.exit_code == 0 and len(RECOVERY_KEY.findall(shown.output)) == 1


def test_rekey_is_refused_while_another_process_has_the_database_open(store: Store, db_path: Path,
                                                                      tmp_path: Path) -> None:
    store.close()
    key_before = key_file_for(db_path).read_bytes()
    holder = start_holding(db_path, tmp_path)
    try:
        result = run_cli(["--db", str(db_path), "passwd", "--rekey"], env={"TANXIN_NEW_PASSPHRASE": NEW_PASSPHRASE})
    finally:
        kill(holder)
    assert result.exit_code == 1 and "正被另一个" in result.stderr and "什么都没有改动" in result.stderr
    assert key_file_for(db_path).read_bytes() == key_before
    with _open(db_path, PASSPHRASE) as reopened:
        assert reopened.scalar("PRAGMA integrity_check") == "ok"
