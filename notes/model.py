"""The record as it is read: frozen dataclasses, and the queries that build them from rows.

talks.py, followups.py, inquiry.py and seal.py write; they all read through here, so a talk read by the TUI,
the CLI, a document or the seal is the same object built by the same code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from notes.errors import Ambiguous, InvalidInput, NotFound
from notes.store import Store
from notes.vocabulary import FOLLOWUP_STATUS_LABELS, OVERDUE_FOLLOWUP_STATUSES, STATUS_LABELS


def json_list(ids: Iterable[int]) -> str:
    """Ids as one JSON parameter for `IN (SELECT value FROM json_each(?))`: no limit on how many."""
    return json.dumps(list(ids))


# -- people, units and roles ------------------------------------------------------------------------------
#
# The one place that reads people with their unit, the unit tree and the roles held on a day; every face and
# every prep module asks here. A person is one shape, `Person`: the fields every list shows are always there,
# the rest of the row (`details`) and the roles held on a day (`roles`) only when asked for.
#
# A role is held from its start_date up to, but not including, its end_date: [start_date, end_date). A role
# whose end_date is D is no longer held on D. The roster import ends a changed role and starts its successor on
# the same effective date (prep/roster/plan.py), so on that day exactly one of them is held, never both and never
# neither; a member moved to another branch on D counts in the new branch only. NULL start_date: held since
# before the record began; NULL end_date: still held.
_HELD_ON = "(r.start_date IS NULL OR r.start_date <= :day) AND (r.end_date IS NULL OR r.end_date > :day)"


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    parent_id: int | None
    name: str
    kind: str = ""  # 机关党委 / 党总支 / 党支部 / 基层组织 …; '' when not said


class UnitTree:
    """Every unit of the organisation; siblings in their sort order (sort_order, then id)."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units = tuple(units)
        self._by_id = {unit.id: unit for unit in self.units}
        self._names = {unit.id: unit.name for unit in self.units}
        children: dict[int | None, list[Unit]] = {}
        for unit in self.units:
            children.setdefault(unit.parent_id, []).append(unit)
        self._children = {parent: tuple(found) for parent, found in children.items()}

    def name(self, unit_id: int) -> str:
        """The unit's name ('' for an id the tree does not hold)."""
        return self._names.get(unit_id, "")

    def children(self, unit_id: int | None) -> tuple[Unit, ...]:
        """The units directly under `unit_id`; None gives the top units."""
        return self._children.get(unit_id, ())

    def below(self, unit_id: int) -> set[int]:
        """The unit and every unit under it, however deep."""
        found: set[int] = set()
        pending = [unit_id]
        while pending:
            current = pending.pop()
            if current not in found:
                found.add(current)
                pending.extend(child.id for child in self._children.get(current, ()))
        return found

    @property
    def top(self) -> Unit | None:
        """The organisation itself: the first top unit (what `tanxin init --org` names), None before there is one."""
        roots = self.children(None)
        return roots[0] if roots else None

    def get(self, unit_id: int) -> Unit | None:
        return self._by_id.get(unit_id)

    def path(self, unit_id: int) -> str:
        """The unit with the units above it, top first: 机关党委／第一党支部."""
        names: list[str] = []
        current = self._by_id.get(unit_id)
        while current is not None and len(names) <= len(self.units):  # a cycle cannot loop forever
            names.append(current.name)
            current = self._by_id.get(current.parent_id) if current.parent_id is not None else None
        return "／".join(reversed(names))

    def walk(self) -> Iterator[tuple[Unit, int]]:
        """Every unit under a top unit, depth first in sort order, with its depth (0 for a top unit)."""
        stack = [(unit, 0) for unit in reversed(self.children(None))]
        while stack:
            unit, depth = stack.pop()
            yield unit, depth
            stack.extend((child, depth + 1) for child in reversed(self.children(unit.id)))


def unit_tree(store: Store) -> UnitTree:
    return UnitTree(Unit(*row) for row in store.rows(
        "SELECT id, parent_id, name, kind FROM units ORDER BY sort_order, id"))


# A message lists at most this many units (a large organisation has hundreds).
MAX_UNITS_LISTED = 20


