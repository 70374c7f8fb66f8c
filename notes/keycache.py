"""An optional cache of the unwrapped database key in the operating system's keyring.

Only backends that keep secrets encrypted under the user's login are trusted: Secret Service (GNOME Keyring,
KWallet), the macOS Keychain and the Windows Credential Locker. keyring's plaintext, null, fail and chainer
backends are refused (plaintext writes the key base64 into a file; null silently loses it; the chainer hides
which backend would answer). Every call runs with a timeout, because a Secret Service without a session hangs,
and a stored value is read back before anyone relies on it. On any doubt the caller falls back to the passphrase.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

SERVICE = "tanxin"
TIMEOUT_SECONDS = 3.0

# Backend classes by module and qualified name. Tests add their in-memory backend here.
TRUSTED_BACKENDS: set[str] = {
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.Windows.WinVaultKeyring",
}

T = TypeVar("T")


def _account(db_path: Path) -> str:
    digest = hashlib.sha256(str(db_path.resolve()).encode("utf-8")).hexdigest()[:24]
    return f"database-key:{digest}"


def _call_with_timeout(func: Callable[[], T]) -> T | None:
    """Run a keyring call in a daemon thread; None when it fails or does not answer in time."""
    result: list[T] = []

    def target() -> None:
        try:
            result.append(func())
        except Exception:  # any keyring failure (locked, no backend, D-Bus error) means "not available"
            return

    thread = threading.Thread(target=target, name="tanxin-keyring", daemon=True)
    thread.start()
    thread.join(TIMEOUT_SECONDS)
    return result[0] if result else None


def trusted_backend_name() -> str | None:
    """The name of the active backend if it is one we trust, else None."""

    def name() -> str:
        import keyring

        backend = keyring.get_keyring()
        return f"{type(backend).__module__}.{type(backend).__qualname__}"

    found = _call_with_timeout(name)
    return found if found in TRUSTED_BACKENDS else None


def cached_key(db_path: Path) -> bytes | None:
    if trusted_backend_name() is None:
        return None

    def get() -> str | None:
        import keyring

        return keyring.get_password(SERVICE, _account(db_path))

    value = _call_with_timeout(get)
    if not value:
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        return None
    return key if len(key) == 32 else None


def remember_key(db_path: Path, db_key: bytes) -> bool:
    """Store the key and read it back; True only when the keyring really holds it."""
    if trusted_backend_name() is None:
        return False

    def set_and_read() -> bool:
        import keyring

        keyring.set_password(SERVICE, _account(db_path), db_key.hex())
        return keyring.get_password(SERVICE, _account(db_path)) == db_key.hex()

    return _call_with_timeout(set_and_read) is True


def forget_key(db_path: Path) -> None:
    def delete() -> None:
        import keyring

        keyring.delete_password(SERVICE, _account(db_path))

    if trusted_backend_name() is not None:
        _call_with_timeout(delete)
