"""Creating and unlocking a database (passphrase, recovery key, keyring cache), changing its passphrase or its
key, and backing it up and restoring it."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from notes import keycache
from notes.clock import Clock, process_clock
from notes.errors import (
    DatabaseBusy,
    DatabaseExists,
    InvalidInput,
    KeyFileProblem,
    NotATanxinDatabase,
    NotFound,
    PassphraseRequired,
    StorageFull,
    TanxinError,
    WrongPassphrase,
    WrongRecoveryKey,
)
from notes.keys import (
    WRONG_PASSPHRASE,
    KeyFile,
    database_id_of,
    format_recovery_key,
    fsync_dir,
    key_file_for,
    key_fingerprint,
    load_key_file,
    new_database_key,
    parse_recovery_key,
    unwrap_candidates,
    wrap_key,
    write_key_data,
    write_key_file,
)
from notes.store import Store, check_is_encrypted_file
from notes.tempfiles import create_temp, remove_stale_temps, temp_path

PASSPHRASE_ENV = "TANXIN_PASSPHRASE"
MIN_PASSPHRASE_CHARS = 8
# A face's way to tell the user something went wrong that does not stop the command (printed as a warning).
Warn = Callable[[str], None]



def default_db_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("tanxin", appauthor=False) / "tanxin.db"


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase.strip()) < MIN_PASSPHRASE_CHARS:
        raise InvalidInput(f"口令太短：至少 {MIN_PASSPHRASE_CHARS} 个字符。请换一个更长的口令。")


def _family(db_path: Path) -> list[Path]:
    """A database file and everything that belongs to it by name: SQLite's companions and the key file."""
    return [db_path, *(db_path.with_name(db_path.name + end) for end in ("-wal", "-shm", "-journal")),
            key_file_for(db_path)]


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
        write_key_file(key_path, db_key, passphrase, database_id=database_id_of(path))
        with store.transaction():
            store.set_setting("active_packs", list(packs))
            store.set_setting("key_fingerprint", key_fingerprint(db_key))
            store.audit("create", "database", None, packs=list(packs))
    except BaseException:
        store.close()
        for leftover in _family(path):
            leftover.unlink(missing_ok=True)
        raise
    return Created(store, format_recovery_key(db_key))


# -- unlocking ---------------------------------------------------------------------------------------------


def _open_store(path: Path, key: bytes, clock: Clock | None, warn: Warn | None) -> Store:
    """Store.open; on a full disk, when the caller only reads (`warn` given), again without a -shm file."""
    try:
        return Store.open(path, key, clock=clock)
    except StorageFull:
        if warn is None:
            raise
    return Store.open(path, key, clock=clock, exclusive=True)


def _audit_unlock(store: Store, method: str, warn: Warn | None) -> Store:
    """The "unlock" audit row. On a full disk a reader (`warn` given) goes on and is told; anyone else is
    refused as before."""
    try:
        store.audit("unlock", "database", None, method=method)
    except StorageFull:
        if warn is None:
            store.close()
            raise
        warn(
            f"磁盘已满：本次打开数据库 {store.path} 未能记入审计日志。查看类命令照常运行，但修改和新增都无法保存；"
            "请尽快清理磁盘空间。"
        )
    except BaseException:
        store.close()
        raise
    return store


def open_with_recovery_key(
    path: Path, recovery_key: str, *, clock: Clock | None = None, warn: Warn | None = None
) -> Store:
    db_key = parse_recovery_key(recovery_key)
    check_is_encrypted_file(path)
    try:
        store = _open_store(path, db_key, clock, warn)
    except NotATanxinDatabase:
        raise WrongRecoveryKey(
            f"恢复密钥与数据库 {path} 不匹配，数据库未被改动。请核对恢复密钥（注意区分 0 与 O、1 与 I）。"
        ) from None
    return _audit_unlock(store, "recovery_key", warn)


