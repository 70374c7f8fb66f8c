"""Follow-ups (整改, 帮扶, 转有关部门, 向党组织汇报, 移送纪检): what a talk found must not be forgotten.

"谈话热、整改冷" (003) is the failure this module exists to prevent: every follow-up has an owner and a status
history, each change signed into the seal chain (notes/seal.py) so a forged 已核实 or a deleted change is named, a 整改 always has a deadline, and an overdue 整改 suggests the next step of the escalation ladder the
policy packs name (提醒 → 警示 → 组织处理, 001 第十七条). The ladder is passed in as data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from notes.checks import check_choice, check_text, parse_date
from notes.errors import InvalidInput, NotFound
from notes.model import Followup, FollowupEvent, load_followups
from notes.seal import seal_followup_change
from notes.store import Store
from notes.talks import get_entry, talk_row
from notes.vocabulary import (
    FOLLOWUP_KINDS,
    FOLLOWUP_STATUS_LABELS,
    FOLLOWUP_STATUSES,
    OVERDUE_FOLLOWUP_STATUSES,
    UNFINISHED_FOLLOWUP_STATUSES,
)

__all__ = [
    "OPEN_STATUSES",
    "TRANSITIONS",
    "Followup",
    "FollowupEvent",
    "create_followup",
    "followup_from_entry",
    "get_followup",
    "is_open",
    "list_followups",
    "next_step",
    "open_followups",
    "set_followup_status",
]

# open → in_progress → done → verified, escalated from any unfinished state. An escalated follow-up goes on
# (the person corrects after a warning) or is escalated again, one rung further up the ladder; a done one
# that does not hold up on verification goes back to in_progress.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "done", "escalated"),
    "in_progress": ("done", "escalated"),
    "done": ("verified", "in_progress", "escalated"),
    "escalated": ("in_progress", "done", "escalated"),
    "verified": (),
}
TITLE_CHARS = 60

# "Open" — the one definition every count uses (工作台, the 跟踪 board, the person page, the year's report): a
# follow-up is open until it is verified 办结. A done one waits for verification (待核实) and still needs the
# interviewer's attention, so it is open; it just cannot be overdue (OVERDUE_FOLLOWUP_STATUSES).
OPEN_STATUSES = UNFINISHED_FOLLOWUP_STATUSES


def is_open(status: str) -> bool:
    """Whether a follow-up in this status still counts as open (see OPEN_STATUSES)."""
    return status in OPEN_STATUSES


def _first_participant(store: Store, talk_id: int, role: str) -> int | None:
    found = store.scalar(
        "SELECT person_id FROM talk_participants WHERE talk_id = ? AND role = ? ORDER BY position LIMIT 1",
        [talk_id, role],
    )
    return None if found is None else int(found)


def _person_exists(store: Store, person_id: int, label: str) -> None:
    if store.scalar("SELECT 1 FROM people WHERE id = ?", [person_id]) is None:
        raise NotFound(f"{label}（人员 id {person_id}）不存在。")


def create_followup(
    store: Store,
    *,
    talk_id: int,
    kind: str,
    title: str,
    person_id: int | None = None,
    owner_id: int | None = None,
    due_on: date | str | None = None,
    entry_id: int | None = None,
    at: str | None = None,
) -> int:
    """A follow-up of a talk. `person_id` (whom it concerns) defaults to the talk's first interviewee and
    `owner_id` (who sees it through) to its first interviewer (001 第十七条: the interviewer follows up).
    A 整改 needs a deadline (004: 诫勉 always comes with a deadline for correction). `at` records when it
    was raised, for follow-ups entered after the fact (default: now)."""
    check_choice(kind, "跟踪事项类别", FOLLOWUP_KINDS)
    check_text(title, "跟踪事项", required=True, max_chars=1000)
    due = None if due_on is None else parse_date(due_on, "完成期限")
    if kind == "整改" and due is None:
        raise InvalidInput("整改事项必须有完成期限。请给出期限（如 2026-06-30）。")
    with store.transaction():
        talk = talk_row(store, talk_id)
        if talk["status"] == "planned":
            raise InvalidInput(f"谈话 {talk['code']} 尚未进行，还不能提出跟踪事项。")
        if entry_id is not None:
            entry_talk, _ = get_entry(store, entry_id)
            if entry_talk != talk_id:
                raise InvalidInput(f"记录条目 {entry_id} 不属于谈话 {talk['code']}。")
        if person_id is None:
            person_id = _first_participant(store, talk_id, "interviewee")
        if owner_id is None:
            owner_id = _first_participant(store, talk_id, "interviewer")
        if person_id is None:
            raise InvalidInput(f"谈话 {talk['code']} 没有谈话对象，请指明跟踪事项涉及的人员。")
        _person_exists(store, person_id, "涉及人员")
        if owner_id is not None:
            _person_exists(store, owner_id, "负责人")
        now = at or store.now()
        followup_id = store.insert(
            "followups",
            {
                "talk_id": talk_id,
                "entry_id": entry_id,
                "person_id": person_id,
                "owner_id": owner_id,
                "kind": kind,
                "title": title,
                "due_on": due,
                "status": "open",
                "created_at": now,
                "updated_at": now,
            },
        )
        change_id = store.insert("followup_history",
                                 {"followup_id": followup_id, "status": "open", "at": now, "note": ""})
        seal_followup_change(store, change_id)
        store.audit("create", "followup", followup_id, talk_id=talk_id, kind=kind)
    return followup_id


def _title_from_entry(text: str, heading: str, kind: str, confidential: bool, code: str, position: int) -> str:
    """The entry's first line, shortened. A 保密 entry's text never becomes a title: titles go into ledgers
    and briefs, where the confidential content must not appear (004 四.2⑷)."""
    if confidential:
        return f"{heading or kind}（内容保密，见谈话记录 {code} 第 {position} 条）"
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not first_line:
        return f"{heading or kind}（见谈话记录 {code} 第 {position} 条）"
    return first_line if len(first_line) <= TITLE_CHARS else first_line[: TITLE_CHARS - 1] + "…"


def followup_from_entry(
    store: Store,
    entry_id: int,
    *,
    kind: str,
    due_on: date | str | None = None,
    owner_id: int | None = None,
    at: str | None = None,
) -> int:
    """One step from an entry of the record to a follow-up: title from the entry, person from the talk."""
    talk_id, entry = get_entry(store, entry_id)
    code = talk_row(store, talk_id)["code"]
    title = _title_from_entry(entry.text, entry.heading, entry.kind, entry.confidential, code, entry.position)
    return create_followup(store, talk_id=talk_id, kind=kind, title=title, owner_id=owner_id, due_on=due_on,
                           entry_id=entry_id, at=at)


def get_followup(store: Store, followup_id: int) -> Followup:
    found = load_followups(store, "f.id = ?", [followup_id])
    if not found:
        raise NotFound(f"没有 id 为 {followup_id} 的跟踪事项。请用 tanxin followups 查看。")
    return found[0]


def set_followup_status(
    store: Store,
    followup_id: int,
    status: str,
    *,
    note: str = "",
    evidence: str | None = None,
    at: str | None = None,
) -> None:
    """Move a follow-up on (see TRANSITIONS); each move is kept in its history with the note (and `at`, when
    the move happened, default now). When escalating, the note should name the step taken (e.g. 警示)."""
    check_choice(status, "跟踪状态", FOLLOWUP_STATUSES)
    check_text(note, "说明")
    if evidence is not None:
        check_text(evidence, "整改佐证")
    with store.transaction():
        row = store.query_one("SELECT status, evidence FROM followups WHERE id = ?", [followup_id])
        if row is None:
            raise NotFound(f"没有 id 为 {followup_id} 的跟踪事项。")
        current = row["status"]
        if status not in TRANSITIONS[current]:
            allowed = "、".join(FOLLOWUP_STATUS_LABELS[s] for s in TRANSITIONS[current]) or "无（已办结）"
            raise InvalidInput(
                f"跟踪事项 {followup_id} 当前为“{FOLLOWUP_STATUS_LABELS[current]}”，不能改为“"
                f"{FOLLOWUP_STATUS_LABELS[status]}”。可改为：{allowed}。"
            )
        now = at or store.now()
        values: dict[str, Any] = {"status": status, "updated_at": now}
        if evidence is not None:
            values["evidence"] = evidence
        assignments = ", ".join(f"{column} = ?" for column in values)
        store.execute(f"UPDATE followups SET {assignments} WHERE id = ?", [*values.values(), followup_id])
        change_id = store.insert("followup_history", {
            "followup_id": followup_id, "status": status, "at": now, "note": note,
            "evidence": row["evidence"] if evidence is None else evidence,
        })
        seal_followup_change(store, change_id)  # signed with the change: a forged 已核实 is named by verify
        store.audit("update", "followup", followup_id, status=status)


def list_followups(
    store: Store,
    *,
    person_id: int | None = None,
    status: str | None = None,
    overdue_as_of: date | None = None,
) -> list[Followup]:
    """Follow-ups by due date. `overdue_as_of` keeps those past their deadline and not yet done on that day."""
    where = ["1"]
    params: list[Any] = []
    if person_id is not None:
        where.append("f.person_id = ?")
        params.append(person_id)
    if status is not None:
        check_choice(status, "跟踪状态", FOLLOWUP_STATUSES)
        where.append("f.status = ?")
        params.append(status)
    if overdue_as_of is not None:
        where.append(f"f.status IN ({', '.join('?' for _ in OVERDUE_FOLLOWUP_STATUSES)}) AND f.due_on < ?")
        params += [*OVERDUE_FOLLOWUP_STATUSES, overdue_as_of.isoformat()]
    return load_followups(store, " AND ".join(where), params)


def open_followups(store: Store, person_id: int) -> list[Followup]:
    """A person's open follow-ups (OPEN_STATUSES): shown in every later brief and in `due`."""
    marks = ", ".join("?" for _ in OPEN_STATUSES)
    return load_followups(store, f"f.person_id = ? AND f.status IN ({marks})", [person_id, *OPEN_STATUSES])


def next_step(followup: Followup, ladder: Sequence[tuple[int, str]], as_of: date) -> str | None:
    """The next rung of the ladder — (days overdue from which it applies, name) per rung, as the packs give it —
    for an overdue 整改, once it is overdue by that many days (a 整改 two days overdue is told 提醒, not 函询 from
    day 30). None when it is not a 整改, not yet overdue enough, or the ladder has been climbed to the top."""
    if followup.kind != "整改" or not followup.is_overdue(as_of) or followup.due_on is None:
        return None
    if followup.escalations >= len(ladder):
        return None
    after_days, name = ladder[followup.escalations]
    overdue = (as_of - date.fromisoformat(followup.due_on[:10])).days
    return name if overdue >= after_days else None
