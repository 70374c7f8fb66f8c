"""The compliance record and the due engine's semantics, clause by clause (docs/compliance.md), each case on a
unit the test builds: roster, roles, events, and talks written up with `tanxin talk` (补录)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from compliance_helpers import Unit, by_id, make_unit
from conftest import run_cli

from notes.followups import followup_from_entry, get_followup, next_step, set_followup_status
from notes.store import Store
from notes.talks import add_entry
from prep.active import active_policy
from prep.coverage import coverage_rows
from prep.due import holiday_on


@pytest.fixture
def unit(tmp_path: Path) -> Iterator[Unit]:
    made = make_unit(tmp_path)
    yield made
    made.store.close()


def _one(rows: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    [row] = by_id(rows, prefix)
    return row


# -- event duties: before, after, window -----------------------------------------------------------------


def _party_committee(unit: Unit) -> tuple[int, int, int, int]:
    """机关党委 with a 委员 (班子成员), a branch under it with its secretary, and a 发展对象 of the branch."""
    top = unit.unit("机关党委")
    member = unit.person("郑委员", top, "班子成员")
    branch = unit.unit("机关第一党支部", top)
    secretary = unit.person("张书记", branch, "支部书记")
    candidate = unit.person("李发展", branch, "发展对象")
    return branch, member, secretary, candidate


def test_000_2_2_6_before_approval_held_late_is_met_late(unit: Unit) -> None:
    """A talk 5 days after 审批预备党员 cannot be "before approval": met late; the "after" duty is met."""
    _, member, _, candidate = _party_committee(unit)
    event = unit.event(candidate, "审批预备党员", "2026-03-10")
    code = unit.talk(candidate, "joining", "2026-03-15", member)
    record = unit.compliance(2026, "2026-03-20")
    before, after = _one(record, f"event:{event}:joining:before"), _one(record, f"event:{event}:joining:after")
    assert (before["status"], after["status"]) == ("met_late", "met")
    assert before["talk_ids"] == after["talk_ids"] == [unit.talk_id(code)]
    assert by_id(unit.due("2026-03-20"), f"event:{event}") == []


def test_000_2_2_6_before_approval_held_in_time_is_met_and_after_stays_open(unit: Unit) -> None:
    _, member, _, candidate = _party_committee(unit)
    event = unit.event(candidate, "审批预备党员", "2026-03-10")
    unit.talk(candidate, "joining", "2026-03-05", member)
    record = unit.compliance(2026, "2026-03-20")
    assert _one(record, f"event:{event}:joining:before")["status"] == "met"
    assert _one(record, f"event:{event}:joining:after")["status"] == "open"
    [due] = by_id(unit.due("2026-03-20"), f"event:{event}")
    assert due["id"].endswith(":after") and due["status"] == "open"


def test_000_2_2_6_the_interviewer_must_be_a_committee_member_or_a_recorded_delegate(unit: Unit) -> None:
    """"机关党委要指派专人（党委委员或组织员）": the branch secretary's talk does not meet the before-approval duty;
    recorded as the committee's delegate (组织员) with a reason, it does."""
    _, _, secretary, candidate = _party_committee(unit)
    event = unit.event(candidate, "审批预备党员", "2026-03-10")
    code = unit.talk(candidate, "joining", "2026-03-05", secretary)
    [before] = [i for i in by_id(unit.due("2026-03-06"), f"event:{event}") if i["id"].endswith(":before")]
    assert "已谈的谈话人不是班子成员" in before["detail"]
    unit.cli("compliance", "delegate", code, "--interviewer", str(secretary), "--role", "班子成员",
             "--reason", "机关党委指派其作为组织员谈话")
    assert [i for i in by_id(unit.due("2026-03-06"), f"event:{event}") if i["id"].endswith(":before")] == []
    assert _one(unit.compliance(2026, "2026-03-06"), f"event:{event}:joining:before")["status"] == "met"
    refused = run_cli(["--db", str(unit.db), "compliance", "delegate", code, "--interviewer", str(candidate),
                       "--role", "班子成员", "--reason", "x"])
    assert refused.exit_code != 0 and "须是这次谈话的谈话人" in refused.stderr


