"""The due engine, case by case against each document's rules (000, 001, 002, 004), and `tanxin due`/`event`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, PASSPHRASE, run_cli

from notes.store import Store
from notes.unlock import init_database
from prep.due import DueItem, DueReport, due_report
from prep.events import person_events, record_event
from prep.packs import Policy, load_policy

DEFAULT = ["suzhou-2018", "cadre-talks", "practice"]


@pytest.fixture
def policy() -> Policy:
    return load_policy(DEFAULT)


def add_unit(store: Store, name: str, parent: int | None = None) -> int:
    return store.insert("units", {"name": name, "parent_id": parent})


def add_person(store: Store, name: str, unit: int, *roles: str, start: str | None = None) -> int:
    person = store.insert("people", {"name": name, "unit_id": unit})
    for role in roles:
        add_role(store, person, unit, role, start)
    return person


def add_role(store: Store, person: int, unit: int, role: str, start: str | None = None, end: str | None = None) -> None:
    store.insert("roles", {"person_id": person, "unit_id": unit, "role": role, "start_date": start, "end_date": end})


def hold(store: Store, interviewer: int | list[int], interviewee: int | list[int], day: str, talk_type: str = "routine",
         *, form: str = "个别", event_id: int | None = None, finish: bool = True) -> int:
    """A talk through the real notes API: planned on `day`, then held (or left planned)."""
    from notes.talks import create_talk, finish_talk

    talk = create_talk(
        store, talk_type=talk_type, interviewers=interviewer if isinstance(interviewer, list) else [interviewer],
        interviewees=interviewee if isinstance(interviewee, list) else [interviewee], form=form,
        planned_at=f"{day}T09:00:00", event_id=event_id,
    )
    if finish:
        finish_talk(store, talk, at=f"{day}T10:00:00")
    return talk


def items(report: DueReport, kind: str | None = None, rule: str | None = None) -> list[DueItem]:
    return [i for i in report.items if (kind is None or i.kind == kind) and (rule is None or i.rule == rule)]


def coverage(report: DueReport, rule: str) -> list[tuple[str, int, int]]:
    return [(c.interviewer or c.unit, c.done, c.total) for c in report.coverage if c.rule == rule]


# -- 004: cadre talks within one week ---------------------------------------------------------------------


def test_004_appointment_due_within_a_week_and_overdue_after(store: Store, policy: Policy) -> None:
    root = add_unit(store, "区委组织部")
    cadre = add_person(store, "王任", root, "党员")
    event = record_event(store, policy, cadre, "任职决定", "2026-03-02", "任命为副局长")
    assert event.event_type == "appointment_decision"

    def appointment(as_of: str) -> list[DueItem]:
        return items(due_report(store, policy, date.fromisoformat(as_of)), "event")

    assert appointment("2026-03-01") == []
    for day in ("2026-03-02", "2026-03-09"):
        [item] = appointment(day)
        assert (item.type, item.type_name, item.due_by, item.overdue, item.days_overdue) == (
            "appointment", "任职谈话", "2026-03-09", False, 0)
        assert (item.rule, item.rule_name, item.source, item.event_id) == (
            "appointment_decision", "任职决定", "004 三.1", event.id)
    [late] = appointment("2026-03-10")
    assert late.overdue and late.days_overdue == 1 and late.id == f"event:{event.id}:appointment:after"
    # A 任职谈话 held before the decision does not count; one held after it does, even late.
    hold(store, root_secretary(store, root), cadre, "2026-02-20", "appointment")
    assert len(appointment("2026-03-10")) == 1
    hold(store, root_secretary(store, root), cadre, "2026-03-12", "appointment")
    assert appointment("2026-03-11")[0].days_overdue == 2  # as of the 11th it had not happened yet
    assert appointment("2026-03-12") == []


def root_secretary(store: Store, unit: int) -> int:
    found = store.scalar("SELECT id FROM people WHERE name = '组织部长'")
    return int(found) if found else add_person(store, "组织部长", unit)


def test_004_public_notice_replaces_the_decision_deadline(store: Store, policy: Policy) -> None:
    unit = add_unit(store, "某局")
    cadre = add_person(store, "李公示", unit, "党员")
    record_event(store, policy, cadre, "appointment_decision", "2026-03-02")
    record_event(store, policy, cadre, "任前公示期满", "2026-03-10")
    [item] = items(due_report(store, policy, date(2026, 3, 12)), "event")
    assert (item.type, item.due_by, item.rule) == ("appointment", "2026-03-17", "public_notice_end")


def test_004_retirement_talk_in_the_week_before(store: Store, policy: Policy) -> None:
    unit = add_unit(store, "某局")
    cadre = add_person(store, "赵退休", unit, "党员")
    record_event(store, policy, cadre, "退休", "2026-06-30")
    assert items(due_report(store, policy, date(2026, 6, 22)), "event") == []
    [item] = items(due_report(store, policy, date(2026, 6, 23)), "event")
    assert (item.type_name, item.due_by, item.overdue) == ("退休谈话", "2026-06-30", False)
    assert items(due_report(store, policy, date(2026, 7, 1)), "event")[0].days_overdue == 1


def test_004_planned_talk_is_shown_and_linked_talk_satisfies(store: Store, policy: Policy) -> None:
    unit = add_unit(store, "某局")
    boss, cadre = add_person(store, "部长", unit), add_person(store, "钱免职", unit, "党员")
    event = record_event(store, policy, cadre, "免职决定", "2026-04-01")
    planned = hold(store, boss, cadre, "2026-04-05", "removal", finish=False)
    [item] = items(due_report(store, policy, date(2026, 4, 3)), "event")
    assert item.planned_talk_id == planned and item.due_by == "2026-04-08"
    # The planner sees it as theirs even without a rule linking them.
    assert [i.id for i in items(due_report(store, policy, date(2026, 4, 3), interviewer_id=boss), "event")] == [item.id]
    hold(store, boss, cadre, "2026-03-30", "removal", event_id=event.id)  # linked: counts even though earlier
    assert items(due_report(store, policy, date(2026, 4, 3)), "event") == []


# -- 000: branch coverage, secretary ↔ committee, team rules ----------------------------------------------


def branch_of_40(store: Store) -> tuple[int, int, list[int], list[int]]:
    root = add_unit(store, "机关党委")
    branch = add_unit(store, "第一党支部", root)
    # By the pack's convention the secretary also holds 支委 (so committee rules count them).
    secretary = add_person(store, "书记甲", branch, "支部书记", "支委", "党员")
    committee = [add_person(store, f"支委{i}", branch, "支委", "党员") for i in range(2)]
    members = committee + [add_person(store, f"党员{i:02d}", branch, "党员") for i in range(38)]
    return root, secretary, committee, members


def test_000_secretary_with_every_member_12_of_40(store: Store, policy: Policy) -> None:
    _, secretary, _, members = branch_of_40(store)
    for member in members[:12]:
        hold(store, secretary, member, "2026-04-10")
    hold(store, secretary, members[12], "2025-11-10")             # last year: does not count
    hold(store, secretary, members[13], "2026-05-10", finish=False)  # planned only
    report = due_report(store, policy, date(2026, 6, 30))
    assert coverage(report, "secretary_members") == [("书记甲", 12, 40)]
    due = items(report, "rule", "secretary_members")
    assert len(due) == 28 and {i.due_by for i in due} == {"2026-12-31"}
    assert not any(i.overdue for i in due)
    assert {i.person_id for i in due} == set(members[12:])
    assert all(i.interviewer_ids == (secretary,) and i.source == "000 二(二)3" for i in due)
    assert due[0].coverage_id == report.coverage[[c.rule for c in report.coverage].index("secretary_members")].id


def test_000_secretary_and_committee_twice_a_year(store: Store, policy: Policy) -> None:
    _, secretary, committee, _ = branch_of_40(store)
    hold(store, secretary, committee[0], "2026-02-01")
    hold(store, secretary, committee[0], "2026-09-01")
    hold(store, secretary, committee[1], "2026-03-01")
    report = due_report(store, policy, date(2026, 10, 1))
    assert coverage(report, "secretary_committee") == [("书记甲", 1, 2)]
    [item] = items(report, "rule", "secretary_committee")
    assert (item.person_id, item.done, item.required, item.detail) == (
        committee[1], 1, 2, "支部书记与支委谈心：本期已谈 1/2 次")


def test_000_committee_members_each_covered_by_any_committee_member(store: Store, policy: Policy) -> None:
    _, secretary, committee, members = branch_of_40(store)
    ordinary = members[2]
    hold(store, committee[0], ordinary, "2026-03-01")
    hold(store, [committee[1], committee[0]], ordinary, "2026-04-01")  # one talk, two interviewers: counted once
    report = due_report(store, policy, date(2026, 5, 1))
    [row] = [c for c in report.coverage if c.rule == "committee_members"]
    # The secretary is a 党员 of the branch too: the other committee members answer for them.
    assert (row.interviewer_id, row.done, row.total) == (None, 1, 41)
    ordinary_items = [i for i in items(report, "rule", "committee_members") if i.person_id == ordinary]
    assert ordinary_items == []
    one = next(i for i in items(report, "rule", "committee_members") if i.person_id == members[5])
    assert set(one.interviewer_ids) == {secretary, *committee}


def test_000_team_rules_mutual_and_overseen(store: Store, policy: Policy) -> None:
    root = add_unit(store, "机关党委")
    branch = add_unit(store, "第二党支部", root)
    head = add_person(store, "主任", root, "主要负责同志", "班子成员")
    deputies = [add_person(store, f"副职{i}", root, "班子成员") for i in range(2)]
    add_role(store, deputies[0], branch, "分管")
    branch_head = add_person(store, "处长", branch, "部门负责人", "党员")
    hold(store, deputies[1], deputies[0], "2026-05-01", "mutual")
    report = due_report(store, policy, date(2026, 6, 1))
    # 班子成员相互谈心: three unordered pairs, one done whoever started it.
    assert coverage(report, "team_mutual") == [("机关党委", 1, 3)]
    pair_ids = {i.id for i in items(report, "rule", "team_mutual")}
    assert pair_ids == {f"rule:team_mutual:{head}-{deputies[0]}", f"rule:team_mutual:{head}-{deputies[1]}"}
    # Seen by one deputy, the pair with the head shows the head as the person to talk to.
    mine = items(due_report(store, policy, date(2026, 6, 1), interviewer_id=deputies[0]), "rule", "team_mutual")
    assert [(i.person_id, i.interviewer_ids) for i in mine] == [(head, (deputies[0],))]
    # 班子成员与分管部门主要负责同志: only the deputy overseeing the branch.
    assert coverage(report, "team_overseen_heads") == [("副职0", 0, 1)]
    assert [i.person_id for i in items(report, "rule", "team_overseen_heads")] == [branch_head]
    # 上级负责人与下级负责人: the head with the heads of child units (none hold 支部书记 here).
    assert coverage(report, "upper_lower_heads") == []


def test_000_roles_on_the_date_decide_who_is_in_scope(store: Store, policy: Policy) -> None:
    _, secretary, _, members = branch_of_40(store)
    leaver = members[-1]
    store.execute("UPDATE roles SET end_date = '2026-03-01' WHERE person_id = ?", [leaver])
    assert coverage(due_report(store, policy, date(2026, 2, 1)), "secretary_members") == [("书记甲", 0, 40)]
    assert coverage(due_report(store, policy, date(2026, 3, 1)), "secretary_members") == [("书记甲", 0, 39)]
    store.execute("UPDATE people SET status = 'transferred' WHERE id = ?", [members[0]])
    assert coverage(due_report(store, policy, date(2026, 3, 1)), "secretary_members") == [("书记甲", 0, 38)]
    assert secretary not in {i.person_id for i in items(due_report(store, policy, date(2026, 3, 1)), "rule",
                                                           "secretary_members")}


def test_000_new_branch_secretary_collective_talk_within_half_a_year(store: Store, policy: Policy) -> None:
    root = add_unit(store, "机关党委")
    branch = add_unit(store, "新支部", root)
    head = add_person(store, "工委书记", root, "主要负责同志", "班子成员")
    newcomer = add_person(store, "新书记", branch, "党员")
    add_role(store, newcomer, branch, "支部书记", start="2026-05-01")
    veteran_branch = add_unit(store, "老支部", root)
    add_person(store, "老书记", veteran_branch, "支部书记", "党员", start="2019-01-01")
    report = due_report(store, policy, date(2026, 6, 1))
    [item] = items(report, "rule", "new_leaders_collective")
    assert (item.person_id, item.due_by, item.type) == (newcomer, "2026-10-31", "new_leader")
    assert "2026-05-01 任职" in item.detail
    other = add_person(store, "另一位", veteran_branch, "党员")
    hold(store, head, [newcomer, other], "2026-06-15", "new_leader", form="集体")
    assert items(due_report(store, policy, date(2026, 7, 1)), "rule", "new_leaders_collective") == []


# -- 001: 民进, regular talks in July or December -----------------------------------------------------------


@pytest.fixture
def minjin(tmp_path: Path) -> Iterator[tuple[Store, Policy]]:
    created = init_database(tmp_path / "mj.db", PASSPHRASE, ["minjin-cq-2023"])
    yield created.store, load_policy(["minjin-cq-2023"])
    created.store.close()


def test_001_minjin_talks_in_july_or_december(minjin: tuple[Store, Policy]) -> None:
    store, policy = minjin
    city = add_unit(store, "民进某区委")
    chair = add_person(store, "主委甲", city, "主委", "班子成员", "会员")
    vice = add_person(store, "副主委乙", city, "副主委", "班子成员", "会员")
    member = add_person(store, "委员丙", city, "委员", "会员")
    spring = due_report(store, policy, date(2026, 3, 15))
    [head_item] = items(spring, "rule", "mj_head_team")
    assert (head_item.person_id, head_item.due_by, head_item.source) == (vice, "2026-07-31", "001 第十八条；001 第十九条")
    autumn = due_report(store, policy, date(2026, 8, 10))
    assert items(autumn, "rule", "mj_head_team")[0].due_by == "2026-12-31"
    assert not items(autumn, "rule", "mj_head_team")[0].overdue
    # A talk in another month still counts (第十九条: 适时谈话).
    hold(store, chair, vice, "2026-04-02", "mj_routine")
    report = due_report(store, policy, date(2026, 8, 10))
    assert items(report, "rule", "mj_head_team") == []
    assert coverage(report, "mj_head_team") == [("主委甲", 1, 1)]
    committee = items(report, "rule", "mj_team_committee")
    assert [(i.person_id, set(i.interviewer_ids)) for i in committee] == [(member, {chair, vice})]


# -- 002: 四个必谈 -----------------------------------------------------------------------------------------


def test_002_four_must_talk_events(store: Store, policy: Policy) -> None:
    unit = add_unit(store, "某处")
    person = add_person(store, "孙家事", unit, "党员")
    record_event(store, policy, person, "家庭变故", "2026-09-01", "父亲病故")
    record_event(store, policy, person, "post_changed", "2026-09-03")
    report = due_report(store, policy, date(2026, 9, 5))
    found = {(i.type, i.due_by, i.source) for i in items(report, "event")}
    assert ("care", "2026-09-08", "002 篇6 第三(三)") in {(t, d, s.split("；")[0]) for t, d, s in found}
    assert "post_change" in {t for t, _, _ in found}
    care = next(i for i in items(report, "event") if i.type == "care")
    assert "父亲病故" in care.detail and care.type_name == "关心关爱谈心谈话"
    assert [e.name for e in person_events(store, policy, person)] == ["岗位职务变动", "家庭变故"]


# -- follow-ups, filters, determinism ---------------------------------------------------------------------


def test_open_followups_are_due_with_their_deadline(store: Store, policy: Policy) -> None:
    from notes.followups import followup_from_entry, set_followup_status
    from notes.talks import add_entry

    unit = add_unit(store, "某处")
    boss, person = add_person(store, "处长", unit), add_person(store, "周整改", unit, "党员")
    talk = hold(store, boss, person, "2026-05-01", "admonition")
    entry = add_entry(store, talk, text="报销不规范", kind="发现问题")
    followup = followup_from_entry(store, entry, kind="整改", due_on="2026-06-01", owner_id=person)
    report = due_report(store, policy, date(2026, 6, 11))
    [item] = items(report, "followup")
    assert (item.id, item.type, item.type_name, item.due_by, item.overdue, item.days_overdue) == (
        f"followup:{followup}", "followup", "整改", "2026-06-01", True, 10)
    assert item.person_id == person and "报销不规范" in item.detail
    assert [i.id for i in items(due_report(store, policy, date(2026, 6, 11), interviewer_id=boss), "followup")] == [
        item.id]
    assert items(due_report(store, policy, date(2026, 6, 11), interviewer_id=add_person(store, "别人", unit)),
                 "followup") == []
    set_followup_status(store, followup, "done", evidence="已退回")
    # Done but not yet verified (待核实): still open, as the board and the report count it, and no longer overdue.
    [waiting] = items(due_report(store, policy, date(2026, 6, 11)), "followup")
    assert waiting.id == item.id and not waiting.overdue and "待核实" in waiting.detail
    set_followup_status(store, followup, "verified", evidence="已核实")
    assert items(due_report(store, policy, date(2026, 6, 11)), "followup") == []


def test_a_follow_up_of_a_talk_recorded_without_any_time_is_due_from_the_day_it_was_written(
    store: Store, policy: Policy
) -> None:
    """A talk recorded afterwards with neither a plan nor a start (finish_talk allows it) has no day of its own:
    its follow-ups count from the day they were written down, as in the brief, and never vanish."""
    from notes.clock import FixedClock
    from notes.followups import followup_from_entry
    from notes.talks import add_entry, create_talk, finish_talk

    store.clock = FixedClock(datetime(2026, 5, 20, 16, 0))
    unit = add_unit(store, "某处")
    boss, person = add_person(store, "处长", unit), add_person(store, "吴补录", unit, "党员")
    talk = create_talk(store, talk_type="routine", interviewers=[boss], interviewees=[person])
    entry = add_entry(store, talk, text="报销不规范", kind="发现问题")
    finish_talk(store, talk)
    followup_from_entry(store, entry, kind="整改", due_on="2026-06-01", owner_id=person)
    assert items(due_report(store, policy, date(2026, 5, 19)), "followup") == []
    [item] = items(due_report(store, policy, date(2026, 6, 11)), "followup")
    assert (item.person_id, item.overdue, item.days_overdue) == (person, True, 10)


def test_a_follow_up_cites_only_the_active_packs(store: Store, policy: Policy,
                                                 minjin: tuple[Store, Policy]) -> None:
    """A Party database never cites the 民进 rule for a follow-up, nor a 民进 database the Party's."""
    from notes.followups import followup_from_entry
    from notes.talks import add_entry

    cited = {}
    for database, active, talk_type in ((store, policy, "admonition"), (*minjin, "mj_individual")):
        unit = add_unit(database, "某处")
        boss, person = add_person(database, "处长", unit), add_person(database, "周整改", unit, "党员")
        talk = hold(database, boss, person, "2026-05-01", talk_type)
        entry = add_entry(database, talk, text="报销不规范", kind="发现问题")
        followup_from_entry(database, entry, kind="整改", due_on="2026-06-01", owner_id=person)
        [item] = items(due_report(database, active, date(2026, 6, 11)), "followup")
        cited[talk_type] = item.source
    assert cited == {"admonition": "002 篇7；003 三", "mj_individual": "001 第十五条；001 第十七条"}