def _unit_listing(tree: UnitTree, units: Iterable[Unit]) -> str:
    found = list(units)
    shown = "；".join(f"{tree.path(unit.id)}（id {unit.id}）" for unit in found[:MAX_UNITS_LISTED])
    return shown + ("……" if len(found) > MAX_UNITS_LISTED else "")


def resolve_unit(store: Store, text: str, tree: UnitTree | None = None) -> int:
    """A unit's id from an id or its exact name (spaces ignored). Several units of that name raise Ambiguous
    listing each with the units above it; an unknown one raises NotFound naming the units there are."""
    tree = tree or unit_tree(store)
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("请给出单位的 id 或名称。")
    if cleaned.isdigit():
        if tree.get(int(cleaned)) is None:
            raise NotFound(f"没有 id 为 {cleaned} 的单位。{_known_units(tree)}")
        return int(cleaned)
    wanted = "".join(cleaned.split())
    found = [unit for unit in tree.units if "".join(unit.name.split()) == wanted]
    if len(found) > 1:
        raise Ambiguous(f"有 {len(found)} 个单位名为“{cleaned}”：{_unit_listing(tree, found)}。请改用单位 id。")
    if not found:
        raise NotFound(f"没有名为“{cleaned}”的单位。{_known_units(tree)}")
    return found[0].id


def _known_units(tree: UnitTree) -> str:
    if not tree.units:
        return "数据库中还没有单位：请先用 tanxin org rename 名称 设定组织名称，再用 tanxin unit add 添加下属单位。"
    return f"现有单位：{_unit_listing(tree, (unit for unit, _ in tree.walk()))}（全部见 tanxin units）。"


@dataclass(frozen=True, slots=True)
class Role:
    """A role a person holds (or held) in a unit; see the comment above `_HELD_ON` for when it is held."""

    id: int
    person_id: int
    role: str
    title: str
    unit_id: int
    unit: str
    start_date: str | None
    end_date: str | None
    source: str

    @property
    def label(self) -> str:
        """支部书记·组织委员（机关第一党支部）"""
        return self.role + (f"·{self.title}" if self.title else "") + f"（{self.unit}）"


# Role's fields, in order: the due engine builds thousands of them per report.
_ROLE_SELECT = (
    "SELECT r.id, r.person_id, r.role, r.title, r.unit_id, u.name, r.start_date, r.end_date, r.source "
    "FROM roles r JOIN units u ON u.id = r.unit_id"
)


def _roles(store: Store, where: str, params: Mapping[str, Any], order: str = "r.person_id, r.id") -> list[Role]:
    return [Role(*row) for row in store.rows(f"{_ROLE_SELECT} WHERE {where} ORDER BY {order}", params)]


def roles_held_on(store: Store, day: date, person_ids: Iterable[int] | None = None) -> list[Role]:
    """The roles held on `day` (of everyone, or of `person_ids`), each person's in the order recorded."""
    where, params = _HELD_ON, {"day": day.isoformat()}
    if person_ids is not None:
        where += " AND r.person_id IN (SELECT value FROM json_each(:ids))"
        params["ids"] = json_list(set(person_ids))
    return _roles(store, where, params)


def role_history(store: Store, person_id: int | None) -> list[Role]:
    """Every role the person (None: everyone) holds or held: person by person, the ones still held first, then
    the latest start first."""
    where, params = ("1", {}) if person_id is None else ("r.person_id = :person", {"person": person_id})
    return _roles(store, where, params, order="r.person_id, r.end_date IS NOT NULL, r.start_date DESC, r.id DESC")


def find_role(store: Store, role_id: int) -> Role | None:
    found = _roles(store, "r.id = :id", {"id": role_id})
    return found[0] if found else None


def open_roles(store: Store) -> list[Role]:
    """The roles never ended (whatever their start): the ones a roster import may end or keep."""
    return _roles(store, "r.end_date IS NULL", {})