def test_000_3_6_2_newcomer_needs_the_committee_member_and_the_direct_leader_each(unit: Unit) -> None:
    """"所在支委和直接领导分别谈": one talk by the 支委 leaves the duty open, saying who is still owed; the
    direct leader's talk meets it."""
    office = unit.unit("办公室")
    committee = unit.person("钱支委", office, "支委")
    leader = unit.person("孙主任", office, "部门负责人")
    newcomer = unit.person("周新进", office, "党员")
    event = unit.event(newcomer, "调入（借调）", "2026-04-01")
    first = unit.talk(newcomer, "newcomer", "2026-04-03", committee)
    [item] = by_id(unit.due("2026-04-04"), f"event:{event}")
    assert "分别谈：尚缺部门负责人谈话" in item["detail"]
    assert _one(unit.compliance(2026, "2026-04-04"), f"event:{event}")["status"] == "open"
    second = unit.talk(newcomer, "newcomer", "2026-04-08", leader)
    assert by_id(unit.due("2026-04-09"), f"event:{event}") == []
    row = _one(unit.compliance(2026, "2026-04-09"), f"event:{event}")
    assert (row["status"], row["talk_ids"]) == ("met", [unit.talk_id(first), unit.talk_id(second)])


def test_004_3_3_retirement_talk_after_the_formalities_is_late_and_an_early_one_does_not_count(unit: Unit) -> None:
    """退休谈话 "在办理退休手续前一周内": 10 days before is not in the window (it stays open); after the
    formalities it is met late."""
    org = unit.unit("区发改委")
    head = unit.person("组织部长", org, "主要负责同志")
    retiring = unit.person("王退休", org, "班子成员")
    event = unit.event(retiring, "退休", "2026-06-30")
    unit.talk(retiring, "retirement", "2026-06-20", head)
    [due] = by_id(unit.due("2026-06-25"), f"event:{event}")
    assert (due["due_by"], due["overdue"]) == ("2026-06-30", False)
    assert _one(unit.compliance(2026, "2026-07-01"), f"event:{event}")["status"] == "open"
    late = unit.talk(retiring, "retirement", "2026-07-03", head)
    row = _one(unit.compliance(2026, "2026-07-05"), f"event:{event}")
    assert (row["status"], row["talk_ids"]) == ("met_late", [unit.talk_id(late)])
    assert by_id(unit.due("2026-07-05"), f"event:{event}") == []


def test_004_3_2_unheld_removal_stays_overdue_after_a_year_until_waived(unit: Unit) -> None:
    """An unheld 免职谈话 no longer vanishes a year after its deadline; a waiver with a reason ends it, and the
    record shows the waiver."""
    org = unit.unit("区发改委")
    removed = unit.person("赵免职", org, "班子成员")
    event = unit.event(removed, "免职决定", "2026-01-10")
    for day, late in (("2027-01-17", 365), ("2027-01-18", 366), ("2027-03-01", 408)):
        [due] = by_id(unit.due(day), f"event:{event}")
        assert (due["overdue"], due["days_overdue"]) == (True, late)
    assert "已逾期 408 天" in unit.due_text("2027-03-01")
    unit.cli("compliance", "waive", f"event:{event}:removal:after", "--reason", "本人已调市里，由市委组织部谈话",
             now="2027-03-01T10:00")
    assert by_id(unit.due("2027-03-02"), f"event:{event}") == []
    row = _one(unit.compliance(2026, "2027-03-02"), f"event:{event}")
    assert (row["status"], row["waiver"]) == ("waived", "本人已调市里，由市委组织部谈话")
    again = run_cli(["--db", str(unit.db), "compliance", "waive", f"event:{event}:removal:after", "--reason", "改"])
    assert again.exit_code != 0 and "没有编号为" in again.stderr


def test_a_waiver_needs_a_reason_and_cannot_be_changed(unit: Unit) -> None:
    org = unit.unit("区发改委")
    removed = unit.person("赵免职", org, "班子成员")
    event = unit.event(removed, "免职决定", "2026-11-01")
    empty = run_cli(["--db", str(unit.db), "compliance", "waive", f"event:{event}:removal:after", "--reason", " "])
    assert empty.exit_code != 0 and "理由" in empty.stderr
    unit.cli("compliance", "waive", f"event:{event}:removal:after", "--reason", "录入有误")
    with pytest.raises(Exception, match="cannot be changed"):
        unit.store.execute("UPDATE compliance_notes SET reason = '改过'")
    with pytest.raises(Exception, match="cannot be changed"):
        unit.store.execute("DELETE FROM compliance_notes")
    assert unit.store.scalar("SELECT count(*) FROM audit_log WHERE subject = 'compliance_note'") == 1


