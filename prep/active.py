"""The policy a database works under: the packs named in its `active_packs` setting, merged by prep.packs.

`active_policy` is the one way to get it. Parsing the packs' TOML costs more than rendering a record, so a policy
is kept per set of pack ids and reused while none of its files has changed on disk (a unit may edit a pack
while the app runs). `policy_facts` is the same policy as documents see it (notes/documents/policyfacts.py).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from notes.store import Store
from prep.packs import DEFAULT_PACKS, TERMS, Policy, load_policy

if TYPE_CHECKING:
    # Imported where used: importing notes.documents loads every document module (about 30 ms), and 工作台's
    # first data needs none of them (tui/screens/dashboard.py, tests/bench/bench_tui.py).
    from notes.documents.coverage import CoverageRow
    from notes.documents.policyfacts import TalkTypeInfo, Wording
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


# A book a pack tells members' talks to be noted in (《党员手册》), named in one of its cautions or advice.
_BOOK = re.compile(r"《[^》]*手册》")
# The follow-up kind of a violation step that hands the matter to another body (notes/vocabulary.py).
_REFERRAL_KIND = "转有关部门"
# What the Party wording does with a violation when no active pack names its own referral step.
_PARTY_REFERRAL = "移送纪检"


def referral_step(policy: Policy) -> str:
    """The step that hands a violation to another body, as the active packs' escalation names it (001:
    移送相关部门查核); the Party wording's when none does."""
    return next((step.name for step in policy.escalation
                 if step.trigger == "violation" and step.followup_kind == _REFERRAL_KIND), _PARTY_REFERRAL)


def wording(policy: Policy) -> Wording:
    """The organisation's words, from the active packs: their terminology (会员, 入会 …), the referral step their
    escalation names for a violation (referral_step), and the handbook their cautions name, if any."""
    from notes.documents.policyfacts import Wording

    terms = policy.terminology
    party = terms["organisation"] == TERMS["organisation"]
    referral = referral_step(policy)
    texts = [f"{c.name} {c.text}" for c in policy.cautions.values()] + [
        f"{a.name} {a.text}" for a in policy.advice.values()]
    book = next((found.group(0) for text in texts if (found := _BOOK.search(text))), "")
    return Wording(
        member=terms["member"],
        organisation=terms["organisation"],
        # A renamed organisation (民进组织) is referred to generically, as its own rules do: 上级组织.
        upper_organisation="上级" + terms["organisation"] if party else "上级组织",
        joining=terms["joining"],
        referral=referral,
        handbook=book,
    )


class PackFacts:
    """The active policy answering what documents ask of it (notes.documents.policyfacts.PolicyFacts)."""

    def __init__(self, store: Store, policy: Policy) -> None:
        self._store = store
        self.policy = policy

    def talk_type(self, type_id: str) -> TalkTypeInfo:
        from notes.documents.policyfacts import TalkTypeInfo

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
            # A point for a case ("交流任职时") is printed when something was said under it, like any heading.
            points=tuple(point.text for point in kind.points if not point.condition),
        )

    def talk_type_names(self) -> dict[str, str]:
        return {type_id: kind.name for type_id, kind in self.policy.talk_types.items()}

    def wording(self) -> Wording:
        return wording(self.policy)

    def source_titles(self) -> dict[str, str]:
        """The first pack naming a source id wins (a later pack citing the same file under the same id adds its
        own note to the title, such as "仅四谈记录标题")."""
        titles: dict[str, str] = {}
        for pack in self.policy.packs:
            for source in pack.sources:
                titles.setdefault(source.id, source.title)
        return titles

    def coverage(self, year: int, scope: UnitScope | None, *, with_names: bool, today: date) -> list[CoverageRow]:
        from prep.coverage import coverage_rows

        return coverage_rows(self._store, self.policy, year, scope, with_names=with_names, today=today)


def policy_facts(store: Store) -> PackFacts:
    """What documents need of the database's policy; pass it to notes.documents' render and export functions."""
    return PackFacts(store, active_policy(store))
