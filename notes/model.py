"""The record as it is read: the vocabulary, frozen dataclasses, and the queries that build them from rows.

talks.py, followups.py, inquiry.py and seal.py write; they all read through here, so a talk read by the TUI,
the CLI, a document or the seal is the same object built by the same code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from notes.store import Store

# -- vocabulary --------------------------------------------------------------------------------------------

STATUSES = ("planned", "in_progress", "held", "sealed", "cancelled")
STATUS_LABELS = {
    "planned": "计划中",
    "in_progress": "进行中",
    "held": "已谈话",
    "sealed": "已封存",
    "cancelled": "已取消",
}
# The kinds of what was said (a CHECK in schema.sql keeps the same list).
ENTRY_KINDS = ("事实情况", "本人表态", "困难诉求", "意见建议", "发现问题", "谈话人要求")
# 四谈 (001 第九条): headings every talk may use besides its type's required points.
GENERAL_HEADINGS = ("谈思想", "谈履职", "谈作风", "谈生活")
CHANNELS = ("面对面", "电话", "微信", "上门", "书面", "函询", "邮件")
FORMS = ("个别", "集体")

FOLLOWUP_KINDS = ("整改", "帮扶", "转有关部门", "向党组织汇报", "移送纪检")
FOLLOWUP_STATUSES = ("open", "in_progress", "done", "verified", "escalated")
FOLLOWUP_STATUS_LABELS = {
    "open": "待办",
    "in_progress": "办理中",
    "done": "已完成待核实",
    "verified": "已核实办结",
    "escalated": "已升级处理",
}
# Everything but verified still needs someone's attention and appears in later briefs.
UNFINISHED_FOLLOWUP_STATUSES = ("open", "in_progress", "done", "escalated")
# Work not yet done: only these can be overdue (done waits for verification, not for the person).
OVERDUE_FOLLOWUP_STATUSES = ("open", "in_progress", "escalated")


def json_list(ids: Iterable[int]) -> str:
    """Ids as one JSON parameter for `IN (SELECT value FROM json_each(?))`: no limit on how many."""
    return json.dumps(list(ids))


# -- people ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: int
    name: str
    unit: str
    position: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "unit": self.unit, "position": self.position}


def person_refs(store: Store, ids: Iterable[int]) -> dict[int, PersonRef]:
    rows = store.query(
        "SELECT p.id, p.name, coalesce(u.name, '') AS unit, coalesce(p.position, '') AS position "
        "FROM people p LEFT JOIN units u ON u.id = p.unit_id "
        "WHERE p.id IN (SELECT value FROM json_each(?))",
        [json_list(set(ids))],
    )
    return {row["id"]: PersonRef(row["id"], row["name"], row["unit"], row["position"]) for row in rows}


# -- entries -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    position: int
    heading: str
    kind: str
    text: str
    confidential: bool
    offset_seconds: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "position": self.position,
            "heading": self.heading,
            "kind": self.kind,
            "text": self.text,
            "confidential": self.confidential,
            "offset_seconds": self.offset_seconds,
        }


ENTRY_COLUMNS = "id, talk_id, position, heading, kind, text, confidential, offset_seconds"


def entry_from_row(row: dict[str, Any]) -> Entry:
    return Entry(
        id=row["id"],
        position=row["position"],
        heading=row["heading"],
        kind=row["kind"],
        text=row["text"],
        confidential=bool(row["confidential"]),
        offset_seconds=row["offset_seconds"],
    )


def load_entries(store: Store, talk_id: int) -> list[Entry]:
    rows = store.query(
        f"SELECT {ENTRY_COLUMNS} FROM entries WHERE talk_id = ? ORDER BY position, id", [talk_id]
    )
    return [entry_from_row(row) for row in rows]


# -- follow-ups --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FollowupEvent:
    status: str
    at: str
    note: str


@dataclass(frozen=True, slots=True)
class Followup:
    id: int
    talk_id: int
    talk_code: str
    entry_id: int | None
    person: PersonRef
    owner: PersonRef | None
    kind: str
    title: str
    due_on: str | None
    status: str
    evidence: str
    created_at: str
    updated_at: str
    history: tuple[FollowupEvent, ...] = ()

    @property
    def status_label(self) -> str:
        return FOLLOWUP_STATUS_LABELS[self.status]

    @property
    def escalations(self) -> int:
        """How many times it has been escalated: the rung of the escalation ladder reached so far."""
        return sum(1 for event in self.history if event.status == "escalated")

    def is_overdue(self, as_of: date) -> bool:
        return (
            self.due_on is not None
            and self.status in OVERDUE_FOLLOWUP_STATUSES
            and self.due_on < as_of.isoformat()
        )

    def as_json(self, as_of: date) -> dict[str, Any]:
        """For scripts; `overdue` is judged on `as_of`."""
        return {
            "id": self.id,
            "talk_id": self.talk_id,
            "talk_code": self.talk_code,
            "entry_id": self.entry_id,
            "person_id": self.person.id,
            "person": self.person.name,
            "owner_id": self.owner.id if self.owner else None,
            "owner": self.owner.name if self.owner else "",
            "kind": self.kind,
            "title": self.title,
            "due_on": self.due_on,
            "status": self.status,
            "status_label": self.status_label,
            "overdue": self.is_overdue(as_of),
            "evidence": self.evidence,
            "created_at": self.created_at,
            "history": [{"status": e.status, "at": e.at, "note": e.note} for e in self.history],
        }


def load_followups(store: Store, where: str, params: list[Any]) -> list[Followup]:
    """Follow-ups matching a WHERE clause over `f` (followups), ordered by due date, with people and history."""
    rows = store.query(
        "SELECT f.*, coalesce(t.code, '') AS talk_code FROM followups f JOIN talks t ON t.id = f.talk_id "
        f"WHERE {where} ORDER BY f.due_on IS NULL, f.due_on, f.id",
        params,
    )
    if not rows:
        return []
    people = person_refs(store, [r["person_id"] for r in rows] + [r["owner_id"] for r in rows if r["owner_id"]])
    history: dict[int, list[FollowupEvent]] = {}
    for event in store.query(
        "SELECT followup_id, status, at, note FROM followup_history "
        "WHERE followup_id IN (SELECT value FROM json_each(?)) ORDER BY followup_id, id",
        [json_list(r["id"] for r in rows)],
    ):
        history.setdefault(event["followup_id"], []).append(
            FollowupEvent(event["status"], event["at"], event["note"])
        )
    return [
        Followup(
            id=row["id"],
            talk_id=row["talk_id"],
            talk_code=row["talk_code"],
            entry_id=row["entry_id"],
            person=people[row["person_id"]],
            owner=people.get(row["owner_id"]) if row["owner_id"] else None,
            kind=row["kind"],
            title=row["title"],
            due_on=row["due_on"],
            status=row["status"],
            evidence=row["evidence"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            history=tuple(history.get(row["id"], ())),
        )
        for row in rows
    ]


# -- 函询 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inquiry:
    sent_on: str | None
    questions: str
    received_on: str | None
    reply: str

    def as_json(self) -> dict[str, Any]:
        return {
            "sent_on": self.sent_on,
            "questions": self.questions,
            "received_on": self.received_on,
            "reply": self.reply,
        }


def load_inquiry(store: Store, talk_id: int) -> Inquiry | None:
    row = store.query_one("SELECT sent_on, questions, received_on, reply FROM inquiries WHERE talk_id = ?", [talk_id])
    return None if row is None else Inquiry(**row)


# -- seals and amendments ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SealInfo:
    seq: int
    subject: str
    subject_id: int
    talk_id: int
    content_hash: str
    prev_hash: str
    chain_hash: str
    signature: str  # hex
    key_id: int
    sealed_at: str

    @property
    def head(self) -> str:
        """This seal as a chain head: what to keep outside the database to detect a cut-off tail."""
        return f"{self.seq}:{self.chain_hash}"

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "subject": self.subject,
            "subject_id": self.subject_id,
            "talk_id": self.talk_id,
            "content_hash": self.content_hash,
            "prev_hash": self.prev_hash,
            "chain_hash": self.chain_hash,
            "signature": self.signature,
            "key_id": self.key_id,
            "sealed_at": self.sealed_at,
        }


def seal_from_row(row: dict[str, Any]) -> SealInfo:
    signature = row["signature"]
    return SealInfo(
        seq=row["seq"],
        subject=row["subject"],
        subject_id=row["subject_id"],
        talk_id=row["talk_id"],
        content_hash=row["content_hash"],
        prev_hash=row["prev_hash"],
        chain_hash=row["chain_hash"],
        signature=bytes(signature).hex() if isinstance(signature, bytes | bytearray | memoryview) else str(signature),
        key_id=row["key_id"],
        sealed_at=row["sealed_at"],
    )


def load_seal(store: Store, subject: str, subject_id: int) -> SealInfo | None:
    row = store.query_one("SELECT * FROM seals WHERE subject = ? AND subject_id = ?", [subject, subject_id])
    return None if row is None else seal_from_row(row)


@dataclass(frozen=True, slots=True)
class Amendment:
    id: int
    talk_id: int
    reason: str
    change: dict[str, Any]
    created_at: str
    seal: SealInfo | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "talk_id": self.talk_id,
            "reason": self.reason,
            "change": self.change,
            "created_at": self.created_at,
            "seal": self.seal.as_json() if self.seal else None,
        }


def load_amendments(store: Store, talk_id: int) -> list[Amendment]:
    seals = {
        row["subject_id"]: seal_from_row(row)
        for row in store.query("SELECT * FROM seals WHERE subject = 'amendment' AND talk_id = ?", [talk_id])
    }
    return [
        Amendment(row["id"], row["talk_id"], row["reason"], json.loads(row["change"]), row["created_at"],
                  seals.get(row["id"]))
        for row in store.query("SELECT * FROM amendments WHERE talk_id = ? ORDER BY id", [talk_id])
    ]


# -- talks -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TalkRecord:
    """A talk with everything recorded about it, as the interviewer sees it (保密 entries included)."""

    id: int
    code: str
    talk_type: str
    category: str
    form: str
    channel: str
    status: str
    planned_at: str | None
    started_at: str | None
    ended_at: str | None
    place: str
    subject: str
    summary: str
    statement: str
    confirmed: bool
    cancel_reason: str
    refused: bool
    unit_id: int | None
    unit: str
    event_id: int | None
    interviewers: list[PersonRef]
    interviewees: list[PersonRef]
    note_taker: PersonRef | None
    entries: list[Entry]
    followups: list[Followup] = field(default_factory=list)
    inquiry: Inquiry | None = None
    seal: SealInfo | None = None
    amendments: list[Amendment] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""

    @property
    def held_at(self) -> str | None:
        """When the talk took place: its start, or the plan when it was recorded without a start."""
        return self.started_at or self.planned_at

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def person(self) -> str:
        """The interviewees' names, as lists and ledgers print them."""
        return "、".join(p.name for p in self.interviewees)

    def as_json(self, as_of: date, include_confidential: bool = True) -> dict[str, Any]:
        """The whole record for scripts, its follow-ups judged on `as_of`. Without 保密 content, confidential entries are left out entirely and only
        their number is given (004 四.2⑷: nothing of them may reach a copy the interviewee signs or an export)."""
        entries = [e for e in self.entries if include_confidential or not e.confidential]
        return {
            "id": self.id,
            "code": self.code,
            "person": self.person,
            "type": self.talk_type,
            "held_at": self.held_at,
            "status": self.status,
            "status_label": self.status_label,
            "category": self.category,
            "form": self.form,
            "channel": self.channel,
            "planned_at": self.planned_at,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "place": self.place,
            "subject": self.subject,
            "summary": self.summary,
            "statement": self.statement,
            "confirmed": self.confirmed,
            "cancel_reason": self.cancel_reason,
            "refused": self.refused,
            "unit_id": self.unit_id,
            "unit": self.unit,
            "event_id": self.event_id,
            "interviewers": [p.as_json() for p in self.interviewers],
            "interviewees": [p.as_json() for p in self.interviewees],
            "note_taker": self.note_taker.as_json() if self.note_taker else None,
            "entries": [e.as_json() for e in entries],
            "confidential_omitted": len(self.entries) - len(entries),
            "followups": [f.as_json(as_of) for f in self.followups],
            "inquiry": self.inquiry.as_json() if self.inquiry else None,
            "seal": self.seal.as_json() if self.seal else None,
            "amendments": [a.as_json() for a in self.amendments],
        }


@dataclass(frozen=True, slots=True)
class TalkSummary:
    """One line of a list of talks."""

    id: int
    code: str
    talk_type: str
    category: str
    form: str
    channel: str
    status: str
    planned_at: str | None
    started_at: str | None
    held_at: str | None
    place: str
    subject: str
    unit: str
    interviewee_ids: tuple[int, ...]
    interviewee_names: tuple[str, ...]
    interviewer_ids: tuple[int, ...]
    interviewer_names: tuple[str, ...]

    @property
    def person(self) -> str:
        return "、".join(self.interviewee_names)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "code": self.code,
            "person": self.person,
            "person_ids": list(self.interviewee_ids),
            "type": self.talk_type,
            "held_at": self.held_at,
            "status": self.status,
            "status_label": self.status_label,
            "category": self.category,
            "form": self.form,
            "channel": self.channel,
            "interviewers": list(self.interviewer_names),
            "unit": self.unit,
            "subject": self.subject,
        }