def _foreign_key_file(path: Path, key_file: KeyFile, *, passphrase_fits: bool) -> KeyFileProblem:
    fits = "" if passphrase_fits else "，口令也与它不符"
    return KeyFileProblem(
        f"密钥文件 {key_file.path} 属于另一个数据库，不是 {path} 的（两者的数据库标识不同）{fits}；数据库未被改动。"
        f"请找回 {path.name} 自己的密钥文件 {key_file_for(path).name}（可从它的备份中取回），"
        "或用 --recovery-key 加恢复密钥打开后设置新口令。"
    )


def _key_does_not_open(path: Path, key_file: KeyFile, unwrapped_pending_only: bool) -> TanxinError:
    """The passphrase unwrapped a key that does not open the database: say why, as far as can be known."""
    if key_file.belongs_elsewhere(path):
        return _foreign_key_file(path, key_file, passphrase_fits=True)
    if key_file.pending is not None and unwrapped_pending_only:
        return WrongPassphrase(
            f"数据库 {path} 上次更换密钥（passwd --rekey）时被中断，更换没有生效，数据库仍用原来的密钥。"
            "请用原来的口令打开，再重新更换。"
        )
    if key_file.pending is not None:
        return WrongPassphrase(
            f"数据库 {path} 上次更换密钥（passwd --rekey）时被中断，数据库已改用新密钥。"
            "请用更换时设置的新口令打开，tanxin 会完成这次更换；或用 --recovery-key 加新的恢复密钥打开。"
        )
    if key_file.database_id is not None:
        return NotATanxinDatabase(
            f"密钥文件 {key_file.path} 中的密钥打不开数据库 {path}，数据库未被改动：这是数据库更换密钥"
            "（passwd --rekey）之前的旧密钥文件，或者数据库文件已损坏。请换用当前的密钥文件，或用 --recovery-key "
            "加恢复密钥打开；数据库损坏时用 tanxin restore 备份文件 从备份恢复。"
        )
    return NotATanxinDatabase(
        f"无法读取数据库 {path}：文件已损坏，或密钥文件 {key_file.path} 不是它的。请检查 --db 与密钥文件；"
        "如有 tanxin backup 生成的备份，可用 tanxin restore 备份文件 恢复。"
    )


def _open_with_key_file(
    path: Path, key_file: KeyFile, passphrase: str, clock: Clock | None, warn: Warn | None
) -> Store:
    candidates = unwrap_candidates(key_file, passphrase)
    if not candidates:
        if key_file.belongs_elsewhere(path):
            raise _foreign_key_file(path, key_file, passphrase_fits=False)
        raise WrongPassphrase(WRONG_PASSPHRASE)
    for db_key, is_pending in candidates:
        try:
            store = _open_store(path, db_key, clock, warn)
        except NotATanxinDatabase:
            continue
        if is_pending:
            # A key change was interrupted after the database took the new key: finish it. If the file cannot be
            # written now, the pending key keeps working until it can.
            with contextlib.suppress(OSError):
                write_key_data(key_file.path, dict(key_file.data["pending"]))
        return store
    raise _key_does_not_open(path, key_file, all(is_pending for _, is_pending in candidates))


def _passphrase(given: str | None, ask: Callable[[], str] | None, missing: str) -> str:
    """The passphrase from the argument, then TANXIN_PASSPHRASE (scripts and CI), then `ask`; `missing` says
    what to do when there is none."""
    if given is None:
        given = os.environ.get(PASSPHRASE_ENV)
    if given is None and ask is not None:
        given = ask()
    if given is None:
        raise PassphraseRequired(missing)
    return given


