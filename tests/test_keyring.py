"""The keyring cache: used only when trusted and working; every other case falls back to the passphrase."""

from __future__ import annotations

import threading
from pathlib import Path

import keyring
import pytest
from conftest import PASSPHRASE, MemoryKeyring
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked

from notes import keycache
from notes.errors import PassphraseRequired
from notes.store import Store
from notes.unlock import offer_keyring, open_database


def _unlock_without_passphrase(db_path: Path) -> Store:
    return open_database(db_path, passphrase=None, use_keyring=True)


def test_trusted_keyring_caches_the_key(store: Store, db_path: Path, memory_keyring: MemoryKeyring) -> None:
    assert offer_keyring(store)
    store.close()
    assert len(memory_keyring.secrets) == 1
    with _unlock_without_passphrase(db_path) as reopened:
        assert reopened.query("SELECT method FROM (SELECT json_extract(detail, '$.method') AS method, id "
                              "FROM audit_log WHERE action = 'unlock' ORDER BY id DESC LIMIT 1)") == [
            {"method": "keyring"}
        ]


def test_untrusted_in_memory_backend_is_not_used(store: Store, db_path: Path) -> None:
    # The autouse fixture installs MemoryKeyring without trusting it.
    assert not offer_keyring(store)
    store.close()
    with pytest.raises(PassphraseRequired):
        _unlock_without_passphrase(db_path)


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), chainer.ChainerBackend()])  # type: ignore[no-untyped-call]
def test_refused_backends(store: Store, db_path: Path, backend: keyring.backend.KeyringBackend) -> None:
    keyring.set_keyring(backend)
    assert keycache.trusted_backend_name() is None
    assert not offer_keyring(store)
    store.close()
    with open_database(db_path, passphrase=PASSPHRASE) as reopened:
        assert reopened.schema_version >= 1


def test_plaintext_backend_is_refused(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    plaintext = pytest.importorskip("keyrings.alt.file")
    keyring.set_keyring(plaintext.PlaintextKeyring())
    assert not offer_keyring(store)


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")


class HangingKeyring(MemoryKeyring):
    release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(30)


class ForgetfulKeyring(MemoryKeyring):
    """Accepts a secret and then returns something else: the read-back must catch it."""

    def get_password(self, service: str, username: str) -> str | None:
        return None


@pytest.mark.parametrize("backend_class", [LockedKeyring, HangingKeyring, ForgetfulKeyring])
def test_broken_trusted_backends_fall_back(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch, backend_class: type[MemoryKeyring]
) -> None:
    keyring.set_keyring(backend_class())
    monkeypatch.setattr(keycache, "TRUSTED_BACKENDS", {f"{backend_class.__module__}.{backend_class.__qualname__}"})
    monkeypatch.setattr(keycache, "TIMEOUT_SECONDS", 0.3)
    try:
        assert not offer_keyring(store)
        store.close()
        with open_database(db_path, passphrase=PASSPHRASE) as reopened:
            assert reopened.schema_version >= 1
    finally:
        HangingKeyring.release.set()


def test_stale_cached_key_is_dropped(store: Store, db_path: Path, memory_keyring: MemoryKeyring) -> None:
    assert offer_keyring(store)
    store.close()
    for account in memory_keyring.secrets:
        memory_keyring.secrets[account] = "00" * 32
    with open_database(db_path, passphrase=PASSPHRASE) as reopened:
        assert reopened.schema_version >= 1
    assert memory_keyring.secrets == {}
