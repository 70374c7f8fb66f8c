"""十个清楚 (000 三(七)): what the interviewer should know about a person, dimension by dimension.

Each entry is a dated, sourced assessment of one dimension. As of a date, a dimension is empty (nothing
known), stale (the newest entry is older than the dimension's staleness age from the policy pack) or current.
Entries observed after the as-of date are not counted, so a summary for a date is the same whenever it is asked.

基本情况 is also known from the roster: a person's birth date, 入党（会）时间, work start, ethnicity, native place and
education, as imported or entered, count as an entry of that dimension observed on the day the person's row was
last written (source 花名册). So the wizard, the person page and the brief, which all count through
`profile_summary`, give one number, and a roster alone is not reported as "基本情况未掌握".

The watch list (重点人员) holds people with an open flag (watch_flags: reason, since, ended_on) and people whose
newest entry in the 重点人员 dimension says something other than "none" (无, 否, 暂无, 不属于重点人员 …). A flag is
ended, never deleted: ended_on and end_reason keep when and why the person stopped being watched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from notes.checks import MAX_TEXT_CHARS, check_text, parse_date
from notes.errors import InvalidInput, NotFound
from notes.model import Person, list_people
from notes.store import Store

if TYPE_CHECKING:
    from prep.packs import Dimension, Policy

WATCH_DIMENSION_NAME = "重点人员"
BASIC_DIMENSION_NAME = "基本情况"
ROSTER_SOURCE = "花名册"
# A 重点人员 entry that says the person is not one does not put them on the watch list.
NOT_WATCHED = re.compile(r"^(无|否|没有|暂无|不是|不属于|非重点|未发现|正常)")
MAX_REASON_TEXT = 2_000


@dataclass(frozen=True, slots=True)
class ProfileEntry:
    id: int
    person_id: int
    dimension: str
    text: str
    observed_on: str
    source: str
    recorded_by: int | None
    created_at: str


@dataclass(frozen=True, slots=True)
class DimensionStatus:
    """One dimension for one person as of a date."""

    id: str
    name: str
    prompts: tuple[str, ...]
    stale_days: int
    source: str
    entries: tuple[ProfileEntry, ...]  # newest first, none after the as-of date
    state: str  # empty | stale | current
    age_days: int | None  # days since the newest entry

    @property
    def latest(self) -> ProfileEntry | None:
        return self.entries[0] if self.entries else None

    @property
    def state_label(self) -> str:
        return {"empty": "未掌握", "stale": "需更新", "current": "已掌握"}[self.state]


@dataclass(frozen=True, slots=True)
class WatchReason:
    reason: str
    since: str
    source: str
    flag_id: int | None  # None: from a 重点人员 profile entry
    entry_id: int | None = None


@dataclass(frozen=True, slots=True)
class ProfileSummary:
    person_id: int
    name: str
    as_of: date
    dimensions: tuple[DimensionStatus, ...]
    watch_reasons: tuple[WatchReason, ...]

    @property
    def filled(self) -> int:
        return sum(1 for d in self.dimensions if d.state != "empty")

    @property
    def current(self) -> int:
        return sum(1 for d in self.dimensions if d.state == "current")

    @property
    def empty(self) -> list[DimensionStatus]:
        return [d for d in self.dimensions if d.state == "empty"]

    @property
    def stale(self) -> list[DimensionStatus]:
        return [d for d in self.dimensions if d.state == "stale"]

    @property
    def completeness(self) -> float:
        """Share of dimensions with anything known (0.0–1.0)."""
        return self.filled / len(self.dimensions) if self.dimensions else 1.0

    @property
    def on_watch_list(self) -> bool:
        return bool(self.watch_reasons)

    def counts_text(self) -> str:
        """The one way the 十个清楚 count is said (wizard, person page, brief): "已掌握 8/10，其中需更新 2 项".
        已掌握 is every dimension with anything known; 需更新 those whose newest entry is too old."""
        text = f"已掌握 {self.filled}/{len(self.dimensions)}"
        return text + (f"，其中需更新 {len(self.stale)} 项" if self.stale else "")


@dataclass(frozen=True, slots=True)
class WatchItem:
    person_id: int
    name: str
    unit: str
    reasons: tuple[WatchReason, ...]


# -- dimensions --------------------------------------------------------------------------------------------


def watch_dimension_ids(policy: Policy) -> set[str]:
    """The ids of the 重点人员 dimension(s) of the policy."""
    return {d.id for d in policy.dimensions.values() if WATCH_DIMENSION_NAME in d.name}


def resolve_dimension(policy: Policy, text: str) -> Dimension:
    """A dimension by id (watch) or Chinese name (重点人员, also 重点人员情况清楚)."""
    wanted = text.strip()
    for dimension in policy.dimensions.values():
        if wanted in (dimension.id, dimension.name) or wanted == f"{dimension.name}情况清楚":
            return dimension
    names = "、".join(f"{d.name}（{d.id}）" for d in policy.dimensions.values())
    raise InvalidInput(f"没有“{wanted}”这一项。十个清楚的各项为：{names}。")


def _person_name(store: Store, person_id: int) -> str:
    name = store.scalar("SELECT name FROM people WHERE id = ?", [person_id])
    if name is None:
        raise NotFound(f"没有编号为 {person_id} 的人员。可用 tanxin people 查看全部人员及其编号。")
    return str(name)


def _entry(row: dict[str, Any]) -> ProfileEntry:
    return ProfileEntry(int(row["id"]), int(row["person_id"]), str(row["dimension"]), str(row["text"]),
                        str(row["observed_on"]), str(row["source"]), row["recorded_by"], str(row["created_at"]))


ENTRY_COLUMNS = "id, person_id, dimension, text, observed_on, source, recorded_by, created_at"


# -- entries -----------------------------------------------------------------------------------------------


def add_profile_entry(
    store: Store,
    policy: Policy,
    person_id: int,
    dimension: str,
    text: str,
    observed_on: date | str,
    source: str = "",
    recorded_by: int | None = None,
) -> int:
    """Record what is known about one dimension of a person; returns the entry id. The text is kept exactly."""
    _person_name(store, person_id)
    found = resolve_dimension(policy, dimension)
    check_text(text, f"“{found.name}”的内容", required=True)
    check_text(source, "来源", max_chars=MAX_REASON_TEXT)
    day = parse_date(observed_on, "了解日期")
    if recorded_by is not None:
        _person_name(store, recorded_by)
    with store.transaction():
        entry_id = store.insert("profile_entries", {
            "person_id": person_id, "dimension": found.id, "text": text, "observed_on": day, "source": source,
            "recorded_by": recorded_by,
        })
        store.audit("create", "profile_entry", entry_id, person_id=person_id, dimension=found.id)
    return entry_id


def entry_from_talk(store: Store, policy: Policy, talk_id: int, dimension: str) -> int:
    """What a talk found, taken into one dimension of the interviewee's profile in one step: the record's
    summary (信息汇总), else what was noted, leaving out 保密 entries; dated the day of the talk, sourced to its
    record, recorded by its first interviewer. Returns the entry id."""
    from notes.talks import get_talk

    record = get_talk(store, talk_id)
    if not record.interviewees:
        raise InvalidInput(f"谈话 {record.code} 没有谈话对象，无法记入十个清楚。")
    day = record.held_at
    if record.status in ("planned", "cancelled") or day is None:
        raise InvalidInput(f"谈话 {record.code} 尚未进行，还没有可记入十个清楚的内容。")
    said = record.summary.strip() or "；".join(e.text.strip() for e in record.entries
                                               if not e.confidential and e.text.strip())
    if not said:
        raise InvalidInput(f"谈话 {record.code} 还没有信息汇总或可公开的记录内容，无法记入十个清楚。")
    interviewer = record.interviewers[0].id if record.interviewers else None
    return add_profile_entry(store, policy, record.interviewees[0].id, dimension, said[:MAX_TEXT_CHARS],
                             day[:10], f"谈话记录 {record.code}", interviewer)


def list_profile_entries(store: Store, person_id: int, dimension: str | None = None) -> list[ProfileEntry]:
    """A person's entries, newest first (by date observed, then by when recorded)."""
    where, params = "person_id = ?", [person_id]
    if dimension is not None:
        where += " AND dimension = ?"
        params.append(dimension)  # type: ignore[arg-type]
    rows = store.query(f"SELECT {ENTRY_COLUMNS} FROM profile_entries WHERE {where} "
                       "ORDER BY observed_on DESC, id DESC", params)
    return [_entry(row) for row in rows]