def test_same_date_same_answer_and_overdue_first(store: Store, policy: Policy) -> None:
    _, secretary, _, members = branch_of_40(store)
    record_event(store, policy, members[3], "appointment_decision", "2026-03-02")
    first = due_report(store, policy, date(2026, 4, 1))
    second = due_report(store, policy, date(2026, 4, 1))
    assert first == second
    assert first.items[0].overdue and first.items[0].kind == "event"
    assert len({i.id for i in first.items}) == len(first.items)
    mine = due_report(store, policy, date(2026, 4, 1), interviewer_id=secretary)
    assert members[3] in {i.person_id for i in items(mine, "event")}


def test_event_resolution_errors(store: Store, policy: Policy) -> None:
    from notes.errors import NotFound

    unit = add_unit(store, "某处")
    person = add_person(store, "吴某", unit)
    with pytest.raises(NotFound, match="任职决定"):
        record_event(store, policy, person, "不存在的事件", "2026-01-01")
    with pytest.raises(NotFound):
        record_event(store, policy, person + 99, "任职决定", "2026-01-01")


# -- CLI ---------------------------------------------------------------------------------------------------


def test_cli_event_and_due(store: Store, db_path: Path) -> None:
    unit = add_unit(store, "某局")
    cadre = add_person(store, "郑任职", unit, "党员")
    add_person(store, "同名", unit)
    add_person(store, "同名", unit)
    store.close()
    done = run_cli(["--db", str(db_path), "event", "郑任职", "任职决定", "--date", "2026-03-02", "--note", "文号12"])
    assert done.exit_code == 0, done.stderr
    assert "任职谈话" in done.stdout and "2026-03-09" in done.stdout
    twice = run_cli(["--db", str(db_path), "event", "同名", "任职决定", "--date", "2026-03-02"])
    assert twice.exit_code == 1 and "同名（id 2" in twice.stderr and "同名（id 3" in twice.stderr
    bad_date = run_cli(["--db", str(db_path), "event", str(cadre), "任职决定", "--date", "2026-02-30"])
    assert bad_date.exit_code == 2
    listed = run_cli(["--db", str(db_path), "due", "--as-of", "2026-03-10", "--json"])
    assert listed.exit_code == 0, listed.stderr
    [item] = [i for i in json.loads(listed.stdout) if i["kind"] == "event"]
    assert {k: item[k] for k in ("person_id", "person", "type", "type_name", "due_by", "overdue", "days_overdue",
                                 "rule", "source")} == {
        "person_id": cadre, "person": "郑任职", "type": "appointment", "type_name": "任职谈话",
        "due_by": "2026-03-09", "overdue": True, "days_overdue": 1, "rule": "appointment_decision",
        "source": "004 三.1"}
    assert isinstance(item["id"], str)
    text = run_cli(["--db", str(db_path), "due", "--as-of", "2026-03-10"])
    assert "已逾期 1 天" in text.stdout and "郑任职" in text.stdout
    covered = run_cli(["--db", str(db_path), "due", "--coverage", "--json", "--as-of", "2026-03-10"])
    assert covered.exit_code == 0 and all("id" in row for row in json.loads(covered.stdout))
    nobody = run_cli(["--db", str(db_path), "due", "--interviewer", "谁也不是"])
    assert nobody.exit_code == 1 and "谁也不是" in nobody.stderr


