"""The database key and the key file that wraps it.

A random 32-byte key encrypts the database (SQLCipher raw key). It is never derived from the passphrase:
the passphrase only wraps it (Argon2id → AES-256-GCM) in a small JSON key file beside the database, so a
passphrase change rewrites that file and nothing else, and the raw key itself — printed once as the recovery
key for the organisation's safe — keeps the records readable after a forgotten passphrase.

The key file also names the database it belongs to: the 16-byte salt SQLCipher writes in clear at the start of
every database file. It is random per database and kept by checkpoints, by `PRAGMA rekey` and by `VACUUM INTO`
(seen here), so a database and its backups share it and two databases never do. A key file whose key does not
open a database can then say whether it belongs to another database or is an older key file of this one,
instead of calling the database damaged.

Changing the database key itself (`passwd --rekey`) first writes the new key as `pending` beside the current
one, then rekeys the database, then writes the new key alone: a process killed in between leaves a key file
from which one of the two opens the database (docs/pitfalls.md: a SIGKILL during a rekey leaves exactly one of the
old and new keys valid), and the next unlock with the new passphrase finishes the change.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notes.errors import KeyFileProblem, WrongPassphrase, WrongRecoveryKey
from notes.store import SQLITE_HEADER
from notes.tempfiles import create_temp, remove_stale_temps

KEY_BYTES = 32
KEY_FILE_VERSION = 1
KEY_FILE_SUFFIX = ".key"
# Bound into every wrapped key, so a wrapped blob cannot be replayed as some other kind of secret.
_AAD = b"tanxin key file v1"

# RFC 9106 second recommended ("low-memory") profile: t=3, p=4, m=64 MiB; about 0.1 s here.
ARGON2_ITERATIONS = 3
ARGON2_LANES = 4
ARGON2_MEMORY_KIB = 64 * 1024

# What a key file may ask of the KDF. The file is read before the passphrase is checked, so its numbers decide
# how long and how much memory an unlock takes: damaged or planted values (0, a negative, 2**40) must be refused
# with a message, not end in a crash or an unlock that runs for minutes. The bounds hold today's profile (t=3,
# p=4, 64 MiB) with room for a stronger one, and no more:
# - iterations 1..10: RFC 9106's first profile uses 1 pass, its second 3;
# - lanes 1..16: more lanes than a desktop has cores adds nothing; Argon2 itself needs memory >= 8 KiB per lane;
# - memory 8 MiB..1 GiB: below 8 MiB the KDF stops resisting guessing on a GPU, above 1 GiB an ordinary office
#   machine starts to swap;
# - iterations × memory <= 2 GiB (MAX_KDF_WORK_KIB): every corner of the box above would still take ~10 s here
#   (t=10, m=1 GiB measured 7.5–10 s); this caps the worst case near 2 s, ten times today's 0.1 s.
# A tanxin that writes a stronger profile must raise these with KEY_FILE_VERSION.
KDF_BOUNDS: dict[str, tuple[int, int]] = {
    "iterations": (1, 10),
    "lanes": (1, 16),
    "memory_kib": (8 * 1024, 1024 * 1024),
}
MAX_KDF_WORK_KIB = 2 * 1024 * 1024
KDF_SALT_BYTES = (8, 64)
_KDF_LABELS = {"iterations": "迭代次数", "lanes": "并行通道数", "memory_kib": "内存用量（KiB）"}
# SQLCipher 4's database salt: the first 16 bytes of the file, in clear.
DATABASE_ID_BYTES = 16


def key_file_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEY_FILE_SUFFIX)


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC, so the same passphrase typed through different input methods gives the same bytes."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def database_id_of(db_path: Path) -> str | None:
    """The salt at the start of an encrypted database file (hex): which database a key file belongs to. None
    for a missing, short or plaintext file."""
    try:
        with db_path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError:
        return None
    if len(head) < DATABASE_ID_BYTES or head == SQLITE_HEADER:
        return None
    return head[:DATABASE_ID_BYTES].hex()


def key_fingerprint(db_key: bytes) -> str:
    """A short, non-secret identifier of a database key (shown to tell keys apart, stored in the key file)."""
    return hashlib.sha256(b"tanxin fingerprint" + db_key).hexdigest()[:16]


def format_recovery_key(db_key: bytes) -> str:
    """64 hex characters in dash-separated groups of 8, easy to copy by hand."""
    text = db_key.hex().upper()
    return "-".join(text[i : i + 8] for i in range(0, len(text), 8))


def parse_recovery_key(text: str) -> bytes:
    cleaned = re.sub(r"[\s\-—–_]", "", text).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", cleaned):
        raise WrongRecoveryKey(
            "恢复密钥格式不对：应为 64 个十六进制字符（0–9、A–F），每 8 个一组用“-”分隔。请对照保管的原件重新输入。"
        )
    return bytes.fromhex(cleaned)


@dataclass(frozen=True, slots=True)
class KdfParams:
    salt: bytes
    iterations: int = ARGON2_ITERATIONS
    lanes: int = ARGON2_LANES
    memory_kib: int = ARGON2_MEMORY_KIB


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """One database key wrapped under one passphrase."""

    params: KdfParams
    nonce: bytes
    wrapped: bytes
    fingerprint: str | None


@dataclass(frozen=True, slots=True)
class KeyFile:
    """A key file, read and checked: its current key, a pending one (a key change under way) and the database
    it belongs to (None in key files written before tanxin recorded it)."""

    path: Path
    data: dict[str, Any]
    current: WrappedKey
    pending: WrappedKey | None
    database_id: str | None

    def belongs_elsewhere(self, db_path: Path) -> bool:
        """True when the file names a database and `db_path` is another one."""
        actual = database_id_of(db_path)
        return self.database_id is not None and actual is not None and actual != self.database_id


def _derive(passphrase: str, params: KdfParams) -> bytes:
    # Imported here: the KDF is only needed when unlocking, not to start the CLI.
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    kdf = Argon2id(
        salt=params.salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalise_passphrase(passphrase))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def wrap_key(db_key: bytes, passphrase: str, *, database_id: str | None = None) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    params = KdfParams(salt=secrets.token_bytes(16))
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(_derive(passphrase, params)).encrypt(nonce, db_key, _AAD)
    data: dict[str, Any] = {
        "format": "tanxin-key",
        "version": KEY_FILE_VERSION,
        "kdf": {
            "name": "argon2id",
            "salt": _b64(params.salt),
            "iterations": params.iterations,
            "lanes": params.lanes,
            "memory_kib": params.memory_kib,
        },
        "cipher": "aes-256-gcm",
        "nonce": _b64(nonce),
        "wrapped_key": _b64(wrapped),
        "fingerprint": key_fingerprint(db_key),
    }
    if database_id is not None:
        data["database"] = database_id
    return data


def _damaged(path: Path, what: str) -> KeyFileProblem:
    return KeyFileProblem(
        f"密钥文件 {path} 已损坏（{what}）。请从备份恢复该文件，或用 --recovery-key 加恢复密钥打开并设置新口令。"
    )


def _out_of_bounds(path: Path, what: str) -> KeyFileProblem:
    return KeyFileProblem(
        f"密钥文件 {path} 中的口令派生参数超出允许范围：{what}。文件可能已损坏或被改动，未用它解锁。"
        "请从备份恢复该文件，或用 --recovery-key 加恢复密钥打开并设置新口令。"
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_wrapped(path: Path, block: Any) -> WrappedKey:
    try:
        kdf = block["kdf"]
        numbers = {name: kdf[name] for name in KDF_BOUNDS}
        if not all(_is_int(value) for value in numbers.values()):
            raise TypeError("KDF parameters must be integers")
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(block["nonce"], validate=True)
        wrapped = base64.b64decode(block["wrapped_key"], validate=True)
        if kdf.get("name") != "argon2id" or block.get("cipher") != "aes-256-gcm" or len(nonce) != 12:
            raise ValueError("unknown algorithm")
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise _damaged(path, "字段缺失或格式不对") from None
    for name, (low, high) in KDF_BOUNDS.items():
        if not low <= numbers[name] <= high:
            raise _out_of_bounds(path, f"{_KDF_LABELS[name]}为 {numbers[name]}，应在 {low}–{high} 之间")
    work = numbers["iterations"] * numbers["memory_kib"]
    if work > MAX_KDF_WORK_KIB:
        raise _out_of_bounds(path, f"迭代次数 × 内存用量为 {work} KiB，上限为 {MAX_KDF_WORK_KIB} KiB")
    if not KDF_SALT_BYTES[0] <= len(salt) <= KDF_SALT_BYTES[1]:
        raise _damaged(path, "盐的长度不对")
    if len(wrapped) != KEY_BYTES + 16:  # the key and AES-GCM's 16-byte tag
        raise _damaged(path, "密钥长度不对")
    fingerprint = block.get("fingerprint")
    return WrappedKey(
        KdfParams(salt, numbers["iterations"], numbers["lanes"], numbers["memory_kib"]),
        nonce,
        wrapped,
        fingerprint if isinstance(fingerprint, str) else None,
    )


def load_key_file(path: Path) -> KeyFile:
    """Read and check a key file: every field, the KDF bounds, a pending key. Nothing is derived yet."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileProblem(
            f"找不到密钥文件 {path}（它应与数据库放在同一目录）。"
            "请从备份恢复该文件，或用 --recovery-key 加恢复密钥打开并设置新口令。"
        ) from None
    except IsADirectoryError:
        raise _damaged(path, "是一个目录") from None
    except OSError as exc:
        raise KeyFileProblem(f"无法读取密钥文件 {path}：{exc.strerror}。请检查文件权限。") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _damaged(path, "不是有效的 JSON") from None
    if not isinstance(data, dict) or data.get("format") != "tanxin-key":
        raise _damaged(path, "不是 tanxin 密钥文件")
    if data.get("version") != KEY_FILE_VERSION:
        raise KeyFileProblem(
            f"密钥文件 {path} 的格式版本为 {data.get('version')!r}，本版本 tanxin 无法识别。请升级 tanxin。"
        )
    current = _parse_wrapped(path, data)
    pending = _parse_wrapped(path, data["pending"]) if data.get("pending") is not None else None
    database_id = data.get("database")
    if not (isinstance(database_id, str) and re.fullmatch(r"[0-9a-f]{32}", database_id)):
        database_id = None
    return KeyFile(path, data, current, pending, database_id)


