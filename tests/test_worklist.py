"""One row per talk to hold (prep/worklist.py): obligations grouped by (interviewer, interviewee), the type that
satisfies them, and the talk already planned or under way — by hand-built items, then on a real-style unit."""

from __future__ import annotations

from dataclasses import replace

import pytest
from worklist_helpers import AS_OF, make_unit, paused_talk, plan_talk

from notes.store import Store
from notes.talk_queries import OpenTalk, open_talks
from prep.active import active_policy
from prep.due import DueItem, due_report
from prep.packs import Policy, load_policy
from prep.worklist import build_worklist, fitting_type, suggested_type, with_open_talks

SECRETARY, DEPUTY, MEMBER, OTHER = 3, 2, 5, 6


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(["suzhou-2018", "cadre-talks", "practice"])


def item(kind: str, rule: str, person: int = MEMBER, interviewers: tuple[int, ...] = (SECRETARY,), *,
         type_id: str = "", due_by: str = "2026-12-31", overdue: int = 0, planned: int | None = None) -> DueItem:
    names = {SECRETARY: "赵书记", DEPUTY: "刘副主任", MEMBER: "李明", OTHER: "王芳"}
    key = "-".join(map(str, interviewers))
    return DueItem(
        id=f"{kind}:{rule}:{key}:{person}", kind=kind, person_id=person, person=names[person], unit="第一党支部",
        type=type_id, type_name="", due_by=due_by, overdue=overdue > 0, days_overdue=overdue, rule=rule,
        rule_name=rule, source="000", detail="", interviewer_ids=interviewers,
        interviewers=tuple(names[i] for i in interviewers), planned_talk_id=planned,
    )


def open_talk(talk_id: int, status: str, talk_type: str, interviewer: int = SECRETARY, person: int = MEMBER,
              at: str = "2026-12-05T09:00") -> OpenTalk:
    return OpenTalk(talk_id, status, talk_type, at, at if status == "in_progress" else None, (interviewer,), (person,))


def test_several_rules_on_one_pair_are_one_row_listing_them_all_worst_first(policy: Policy) -> None:
    appointment = item("event", "appointment_decision", interviewers=(), type_id="appointment",
                       due_by="2026-11-17", overdue=5)
    members = item("rule", "secretary_members", type_id="")
    committee = item("rule", "secretary_committee", type_id="")
    other = item("rule", "secretary_members", person=OTHER)
    rows = build_worklist([appointment, members, committee, other], policy, viewer=SECRETARY)
    assert [(row.person, row.interviewers) for row in rows] == [("李明", ("赵书记",)), ("王芳", ("赵书记",))]
    first = rows[0]
    assert [i.rule for i in first.items] == ["appointment_decision", "secretary_members", "secretary_committee"]
    # The earliest deadline and the worst state are the row's; the type is the one the event requires (a
    # 任职谈话 also counts for the rules that take any type), never the bare 谈心谈话.
    assert (first.due_by, first.overdue, first.days_overdue) == ("2026-11-17", True, 5)
    assert (first.talk_type, first.type_name) == ("appointment", "任职谈话")
    assert first.event_item is appointment and first.state == ""
    # An event alone is 本人's to arrange: the row is theirs, by name.
    alone = build_worklist([appointment], policy, viewer=SECRETARY, viewer_name="赵书记")
    assert [(row.interviewer_ids, row.interviewers) for row in alone] == [((SECRETARY,), ("赵书记",))]


def test_the_whole_organisation_keeps_pairs_apart_and_gives_an_unassigned_event_its_own_row(policy: Policy) -> None:
    appointment = item("event", "appointment_decision", interviewers=(), type_id="appointment", overdue=5)
    by_secretary = item("rule", "secretary_members")
    # 分工负责: any 班子成员 overseeing the branch may talk; the deputy has his own pair with 李明 too.
    team = item("rule", "team_members_coverage", interviewers=(DEPUTY, SECRETARY))
    by_deputy = item("rule", "team_overseen_heads", interviewers=(DEPUTY,))
    rows = build_worklist([appointment, by_secretary, team, by_deputy], policy)
    assert [(row.interviewer_ids, [i.rule for i in row.items]) for row in rows] == [
        ((), ["appointment_decision"]),  # 谈话人 not decided: nobody's pair is made to look chosen
        ((SECRETARY,), ["secretary_members", "team_members_coverage"]),
        ((DEPUTY,), ["team_overseen_heads"]),
    ]
    # Once a 任职谈话 is planned by the secretary, the event goes to his row.
    planned = replace(appointment, planned_talk_id=7)
    rows = build_worklist([planned, by_secretary], policy, [open_talk(7, "planned", "appointment")])
    assert len(rows) == 1 and [i.rule for i in rows[0].items] == ["appointment_decision", "secretary_members"]