# -- frequency duties -------------------------------------------------------------------------------------


def _branch(unit: Unit) -> tuple[int, int, list[int]]:
    """A branch: its secretary, a committee member and two members."""
    org = unit.unit("机关第一党支部")
    secretary = unit.person("张书记", org, "支部书记", "支委")
    committee = unit.person("钱支委", org, "支委")
    members = [unit.person(name, org, "党员") for name in ("孙党员", "周党员")]
    return secretary, committee, members


def test_000_2_collective_meetings_do_not_meet_the_committee_members_rule(unit: Unit) -> None:
    """000 二 "基层党组织开展谈心谈话以个别谈为主": two 集体 meetings with everyone do not meet "支委按照分工
    和党员谈，每年不少于两次" (000 二(二)3) for each of them; two 个别 talks do."""
    _, committee, (first, second) = _branch(unit)
    for day in ("2026-03-01", "2026-09-01"):
        unit.talk(first, "member_talk", day, committee, form="集体", others=(second,))
    record = unit.compliance(2026, "2026-11-22")
    for member in (first, second):
        [row] = [r for r in by_id(record, "rule:committee_members:") if r["person_id"] == member]
        assert (row["status"], row["talk_ids"]) == ("open", [])
    for day in ("2026-04-01", "2026-10-01"):
        unit.talk(first, "member_talk", day, committee)
    record = unit.compliance(2026, "2026-11-22")
    statuses = {r["person_id"]: r["status"] for r in by_id(record, "rule:committee_members:")}
    assert statuses == {first: "met", second: "open"}


def test_000_2_2_3_missed_yearly_duty_stays_visible_until_acknowledged(unit: Unit) -> None:
    """On 12-31 an unmet yearly duty becomes missed; from 1 January `due` shows "2026 年未完成" until it is
    acknowledged — it no longer resets."""
    secretary, committee, _ = _branch(unit)
    unit.talk(committee, "member_talk", "2026-05-01", secretary)  # one of the two 支部书记与支委 talks
    row = _one(unit.compliance(2026, "2027-01-05"), f"rule:secretary_committee:{secretary}:{committee}")
    assert (row["status"], row["acknowledged"]) == ("missed", False)
    missed = [item for item in unit.due("2027-01-05") if item["status"] == "missed"
              and item["rule"] == "secretary_committee"]
    assert [(m["person_id"], m["year"], m["due_by"], m["days_overdue"]) for m in missed] == [
        (committee, 2026, "2026-12-31", 5)]
    assert "2026 年未完成：支部书记与支委谈心：本期已谈 1/2 次" in unit.due_text("2027-01-05")
    unit.cli("compliance", "acknowledge", missed[0]["id"], "--reason", "支委长期借调，已在年度总结中说明",
             now="2027-01-05T10:00")
    assert [i for i in unit.due("2027-01-06") if i["id"] == missed[0]["id"]] == []
    row = _one(unit.compliance(2026, "2027-01-06"), f"rule:secretary_committee:{secretary}:{committee}")
    assert (row["status"], row["acknowledged"]) == ("missed", True)
    assert row["note"]["reason"] == "支委长期借调，已在年度总结中说明"
    # The rest of the year's misses at once.
    assert [i for i in unit.due("2027-01-06") if i["status"] == "missed"]
    unit.cli("compliance", "acknowledge", "--year", "2026", "--reason", "年度总结已说明", now="2027-01-06T10:00")
    assert [i for i in unit.due("2027-01-07") if i["status"] == "missed"] == []


def test_a_database_set_up_in_november_is_not_told_its_year_was_missed(tmp_path: Path) -> None:
    late = make_unit(tmp_path, created="2026-11-20")
    try:
        org = late.unit("机关第一党支部")
        late.person("张书记", org, "支部书记")
        late.person("孙党员", org, "党员")
        assert [i for i in late.due("2027-01-05") if i["status"] == "missed"] == []
        assert {r["status"] for r in late.compliance(2026, "2027-01-05")} == {"missed"}  # asked for: listed
    finally:
        late.store.close()