def open_database(
    path: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    use_keyring: bool = True,
    ask_passphrase: Callable[[], str] | None = None,
    clock: Clock | None = None,
    warn: Warn | None = None,
) -> Store:
    """Unlock in this order: recovery key (if given), the keyring cache, the passphrase. The store stamps with
    `clock` (default: the process's clock), the unlock's audit row included.

    The passphrase comes from the argument, then TANXIN_PASSPHRASE (for scripts and CI), then
    `ask_passphrase`. A cached key that no longer opens the database is dropped, never trusted.

    `warn` is for callers that only read: on a full disk the database is still opened (without a -shm file)
    and a failed "unlock" audit row is passed to `warn` instead of refusing. Without it a full disk refuses.
    """
    if recovery_key is not None:
        return open_with_recovery_key(path, recovery_key, clock=clock, warn=warn)
    check_is_encrypted_file(path)
    if use_keyring:
        cached = keycache.cached_key(path)
        if cached is not None:
            try:
                store = _open_store(path, cached, clock, warn)
            except NotATanxinDatabase:
                keycache.forget_key(path)
            else:
                return _audit_unlock(store, "keyring", warn)
    # A missing, damaged or out-of-bounds key file is reported before asking for a passphrase.
    key_file = load_key_file(key_file_for(path))
    passphrase = _passphrase(
        passphrase, ask_passphrase,
        f"需要口令才能打开 {path}。请在终端中运行以输入口令，或在脚本中设置环境变量 {PASSPHRASE_ENV}。",
    )
    store = _open_with_key_file(path, key_file, passphrase, clock, warn)
    return _audit_unlock(store, "passphrase", warn)


# -- changing the passphrase or the key --------------------------------------------------------------------


def change_passphrase(store: Store, new_passphrase: str) -> None:
    """Rewrap the database key under a new passphrase. The database itself is not touched."""
    check_new_passphrase(new_passphrase)
    write_key_file(key_file_for(store.path), store.key, new_passphrase, database_id=database_id_of(store.path))
    store.audit("passwd", "database", None)


@dataclass(frozen=True, slots=True)
class Rekeyed:
    """The new recovery key (to show once) and what did not go through after the database took the new key."""

    recovery_key: str
    warnings: tuple[str, ...] = ()


def rekey_database(store: Store, new_passphrase: str) -> Rekeyed:
    """Encrypt the database under a new random key (SQLCipher rekey) wrapped by `new_passphrase`: afterwards
    the old key file, the old passphrase and the old recovery key open nothing. A cached keyring entry is
    replaced (or dropped when the keyring does not keep the new one).

    Order, for a process killed at any point: the key file first gets the new key as `pending` beside the
    current one; then the database is rekeyed (one transaction: either key is valid afterwards, never
    neither); then the key file holds the new key alone. Once the database has the new key nothing may hide the
    new recovery key, so later failures come back as warnings.
    """
    check_new_passphrase(new_passphrase)
    path = store.path
    key_path = key_file_for(path)
    database_id = database_id_of(path)
    old_key = store.key
    new_key = new_database_key()
    new_file = wrap_key(new_key, new_passphrase, database_id=database_id)
    try:
        current: KeyFile | None = load_key_file(key_path)
    except KeyFileProblem:  # opened with the recovery key because the key file was lost or damaged
        current = None
    if current is not None and current.current.fingerprint == key_fingerprint(old_key):
        before = {name: value for name, value in current.data.items() if name != "pending"}
    else:
        before = wrap_key(old_key, new_passphrase, database_id=database_id)
    write_key_data(key_path, {**before, "pending": new_file})
    had_cached_key = keycache.cached_key(path) is not None
    try:
        store.rekey(new_key)
        with Store.open(path, new_key):  # a connection of its own reads the database under the new key
            pass
    except BaseException as exc:
        with contextlib.suppress(TanxinError, OSError), Store.open(path, old_key):
            write_key_data(key_path, before)  # the old key still opens it: nothing changed
        if isinstance(exc, DatabaseBusy):
            raise DatabaseBusy(
                f"数据库 {path} 正被另一个 tanxin 窗口或程序使用，未更换密钥（否则那个窗口再也读不了数据库，"
                "没保存的内容会丢失）。请先关闭其他窗口，再运行 tanxin passwd --rekey；什么都没有改动。"
            ) from None
        raise
    warnings: list[str] = []
    try:
        write_key_data(key_path, new_file)
    except OSError as exc:
        warnings.append(
            f"新的密钥文件未能写入（{exc.strerror}）：原文件中已存有用新口令包装的新密钥，用新口令打开时会自动补写。"
        )
    try:
        with store.transaction():
            store.set_setting("key_fingerprint", key_fingerprint(new_key))
            store.audit("rekey", "database", None, old=key_fingerprint(old_key), new=key_fingerprint(new_key))
    except TanxinError as exc:
        warnings.append(f"更换密钥一事未能记入数据库（{exc.message}）。")
    keycache.forget_key(path)
    if had_cached_key and not keycache.remember_key(path, new_key):
        warnings.append("钥匙串中缓存的旧密钥已删除，新密钥未能存入；下次打开时需输入口令。")
    return Rekeyed(format_recovery_key(new_key), tuple(warnings))


