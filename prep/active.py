"""The policy a database works under: the packs named in its `active_packs` setting, merged by prep.packs."""

from __future__ import annotations

from notes.store import Store
from prep.packs import DEFAULT_PACKS, Policy, load_policy


def active_pack_ids(store: Store) -> list[str]:
    """The database's packs (set by `tanxin init --pack`); the defaults for a database that names none."""
    chosen = store.get_setting("active_packs")
    return [str(pack) for pack in chosen] if chosen else list(DEFAULT_PACKS)


def active_policy(store: Store) -> Policy:
    return load_policy(active_pack_ids(store))
