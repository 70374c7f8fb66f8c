"""A talk from plan to record: planned → in progress → held → sealed (or cancelled, with a reason).

The interviewer types the entries live (the TUI saves them through notes/autosave.py); afterwards the summary
(信息汇总), the interviewee's statement and confirmation complete the record, and notes/seal.py seals it.
Talk types, their required points and categories come from the policy packs (prep/): this module takes them as
plain values and never imports prep.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from notes.checks import check_choice, check_text, instant_value, parse_instant
from notes.errors import InvalidInput, NotFound
from notes.leases import holds, refuse_if_edited
from notes.model import (
    ENTRY_COLUMNS,
    Entry,
    Person,
    TalkRecord,
    TalkSummary,
    entry_from_row,
    load_amendments,
    load_entries,
    load_followups,
    load_inquiry,
    load_seal,
    people_by_id,
)
from notes.store import Store
from notes.talk_pause import TalkTime, seconds_between
from notes.vocabulary import CHANNELS, ENTRY_KINDS, FORMS, STATUS_LABELS, STATUSES

__all__ = [
    "EditConflict",
    "Entry",
    "Person",
    "TalkRecord",
    "TalkSummary",
    "add_entry",
    "cancel_talk",
    "check_recorder",
    "come_back",
    "create_talk",
    "delete_entry",
    "draft_state",
    "entry_versions",
    "finish_talk",
    "get_entry",
    "get_talk",
    "list_talks",
    "point_coverage",
    "resolve_talk",
    "save_draft_state",
    "set_outcome",
    "start_talk",
    "step_away",
    "talk_row",
    "talk_time",
    "update_entry",
    "update_talk",
]

CODE_PREFIX = "TX"
# Statuses in which the record may still be written; a sealed talk changes only by amendment.
_WRITABLE = ("planned", "in_progress", "held")
_WRITABLE_SQL = "('planned', 'in_progress', 'held')"
_PLAN_FIELDS = ("planned_at", "place", "form", "channel", "subject")
_ENTRY_FIELDS = ("heading", "kind", "text", "confidential", "offset_seconds", "position")
_SHORT_TEXT = 200


# -- reading one talk --------------------------------------------------------------------------------------


def talk_row(store: Store, talk_id: int) -> dict[str, Any]:
    row = store.query_one("SELECT * FROM talks WHERE id = ?", [talk_id])
    if row is None:
        raise NotFound(f"没有 id 为 {talk_id} 的谈话记录。请用 tanxin talks 查看已有的谈话。")
    return row


def _label(row: Mapping[str, Any]) -> str:
    return f"谈话 {row['code'] or row['id']}"


def _refuse_unless_writable(row: Mapping[str, Any], doing: str) -> None:
    """A sealed or cancelled talk is not written to: say why not and what to do instead."""
    if row["status"] == "sealed":
        raise InvalidInput(f"{_label(row)}已封存，不能{doing}。如需更正，请添加更正记录（amend），原记录保持不变。")
    if row["status"] == "cancelled":
        raise InvalidInput(f"{_label(row)}已取消（{row['cancel_reason']}），不能{doing}。")


def _writable_talk(store: Store, talk_id: int, doing: str) -> dict[str, Any]:
    row = talk_row(store, talk_id)
    _refuse_unless_writable(row, doing)
    return row


def _writable_entry_talk(store: Store, entry_id: int, doing: str) -> int:
    """The id of the entry's talk, if the talk may still be changed (one query: autosave calls this a lot)."""
    row = store.query_one(
        "SELECT t.id, t.code, t.status, t.cancel_reason FROM entries e JOIN talks t ON t.id = e.talk_id "
        "WHERE e.id = ?",
        [entry_id],
    )
    if row is None:
        raise NotFound(f"没有 id 为 {entry_id} 的记录条目（可能已被删除）。")
    _refuse_unless_writable(row, doing)
    return int(row["id"])