def recovery_key_of(store: Store) -> str:
    return format_recovery_key(store.key)


def offer_keyring(store: Store) -> bool:
    """Cache the key in a trusted keyring; False when there is none or it did not keep the key."""
    remembered = keycache.remember_key(store.path, store.key)
    if remembered:
        store.audit("keyring_remember", "database", None)
    return remembered


# -- backup ------------------------------------------------------------------------------------------------


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _remove_family(path: Path) -> None:
    for leftover in _family(path):
        leftover.unlink(missing_ok=True)


def _write_failed(what: str, exc: OSError, outcome: str) -> TanxinError:
    import errno

    if exc.errno == errno.ENOSPC:
        return StorageFull(f"磁盘已满，{what}；{outcome}。请清理磁盘空间或换一个位置后重试。")
    return TanxinError(f"{what}（{exc.strerror or exc}）；{outcome}。请检查目录权限和磁盘后重试。")


def _is_leftover_key_file(key_out: Path, db_key: bytes) -> bool:
    """A key file of this database alone under a backup's name: what a backup killed between its two renames
    leaves (the key file is renamed first). It holds no records and is replaced by the retry."""
    try:
        key_file = load_key_file(key_out)
    except KeyFileProblem:
        return False
    return key_file.current.fingerprint == key_fingerprint(db_key)