@dataclass(frozen=True, slots=True)
class PersonDetails:
    """The rest of a person's row; '' where the record holds nothing."""

    gender: str
    birth_date: str
    joined_date: str
    work_start_date: str
    ethnicity: str
    native_place: str
    education: str
    phone: str
    note: str
    identity_key: str | None  # how a roster re-import recognises the person (prep/roster)


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    unit_id: int | None
    unit: str  # '' when the person belongs to no unit
    position: str
    membership: str
    status: str  # active | transferred | left | deceased
    details: PersonDetails | None = None  # loaded on request (details=True)
    roles: tuple[Role, ...] | None = None  # the roles held on the day asked for (roles_on=...)

    @property
    def active(self) -> bool:
        return self.status == "active"

    def facts(self) -> list[tuple[str, str]]:
        """The basic facts as a brief prints them, (label, value), only those the record holds."""
        known = [("单位", self.unit), ("职务", self.position), ("身份", self.membership)]
        if self.details is not None:
            d = self.details
            known += [("性别", d.gender), ("出生年月", d.birth_date), ("入党（会）时间", d.joined_date),
                      ("参加工作", d.work_start_date), ("学历", d.education), ("民族", d.ethnicity),
                      ("籍贯", d.native_place)]
        return [(label, value) for label, value in known if value]

    def as_json(self) -> dict[str, Any]:
        """How a record names a participant, owner or interviewee."""
        return {"id": self.id, "name": self.name, "unit": self.unit, "position": self.position}


# Person's and PersonDetails' fields, in order. The details are read only when asked for: the due engine reads
# every person for every report and needs none of them.
_PERSON_COLUMNS = (
    "p.id, p.name, p.unit_id, coalesce(u.name, ''), coalesce(p.position, ''), coalesce(p.membership, ''), p.status"
)
_DETAIL_COLUMNS = ", ".join(
    [f"coalesce(p.{c}, '')" for c in ("gender", "birth_date", "joined_date", "work_start_date", "ethnicity",
                                      "native_place", "education", "phone", "note")] + ["p.identity_key"])


def list_people(
    store: Store,
    *,
    ids: Iterable[int] | None = None,
    active_only: bool = False,
    details: bool = False,
    roles_on: date | None = None,
) -> list[Person]:
    """People with their unit, ordered by unit (the tree's sort order) and then name: everyone, or those of
    `ids`; with `details`, the rest of their row; with `roles_on`, the roles each holds on that day."""
    where: list[str] = []
    params: dict[str, Any] = {}
    wanted = None if ids is None else set(ids)
    if wanted is not None:
        where.append("p.id IN (SELECT value FROM json_each(:ids))")
        params["ids"] = json_list(wanted)
    if active_only:
        where.append("p.status = 'active'")
    rows = store.rows(
        f"SELECT {_PERSON_COLUMNS}{', ' + _DETAIL_COLUMNS if details else ''} "
        "FROM people p LEFT JOIN units u ON u.id = p.unit_id "
        f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY u.sort_order, u.id, p.name, p.id",
        params,
    )
    held: dict[int, list[Role]] | None = None
    if roles_on is not None:
        held = {}
        for role in roles_held_on(store, roles_on, wanted):
            held.setdefault(role.person_id, []).append(role)
    return [_person(row, details, held) for row in rows]


def _person(row: tuple[Any, ...], details: bool, held: dict[int, list[Role]] | None) -> Person:
    person_id, name, unit_id, unit, position, membership, status, *rest = row
    return Person(person_id, name, unit_id, unit, position, membership, status,
                  PersonDetails(*rest) if details else None,
                  None if held is None else tuple(held.get(person_id, ())))


def people_by_id(store: Store, ids: Iterable[int]) -> dict[int, Person]:
    return {person.id: person for person in list_people(store, ids=ids)}


def find_person(store: Store, person_id: int, *, details: bool = False, roles_on: date | None = None) -> Person | None:
    """One person (None when there is no such id), with the same options as `list_people`."""
    found = list_people(store, ids=[person_id], details=details, roles_on=roles_on)
    return found[0] if found else None


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
    person: Person
    owner: Person | None
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
    people = people_by_id(store, [r["person_id"] for r in rows] + [r["owner_id"] for r in rows if r["owner_id"]])
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
    interviewers: list[Person]
    interviewees: list[Person]
    note_taker: Person | None
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