def dimension_status(dimension: Dimension, entries: list[ProfileEntry], as_of: date) -> DimensionStatus:
    known = tuple(e for e in entries if e.observed_on <= as_of.isoformat())
    if not known:
        return DimensionStatus(dimension.id, dimension.name, tuple(dimension.prompts), dimension.stale_days,
                               dimension.source, (), "empty", None)
    age = (as_of - date.fromisoformat(known[0].observed_on[:10])).days
    stale = age > dimension.stale_days
    return DimensionStatus(dimension.id, dimension.name, tuple(dimension.prompts), dimension.stale_days,
                           dimension.source, known, "stale" if stale else "current", age)


def roster_entry(store: Store, person: Person, dimension_id: str) -> ProfileEntry | None:
    """What the roster says of a person's 基本情况, as an entry (id 0: it is the person's row, not a profile
    entry) observed on the day the row was last written; None when the roster holds none of it."""
    details = person.details
    assert details is not None
    # short labels: the text is a table cell on the person page
    facts = [("出生", details.birth_date), ("入党（会）", details.joined_date), ("参加工作", details.work_start_date),
             ("民族", details.ethnicity), ("籍贯", details.native_place), ("学历", details.education)]
    known = "；".join(f"{label} {value}" for label, value in facts if value)
    if not known:
        return None
    written = str(store.scalar("SELECT updated_at FROM people WHERE id = ?", [person.id]))
    return ProfileEntry(0, person.id, dimension_id, known, written[:10], ROSTER_SOURCE, None, written)


