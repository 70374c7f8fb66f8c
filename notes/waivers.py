"""Waivers, acknowledgements and delegates: what the compliance record keeps besides talks (docs/compliance.md).

A duty nobody will hold is *waived* with a reason (the person was seconded away for the year, the event was
recorded in error); a frequency duty of a year that ended unmet is *acknowledged* with a reason ("年度总结已说明").
Both are written once: the database refuses to change or delete them (schema.sql version 5), and each is audited,
like an amendment of a sealed talk. The obligation ids are the due engine's (prep/due.py); "year:2026"
acknowledges every missed frequency duty of 2026 at once. A *delegate* is an interviewer who held a talk in the
place of the role a rule names (000 二(二)6: 机关党委指派的组织员), with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from notes.checks import check_text
from notes.errors import InvalidInput
from notes.model import json_list
from notes.store import Store

KINDS = ("waiver", "acknowledgement")
KIND_LABELS = {"waiver": "免谈", "acknowledgement": "已说明"}
MAX_REASON_CHARS = 2_000


def year_obligation(year: int) -> str:
    """The obligation id that acknowledges every missed frequency duty of a year."""
    return f"year:{year}"


@dataclass(frozen=True, slots=True)
class ComplianceNote:
    id: int
    kind: str  # waiver | acknowledgement
    obligation: str
    year: int
    person_id: int | None
    reason: str
    created_at: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "obligation": self.obligation, "year": self.year,
                "person_id": self.person_id, "reason": self.reason, "created_at": self.created_at}


@dataclass(frozen=True, slots=True)
class ComplianceNotes:
    """Every note, by obligation id; `years` are the years acknowledged as a whole."""

    by_obligation: dict[str, ComplianceNote] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

    def waived(self, obligation: str) -> ComplianceNote | None:
        note = self.by_obligation.get(obligation)
        return note if note is not None and note.kind == "waiver" else None

    def acknowledged(self, obligation: str, year: int) -> ComplianceNote | None:
        note = self.by_obligation.get(obligation) or self.by_obligation.get(year_obligation(year))
        return note if note is not None and note.kind == "acknowledgement" else None


def compliance_notes(store: Store) -> ComplianceNotes:
    """All waivers and acknowledgements (a unit records a handful a year: read whole)."""
    notes: dict[str, ComplianceNote] = {}
    for row in store.query("SELECT id, kind, obligation, year, person_id, reason, created_at FROM compliance_notes "
                           "ORDER BY id"):
        note = ComplianceNote(int(row["id"]), str(row["kind"]), str(row["obligation"]), int(row["year"]),
                              int(row["person_id"]) if row["person_id"] is not None else None, str(row["reason"]),
                              str(row["created_at"]))
        notes.setdefault(note.obligation, note)  # the first stands: a note is never replaced
    years = frozenset(n.year for n in notes.values() if n.kind == "acknowledgement" and n.obligation.startswith("year:"))
    return ComplianceNotes(notes, years)


def record_note(store: Store, kind: str, obligation: str, year: int, person_id: int | None,
                reason: str) -> ComplianceNote:
    """Write a waiver or an acknowledgement; an obligation that already has one is refused (it stands)."""
    if kind not in KINDS:
        raise InvalidInput(f"未知的记录类别“{kind}”。")
    check_text(reason, "理由（记录后不能修改或删除）", required=True, max_chars=MAX_REASON_CHARS)
    existing = compliance_notes(store).by_obligation.get(obligation)
    if existing is not None:
        raise InvalidInput(f"该事项已于 {existing.created_at[:10]} 记为{KIND_LABELS[existing.kind]}"
                           f"（{existing.reason}），记录不能修改。")
    with store.transaction():
        note_id = store.insert("compliance_notes", {"kind": kind, "obligation": obligation, "year": year,
                                                    "person_id": person_id, "reason": reason.strip()})
        store.audit("create", "compliance_note", note_id, kind=kind, obligation=obligation, year=year,
                    person_id=person_id)
    return compliance_notes(store).by_obligation[obligation]


def talk_delegates(store: Store, talk_ids: Iterable[int] | None = None) -> dict[int, set[tuple[int, str]]]:
    """Talk → the (interviewer, role) pairs recorded as delegations (of those talks, or of every talk)."""
    if talk_ids is None:
        rows = store.query("SELECT talk_id, person_id, role FROM talk_delegates")
    else:
        rows = store.query("SELECT talk_id, person_id, role FROM talk_delegates "
                           "WHERE talk_id IN (SELECT value FROM json_each(?))", [json_list(talk_ids)])
    found: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for row in rows:
        found[int(row["talk_id"])].add((int(row["person_id"]), str(row["role"])))
    return dict(found)


def record_delegate(store: Store, talk_id: int, person_id: int, role: str, reason: str) -> None:
    """Record that an interviewer of the talk held it in the place of `role`, and why."""
    check_text(reason, "受托理由（记录后不能修改或删除）", required=True, max_chars=MAX_REASON_CHARS)
    check_text(role, "所代表的职务", required=True)
    interviewer = store.scalar("SELECT 1 FROM talk_participants WHERE talk_id = ? AND person_id = ? "
                               "AND role = 'interviewer'", [talk_id, person_id])
    if interviewer is None:
        raise InvalidInput("受托人须是这次谈话的谈话人。请先把其列为谈话人（tanxin talk new --interviewer）。")
    if (person_id, role) in talk_delegates(store, [talk_id]).get(talk_id, set()):
        raise InvalidInput(f"已记录过该谈话人代表“{role}”谈话，记录不能修改。")
    with store.transaction():
        store.insert("talk_delegates", {"talk_id": talk_id, "person_id": person_id, "role": role,
                                        "reason": reason.strip()})
        store.audit("create", "talk_delegate", talk_id, person_id=person_id, role=role)
