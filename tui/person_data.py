"""What a person's page shows, gathered in one pass by a thread worker: the 十个清楚 profile with each
dimension's state, role history, talks, follow-ups and events, as table rows of inert Content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.content import Content

from tui.safe import safe
from tui.widgets.safe_table import ERROR, MUTED, SUCCESS, WARNING, cell

if TYPE_CHECKING:
    from notes.model import Person, Role, TalkSummary
    from notes.store import Store
    from prep.packs import Policy
    from prep.profile import DimensionStatus, ProfileSummary

Row = tuple[str, tuple[str | Text, ...]]

STATE_STYLES = {"empty": ERROR, "stale": WARNING, "current": SUCCESS}


@dataclass(frozen=True)
class PersonData:
    person: Person
    profile: ProfileSummary
    roles: list[Row]
    # The offices still held (notes/vocabulary.py ROLE_KINDS), the ones 免去职务 offers; 身份 roles such as 党员
    # follow the roster.
    open_roles: list[Role]
    talks: list[Row]
    talk_status: dict[int, str]
    followups: list[Row]
    events: list[Row]

    def headline(self) -> Content:
        """张三 · 机关第一党支部 · 办公室主任 · 正式党员
        十个清楚：已掌握 8/10，其中需更新 2 项；未掌握 2 项 · ⚑ 重点人员：…"""
        person = self.person
        who: list[Content] = [safe(person.name, "bold")]
        who += [safe(text) for text in (person.unit, person.position, person.membership) if text]
        if not person.active:
            who.append(Content.styled("已不在册", "$text-muted"))
        summary = self.profile
        # A 民进 database's packs define no 十个清楚: no count of nothing.
        known: list[Content] = [Content.assemble(
            ("十个清楚：", "bold"), summary.counts_text(),
            (f"；未掌握 {len(summary.empty)} 项", "$text-error") if summary.empty else "",
        )] if summary.dimensions else []
        for reason in summary.watch_reasons:
            known.append(Content.assemble(("⚑ 重点人员：", "$text-warning bold"), safe(reason.reason)))
        return Content("\n").join([Content(" · ").join(who), Content(" · ").join(known)])


def dimension_row(status: DimensionStatus) -> Row:
    latest = status.latest
    state = status.state_label
    if status.state == "stale" and status.age_days is not None:
        state += f"（{status.age_days} 天前）"
    return (status.id, (
        cell(status.name),
        cell(state, STATE_STYLES[status.state]),
        latest.text if latest else cell("（空白）", MUTED),
        latest.observed_on if latest else "",
        latest.source if latest else "",
    ))


# The 谈话 tab's columns: the third says the part the person took and with whom (the people page's header).
TALK_COLUMNS = ("日期", "类型", "本人角色 · 对方", "状态", "编号")


def part_in(talk: TalkSummary, person_id: int) -> str:
    """谈话人 · 李明 / 谈话对象 · 张书记 / 记录人 · 张书记→李明: a person's page lists the talks they held, the
    talks they were the subject of and those they recorded, which read alike without this."""
    interviewers, interviewees = "、".join(talk.interviewer_names), "、".join(talk.interviewee_names)
    if person_id in talk.interviewer_ids:
        return f"谈话人 · {interviewees}"
    if person_id in talk.interviewee_ids:
        return f"谈话对象 · {interviewers}"
    return f"记录人 · {interviewers}→{interviewees}"


def _name_of(table: dict[str, Any], key: str) -> str:
    """A pack object's Chinese name; an id the active packs no longer know is shown as it is."""
    found = table.get(key)
    return str(found.name) if found is not None else key


def load_person(store: Store, person_id: int, policy: Policy, today: date) -> PersonData:
    from notes.errors import NotFound
    from notes.followups import list_followups
    from notes.model import find_person, role_history
    from notes.talks import list_talks
    from notes.vocabulary import OFFICES
    from prep.active import wording
    from prep.events import person_events
    from prep.profile import profile_summary

    person = find_person(store, person_id)
    if person is None:
        raise NotFound(f"没有编号为 {person_id} 的人员，可能已被删除。")
    history = role_history(store, person_id)
    roles: list[Row] = [
        (str(r.id), (r.role, r.unit, r.title, r.start_date or "早已担任", r.end_date or "至今", r.source))
        for r in history
    ]
    terms = wording(policy)
    talks = list_talks(store, person_id=person_id)
    talk_rows: list[Row] = [
        (str(t.id), ((t.held_at or "")[:10], _name_of(policy.talk_types, t.talk_type), part_in(t, person_id),
                     t.status_label, t.code))
        for t in talks
    ]
    followups: list[Row] = [
        (str(f.id), (
            cell(f.due_on or "—", ERROR if f.is_overdue(today) else ""),
            f.title, terms.followup_kind(f.kind), f.status_label, f.owner.name if f.owner else "",
        ))
        for f in list_followups(store, person_id=person_id)
    ]
    events: list[Row] = [
        (str(e.id), (e.occurred_on, e.name, e.note)) for e in person_events(store, policy, person_id)
    ]
    return PersonData(
        person=person,
        profile=profile_summary(store, policy, person_id, today),
        roles=roles,
        open_roles=[r for r in history if r.end_date is None and r.role in OFFICES],
        talks=talk_rows,
        talk_status={t.id: t.status for t in talks},
        followups=followups,
        events=events,
    )