def profile_summary(store: Store, policy: Policy, person_id: int, as_of: date) -> ProfileSummary:
    """Completeness and staleness of each 十个清楚 dimension for one person (基本情况 also from the roster), and
    why they are watched."""
    name = _person_name(store, person_id)
    by_dimension: dict[str, list[ProfileEntry]] = {}
    for entry in list_profile_entries(store, person_id):
        by_dimension.setdefault(entry.dimension, []).append(entry)
    basic = next((d for d in policy.dimensions.values() if d.name == BASIC_DIMENSION_NAME), None)
    if basic is not None:
        person = list_people(store, ids=[person_id], details=True)[0]
        if (from_roster := roster_entry(store, person, basic.id)) is not None:
            # newest first, as list_profile_entries orders them; a profile entry of the same day comes first
            entries = by_dimension.setdefault(basic.id, [])
            entries.append(from_roster)
            entries.sort(key=lambda e: (e.observed_on, e.id != 0, e.id), reverse=True)
    statuses = tuple(dimension_status(d, by_dimension.get(d.id, []), as_of) for d in policy.dimensions.values())
    reasons = _watch_reasons(store, policy, as_of, person_id).get(person_id, [])
    return ProfileSummary(person_id, name, as_of, statuses, tuple(reasons))


# -- the watch list ----------------------------------------------------------------------------------------


def _watch_reasons(store: Store, policy: Policy, as_of: date, person_id: int | None) -> dict[int, list[WatchReason]]:
    day = as_of.isoformat()
    only = "" if person_id is None else " AND person_id = ?"
    extra: list[Any] = [] if person_id is None else [person_id]
    reasons: dict[int, list[WatchReason]] = {}
    for row in store.query(
        "SELECT id, person_id, reason, since, source FROM watch_flags "
        f"WHERE since <= ? AND (ended_on IS NULL OR ended_on > ?){only} ORDER BY since, id",
        [day, day, *extra],
    ):
        reasons.setdefault(int(row["person_id"]), []).append(
            WatchReason(str(row["reason"]), str(row["since"]), str(row["source"]), int(row["id"])))
    dimensions = sorted(watch_dimension_ids(policy))
    if dimensions:
        marks = ", ".join("?" for _ in dimensions)
        # The newest 重点人员 entry on or before the date speaks for the person (window function: one pass).
        for row in store.query(
            "SELECT id, person_id, text, observed_on, source FROM ("
            "  SELECT id, person_id, text, observed_on, source, row_number() OVER ("
            "    PARTITION BY person_id ORDER BY observed_on DESC, id DESC) AS newest"
            f"  FROM profile_entries WHERE dimension IN ({marks}) AND observed_on <= ?{only}"
            ") WHERE newest = 1 ORDER BY person_id",
            [*dimensions, day, *extra],
        ):
            text = str(row["text"]).strip()
            if NOT_WATCHED.match(text):
                continue
            if any(r.reason == text for r in reasons.get(int(row["person_id"]), [])):
                continue  # the flag and the entry say the same thing: show it once
            reasons.setdefault(int(row["person_id"]), []).append(
                WatchReason(text, str(row["observed_on"]), str(row["source"]), None, int(row["id"])))
    return reasons


def watch_list(store: Store, as_of: date, policy: Policy | None = None) -> list[WatchItem]:
    """重点人员 on a date, each with every reason; ordered by unit and name. The active packs by default."""
    if policy is None:
        from prep.active import active_policy

        policy = active_policy(store)
    reasons = _watch_reasons(store, policy, as_of, None)
    if not reasons:
        return []
    return [WatchItem(p.id, p.name, p.unit, tuple(reasons[p.id]))
            for p in list_people(store, ids=reasons, active_only=True)]


