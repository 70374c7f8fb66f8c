"""Key handling: the wrapped database key, passphrase changes, the recovery key, the key file's failures."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli

from notes.errors import KeyFileProblem, WrongPassphrase, WrongRecoveryKey
from notes.keys import format_recovery_key, key_file_for, parse_recovery_key, unwrap_key
from notes.store import Store
from notes.unlock import change_passphrase, init_database, open_database, recovery_key_of


def test_recovery_key_format_round_trips() -> None:
    key = bytes(range(32))
    text = format_recovery_key(key)
    groups = text.split("-")
    assert len(groups) == 8 and all(len(g) == 8 for g in groups)
    assert parse_recovery_key(text) == key
    assert parse_recovery_key(text.lower().replace("-", " ")) == key
    with pytest.raises(WrongRecoveryKey, match="64"):
        parse_recovery_key(text[:-1])


def test_key_file_holds_no_key_in_clear(store: Store, db_path: Path) -> None:
    content = key_file_for(db_path).read_text(encoding="utf-8")
    assert store.key.hex() not in content.lower()
    data = json.loads(content)
    assert data["kdf"]["name"] == "argon2id" and data["cipher"] == "aes-256-gcm"


def test_passphrase_is_normalised_nfc(tmp_path: Path) -> None:
    composed = "口令é-passphrase"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    created = init_database(tmp_path / "n.db", composed, ["suzhou-2018"])
    created.store.close()
    assert unwrap_key(key_file_for(tmp_path / "n.db"), decomposed) == created.store.key


def test_passphrase_change_only_rewraps(store: Store, db_path: Path) -> None:
    store.insert("units", {"name": "机关党委"})
    database_key = store.key
    change_passphrase(store, "新的口令 new passphrase")
    store.close()
    with pytest.raises(WrongPassphrase):
        open_database(db_path, passphrase=PASSPHRASE, use_keyring=False)
    with open_database(db_path, passphrase="新的口令 new passphrase", use_keyring=False) as reopened:
        assert reopened.scalar("SELECT name FROM units") == "机关党委"
    # The database key itself did not change: the recovery key printed at init still opens it.
    with Store.open(db_path, database_key) as same_key:
        assert same_key.scalar("SELECT count(*) FROM units") == 1


def test_recovery_key_opens_after_a_forgotten_passphrase(store: Store, db_path: Path) -> None:
    store.insert("units", {"name": "机关党委"})
    recovery = recovery_key_of(store)
    store.close()
    # The key comes on standard input, never as an argument.
    result = run_cli(
        ["--db", str(db_path), "--recovery-key", "passwd"],
        env={"TANXIN_PASSPHRASE": "forgotten", "TANXIN_NEW_PASSPHRASE": "又一个新口令 abc"},
        input=recovery + "\n",
    )
    assert result.exit_code == 0, result.stderr
    with open_database(db_path, passphrase="又一个新口令 abc", use_keyring=False) as reopened:
        assert reopened.scalar("SELECT name FROM units") == "机关党委"


def test_wrong_recovery_key(store: Store, db_path: Path) -> None:
    store.close()
    with pytest.raises(WrongRecoveryKey, match="不匹配"):
        open_database(db_path, recovery_key=format_recovery_key(b"\x07" * 32))


def test_recovery_key_opens_without_a_key_file(store: Store, db_path: Path) -> None:
    recovery = recovery_key_of(store)
    store.close()
    key_file_for(db_path).unlink()
    with pytest.raises(KeyFileProblem, match="--recovery-key"):
        open_database(db_path, passphrase=PASSPHRASE, use_keyring=False)
    with open_database(db_path, recovery_key=recovery) as reopened:
        assert reopened.schema_version >= 1


@pytest.mark.parametrize(
    "damage",
    [b"", b"not json", b'{"format": "other"}', b'{"format": "tanxin-key", "version": 1}',
     b'{"format": "tanxin-key", "version": 99}'],
)
def test_damaged_key_file(store: Store, db_path: Path, damage: bytes) -> None:
    store.close()
    key_file_for(db_path).write_bytes(damage)
    with pytest.raises(KeyFileProblem) as caught:
        open_database(db_path, passphrase=PASSPHRASE, use_keyring=False)
    assert str(key_file_for(db_path)) in caught.value.message


def test_tampered_wrapped_key_is_a_wrong_passphrase_not_a_crash(store: Store, db_path: Path) -> None:
    store.close()
    data = json.loads(key_file_for(db_path).read_text(encoding="utf-8"))
    data["nonce"] = "AAAAAAAAAAAAAAAA"
    key_file_for(db_path).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(WrongPassphrase):
        open_database(db_path, passphrase=PASSPHRASE, use_keyring=False)