def test_000_2_1_2_new_branch_secretary_stays_overdue_after_183_days(unit: Unit) -> None:
    top = unit.unit("机关党委")
    branch = unit.unit("机关第二党支部", top)
    unit.person("机关党委书记", top, "主要负责同志")
    new = unit.person("吴新任", branch, "支部书记", start="2026-02-01")
    for day, overdue in (("2026-06-01", False), ("2026-08-04", True), ("2026-12-01", True)):
        [item] = [i for i in unit.due(day) if i["rule"] == "new_leaders_collective"]
        assert (item["person_id"], item["due_by"], item["overdue"]) == (new, "2026-08-03", overdue)


# -- one fact, one event; one rule, both sources -----------------------------------------------------------


def test_000_3_6_9_and_002_family_misfortune_are_one_fact_one_duty(unit: Unit) -> None:
    """配偶病故 is 000 重要家事 and 002 家庭变故: recorded once (or twice the same day) it makes one duty citing
    both, and one 关心关爱 talk clears it."""
    org = unit.unit("机关第一党支部")
    secretary = unit.person("张书记", org, "支部书记")
    widow = unit.person("郑丧偶", org, "党员")
    event = unit.event(widow, "婚丧喜庆等重要家事", "2026-05-04", "配偶病故")
    unit.event(widow, "家庭变故", "2026-05-04", "配偶病故")
    [item] = [i for i in unit.due("2026-05-06") if i["kind"] == "event"]
    assert (item["id"], item["source"], item["due_by"]) == (
        f"event:{event}:family_event:after", "000 三(六)9；002 篇6 第三(三)", "2026-05-11")
    code = unit.talk(widow, "care", "2026-05-08", secretary)
    assert [i for i in unit.due("2026-05-09") if i["kind"] == "event"] == []
    row = _one(unit.compliance(2026, "2026-05-09"), f"event:{event}")
    assert (row["status"], row["talk_ids"]) == ("met", [unit.talk_id(code)])


def test_002_sanbi_repeats_000_2_2_1_and_is_counted_once_with_both_sources(unit: Unit) -> None:
    org = unit.unit("区发改委")
    unit.person("钱主任", org, "主要负责同志")
    deputy = unit.person("孙副主任", org, "班子成员")
    rules = [i for i in unit.due("2026-11-22") if i["person_id"] == deputy and i["kind"] == "rule"
             and "head" in i["rule"]]
    assert [(i["rule"], i["source"]) for i in rules] == [
        ("head_team", "000 二(二)1；002 篇2；002 篇6 三(一)；003 三")]


# -- triggers and periodic duties added -----------------------------------------------------------------


def test_003_2_disciplined_cadre_is_a_trigger_of_its_own(unit: Unit) -> None:
    org = unit.unit("区发改委")
    cadre = unit.person("冯处分", org, "党员")
    event = unit.event(cadre, "受到纪律处分", "2026-09-01", "党内警告")
    [item] = by_id(unit.due("2026-09-02"), f"event:{event}")
    assert (item["type"], item["source"], item["due_by"]) == ("warning_reminder", "003 二", "2026-09-15")


def test_000_2_2_7_and_8_periodic_duties_quarterly_by_pack_choice(unit: Unit) -> None:
    org = unit.unit("机关第一党支部")
    committee = unit.person("钱支委", org, "支委")
    away = unit.person("王流动", org, "党员", "流动党员")
    sick = unit.person("陈住院", org, "党员", "生病住院")
    due = {i["rule"]: i for i in unit.due("2026-11-22") if i["person_id"] in (away, sick)}
    assert (due["mobile_members_regular"]["due_by"], due["mobile_members_regular"]["source"]) == (
        "2026-12-31", "000 二(二)7")
    assert due["sick_members_regular"]["source"] == "000 二(二)8"
    unit.talk(away, "mobile_member", "2026-10-10", committee)
    # The running quarter is met; the three before it were missed and stay until acknowledged.
    left = [i for i in unit.due("2026-11-22") if i["rule"] == "mobile_members_regular"]
    assert [(i["due_by"], i["status"], i["detail"][:15]) for i in left] == [
        (end, "missed", f"{end} 前未完成") for end in ("2026-03-31", "2026-06-30", "2026-09-30")]
    unit.cli("compliance", "acknowledge", left[0]["id"], "--reason", "一季度在外培训，已电话联系未记录")
    assert len([i for i in unit.due("2026-11-22") if i["rule"] == "mobile_members_regular"]) == 2
    packs = unit.cli("packs").output
    [line] = [line for line in packs.splitlines() if "流动党员 → " in line or ("流动党员" in line and "每 3 个月" in line)]
    assert "本包设定" in line


