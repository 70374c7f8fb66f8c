"""A rescue copy: what the app could not save (a full disk, a database another program locks), written to a
file of the user's choosing so quitting loses nothing, and put back later with `tanxin talk rescue FILE`.

The copy holds record text, so it is encrypted: AES-256-GCM under a key derived (HKDF) from the database key;
only that database (or a backup of it with the same key) opens it. Putting it back goes through the autosave path with the versions the text was typed
against (notes/autosave.py `write_changes`): an entry changed since then keeps both texts.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from notes.autosave import Key, write_changes
from notes.errors import InvalidInput
from notes.store import Store

__all__ = ["RESCUE_SUFFIX", "apply_rescue", "read_rescue", "write_rescue"]

MAGIC = b"TANXIN-RESCUE-1\n"
RESCUE_SUFFIX = ".tanxin-rescue"
_NONCE_BYTES = 12


def _cipher(key: bytes) -> Any:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"tanxin rescue copy").derive(key)
    return AESGCM(derived)


def write_rescue(path: Path, key: bytes, changes: Mapping[Key, Mapping[str, Any]], versions: Mapping[int, int]) -> None:
    """Write the unsaved changes, encrypted, to a new file readable only by its owner (never over a file)."""
    payload = json.dumps(
        {
            "changes": [{"kind": kind, "id": ident, "fields": dict(fields)} for (kind, ident), fields in changes.items()],
            "versions": {str(entry): version for entry, version in versions.items()},
        },
        ensure_ascii=False,
    ).encode("utf-8")
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = _cipher(key).encrypt(nonce, payload, MAGIC)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(f"{path} 已存在，未作改动。请换一个文件名。") from None
    except OSError as exc:
        raise InvalidInput(f"无法写入救援副本 {path}：{exc.strerror or exc}。请换一个位置（如 U 盘）。") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + nonce + sealed)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise InvalidInput(f"无法写入救援副本 {path}：{exc.strerror or exc}。请换一个位置（如 U 盘）。") from None


def read_rescue(path: Path, key: bytes) -> tuple[dict[Key, dict[str, Any]], dict[int, int]]:
    """The changes and versions of a rescue copy; refused when it is not one, or not of this database."""
    from cryptography.exceptions import InvalidTag

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"无法读取救援副本 {path}：{exc.strerror or exc}。") from None
    if not data.startswith(MAGIC):
        raise InvalidInput(f"{path} 不是谈心的救援副本。")
    body = data[len(MAGIC):]
    try:
        payload = _cipher(key).decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], MAGIC)
    except InvalidTag:
        raise InvalidInput(f"{path} 不是这个数据库的救援副本（密钥不符），或文件已损坏。请用写出它时的数据库打开。") from None
    document = json.loads(payload)
    changes = {(str(c["kind"]), int(c["id"])): dict(c["fields"]) for c in document["changes"]}
    versions = {int(entry): int(version) for entry, version in document["versions"].items()}
    return changes, versions


def apply_rescue(store: Store, path: Path) -> tuple[int, list[str]]:
    """Put a rescue copy's changes into the database: how many were written, and why the others were refused
    (a talk sealed since, say). An entry changed since the copy was made keeps both texts."""
    changes, versions = read_rescue(path, store.key)
    refused, _ = write_changes(store, changes, versions)
    store.audit("rescue", "file", None, changes=len(changes), refused=len(refused))
    return len(changes) - len(refused), [message for _, message in refused.values()]
