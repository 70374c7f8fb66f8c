"""The policy a database works under: the packs named in its `active_packs` setting, merged by prep.packs.

`active_policy` is the one way to get it. Parsing the packs' TOML costs more than rendering a record, so a policy
is kept per set of pack ids and reused while none of its files has changed on disk (a unit may edit a pack
while the app runs). `policy_facts` is the same policy as documents see it (notes/documents/policyfacts.py).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from notes.documents.policyfacts import TalkTypeInfo
from notes.store import Store
from prep.packs import DEFAULT_PACKS, Policy, load_policy

if TYPE_CHECKING:
    from notes.documents.coverage import CoverageRow
    from notes.documents.units import UnitScope

_POLICIES: dict[tuple[str, ...], tuple[Policy, tuple[tuple[str, int], ...]]] = {}


def active_pack_ids(store: Store) -> list[str]:
    """The database's packs (set by `tanxin init --pack`); the defaults for a database that names none."""
    chosen = store.get_setting("active_packs")
    return [str(pack) for pack in chosen] if chosen else list(DEFAULT_PACKS)


def _stamps(policy: Policy) -> tuple[tuple[str, int], ...]:
    try:
        return tuple((str(pack.path), pack.path.stat().st_mtime_ns) for pack in policy.packs)
    except OSError:
        return ()


def active_policy(store: Store) -> Policy:
    """The database's policy, loaded once per change of the pack files."""
    ids = tuple(active_pack_ids(store))
    cached = _POLICIES.get(ids)
    if cached is not None and cached[1] and cached[1] == _stamps(cached[0]):
        return cached[0]
    policy = load_policy(list(ids))
    _POLICIES[ids] = (policy, _stamps(policy))
    return policy


class PackFacts:
    """The active policy answering what documents ask of it (notes.documents.policyfacts.PolicyFacts)."""

    def __init__(self, store: Store, policy: Policy) -> None:
        self._store = store
        self.policy = policy

    def talk_type(self, type_id: str) -> TalkTypeInfo:
        kind = self.policy.talk_types.get(type_id)
        if kind is None:
            return TalkTypeInfo.unknown(type_id)
        return TalkTypeInfo(
            id=kind.id,
            name=kind.name,
            category=kind.category,
            document=kind.document or "record",
            dossier_excluded=bool(kind.dossier_excluded),
            notice_required=bool(kind.notice_required),
        )

    def talk_type_names(self) -> dict[str, str]:
        return {type_id: kind.name for type_id, kind in self.policy.talk_types.items()}

    def coverage(self, year: int, scope: UnitScope | None, *, with_names: bool, today: date) -> list[CoverageRow]:
        from prep.coverage import coverage_rows

        return coverage_rows(self._store, self.policy, year, scope, with_names=with_names, today=today)


def policy_facts(store: Store) -> PackFacts:
    """What documents need of the database's policy; pass it to notes.documents' render and export functions."""
    return PackFacts(store, active_policy(store))