def test_a_deadline_on_a_statutory_holiday_is_flagged(unit: Unit) -> None:
    assert holiday_on(date(2026, 10, 1)) == "国庆节" and holiday_on(date(2026, 10, 9)) == ""
    org = unit.unit("区发改委")
    cadre = unit.person("许任职", org, "党员")
    event = unit.event(cadre, "任职决定", "2026-09-24")
    [item] = by_id(unit.due("2026-09-25"), f"event:{event}")
    assert (item["due_by"], item["holiday"]) == ("2026-10-01", "国庆节")
    row = _one(unit.compliance(2026, "2026-09-25"), f"event:{event}")
    assert row["holiday"] == "国庆节"
    assert "期限逢国庆节" in unit.cli("compliance", "--year", "2026", "--as-of", "2026-09-25").output


# -- escalation as the sources say ----------------------------------------------------------------------


def test_escalation_honours_after_days_and_001_17_alternatives(unit: Unit, tmp_path: Path) -> None:
    """A 整改 two days overdue is told to 提醒, not to 函询 (from day 30, 本包设定); 001 第十七条 警示 **或**
    组织处理意见 is one rung."""
    org = unit.unit("区发改委")
    boss, person = unit.person("处长", org), unit.person("周整改", org, "党员")
    code = unit.talk(person, "admonition", "2026-05-01", boss)
    entry = add_entry(unit.store, unit.talk_id(code), text="报销不规范", kind="发现问题")
    followup = get_followup(unit.store, followup_from_entry(unit.store, entry, kind="整改", due_on="2026-06-01",
                                                            owner_id=person))
    rungs = unit.policy.escalation_rungs()
    assert next_step(followup, rungs, date(2026, 6, 3)) == "跟进提醒"
    set_followup_status(unit.store, followup.id, "escalated", note="跟进提醒")
    escalated = get_followup(unit.store, followup.id)
    assert next_step(escalated, rungs, date(2026, 6, 20)) is None  # 函询 only from day 30
    assert next_step(escalated, rungs, date(2026, 7, 1)) == "跟进函询"
    assert unit.policy.escalation_rungs() == ((0, "跟进提醒"), (30, "跟进函询"), (60, "跟进诫勉"))
    (tmp_path / "mj").mkdir()
    minjin = make_unit(tmp_path / "mj", packs=["minjin-cq-2023", "practice"])
    try:
        assert minjin.policy.escalation_ladder() == ("提醒", "警示或组织处理意见")
        assert minjin.policy.followup_source() == "001 第十五条；001 第十七条"
    finally:
        minjin.store.close()


# -- the record agrees with due and coverage -------------------------------------------------------------


def _agree(unit_store: Store, db: Path, year: int, as_of: str) -> None:
    """compliance --json, due --json and the coverage rows say the same about the year."""
    env = {"TANXIN_NOW": f"{as_of}T10:00"}
    record = json.loads(run_cli(["--db", str(db), "compliance", "--year", str(year), "--as-of", as_of, "--json"],
                                env=env).output)
    due = json.loads(run_cli(["--db", str(db), "due", "--as-of", as_of, "--json"], env=env).output)
    first, last = f"{year}-01-01", f"{year}-12-31"
    owed = {i["id"] for i in due if i["kind"] in ("event", "rule") and i["status"] == "open"
            and first <= i["due_by"] <= last}
    open_ids = {r["id"] for r in record if r["status"] == "open"}
    assert owed == open_ids
    rows = coverage_rows(unit_store, active_policy(unit_store), year, None, today=date.fromisoformat(as_of))
    policy = active_policy(unit_store)
    for rule in policy.rules.values():
        name = rule.name + ("（原则上）" if rule.in_principle else "")
        # Coverage is of the period running on the day (as `due --coverage`); the record also keeps the quarters
        # that ended before it ("…:2026-03-31").
        mine = [r for r in record if r["kind"] == "rule" and r["rule"] == rule.id
                and not re.search(r":\d{4}-\d\d-\d\d$", r["id"])]
        covered = [row for row in rows if row.rule == name]
        assert sum(row.required for row in covered) == len(mine), rule.id
        assert sum(row.done for row in covered) == sum(1 for r in mine if r["status"] == "met"), rule.id
    events = [r for r in record if r["kind"] == "event" and r["status"] != "waived"]
    event_rows = [row for row in rows if row.rule.endswith("（必谈）")]
    assert sum(row.required for row in event_rows) == len(events)
    assert sum(row.done for row in event_rows) == sum(1 for r in events if r["status"] in ("met", "met_late"))