def backup(store: Store, out: Path, *, warn: Warn | None = None) -> str:
    """An encrypted copy and its key file, written under temporary names beside `out`, verified by reopening
    (same content, integrity check) and only then renamed: the key file, then the database. A killed backup
    leaves its temporary files, which the next backup (or export) into that folder removes. Returns the
    content digest. The audit row comes last; a full disk there does not undo a good backup (`warn` is told).
    """
    out = out.expanduser()
    key_out = key_file_for(out)
    if os.path.lexists(out):
        raise DatabaseExists(f"{out} 已存在，未作改动。请换一个备份路径。")
    if not out.parent.is_dir():
        raise NotFound(f"目录 {out.parent} 不存在。请先创建它或换一个备份路径。")
    if os.path.lexists(key_out) and not _is_leftover_key_file(key_out, store.key):
        raise KeyFileProblem(f"{key_out} 已存在，未作改动。请换一个备份路径。")
    try:
        source_key_file = load_key_file(key_file_for(store.path))
    except KeyFileProblem:
        source_key_file = None
    if source_key_file is None or source_key_file.current.fingerprint not in (None, key_fingerprint(store.key)):
        raise KeyFileProblem(
            f"数据库 {store.path} 没有与它相符的密钥文件，备份将无法用口令打开。"
            "请先用 tanxin --recovery-key passwd 设置口令（会写出新的密钥文件），再备份。"
        )
    tmp = temp_path(out.parent, ".db")
    tmp_key = key_file_for(tmp)
    renamed_key = False
    try:
        try:
            store.backup_to(tmp)
        except TanxinError as exc:  # name the backup, not its temporary file
            raise type(exc)(exc.message.replace(str(tmp), str(out))) from None
        remove_stale_temps(out.parent, tmp)
        data = {name: value for name, value in source_key_file.data.items() if name != "pending"}
        database_id = database_id_of(tmp)
        if database_id is not None:
            data["database"] = database_id
        write_key_data(tmp_key, data)
        expected = store.content_digest()
        with Store.open(tmp, store.key, clock=store.clock) as copy:
            if copy.content_digest() != expected:
                raise NotATanxinDatabase(f"备份 {out} 重新打开后内容与原库不一致，备份无效。请检查磁盘后重试。")
            if copy.scalar("PRAGMA integrity_check") != "ok":
                raise NotATanxinDatabase(f"备份 {out} 未通过完整性检查，备份无效。请检查磁盘后重试。")
        _fsync_file(tmp)
        if os.path.lexists(out):
            raise DatabaseExists(f"{out} 在备份过程中被另一个程序创建，未作改动。请换一个备份路径。")
        os.replace(tmp_key, key_out)
        renamed_key = True
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except BaseException as exc:
        _remove_family(tmp)
        if renamed_key:
            key_out.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_failed(f"无法写出备份 {out}", exc, "什么都没有留下") from None
        raise
    try:
        store.audit("backup", "database", None, out=str(out))
    except StorageFull:
        if warn is None:
            raise
        warn(f"备份已写好并核对无误，但磁盘已满，这次备份未能记入数据库 {store.path} 的审计日志。")
    return expected


# -- restore -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restored:
    """The new names of the files the backup replaced (kept, never deleted)."""

    set_aside: tuple[Path, ...]
    key_file_installed: bool


def _refused(backup_path: Path, db_path: Path, why: str) -> NotATanxinDatabase:
    return NotATanxinDatabase(
        f"备份 {backup_path} 未通过核验：{why}。当前数据库 {db_path} 未被改动。请换一份备份。"
    )


def _in_use(path: Path) -> bool:
    """Whether some process has the database open. SQLite holds a shared lock on the 510 bytes after its
    pending byte (1 GiB) while it reads, and in WAL mode for as long as the connection is open. POSIX only;
    elsewhere replacing an open file fails by itself."""
    if os.name != "posix" or not path.is_file():
        return False
    import fcntl

    shared_first, shared_size = 0x40000000 + 2, 510
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, shared_size, shared_first, os.SEEK_SET)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, shared_size, shared_first, os.SEEK_SET)
        return False
    finally:
        os.close(fd)


def _copy_private(source: Path, target: Path) -> None:
    """Copy bytes into an existing (0600) file or a new one created 0600, and fsync."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with source.open("rb") as reader, os.fdopen(fd, "wb") as writer:
        shutil.copyfileobj(reader, writer, 1024 * 1024)
        writer.flush()
        os.fsync(writer.fileno())


def _aside_name(db_path: Path, clock: Clock) -> Path:
    """`<name>.before-restore-<YYYYMMDD-HHMMSS>` by the store clock, numbered when taken; its -wal, -shm and
    key file follow SQLite's and tanxin's naming, so `--db` on it opens the old database as it was."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    for number in itertools.count(1):
        name = f"{db_path.name}.before-restore-{stamp}" + ("" if number == 1 else f"-{number}")
        aside = db_path.with_name(name)
        if not any(os.path.lexists(member) for member in _family(aside)):
            return aside
    raise AssertionError("unreachable")