def test_a_planned_talk_shows_on_its_row_and_fills_planned_talk_id(policy: Policy) -> None:
    members = item("rule", "secretary_members")
    other = item("rule", "secretary_members", person=OTHER)
    talks = [open_talk(11, "planned", "member_talk"),
             open_talk(12, "planned", "member_talk", interviewer=DEPUTY, person=OTHER)]  # another interviewer's
    rows = build_worklist([members, other], policy, talks, viewer=SECRETARY)
    assert rows[0].talk is not None and rows[0].talk.id == 11 and rows[0].state == "计划中 12-05"
    assert rows[1].talk is None  # 刘副主任's talk with 王芳 is not the secretary's
    filled = with_open_talks([members, other], rows)
    assert [i.planned_talk_id for i in filled] == [11, None]


def test_a_talk_in_progress_comes_before_a_planned_one(policy: Policy) -> None:
    members = item("rule", "secretary_members")
    talks = [open_talk(21, "planned", "member_talk", at="2026-11-25T09:00"),
             open_talk(22, "in_progress", "member_talk", at="2026-11-22T09:00")]
    row = build_worklist([members], policy, talks, viewer=SECRETARY)[0]
    assert row.talk is not None and (row.talk.id, row.state) == (22, "进行中")


def test_follow_ups_are_not_talks_to_hold(policy: Policy) -> None:
    followup = replace(item("followup", "followup"), kind="followup")
    assert build_worklist([followup], policy) == []


@pytest.mark.parametrize(("rule", "expected"), [
    ("team_mutual", "mutual"),  # named like the rule
    ("head_team", "mutual"),  # its interviewer's role holds it, for 班子成员
    ("secretary_members", "member_talk"),
    ("upper_lower_heads", "member_talk"),  # not new_leader: that type is reserved for the 新任职 rule
])
def test_a_rule_of_any_type_suggests_the_type_made_for_it(policy: Policy, rule: str, expected: str) -> None:
    assert fitting_type(policy, policy.rules[rule]) == expected


def test_the_required_type_wins_over_a_merely_accepted_one(policy: Policy) -> None:
    collective = item("rule", "new_leaders_collective", type_id="new_leader")
    upper = item("rule", "upper_lower_heads")
    assert suggested_type(policy, [upper, collective]) == "new_leader"  # it satisfies both
    assert suggested_type(policy, [upper]) == "member_talk"


# -- on a real-style unit, through the due engine ----------------------------------------------------------


def test_the_secretary_sees_one_row_per_person_with_his_appointment_talk_and_its_plan(store: Store) -> None:
    unit = make_unit(store)
    policy = active_policy(store)
    planned = plan_talk(store, unit.secretary, unit.other, "member_talk")
    paused = paused_talk(store, unit.secretary, unit.committee, "member_talk")
    report = due_report(store, policy, AS_OF, interviewer_id=unit.secretary)
    rows = build_worklist(report.items, policy, open_talks(store), unit.secretary)
    people = [row.person_id for row in rows]
    assert sorted(people) == sorted({unit.member, unit.other, unit.committee}) and len(people) == len(set(people))
    by_person = {row.person_id: row for row in rows}
    member = by_person[unit.member]
    assert rows[0] is member and member.overdue  # the 任职谈话 is overdue: first
    assert {i.kind for i in member.items} == {"event", "rule"} and member.talk_type == "appointment"
    other_talk = by_person[unit.other].talk
    assert other_talk is not None and other_talk.id == planned
    assert by_person[unit.committee].state == "进行中"
    assert {i.rule for i in by_person[unit.committee].items} >= {"secretary_committee"}
    filled = {i.id: i.planned_talk_id for i in with_open_talks(report.items, rows)}
    assert {filled[i.id] for i in by_person[unit.other].items} == {planned}
    assert {filled[i.id] for i in by_person[unit.committee].items} == {paused}


def test_open_talks_are_the_planned_and_in_progress_ones_soonest_first(store: Store) -> None:
    from notes import talks as record

    unit = make_unit(store)
    later = plan_talk(store, unit.secretary, unit.other, "member_talk", at="2026-12-05T09:00")
    paused = paused_talk(store, unit.secretary, unit.committee, "member_talk")
    cancelled = plan_talk(store, unit.deputy, unit.member, "member_talk", at="2026-11-30T09:00")
    record.cancel_talk(store, cancelled, "改期")
    undated = record.create_talk(store, talk_type="member_talk", interviewers=[unit.head, unit.deputy],
                                 interviewees=[unit.secretary], planned_at=None)
    found = open_talks(store)
    assert [(t.id, t.status) for t in found] == [(paused, "in_progress"), (later, "planned"), (undated, "planned")]
    assert found[2].interviewer_ids == (unit.head, unit.deputy) and found[2].interviewee_ids == (unit.secretary,)


def test_a_talk_stepped_away_from_says_since_when(policy: Policy) -> None:
    members = item("rule", "secretary_members")
    away = replace(open_talk(22, "in_progress", "member_talk", at="2026-11-22T09:00"), away_since="2026-11-22T09:40:12")
    row = build_worklist([members], policy, [away], viewer=SECRETARY)[0]
    assert row.state == "暂离"  # esc 暂离: its timer waits (since when is in the row's detail, with its day)
