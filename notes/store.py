"""The encrypted store: one SQLCipher 4 connection, its reads, clock-stamped writes and atomic transactions.

Facts this module is built around (docs/pitfalls.md): a connection without a key silently writes a plaintext file,
so files are created here, 0600, and keyed before anything else; a wrong key is accepted by PRAGMA key and
only fails at the first read, so the key is validated at once; SQLCipher logs to fd 2, which would corrupt
the TUI, so its log is switched off before keying; sqlcipher3 raises its own exception classes, which this
module translates into tanxin's own; connections are bound to their thread, so a worker
thread opens its own with `Store.reopen()`. Every time the store writes comes from its clock
(notes/clock.py), never from SQLite's clock in schema.sql's column defaults.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from notes.clock import Clock, process_clock
from notes.errors import (
    DatabaseBusy,
    DatabaseExists,
    DatabaseMissing,
    NewerDatabase,
    NotATanxinDatabase,
    StorageFull,
    TanxinError,
)
from notes.resources import schema_path

# Columns that hold the moment a row was written or last changed: filled from the store's clock on insert, so
# schema.sql's defaults (SQLite's wall clock) never apply.
STAMP_COLUMNS = ("created_at", "updated_at")
# 'TANX': lets tanxin tell its own databases from other SQLCipher files opened with the same key.
APPLICATION_ID = 0x54414E58
BUSY_TIMEOUT_MS = 5000
# Prepared statements kept per connection, by SQL text. sqlcipher3's cache (100 by default) orders its entries by
# use and, once full, evicts the newest of the least used: a statement run once per action (every statement of a
# seal) was evicted by the next new one and prepared again each time (~0.3 ms a seal), and a new database fills
# 100 entries with schema.sql's statements alone. Room for those and every statement the program runs (the demo's
# whole year: under 200); no SQL text may carry a value (bind it), or the cache fills up again.
STATEMENT_CACHE = 1024
# The name of every nested transaction's savepoint: SQLite releases or rolls back the innermost savepoint of a
# name, which is the innermost `transaction()` block, and one fixed text stays one cached statement.
SAVEPOINT = "tanxin_nested"
# The page cache of each connection, at most (64 MiB: the whole database of a unit of a few thousand people
# with three years of talks).
PAGE_CACHE_KIB = 64 * 1024
# SQLite reports a -shm file it cannot grow as a plain "disk I/O error". With less room than this left (a -shm
# needs 32 KiB, a WAL frame a page), that error is a full disk, and is told as one.
LOW_SPACE_BYTES = 256 * 1024
SQLITE_HEADER = b"SQLite format 3\x00"

DbError = sqlcipher3.dbapi2.Error


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    title: str
    statements: tuple[str, ...]


_SECTION = re.compile(r"^-- version (\d+): (.*)$", re.MULTILINE)


def parse_schema(text: str) -> list[Migration]:
    """Split schema.sql into its numbered sections, each a list of complete statements."""
    marks = list(_SECTION.finditer(text))
    migrations: list[Migration] = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        statements: list[str] = []
        pending = ""
        for line in text[mark.end() : end].splitlines(keepends=True):
            if not pending and (not line.strip() or line.lstrip().startswith("--")):
                continue
            pending += line
            if sqlcipher3.complete_statement(pending):
                statements.append(pending.strip())
                pending = ""
        if pending.strip():
            raise ValueError(f"schema.sql version {mark.group(1)}: unterminated statement: {pending[:60]!r}")
        migrations.append(Migration(int(mark.group(1)), mark.group(2).strip(), tuple(statements)))
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"schema.sql versions must be 1, 2, 3 … in order, found {versions}")
    return migrations


def load_migrations() -> list[Migration]:
    return parse_schema(schema_path().read_text(encoding="utf-8"))


def latest_version() -> int:
    return len(load_migrations())


def _message_of(exc: BaseException) -> str:
    return str(exc).lower()


def _disk_is_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def translate(exc: BaseException, path: Path) -> TanxinError:
    """Turn a sqlcipher3 error into a message the user can act on."""
    text = _message_of(exc)
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            f"数据库 {path} 正被另一个 tanxin 窗口或程序占用，等待 {BUSY_TIMEOUT_MS // 1000} 秒后仍未释放。"
            "请关闭另一个窗口后重试；刚才的内容仍保留在本窗口中。"
        )
    if "full" in text or "no space" in text or ("disk i/o error" in text and _disk_is_full(path)):
        return StorageFull(
            f"磁盘已满，无法写入数据库 {path}。已保存的内容不受影响；请清理磁盘空间后重试，未保存的内容仍在本窗口中。"
        )
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return NotATanxinDatabase(
            f"无法读取数据库 {path}：文件已损坏，或不是用此密钥加密的 tanxin 数据库。"
            "请检查 --db 指向的文件；如有 tanxin backup 生成的备份，可用 tanxin restore 备份文件 恢复。"
        )
    if "readonly" in text or "read-only" in text or "permission" in text or "unable to open" in text:
        return TanxinError(f"无法写入数据库 {path}：{exc}。请检查文件和目录的权限。")
    return TanxinError(f"数据库操作失败：{exc}。")


def create_private_file(path: Path) -> None:
    """Create an empty file readable only by its owner; refuse to overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise DatabaseExists(f"{path} 已存在，未作改动。请换一个路径，或先移走原文件。") from None
    os.close(fd)


