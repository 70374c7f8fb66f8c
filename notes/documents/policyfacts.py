"""What documents need to know of the active policy packs, handed in by the face that asks for a document.

The packs are prep's business (notes ← prep ← faces): documents never read them. The face passes a
`PolicyFacts` — prep.active.policy_facts(store) — that answers the few questions a document asks: how a talk type
is named and which form it is printed on, how far each frequency rule was met in a year, and which words the
organisation uses (a 民进 unit has 会员 and 上级组织 where a Party unit has 党员 and 上级党组织).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from notes.vocabulary import followup_kind_word

if TYPE_CHECKING:
    from notes.documents.coverage import CoverageRow
    from notes.documents.units import UnitScope


@dataclass(frozen=True, slots=True)
class TalkTypeInfo:
    id: str
    name: str
    category: str
    document: str  # record / reminder / admonition
    dossier_excluded: bool
    notice_required: bool
    # The points the type's talk must cover, in the pack's order (004 三.1: 任职谈话 …): the record prints what
    # was said under each, or 未谈及.
    points: tuple[str, ...] = ()

    @classmethod
    def unknown(cls, type_id: str) -> TalkTypeInfo:
        """A type no active pack knows any more (a pack was switched off after the talk): still printed, under
        its id, on the plain record form."""
        return cls(type_id, type_id, "", "record", False, False)


@dataclass(frozen=True, slots=True)
class Wording:
    """The organisation's own words for what documents and the brief say, as the active packs name them."""

    member: str  # 党员 / 会员
    organisation: str  # 党组织 / 民进组织
    upper_organisation: str  # 上级党组织 / 上级组织: who criticises a refusal, who receives the year-end report
    joining: str  # 入党 / 入会
    referral: str  # what is done with a violation found in a talk: 移送纪检 / 移送相关部门查核
    handbook: str  # the book a member's talks are noted in (《党员手册》), or "" where the packs keep none

    def followup_kind(self, kind: str) -> str:
        """A stored follow-up kind as the organisation says it: 向党组织汇报 → 向民进组织汇报, 移送纪检 → the
        referral its packs name (001 第二十一条: 移送相关部门查核); the other kinds are everyone's words."""
        return followup_kind_word(kind, self.organisation, self.referral)


class PolicyFacts(Protocol):
    def talk_type(self, type_id: str) -> TalkTypeInfo:
        """The talk type as the active packs describe it (`TalkTypeInfo.unknown` for a type they do not know)."""
        ...

    def talk_type_names(self) -> dict[str, str]:
        """Every talk type id of the active packs → its name, for lists of many talks."""
        ...

    def coverage(self, year: int, scope: UnitScope | None, *, with_names: bool, today: date) -> list[CoverageRow]:
        """One row per frequency rule and interviewer (or unit) for `year`, as the due engine counts it."""
        ...

    def wording(self) -> Wording:
        """The words of the active packs (Party words unless a pack's terminology replaces them)."""
        ...

    def source_titles(self) -> dict[str, str]:
        """Source id → the title of the document the packs cite, to print a citation as 《…》三（六）."""
        ...