def get_talk(store: Store, talk_id: int) -> TalkRecord:
    row = talk_row(store, talk_id)
    participants = store.query(
        "SELECT person_id, role FROM talk_participants WHERE talk_id = ? ORDER BY role, position", [talk_id]
    )
    people = people_by_id(store, [p["person_id"] for p in participants])

    def of_role(role: str) -> list[Person]:
        return [people[p["person_id"]] for p in participants if p["role"] == role]

    note_takers = of_role("note_taker")
    unit = store.scalar("SELECT name FROM units WHERE id = ?", [row["unit_id"]]) if row["unit_id"] else None
    return TalkRecord(
        id=row["id"],
        code=row["code"] or "",
        talk_type=row["talk_type"],
        category=row["category"],
        form=row["form"],
        channel=row["channel"],
        status=row["status"],
        planned_at=row["planned_at"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        place=row["place"],
        subject=row["subject"],
        summary=row["summary"],
        statement=row["statement"],
        confirmed=bool(row["confirmed"]),
        cancel_reason=row["cancel_reason"],
        refused=bool(row["refused"]),
        unit_id=row["unit_id"],
        unit=unit or "",
        event_id=row["event_id"],
        interviewers=of_role("interviewer"),
        interviewees=of_role("interviewee"),
        note_taker=note_takers[0] if note_takers else None,
        entries=load_entries(store, talk_id),
        followups=load_followups(store, "f.talk_id = ?", [talk_id]),
        inquiry=load_inquiry(store, talk_id),
        seal=load_seal(store, "talk", talk_id),
        amendments=load_amendments(store, talk_id),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def talk_time(store: Store, talk_id: int) -> TalkTime:
    """The talk's start, end and time away: what its duration is made of (notes/talk_pause.py)."""
    return _talk_time(store, talk_row(store, talk_id))


def _talk_time(store: Store, row: Mapping[str, Any]) -> TalkTime:
    if "away_since" not in row:  # a database not yet at version 8 (the migration tests write those)
        return TalkTime.of_row(row)
    periods = store.rows("SELECT since, until FROM talk_away WHERE talk_id = ? ORDER BY since", [row["id"]])
    return TalkTime.of_row(row, periods)


def resolve_talk(store: Store, text: str) -> int:
    """A talk by its id or its 编号 (TX-2026-0001)."""
    cleaned = text.strip()
    if cleaned.isdigit():
        return int(talk_row(store, int(cleaned))["id"])
    found = store.scalar("SELECT id FROM talks WHERE code = ?", [cleaned.upper()])
    if found is None:
        raise NotFound(f"没有编号为“{cleaned}”的谈话。请给出谈话的数字 id 或编号（如 TX-2026-0001）。")
    return int(found)


# -- creating and moving through the statuses -------------------------------------------------------------


def _person_ids(values: Sequence[int], label: str) -> list[int]:
    ids: list[int] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"{label}应以人员 id（整数）给出，收到 {value!r}。")
        if value not in ids:
            ids.append(value)
    return ids


def _check_people_exist(store: Store, ids: Sequence[int]) -> None:
    known = {r["id"] for r in store.query("SELECT id FROM people WHERE id IN (SELECT value FROM json_each(?))",
                                          [json.dumps(list(ids))])}
    missing = [str(i) for i in ids if i not in known]
    if missing:
        raise NotFound(f"人员 id {'、'.join(missing)} 不存在。请先在名册中添加，或检查 id。")


def _check_form(form: str, interviewee_count: int) -> None:
    if form == "个别" and interviewee_count > 1:
        raise InvalidInput(f"个别谈话只能有一名谈话对象，这里有 {interviewee_count} 名。多名对象请选择“集体”谈话形式。")


def check_recorder(interviewee_ids: Sequence[int], note_taker_ids: Sequence[int]) -> None:
    """记录人 records what the 谈话对象 says and signs as a witness to it: the two are never one person."""
    both = set(interviewee_ids) & set(note_taker_ids)
    if both:
        raise InvalidInput(f"记录人（id {'、'.join(map(str, sorted(both)))}）不能同时是谈话对象。请另选一名记录人。")


def _next_code(store: Store, year: int) -> str:
    """编号 TX-<year>-<n>, numbered per year. The counter lives in settings, so numbering costs nothing at
    200,000 talks; a code already taken (a record imported with its own code) is skipped, never reused."""
    key = f"talk_code_counter:{year}"
    prefix = f"{CODE_PREFIX}-{year}-"
    counter = store.get_setting(key)
    if counter is None:
        # Codes sort as text, so the numeric maximum is taken over the index range of this year's codes.
        counter = store.scalar(
            "SELECT coalesce(max(CAST(substr(code, ?) AS INTEGER)), 0) FROM talks WHERE code >= ? AND code < ?",
            [len(prefix) + 1, prefix, f"{CODE_PREFIX}-{year}."],
        )
    number = int(counter) + 1
    while store.scalar("SELECT 1 FROM talks WHERE code = ?", [f"{prefix}{number:04d}"]):
        number += 1
    store.set_setting(key, number)
    return f"{prefix}{number:04d}"


def create_talk(
    store: Store,
    *,
    talk_type: str,
    interviewers: Sequence[int],
    interviewees: Sequence[int],
    note_taker: int | None = None,
    category: str = "",
    form: str = "个别",
    channel: str = "面对面",
    planned_at: str | None = None,
    place: str = "",
    subject: str = "",
    unit_id: int | None = None,
    event_id: int | None = None,
) -> int:
    """A planned talk with its participants and a new 编号. The unit defaults to the first interviewee's."""
    check_text(talk_type, "谈话类型", required=True, max_chars=_SHORT_TEXT)
    check_text(category, "谈话类别", max_chars=_SHORT_TEXT)
    check_choice(form, "谈话形式", FORMS)
    check_choice(channel, "谈话方式", CHANNELS)
    check_text(place, "谈话地点", max_chars=_SHORT_TEXT)
    check_text(subject, "谈话事由")
    interviewer_ids = _person_ids(interviewers, "谈话人")
    interviewee_ids = _person_ids(interviewees, "谈话对象")
    if not interviewer_ids:
        raise InvalidInput("至少需要一名谈话人。")
    if not interviewee_ids:
        raise InvalidInput("至少需要一名谈话对象。")
    both = set(interviewer_ids) & set(interviewee_ids)
    if both:
        raise InvalidInput(f"同一人（id {'、'.join(map(str, sorted(both)))}）不能既是谈话人又是谈话对象。")
    note_taker_ids = _person_ids([] if note_taker is None else [note_taker], "记录人")
    check_recorder(interviewee_ids, note_taker_ids)
    _check_form(form, len(interviewee_ids))
    planned = None if planned_at is None else parse_instant(planned_at, "计划时间")
    year = int(planned[:4]) if planned else store.clock.today().year
    with store.transaction():
        _check_people_exist(store, interviewer_ids + interviewee_ids + note_taker_ids)
        if unit_id is None:
            unit_id = store.scalar("SELECT unit_id FROM people WHERE id = ?", [interviewee_ids[0]])
        elif store.scalar("SELECT 1 FROM units WHERE id = ?", [unit_id]) is None:
            raise NotFound(f"单位 id {unit_id} 不存在。")
        if event_id is not None and store.scalar("SELECT 1 FROM events WHERE id = ?", [event_id]) is None:
            raise NotFound(f"事件 id {event_id} 不存在。")
        code = _next_code(store, year)
        now = store.now()
        talk_id = store.insert(
            "talks",
            {
                "code": code,
                "talk_type": talk_type,
                "category": category,
                "form": form,
                "channel": channel,
                "status": "planned",
                "unit_id": unit_id,
                "event_id": event_id,
                "planned_at": planned,
                "place": place,
                "subject": subject,
                "created_at": now,
                "updated_at": now,
            },
        )
        for role, ids in (("interviewer", interviewer_ids), ("interviewee", interviewee_ids),
                          ("note_taker", note_taker_ids)):
            for position, person_id in enumerate(ids):
                store.insert("talk_participants",
                             {"talk_id": talk_id, "person_id": person_id, "role": role, "position": position})
        store.audit("create", "talk", talk_id, code=code, talk_type=talk_type)
    return talk_id


def _set(store: Store, talk_id: int, values: Mapping[str, Any], *, only_if_writable: bool = False) -> bool:
    """Update the talk's row; False when nothing was changed (with `only_if_writable`: sealed or cancelled)."""
    assignments = ", ".join(f"{column} = ?" for column in values)
    condition = f" AND status IN {_WRITABLE_SQL}" if only_if_writable else ""
    cursor = store.execute(f"UPDATE talks SET {assignments}, updated_at = ? WHERE id = ?{condition}",
                           [*values.values(), store.now(), talk_id])
    return bool(cursor.rowcount)


def start_talk(store: Store, talk_id: int, at: str | None = None) -> None:
    """The talk begins now (or at `at`): entries get their time offsets from here."""
    with store.transaction():
        row = _writable_talk(store, talk_id, "开始")
        if row["status"] != "planned":
            raise InvalidInput(f"{_label(row)}当前状态为“{STATUS_LABELS[row['status']]}”，只有计划中的谈话可以开始。")
        started = store.now() if at is None else parse_instant(at, "开始时间")
        _set(store, talk_id, {"status": "in_progress", "started_at": started})
        store.audit("start", "talk", talk_id, at=started)


def finish_talk(store: Store, talk_id: int, at: str | None = None) -> None:
    """The talk has been held. A talk recorded afterwards may go straight from planned to held."""
    with store.transaction():
        row = _writable_talk(store, talk_id, "结束")
        if row["status"] not in ("planned", "in_progress"):
            raise InvalidInput(f"{_label(row)}当前状态为“{STATUS_LABELS[row['status']]}”，不能再结束一次。")
        ended = store.now() if at is None else parse_instant(at, "结束时间")
        if row["started_at"] and instant_value(ended) < instant_value(row["started_at"]):
            raise InvalidInput(f"结束时间 {ended} 早于开始时间 {row['started_at']}。请核对时间。")
        _set(store, talk_id, {"status": "held", "ended_at": ended, **_close_time_away(store, row)})
        store.audit("finish", "talk", talk_id, at=ended)


def _close_time_away(store: Store, row: Mapping[str, Any]) -> dict[str, Any]:
    """Close an open time away now: it becomes a row of talk_away, written before the update that ends the talk
    (the database takes one only while the talk is in progress). Returns the column that closes it in that
    update; nothing when the interviewer is not away. An end typed earlier than this moment is no problem: the
    talk's time counts only the part of the time away that lies inside the talk (notes/talk_pause.py)."""
    since = row.get("away_since")
    if since is None:  # also a database not yet at version 8 (the migration tests write those)
        return {}
    until = max(store.now(), since)  # a clock moved back: never a time away that ends before it began
    store.execute("INSERT INTO talk_away (talk_id, since, until) VALUES (?, ?, ?)", [row["id"], since, until])
    return {"away_since": None}


def _refuse_unless_in_progress(row: Mapping[str, Any], doing: str) -> None:
    if row["status"] != "in_progress":
        raise InvalidInput(f"{_label(row)}当前状态为“{STATUS_LABELS[row['status']]}”，只有进行中的谈话可以{doing}。")


def step_away(store: Store, talk_id: int, *, token: str | None = None) -> bool:
    """暂离: the interviewer leaves the talk in progress and its timer stops until they come back. Stepping
    away again keeps the first moment (False: nothing changed).

    `token` is the lease of the window stepping away (notes/leases.py): a window whose talk another window has
    taken over, and which has not learnt it yet (the heartbeat comes every 10 s), changes nothing (False), or
    the talk would stop while the other window types. Without a token (the command line, which holds no lease)
    it is refused, like every write of the command line, while a window edits the talk."""
    with store.transaction():
        if token is not None and not holds(store, talk_id, token):
            return False
        row = _writable_talk(store, talk_id, "暂离")
        _refuse_unless_in_progress(row, "暂离")
        if token is None:
            refuse_if_edited(store, talk_id, "暂离")
        if row["away_since"] is not None:
            return False
        now = store.now()
        _set(store, talk_id, {"away_since": now})
        store.audit("step_away", "talk", talk_id, at=now)
    return True


def come_back(store: Store, talk_id: int) -> int:
    """Back to a talk the interviewer stepped away from: the time away is added to its paused time and the timer
    runs on. Returns the seconds away just closed (0 when the interviewer was not away: nothing changed)."""
    with store.transaction():
        row = _writable_talk(store, talk_id, "继续")
        _refuse_unless_in_progress(row, "继续")
        if row["away_since"] is None:
            return 0
        now = store.now()
        _set(store, talk_id, _close_time_away(store, row))
        away = seconds_between(instant_value(row["away_since"]), instant_value(now))
        store.audit("come_back", "talk", talk_id, at=now, away_seconds=away)
    return away


def cancel_talk(store: Store, talk_id: int, reason: str, refused: bool = False) -> None:
    """Cancel a talk that has not been held, with the reason; `refused` records a refusal to talk (000 五(一))."""
    check_text(reason, "取消原因", required=True)
    with store.transaction():
        row = _writable_talk(store, talk_id, "取消")
        if row["status"] == "held":
            raise InvalidInput(f"{_label(row)}已经谈过，不能取消。请完成记录后封存。")
        _set(store, talk_id, {"status": "cancelled", "cancel_reason": reason, "refused": int(bool(refused)),
                              **_close_time_away(store, row)})
        store.audit("cancel", "talk", talk_id, refused=bool(refused))


def set_outcome(
    store: Store,
    talk_id: int,
    *,
    summary: str | None = None,
    statement: str | None = None,
    confirmed: bool | None = None,
) -> None:
    """信息汇总, the interviewee's statement (表态) and whether the interviewee confirmed the record."""
    values: dict[str, Any] = {}
    if summary is not None:
        values["summary"] = check_text(summary, "信息汇总")
    if statement is not None:
        values["statement"] = check_text(statement, "谈话对象表态")
    if confirmed is not None:
        values["confirmed"] = int(bool(confirmed))
    if not values:
        return
    # The check is part of the one UPDATE (autosave calls this); only when it changes nothing is the talk
    # read again, to say why.
    if not _set(store, talk_id, values, only_if_writable=True):
        _writable_talk(store, talk_id, "修改谈话结果")
        raise InvalidInput(f"谈话 {talk_id} 的结果未能保存，请重试。")


def update_talk(store: Store, talk_id: int, **fields: Any) -> None:
    """Change the plan: planned_at, place, form, channel, subject."""
    unknown = sorted(set(fields) - set(_PLAN_FIELDS))
    if unknown:
        raise InvalidInput(f"不能用这种方式修改 {'、'.join(unknown)}；可修改的是 {'、'.join(_PLAN_FIELDS)}。")
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "planned_at":
            values[name] = None if value is None else parse_instant(value, "计划时间")
        elif name == "form":
            values[name] = check_choice(value, "谈话形式", FORMS)
        elif name == "channel":
            values[name] = check_choice(value, "谈话方式", CHANNELS)
        else:
            values[name] = check_text(value, "谈话地点" if name == "place" else "谈话事由")
    if not values:
        return
    with store.transaction():
        _writable_talk(store, talk_id, "修改")
        if "form" in values:
            count = store.scalar(
                "SELECT count(*) FROM talk_participants WHERE talk_id = ? AND role = 'interviewee'", [talk_id]
            )
            _check_form(values["form"], int(count))
        _set(store, talk_id, values)


# -- entries -----------------------------------------------------------------------------------------------


def _entry_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "text":
            values[name] = check_text(value, "记录内容")
        elif name == "heading":
            values[name] = check_text(value, "记录要点", max_chars=_SHORT_TEXT)
        elif name == "kind":
            values[name] = check_choice(value, "记录类别", ENTRY_KINDS)
        elif name == "confidential":
            values[name] = int(bool(value))
        elif name in ("offset_seconds", "position"):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidInput(f"{'时间偏移' if name == 'offset_seconds' else '顺序'}应为非负整数，收到 {value!r}。")
            values[name] = value
        else:
            raise InvalidInput(f"记录没有“{name}”这一项；可修改的是 {'、'.join(_ENTRY_FIELDS)}。")
    return values


def add_entry(
    store: Store,
    talk_id: int,
    *,
    text: str,
    heading: str = "",
    kind: str = "事实情况",
    confidential: bool = False,
    offset_seconds: int | None = None,
) -> int:
    """A new entry at the end of the record. Its time offset defaults to the talk's time so far (the time away
    not counted: the minute the interviewer's timer shows)."""
    values = _entry_values({"text": text, "heading": heading, "kind": kind, "confidential": confidential})
    if offset_seconds is not None:
        values.update(_entry_values({"offset_seconds": offset_seconds}))
    with store.transaction():
        row = _writable_talk(store, talk_id, "添加记录")
        if offset_seconds is None:  # also for a talk already ended: its whole time (not started: 0)
            values["offset_seconds"] = _talk_time(store, row).net_seconds(store.clock.now())
        position = store.scalar("SELECT coalesce(max(position), 0) + 1 FROM entries WHERE talk_id = ?", [talk_id])
        now = store.now()
        return store.insert("entries", {"talk_id": talk_id, "position": position, **values,
                                        "created_at": now, "updated_at": now})


def get_entry(store: Store, entry_id: int) -> tuple[int, Entry]:
    """An entry and the id of its talk."""
    row = store.query_one(f"SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?", [entry_id])
    if row is None:
        raise NotFound(f"没有 id 为 {entry_id} 的记录条目（可能已被删除）。")
    return int(row["talk_id"]), entry_from_row(row)


class EditConflict(InvalidInput):
    """An entry's text was written elsewhere since this editor loaded it: writing would lose that text."""


def entry_versions(store: Store, talk_id: int) -> dict[int, int]:
    """The version of each entry of the talk, as an editor loads them (what its writes are checked against)."""
    return {int(i): int(v) for i, v in store.rows("SELECT id, version FROM entries WHERE talk_id = ?", [talk_id])}


def update_entry(store: Store, entry_id: int, *, expected_version: int | None = None, **fields: Any) -> int:
    """Change an entry: heading, kind, text, confidential, offset_seconds, position. Returns its new version.
    With `expected_version` the write happens only if nobody wrote the entry since that version; otherwise it
    raises EditConflict and changes nothing."""
    values = _entry_values(fields)
    if not values:
        return int(store.scalar("SELECT version FROM entries WHERE id = ?", [entry_id]) or 0)
    # One statement checks and writes, so it is atomic without a transaction and costs autosave a single
    # statement per entry; only when it changes nothing is the entry read again, to say why.
    assignments = ", ".join(f"{column} = ?" for column in values)
    params: list[Any] = [*values.values(), store.now(), entry_id]
    condition = ""
    if expected_version is not None:
        condition = " AND version = ?"
        params.append(expected_version)
    row = store.execute(
        f"UPDATE entries SET {assignments}, version = version + 1, updated_at = ? WHERE id = ?{condition} "
        f"AND (SELECT status FROM talks WHERE talks.id = entries.talk_id) IN {_WRITABLE_SQL} RETURNING version",
        params,
    ).fetchone()
    if row is not None:
        return int(row[0])
    _writable_entry_talk(store, entry_id, "修改记录")
    if expected_version is not None:
        raise EditConflict(f"记录条目 {entry_id} 已在另一窗口中修改。")
    raise InvalidInput(f"记录条目 {entry_id} 未能保存，请重试。")


def delete_entry(store: Store, entry_id: int) -> None:
    with store.transaction():
        talk_id = _writable_entry_talk(store, entry_id, "删除记录")
        store.execute("DELETE FROM entries WHERE id = ?", [entry_id])
        # The audit names the entry, never its content (it may be 保密).
        store.audit("delete", "entry", entry_id, talk_id=talk_id)


def point_coverage(record: TalkRecord, points: Sequence[str]) -> dict[str, bool]:
    """For each required point of the talk type: is there an entry under it with some text?"""
    covered = {e.heading for e in record.entries if e.text.strip()}
    return {point: point in covered for point in points}


# -- the editor's place in a draft -------------------------------------------------------------------------


def save_draft_state(store: Store, talk_id: int, state: Mapping[str, Any]) -> None:
    """Where the editor was (entry, cursor, scroll …), so a draft reopens there after a restart.
    A sealed or cancelled talk has no draft: nothing is written for it."""
    try:
        payload = json.dumps(dict(state), ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"编辑位置无法保存：{exc}。") from None
    check_text(payload, "编辑位置")
    row = talk_row(store, talk_id)
    if row["status"] in _WRITABLE:
        store.execute("UPDATE talks SET draft_state = ? WHERE id = ? AND status IN ('planned', 'in_progress', 'held')",
                      [payload, talk_id])


def draft_state(store: Store, talk_id: int) -> dict[str, Any]:
    value = json.loads(talk_row(store, talk_id)["draft_state"] or "{}")
    return value if isinstance(value, dict) else {}


# -- lists -------------------------------------------------------------------------------------------------

HELD_AT = "coalesce(t.started_at, t.planned_at)"  # the expression of the talks_held_at index (schema v2)
def list_talks(
    store: Store,
    *,
    person_id: int | None = None,
    status: str | None = None,
    year: int | None = None,
    role: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[TalkSummary]:
    """Talks, latest first (by held_at; never held nor planned last). `person_id` matches any part the person
    took (or only `role`: interviewer, interviewee, note_taker); `year` is the year the talk was held (or planned).
    `limit`/`offset` page through a long list: by person, status or year, and page by page, the queries use
    indexes, so they stay fast at 200,000 talks; listing all of them at once costs about 30 µs a talk."""
    where: list[str] = []
    params: list[Any] = []
    if person_id is not None:
        if role is None:
            where.append("t.id IN (SELECT talk_id FROM talk_participants WHERE person_id = ?)")
            params.append(person_id)
        else:
            check_choice(role, "参与角色", ("interviewer", "interviewee", "note_taker"))
            where.append("t.id IN (SELECT talk_id FROM talk_participants WHERE person_id = ? AND role = ?)")
            params += [person_id, role]
    if status is not None:
        check_choice(status, "谈话状态", STATUSES)
        where.append("t.status = ?")
        params.append(status)
    if year is not None:
        where.append(f"{HELD_AT} >= ? AND {HELD_AT} < ?")
        params += [f"{year:04d}", f"{year + 1:04d}"]
    rows = store.query(
        "SELECT t.id, t.code, t.talk_type, t.category, t.form, t.channel, t.status, t.planned_at, t.started_at, "
        f"{HELD_AT} AS held_at, t.place, t.subject, coalesce(u.name, '') AS unit "
        "FROM talks t LEFT JOIN units u ON u.id = t.unit_id "
        f"{'WHERE ' + ' AND '.join(where) if where else ''} "
        # DESC puts NULL last, and this exact expression lets the talks_held_at index deliver the order.
        f"ORDER BY {HELD_AT} DESC, t.id DESC LIMIT ? OFFSET ?",
        [*params, -1 if limit is None else limit, offset],
    )
    names: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for talk_id, part, person, name in store.execute(
        "SELECT tp.talk_id, tp.role, p.id, p.name FROM talk_participants tp JOIN people p ON p.id = tp.person_id "
        "WHERE tp.talk_id IN (SELECT value FROM json_each(?)) AND tp.role <> 'note_taker' "
        "ORDER BY tp.talk_id, tp.role, tp.position",
        [json.dumps([row["id"] for row in rows])],
    ):
        names.setdefault((talk_id, part), []).append((person, name))
    return [
        TalkSummary(
            id=row["id"],
            code=row["code"] or "",
            talk_type=row["talk_type"],
            category=row["category"],
            form=row["form"],
            channel=row["channel"],
            status=row["status"],
            planned_at=row["planned_at"],
            started_at=row["started_at"],
            held_at=row["held_at"],
            place=row["place"],
            subject=row["subject"],
            unit=row["unit"],
            interviewee_ids=tuple(p[0] for p in names.get((row["id"], "interviewee"), ())),
            interviewee_names=tuple(p[1] for p in names.get((row["id"], "interviewee"), ())),
            interviewer_ids=tuple(p[0] for p in names.get((row["id"], "interviewer"), ())),
            interviewer_names=tuple(p[1] for p in names.get((row["id"], "interviewer"), ())),
        )
        for row in rows
    ]