def _connect(path: Path, key: bytes, *, exclusive: bool = False) -> Any:
    conn = sqlcipher3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                              cached_statements=STATEMENT_CACHE)
    try:
        # Before the key: SQLCipher must not write "hmac check failed" to the terminal (fd 2).
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        if exclusive:
            # Before the first read: a WAL database in exclusive locking mode keeps its index in memory instead
            # of the -shm file, which a full disk cannot create (seen: "disk I/O error").
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        # A wrong key is only noticed at the first read.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed transaction survives power loss too, not only a crash of the process.
        conn.execute("PRAGMA synchronous = FULL")
        # A page read from the file is decrypted and checked (HMAC) before use; the cache keeps it plain. The
        # default (8 MB) holds a unit of a few hundred people: past it, every due report decrypted most of the
        # database again. Pages are taken as they are read, so a small database uses no more than before.
        conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    except DbError:
        conn.close()
        raise
    return conn


def looks_like_plain_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


class Store:
    """One connection to one encrypted tanxin database, for the thread that opened it. `clock` gives every
    time the store writes; the face that opened the store may replace it (the app gives it its own)."""

    def __init__(self, path: Path, key: bytes, conn: Any, clock: Clock | None = None) -> None:
        self.path = path
        self._key = key
        self.conn = conn
        self.clock = clock or process_clock()
        self._stamp_columns: dict[str, tuple[str, ...]] = {}

    # -- opening ---------------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, key: bytes, *, version: int | None = None, clock: Clock | None = None) -> Store:
        """Create a new encrypted database at the latest schema version (or an older one, for tests)."""
        create_private_file(path)
        try:
            store = cls(path, key, _connect(path, key), clock)
            store.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            store.migrate(target=version)
        except BaseException as exc:
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
            if isinstance(exc, DbError):
                raise translate(exc, path) from None
            raise
        return store

    @classmethod
    def open(cls, path: Path, key: bytes, *, clock: Clock | None = None, exclusive: bool = False) -> Store:
        """Open an existing database with a raw key; brings its schema up to date. `exclusive` locks other
        connections out until it is closed and needs no -shm file: a read on a full disk."""
        check_is_encrypted_file(path)
        try:
            conn = _connect(path, key, exclusive=exclusive)
        except DbError as exc:
            raise translate(exc, path) from None
        store = cls(path, key, conn, clock)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                store.close()
                raise NotATanxinDatabase(f"{path} 是一个加密数据库，但不是 tanxin 的数据库。请检查 --db 参数。")
            store.migrate()
        except DbError as exc:
            store.close()
            raise translate(exc, path) from None
        return store

    def reopen(self) -> Store:
        """A second connection with the same key and clock, for another thread (connections stay in their
        thread)."""
        return Store.open(self.path, self._key, clock=self.clock)

    @property
    def key(self) -> bytes:
        return self._key

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, target: int | None = None, migrations: Sequence[Migration] | None = None) -> list[int]:
        """Run every schema section above the current version, each atomically. Returns versions applied.

        `target` stops at a version and `migrations` replaces schema.sql: both exist for the migration tests.
        """
        if migrations is None:
            migrations = load_migrations()
        current = self.schema_version
        if current > len(migrations):
            raise NewerDatabase(
                f"数据库 {self.path} 的结构版本为 {current}，比本程序所知的 {len(migrations)} 更新，"
                "它由更新版本的 tanxin 写入。请升级 tanxin 后再打开；数据库未被改动。"
            )
        applied: list[int] = []
        for migration in migrations:
            if migration.version <= current or (target is not None and migration.version > target):
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in migration.statements:
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {migration.version}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            applied.append(migration.version)
        return applied

    # -- reading and writing ---------------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        try:
            cursor = self.conn.execute(sql, params)
            columns = [c[0] for c in cursor.description or ()]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        except DbError as exc:
            raise translate(exc, self.path) from None

    def rows(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[tuple[Any, ...]]:
        """Like `query`, as tuples in the SELECT's column order: cheaper when thousands of rows become objects."""
        try:
            return list(self.conn.execute(sql, params).fetchall())
        except DbError as exc:
            raise translate(exc, self.path) from None

    def query_one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        try:
            row = self.conn.execute(sql, params).fetchone()
        except DbError as exc:
            raise translate(exc, self.path) from None
        return None if row is None else row[0]

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        """Run one statement; outside a transaction it commits on its own."""
        try:
            return self.conn.execute(sql, params)
        except DbError as exc:
            raise translate(exc, self.path) from None

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All-or-nothing writes. IMMEDIATE takes the write lock up front, so a busy database waits for the
        busy timeout at BEGIN instead of failing half-way; nested blocks become savepoints."""
        if self.conn.in_transaction:
            self.execute(f"SAVEPOINT {SAVEPOINT}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
                    self.conn.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
                raise
            self.execute(f"RELEASE SAVEPOINT {SAVEPOINT}")
            return
        self.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, DbError):
                raise translate(exc, self.path) from None
            raise
        try:
            self.conn.execute("COMMIT")
        except DbError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise translate(exc, self.path) from None

    def now(self) -> str:
        """The current moment from the store's clock, as the record stores it (YYYY-MM-DDTHH:MM:SS)."""
        return self.clock.stamp()

    def _stamps_of(self, table: str) -> tuple[str, ...]:
        if table not in self._stamp_columns:
            names = {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}
            self._stamp_columns[table] = tuple(c for c in STAMP_COLUMNS if c in names)
        return self._stamp_columns[table]

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Insert one row; its created_at/updated_at, when the table has them and the row does not say, are
        now by the store's clock."""
        missing = [column for column in self._stamps_of(table) if column not in row]
        if missing:
            stamp = self.now()
            row = {**row, **dict.fromkeys(missing, stamp)}
        columns = list(row)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        return int(self.execute(sql, [row[c] for c in columns]).lastrowid)

    def audit(self, action: str, subject: str = "", subject_id: int | None = None, **detail: Any) -> None:
        self.insert(
            "audit_log",
            {
                "at": self.now(),
                "action": action,
                "subject": subject,
                "subject_id": subject_id,
                "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True),
            },
        )

    # -- settings --------------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", [key])
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        self.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, json.dumps(value, ensure_ascii=False)],
        )

    # -- backup ----------------------------------------------------------------------------------------

    def backup_to(self, out: Path) -> None:
        """An encrypted copy with the same key (VACUUM INTO keeps the cipher), created 0600."""
        create_private_file(out)
        try:
            self.conn.execute("VACUUM INTO ?", [str(out)])
        except DbError as exc:
            out.unlink(missing_ok=True)
            raise translate(exc, out) from None
        os.chmod(out, 0o600)

    def rekey(self, new_key: bytes) -> None:
        """Encrypt every page under a new raw key (SQLCipher `PRAGMA rekey`, one transaction); this connection
        goes on with the new key. Refused (DatabaseBusy, after the busy timeout) while any other connection has
        the database open: it would hold the old key and fail at its next read, with whatever it had not saved.
        """
        try:
            # In exclusive locking mode the lock below waits for every other connection, readers included.
            self.conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            try:
                self.conn.execute("BEGIN EXCLUSIVE")
                self.conn.execute("COMMIT")
                self.conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
                self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                # Move the re-encrypted pages into the main file now: no page under the old key stays there.
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                self.conn.execute("PRAGMA locking_mode = NORMAL")
                self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # gives the lock back
        except DbError as exc:
            raise translate(exc, self.path) from None
        self._key = new_key

    def content_digest(self) -> str:
        """A digest of every row of every table: two databases with the same content give the same digest."""
        import hashlib

        digest = hashlib.sha256()
        tables = [r["name"] for r in self.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )]
        for table in tables:
            digest.update(table.encode())
            for row in self.conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


def check_is_encrypted_file(path: Path) -> None:
    """Refuse what cannot be a tanxin database before any key is tried."""
    if not path.exists():
        raise DatabaseMissing(f"找不到数据库 {path}。请先运行 tanxin init 创建，或用 --db 指定已有的数据库。")
    if path.is_dir():
        raise NotATanxinDatabase(f"{path} 是一个目录，不是数据库文件。请用 --db 指定数据库文件。")
    if path.stat().st_size == 0:
        raise NotATanxinDatabase(f"{path} 是一个空文件，不是 tanxin 数据库。")
    if looks_like_plain_sqlite(path):
        raise NotATanxinDatabase(
            f"{path} 是未加密的普通 SQLite 文件，不是 tanxin 数据库（tanxin 的数据库总是加密的）。请检查 --db 参数。"
        )