def _set_aside(db_path: Path, aside: Path) -> list[Path]:
    """Give the current database, its -wal, -shm, -journal and key file their set-aside names. The database
    and the key file get a second name (a hard link) and keep theirs until the swap replaces them, so the
    database path never stands empty; SQLite's companions are renamed, so none is applied to the restored
    file. Undone on failure."""
    done: list[tuple[Path, Path, bool]] = []
    keep_in_place = {db_path, key_file_for(db_path)}
    try:
        for source, target in zip(_family(db_path), _family(aside), strict=True):
            if not os.path.lexists(source):
                continue
            linked = False
            if source in keep_in_place:
                try:
                    os.link(source, target)
                    linked = True
                except OSError:  # a file system without hard links: rename (the path is empty until the swap)
                    linked = False
            if not linked:
                os.rename(source, target)
            done.append((source, target, linked))
    except OSError as exc:
        for source, target, linked in reversed(done):
            with contextlib.suppress(OSError):
                if linked:
                    target.unlink()
                else:
                    os.rename(target, source)
        raise TanxinError(
            f"无法把当前数据库改名保留（{exc.strerror}），什么都没有改动。请检查目录 {db_path.parent} 的权限。"
        ) from None
    fsync_dir(db_path.parent)
    return [target for _, target, _ in done]


def _check_backup_file(backup_path: Path) -> None:
    if not backup_path.is_file():
        raise NotFound(f"找不到备份 {backup_path}。请给出 tanxin backup 写出的文件。")
    if database_id_of(backup_path) is None:
        raise NotATanxinDatabase(f"{backup_path} 不是 tanxin 的加密备份（空文件，或未加密的 SQLite 文件）。")


def _backup_keys(
    backup_path: Path,
    passphrase: str | None,
    recovery_key: str | None,
    ask_passphrase: Callable[[], str] | None,
) -> tuple[list[bytes], KeyFile | None]:
    """The keys that may open the backup, and its key file (None when the recovery key is used and the backup
    has no usable key file)."""
    key_path = key_file_for(backup_path)
    if recovery_key is not None:
        keys = [parse_recovery_key(recovery_key)]
        try:
            return keys, load_key_file(key_path)
        except KeyFileProblem:
            return keys, None
    key_file = load_key_file(key_path)
    passphrase = _passphrase(
        passphrase, ask_passphrase,
        f"需要备份 {backup_path.name} 的口令（备份时的口令）。请在终端中运行以输入口令，"
        f"或在脚本中设置环境变量 {PASSPHRASE_ENV}；也可用 --recovery-key 加备份时的恢复密钥。",
    )
    found = unwrap_candidates(key_file, passphrase)
    if not found:
        raise WrongPassphrase(
            f"口令与备份 {backup_path} 的密钥文件不符（备份沿用做备份时的口令），什么都没有改动。"
            "请重新输入；也可用 --recovery-key 加备份时的恢复密钥。"
        )
    return [db_key for db_key, _ in found], key_file


def _verify_copy(copy: Path, keys: list[bytes], backup_path: Path, db_path: Path, clock: Clock) -> Store:
    """Open the copy of the backup and check it: integrity, every page's HMAC, the seal chain."""
    from notes.seal import verify_chain

    store: Store | None = None
    for db_key in keys:
        try:
            store = Store.open(copy, db_key, clock=clock)
            break
        except NotATanxinDatabase:
            continue
        except TanxinError as exc:
            raise _refused(backup_path, db_path, exc.message.replace(str(copy), str(backup_path))) from None
    if store is None:
        raise _refused(backup_path, db_path, "用它的密钥文件（或给出的恢复密钥）打不开：文件已损坏，或密钥不是它的")
    try:
        try:
            integrity = [row[0] for row in store.rows("PRAGMA integrity_check")]
            damaged_pages = store.rows("PRAGMA cipher_integrity_check")
        except TanxinError:
            raise _refused(backup_path, db_path, "完整性检查未通过，文件已损坏") from None
        if integrity != ["ok"]:
            raise _refused(backup_path, db_path, f"完整性检查未通过（{integrity[0]}）")
        if damaged_pages:
            raise _refused(backup_path, db_path, f"加密页校验未通过（{damaged_pages[0][0]}）")
        report = verify_chain(store)
        first = report.first_problem
        if first is not None:
            raise _refused(backup_path, db_path, f"封存链核验未通过：{first.message}")
    except BaseException:
        store.close()
        raise
    return store


