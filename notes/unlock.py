"""Creating and unlocking a database: passphrase, recovery key, keyring cache."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from notes import keycache
from notes.clock import Clock
from notes.errors import (
    InvalidInput,
    KeyFileProblem,
    NotATanxinDatabase,
    PassphraseRequired,
    WrongRecoveryKey,
)
from notes.keys import (
    format_recovery_key,
    key_file_for,
    key_fingerprint,
    new_database_key,
    parse_recovery_key,
    read_key_file,
    unwrap_key,
    write_key_file,
)
from notes.store import Store, check_is_encrypted_file, create_private_file

PASSPHRASE_ENV = "TANXIN_PASSPHRASE"
MIN_PASSPHRASE_CHARS = 8


def default_db_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("tanxin", appauthor=False) / "tanxin.db"


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase.strip()) < MIN_PASSPHRASE_CHARS:
        raise InvalidInput(f"口令太短：至少 {MIN_PASSPHRASE_CHARS} 个字符。请换一个更长的口令。")


@dataclass(frozen=True, slots=True)
class Created:
    store: Store
    recovery_key: str


def init_database(path: Path, passphrase: str, packs: Sequence[str], *, clock: Clock | None = None) -> Created:
    """A new encrypted database with its key file; the recovery key is returned to be shown once. The store
    stamps with `clock` (default: the process's clock)."""
    check_new_passphrase(passphrase)
    key_path = key_file_for(path)
    if key_path.exists():
        raise KeyFileProblem(f"{key_path} 已存在，未作改动。请换一个数据库路径，或先移走旧的密钥文件。")
    db_key = new_database_key()
    # The database first: it refuses to overwrite an existing file before any key file is written.
    store = Store.create(path, db_key, clock=clock)
    try:
        write_key_file(key_path, db_key, passphrase)
        with store.transaction():
            store.set_setting("active_packs", list(packs))
            store.set_setting("key_fingerprint", key_fingerprint(db_key))
            store.audit("create", "database", None, packs=list(packs))
    except BaseException:
        store.close()
        for leftover in (path, key_path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return Created(store, format_recovery_key(db_key))


def open_with_recovery_key(path: Path, recovery_key: str, *, clock: Clock | None = None) -> Store:
    db_key = parse_recovery_key(recovery_key)
    check_is_encrypted_file(path)
    try:
        store = Store.open(path, db_key, clock=clock)
    except NotATanxinDatabase:
        raise WrongRecoveryKey(
            f"恢复密钥与数据库 {path} 不匹配，数据库未被改动。请核对恢复密钥（注意区分 0 与 O、1 与 I）。"
        ) from None
    store.audit("unlock", "database", None, method="recovery_key")
    return store


def open_database(
    path: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    use_keyring: bool = True,
    ask_passphrase: Callable[[], str] | None = None,
    clock: Clock | None = None,
) -> Store:
    """Unlock in this order: recovery key (if given), the keyring cache, the passphrase. The store stamps with
    `clock` (default: the process's clock), the unlock's audit row included.

    The passphrase comes from the argument, then TANXIN_PASSPHRASE (for scripts and CI), then
    `ask_passphrase`. A cached key that no longer opens the database is dropped, never trusted.
    """
    if recovery_key is not None:
        return open_with_recovery_key(path, recovery_key, clock=clock)
    check_is_encrypted_file(path)
    if use_keyring:
        cached = keycache.cached_key(path)
        if cached is not None:
            try:
                store = Store.open(path, cached, clock=clock)
            except NotATanxinDatabase:
                keycache.forget_key(path)
            else:
                store.audit("unlock", "database", None, method="keyring")
                return store
    key_path = key_file_for(path)
    read_key_file(key_path)  # a missing or damaged key file is reported before asking for a passphrase
    if passphrase is None:
        passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase is None and ask_passphrase is not None:
        passphrase = ask_passphrase()
    if passphrase is None:
        raise PassphraseRequired(
            f"需要口令才能打开 {path}。请在终端中运行以输入口令，或在脚本中设置环境变量 {PASSPHRASE_ENV}。"
        )
    db_key = unwrap_key(key_path, passphrase)
    store = Store.open(path, db_key, clock=clock)
    store.audit("unlock", "database", None, method="passphrase")
    return store


def change_passphrase(store: Store, new_passphrase: str) -> None:
    """Rewrap the database key under a new passphrase. The database itself is not touched."""
    check_new_passphrase(new_passphrase)
    write_key_file(key_file_for(store.path), store.key, new_passphrase)
    store.audit("passwd", "database", None)


def recovery_key_of(store: Store) -> str:
    return format_recovery_key(store.key)


def backup(store: Store, out: Path) -> str:
    """An encrypted copy plus its key file, verified by reopening it. Returns the content digest."""
    key_out = key_file_for(out)
    if key_out.exists():
        raise KeyFileProblem(f"{key_out} 已存在，未作改动。请换一个备份路径。")
    store.backup_to(out)
    try:
        create_private_file(key_out)
        key_out.write_bytes(key_file_for(store.path).read_bytes())
        expected = store.content_digest()
        with Store.open(out, store.key) as copy:
            if copy.content_digest() != expected:
                raise NotATanxinDatabase(f"备份 {out} 重新打开后内容与原库不一致，备份无效。请检查磁盘后重试。")
    except BaseException:
        out.unlink(missing_ok=True)
        key_out.unlink(missing_ok=True)
        raise
    store.audit("backup", "database", None, out=str(out))
    return expected


def offer_keyring(store: Store) -> bool:
    """Cache the key in a trusted keyring; False when there is none or it did not keep the key."""
    remembered = keycache.remember_key(store.path, store.key)
    if remembered:
        store.audit("keyring_remember", "database", None)
    return remembered