def flag_person(store: Store, person_id: int, reason: str, since: date | str, source: str = "") -> int:
    """Put a person on the watch list with a reason; returns the flag id."""
    _person_name(store, person_id)
    check_text(reason, "列为重点人员的原因", required=True, max_chars=MAX_REASON_TEXT)
    check_text(source, "来源", max_chars=MAX_REASON_TEXT)
    day = parse_date(since, "列入日期")
    with store.transaction():
        flag_id = store.insert("watch_flags", {"person_id": person_id, "reason": reason, "since": day,
                                               "source": source})
        store.audit("create", "watch_flag", flag_id, person_id=person_id)
    return flag_id


def clear_flag(store: Store, flag_id: int, ended_on: date | str, reason: str = "") -> None:
    """Close a flag on a date, saying why; the flag and its reason stay in the history."""
    row = store.query_one("SELECT since, ended_on FROM watch_flags WHERE id = ?", [flag_id])
    if row is None:
        raise NotFound(f"没有编号为 {flag_id} 的重点人员标记。")
    if row["ended_on"] is not None:
        raise InvalidInput(f"该重点人员标记已于 {row['ended_on']} 解除，无需再次解除。")
    day = _end_day(ended_on, str(row["since"]))
    check_text(reason, "解除原因", max_chars=MAX_REASON_TEXT)
    _end_flags(store, [(flag_id, day)], reason)


def _end_flags(store: Store, ends: list[tuple[int, str]], reason: str) -> None:
    """End flags (id, day) with one reason, all in one transaction; each end is audited."""
    with store.transaction():
        for flag_id, day in ends:
            store.execute("UPDATE watch_flags SET ended_on = ?, end_reason = ? WHERE id = ?", [day, reason, flag_id])
            store.audit("update", "watch_flag", flag_id, ended_on=day)


def _end_day(ended_on: date | str, since: str) -> str:
    day = parse_date(ended_on, "解除日期")
    if day < since:
        raise InvalidInput(f"解除日期 {day} 早于列入日期 {since}。请检查日期。")
    return day


@dataclass(frozen=True, slots=True)
class WatchFlag:
    """One 重点人员 flag as recorded: open while `ended_on` is None."""

    id: int
    person_id: int
    reason: str
    since: str
    source: str
    ended_on: str | None
    end_reason: str


def list_watch_flags(store: Store, person_id: int, *, open_only: bool = False) -> list[WatchFlag]:
    """A person's flags, oldest first; with `open_only`, those not yet ended (whatever their start date)."""
    only_open = " AND ended_on IS NULL" if open_only else ""
    rows = store.query(
        "SELECT id, person_id, reason, since, source, ended_on, end_reason FROM watch_flags "
        f"WHERE person_id = ?{only_open} ORDER BY since, id",
        [person_id],
    )
    return [WatchFlag(int(r["id"]), int(r["person_id"]), str(r["reason"]), str(r["since"]), str(r["source"]),
                      None if r["ended_on"] is None else str(r["ended_on"]), str(r["end_reason"])) for r in rows]


def end_watch(
    store: Store,
    person_id: int,
    ended_on: date | str,
    reason: str = "",
    policy: Policy | None = None,
) -> list[int]:
    """Take a person off the watch list on a date: every open flag is ended with the same reason, all or none.
    Returns the flags ended. A person listed only because of a 重点人员 profile entry has no flag to end: the
    message says what to do instead (the active packs tell which dimension that is, unless `policy` is given)."""
    name = _person_name(store, person_id)
    check_text(reason, "解除原因", max_chars=MAX_REASON_TEXT)
    flags = list_watch_flags(store, person_id, open_only=True)
    if not flags:
        day = parse_date(ended_on, "解除日期")
        if policy is None:
            from prep.active import active_policy

            policy = active_policy(store)
        from_entries = [r for r in _watch_reasons(store, policy, date.fromisoformat(day), person_id).get(person_id, [])
                        if r.flag_id is None]
        if from_entries:
            raise InvalidInput(
                f"{name} 是因十个清楚“{WATCH_DIMENSION_NAME}”一项的记载（{from_entries[0].reason}）而在重点人员名单上，"
                f"没有可解除的标记。请在人员页为“{WATCH_DIMENSION_NAME}”记一条新情况（如“无”）。"
            )
        raise InvalidInput(f"{name} 目前没有列为重点人员，无需解除。")
    # every date checked before anything is written
    _end_flags(store, [(flag.id, _end_day(ended_on, flag.since)) for flag in flags], reason)
    return [flag.id for flag in flags]