def test_compliance_agrees_with_due_and_coverage_on_the_demo(demo_store: Store, demo_db: Path) -> None:
    _agree(demo_store, demo_db, 2026, "2026-11-22")


def test_compliance_agrees_with_due_and_coverage_on_a_fresh_unit(unit: Unit) -> None:
    branch, member, secretary, candidate = _party_committee(unit)
    committee = unit.person("钱支委", branch, "支委")
    members = [unit.person(name, branch, "党员") for name in ("孙党员", "周党员", "吴党员")]
    admission = unit.event(candidate, "审批预备党员", "2026-03-10")
    unit.talk(candidate, "joining", "2026-03-15", member)  # before: late; after: met
    for person in members[:2]:
        unit.talk(person, "member_talk", "2026-04-01", committee)
        unit.talk(person, "member_talk", "2026-09-01", secretary)
    removal = unit.event(members[2], "免职决定", "2026-10-01")
    unit.cli("compliance", "waive", f"event:{removal}:removal:after", "--reason", "录入有误")
    unit.event(members[0], "婚丧喜庆等重要家事", "2026-11-20", "父亲病故")
    _agree(unit.store, unit.db, 2026, "2026-11-22")
    statuses = {r["id"]: r["status"] for r in unit.compliance(2026, "2026-11-22")}
    assert statuses[f"event:{admission}:joining:before"] == "met_late"
    assert statuses[f"event:{removal}:removal:after"] == "waived"


def test_000_2_2_7_a_missed_quarter_is_missed_in_the_record(unit: Unit) -> None:
    """Every quarter of the year is an obligation of its own: Q1 without a talk is missed, Q2 with one is met."""
    org = unit.unit("机关第一党支部")
    committee = unit.person("钱支委", org, "支委")
    away = unit.person("王流动", org, "党员", "流动党员")
    code = unit.talk(away, "mobile_member", "2026-05-10", committee, form="个别")
    rows = [r for r in unit.compliance(2026, "2026-11-22") if r["rule"] == "mobile_members_regular"]
    assert [(r["id"], r["due_by"], r["status"], r["talk_ids"]) for r in rows] == [
        (f"rule:mobile_members_regular:u{org}:{away}:2026-03-31", "2026-03-31", "missed", []),
        (f"rule:mobile_members_regular:u{org}:{away}", "2026-06-30", "met", [unit.talk_id(code)]),
        (f"rule:mobile_members_regular:u{org}:{away}:2026-09-30", "2026-09-30", "missed", []),
        (f"rule:mobile_members_regular:u{org}:{away}", "2026-12-31", "open", []),
    ]


def test_000_3_6_5_a_collective_talk_does_not_meet_a_one_to_one_duty(unit: Unit) -> None:
    """困难帮扶谈话 is 个别 (its talk type's forms): a 集体 meeting with the person does not meet 遇困受挫; a 个别
    talk does, and the record's text says 逾期未谈 then 补办."""
    org = unit.unit("机关第一党支部")
    secretary = unit.person("张书记", org, "支部书记")
    troubled, other = unit.person("何受挫", org, "党员"), unit.person("马党员", org, "党员")
    event = unit.event(troubled, "遇困受挫", "2026-06-01")
    unit.talk(troubled, "hardship", "2026-06-03", secretary, form="集体", others=(other,))
    assert [i["id"] for i in by_id(unit.due("2026-06-10"), f"event:{event}")] == [f"event:{event}:hardship:after"]
    text = unit.cli("compliance", "--year", "2026", "--as-of", "2026-06-10").output
    assert "逾期未谈  2026-06-08  何受挫" in text
    unit.talk(troubled, "hardship", "2026-06-12", secretary)
    text = unit.cli("compliance", "--year", "2026", "--as-of", "2026-06-13").output
    assert "补办  2026-06-08  何受挫" in text and "补办 1" in text
