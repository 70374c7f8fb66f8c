"""What documents need to know of the active policy packs, handed in by the face that asks for a document.

The packs are prep's business (notes ← prep ← faces): documents never read them. The face passes a
`PolicyFacts` — prep.active.policy_facts(store) — that answers the few questions a document asks: how a talk type
is named and which form it is printed on, and how far each frequency rule was met in a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

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

    @classmethod
    def unknown(cls, type_id: str) -> TalkTypeInfo:
        """A type no active pack knows any more (a pack was switched off after the talk): still printed, under
        its id, on the plain record form."""
        return cls(type_id, type_id, "", "record", False, False)


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