WRONG_PASSPHRASE = "口令错误，数据库未被打开，也未作任何改动。请重新输入；忘记口令时可用恢复密钥打开。"


def unwrap(path: Path, wrapped: WrappedKey, passphrase: str) -> bytes:
    """The database key in one wrapped slot of the key file at `path`; WrongPassphrase when it does not open."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        key = AESGCM(_derive(passphrase, wrapped.params)).decrypt(wrapped.nonce, wrapped.wrapped, _AAD)
    except InvalidTag:
        raise WrongPassphrase(WRONG_PASSPHRASE) from None
    if len(key) != KEY_BYTES:
        raise _damaged(path, "密钥长度不对")
    return key


def unwrap_candidates(key_file: KeyFile, passphrase: str) -> list[tuple[bytes, bool]]:
    """The keys this passphrase unwraps: the current one, then a pending one (True), in that order."""
    found: list[tuple[bytes, bool]] = []
    for wrapped, is_pending in ((key_file.current, False), (key_file.pending, True)):
        if wrapped is None:
            continue
        try:
            found.append((unwrap(key_file.path, wrapped, passphrase), is_pending))
        except WrongPassphrase:
            continue
    return found


def unwrap_key(path: Path, passphrase: str) -> bytes:
    """The database key the passphrase unwraps from the key file (its pending key when only that one opens)."""
    key_file = load_key_file(path)
    found = unwrap_candidates(key_file, passphrase)
    if not found:
        # The same message as one slot: whether a key change is under way is not the point here.
        raise WrongPassphrase(WRONG_PASSPHRASE)
    return found[0][0]


def write_private_file(path: Path, data: bytes) -> None:
    """Write atomically with mode 0600: a temporary file in the same directory, fsync, rename, fsync dir.
    Leftovers of a killed write (tanxin's own temporary names only) are removed on the way."""
    tmp = create_temp(path.parent)
    remove_stale_temps(path.parent, tmp)
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make renames in `directory` durable (POSIX; elsewhere the rename is all there is)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_key_data(path: Path, data: dict[str, Any]) -> None:
    payload = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_private_file(path, payload.encode("utf-8"))


def write_key_file(path: Path, db_key: bytes, passphrase: str, *, database_id: str | None = None) -> None:
    write_key_data(path, wrap_key(db_key, passphrase, database_id=database_id))