def test_focused_reports_agree_with_the_whole(demo_store: Store) -> None:
    """About one person, or for one interviewer, the report reads fewer talks but must say the same."""
    from prep.active import active_policy

    policy = active_policy(demo_store)
    as_of = DEMO_TODAY
    full = due_report(demo_store, policy, as_of)
    mutual = {rule_id for rule_id, rule in policy.rules.items() if rule.mutual}
    people = [int(row["id"]) for row in demo_store.query("SELECT id FROM people ORDER BY id")]
    for person in people:
        expected = {i.id for i in full.items
                    if i.person_id == person or (i.rule in mutual and person in i.interviewer_ids)}
        assert {i.id for i in due_report(demo_store, policy, as_of, person_id=person).items} == expected
    for interviewer in people:
        mine = due_report(demo_store, policy, as_of, interviewer_id=interviewer)
        expected_rules = {i.id for i in full.items if i.kind == "rule" and (
            interviewer in i.interviewer_ids or (i.rule in mutual and i.person_id == interviewer))}
        assert {i.id for i in mine.items if i.kind == "rule"} == expected_rules
        assert {i.id for i in mine.items if i.kind == "event"} <= {i.id for i in full.items if i.kind == "event"}
        full_rows = {c.id: c for c in full.coverage}
        for row in mine.coverage:
            if row.interviewer_id == interviewer:
                assert row == full_rows[row.id]


def test_a_follow_up_is_named_in_the_organisations_words(tmp_path: Path) -> None:
    """A 民进 database shows the stored 移送纪检 as its packs say it (001 第二十一条: 移送相关部门查核) and 向党组织汇报
    as 向民进组织汇报; the stored kind does not change."""
    from talk_helpers import held_talk, make_org

    from notes.followups import create_followup
    from prep.active import active_policy

    with init_database(tmp_path / "mj.db", PASSPHRASE, ["minjin-cq-2023"]).store as store:
        talk_id = held_talk(store, make_org(store))
        create_followup(store, talk_id=talk_id, kind="移送纪检", title="违纪线索", due_on="2026-06-01")
        create_followup(store, talk_id=talk_id, kind="向党组织汇报", title="汇报整改", due_on="2026-06-01")
        shown = {i.type_name for i in items(due_report(store, active_policy(store), date(2026, 6, 11)), "followup")}
        stored = {row["kind"] for row in store.query("SELECT kind FROM followups")}
    assert shown == {"移送相关部门查核", "向民进组织汇报"}
    assert stored == {"移送纪检", "向党组织汇报"}