def restore(
    db_path: Path,
    backup_path: Path,
    *,
    passphrase: str | None = None,
    recovery_key: str | None = None,
    ask_passphrase: Callable[[], str] | None = None,
    clock: Clock | None = None,
) -> Restored:
    """Put a backup in place of the database at `db_path`.

    The backup is unlocked with its own key file and passphrase (or the recovery key of its time), copied beside
    the database under a temporary name (the backup file itself is never changed), and the copy is verified:
    it opens, `PRAGMA integrity_check` and `cipher_integrity_check` pass, the seal chain verifies. Only then
    the current database, its -wal, -shm and key file get set-aside names stamped by the store clock, and the
    copy and its key file are renamed into place. A leftover -wal of the current database is set aside with
    it, so it is never applied to the restored file. Refused while another process has the database open.
    """
    clock = clock or process_clock()
    backup_path = backup_path.expanduser()
    _check_backup_file(backup_path)
    if db_path.exists() and os.path.samefile(db_path, backup_path):
        raise InvalidInput(f"{backup_path} 就是当前数据库本身，无需恢复。请给出 tanxin backup 写出的备份文件。")
    keys, backup_key_file = _backup_keys(backup_path, passphrase, recovery_key, ask_passphrase)
    if _in_use(db_path):
        raise DatabaseBusy(f"数据库 {db_path} 正被另一个 tanxin 窗口或程序使用。请先关闭它再恢复；什么都没有改动。")
    folder = db_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    copy = create_temp(folder, ".db")
    remove_stale_temps(folder, copy)
    outcome = f"当前数据库 {db_path} 未被改动"
    try:
        _copy_private(backup_path, copy)
        backup_wal = backup_path.with_name(backup_path.name + "-wal")
        if backup_wal.is_file() and backup_wal.stat().st_size > 0:
            # Committed transactions of a backup copied while it was open: let SQLite apply them to the copy.
            _copy_private(backup_wal, copy.with_name(copy.name + "-wal"))
        aside = _aside_name(db_path, clock)
        replaced = [member for member in _family(db_path) if os.path.lexists(member)]
        store = _verify_copy(copy, keys, backup_path, db_path, clock)
        try:
            opened_with = store.key
            store.audit("restore", "database", None, backup=str(backup_path),
                        set_aside=aside.name if replaced else None)
            store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            store.close()
        for companion in _family(copy)[1:3]:  # a clean close removed them; never carry one into place
            companion.unlink(missing_ok=True)
        key_installed = False
        if backup_key_file is not None and key_fingerprint(opened_with) in {
            wrapped.fingerprint for wrapped in (backup_key_file.current, backup_key_file.pending) if wrapped
        }:
            data = dict(backup_key_file.data)
            database_id = database_id_of(copy)
            if database_id is not None:
                data["database"] = database_id
            write_key_data(key_file_for(copy), data)
            key_installed = True
        _fsync_file(copy)
        moved = _set_aside(db_path, aside)
        outcome = f"原来的数据库已改名保留为 {aside.name}"
        target_key = key_file_for(db_path)
        if key_installed:
            os.replace(key_file_for(copy), target_key)
        elif os.path.lexists(target_key):
            target_key.unlink()  # its set-aside name keeps it; a key file that does not fit must not stay
        os.replace(copy, db_path)
        fsync_dir(folder)
    except BaseException as exc:
        _remove_family(copy)
        if isinstance(exc, OSError):
            raise _write_failed(f"无法从备份 {backup_path} 恢复", exc, outcome) from None
        raise
    keycache.forget_key(db_path)
    return Restored(tuple(moved), key_installed)
