"""What documents need from the policy packs: a talk type's printed name, which form it is recorded on, and
whether its record stays out of the personal dossier (004 五)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from notes.errors import TanxinError
from notes.store import Store

if TYPE_CHECKING:
    from prep.packs import Policy


@dataclass(frozen=True, slots=True)
class TalkTypeInfo:
    id: str
    name: str
    category: str
    document: str  # record / reminder / admonition
    dossier_excluded: bool
    notice_required: bool


# Parsing the packs' TOML costs more than rendering a record, so a policy is kept per set of pack ids and
# reused while none of its files has changed on disk (a unit may edit a pack while the TUI runs).
_POLICIES: dict[tuple[str, ...], tuple[Policy, tuple[tuple[str, int], ...]]] = {}


def _stamps(policy: Policy) -> tuple[tuple[str, int], ...]:
    try:
        return tuple((str(pack.path), pack.path.stat().st_mtime_ns) for pack in policy.packs)
    except OSError:
        return ()


def active_policy(store: Store) -> Policy:
    """The database's policy (prep.active's choice of packs), loaded once per change of the pack files."""
    from prep.active import active_pack_ids
    from prep.packs import load_policy

    ids = tuple(active_pack_ids(store))
    cached = _POLICIES.get(ids)
    if cached is not None and cached[1] and cached[1] == _stamps(cached[0]):
        return cached[0]
    policy = load_policy(list(ids))
    _POLICIES[ids] = (policy, _stamps(policy))
    return policy


def talk_type_info(store: Store, type_id: str, policy: Policy | None = None) -> TalkTypeInfo:
    """The talk type as the active packs describe it. A type no active pack knows any more (a pack was
    switched off after the talk) is still printed, under its id, on the plain record form."""
    policy = policy or active_policy(store)
    try:
        kind = policy.talk_type(type_id)
    except TanxinError:
        return TalkTypeInfo(type_id, type_id, "", "record", False, False)
    return TalkTypeInfo(
        id=kind.id,
        name=kind.name,
        category=kind.category,
        document=kind.document or "record",
        dossier_excluded=bool(kind.dossier_excluded),
        notice_required=bool(kind.notice_required),
    )


def talk_type_names(store: Store, policy: Policy | None = None) -> dict[str, str]:
    """Every talk type id of the active packs → its name, for lists of many talks."""
    policy = policy or active_policy(store)
    return {type_id: kind.name for type_id, kind in policy.talk_types.items()}
