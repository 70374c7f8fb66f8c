"""The database key and the key file that wraps it.

A random 32-byte key encrypts the database (SQLCipher raw key). It is never derived from the passphrase:
the passphrase only wraps it (Argon2id → AES-256-GCM) in a small JSON key file beside the database, so a
passphrase change rewrites that file and nothing else, and the raw key itself — printed once as the recovery
key for the organisation's safe — keeps the records readable after a forgotten passphrase.
"""

from __future__ import annotations

import base64
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

KEY_BYTES = 32
KEY_FILE_VERSION = 1
KEY_FILE_SUFFIX = ".key"
# Bound into every wrapped key, so a wrapped blob cannot be replayed as some other kind of secret.
_AAD = b"tanxin key file v1"

# RFC 9106 second recommended ("low-memory") profile: t=3, p=4, m=64 MiB; about 0.1 s here.
ARGON2_ITERATIONS = 3
ARGON2_LANES = 4
ARGON2_MEMORY_KIB = 64 * 1024


def key_file_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEY_FILE_SUFFIX)


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC, so the same passphrase typed through different input methods gives the same bytes."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


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


def wrap_key(db_key: bytes, passphrase: str) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    params = KdfParams(salt=secrets.token_bytes(16))
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(_derive(passphrase, params)).encrypt(nonce, db_key, _AAD)
    return {
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


def _damaged(path: Path, what: str) -> KeyFileProblem:
    return KeyFileProblem(
        f"密钥文件 {path} 已损坏（{what}）。请从备份恢复该文件，或用 --recovery-key 加恢复密钥打开并设置新口令。"
    )


def read_key_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileProblem(
            f"找不到密钥文件 {path}（它应与数据库放在同一目录）。"
            "请从备份恢复该文件，或用 --recovery-key 加恢复密钥打开并设置新口令。"
        ) from None
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
    return data


def unwrap_key(path: Path, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data = read_key_file(path)
    try:
        kdf = data["kdf"]
        params = KdfParams(
            salt=base64.b64decode(kdf["salt"], validate=True),
            iterations=int(kdf["iterations"]),
            lanes=int(kdf["lanes"]),
            memory_kib=int(kdf["memory_kib"]),
        )
        nonce = base64.b64decode(data["nonce"], validate=True)
        wrapped = base64.b64decode(data["wrapped_key"], validate=True)
        if kdf.get("name") != "argon2id" or data.get("cipher") != "aes-256-gcm" or len(nonce) != 12:
            raise ValueError("unknown algorithm")
    except (KeyError, TypeError, ValueError):
        raise _damaged(path, "字段缺失或格式不对") from None
    try:
        key = AESGCM(_derive(passphrase, params)).decrypt(nonce, wrapped, _AAD)
    except InvalidTag:
        raise WrongPassphrase("口令错误，数据库未被打开，也未作任何改动。请重新输入；忘记口令时可用恢复密钥打开。") from None
    if len(key) != KEY_BYTES:
        raise _damaged(path, "密钥长度不对")
    return key


def write_private_file(path: Path, data: bytes) -> None:
    """Write atomically with mode 0600: a temporary file in the same directory, fsync, rename, fsync dir."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_key_file(path: Path, db_key: bytes, passphrase: str) -> None:
    payload = json.dumps(wrap_key(db_key, passphrase), indent=2, ensure_ascii=False) + "\n"
    write_private_file(path, payload.encode("utf-8"))
