"""The shortcuts taken for speed (issue #9 item 6) give the answers of the longer way: the compliance record of
the running year judges rules and events in one pass, and a due item's holiday is looked up only when asked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from compliance_helpers import Unit, by_id, make_unit

from notes.followups import create_followup
from prep.active import active_policy
from prep.compliance import compliance_record
from prep.due import due_report, judge
from prep.worklist import build_worklist


@pytest.fixture
def unit(tmp_path: Path) -> Iterator[Unit]:
    made = make_unit(tmp_path)
    yield made
    made.store.close()


def _branch_with_history(unit: Unit) -> tuple[int, int, int]:
    """A 机关党委 and a branch: a secretary, members talked with in several months, an appointment (任职) and a
    发展对象 approved (events with before and after duties), one talk before the events, one after."""
    top = unit.unit("机关党委")
    member = unit.person("郑委员", top, "班子成员")
    branch = unit.unit("机关第一党支部", top)
    secretary = unit.person("张书记", branch, "支部书记", "支委")
    members = [unit.person(name, branch, "党员") for name in ("王建国", "李秀英", "赵海燕", "陈立新")]
    candidate = unit.person("刘发展", branch, "发展对象")
    unit.talk(members[0], "routine", "2026-02-10", secretary)
    unit.talk(members[1], "routine", "2026-05-12", secretary)
    unit.talk(members[1], "routine", "2026-09-03", secretary)
    unit.talk(secretary, "routine", "2026-06-18", member)
    approval = unit.event(candidate, "审批预备党员", "2026-03-10")
    unit.talk(candidate, "joining", "2026-03-15", member)
    appointed = unit.event(members[2], "任职决定", "2026-09-24")
    return secretary, approval, appointed


def test_the_running_years_record_judges_rules_and_events_as_two_judgements_would(unit: Unit) -> None:
    secretary, approval, appointed = _branch_with_history(unit)
    store, policy = unit.store, active_policy(unit.store)
    today, first, last = date(2026, 11, 22), date(2026, 1, 1), date(2026, 12, 31)
    rules = judge(store, policy, today)
    events = judge(store, policy, today, events_due=(first, last), rules=())
    record = compliance_record(store, policy, 2026, today)
    assert record.coverage == tuple(rules.coverage())
    judged_events = [ob.item for ob in record.obligations if ob.item.kind == "event"]
    assert sorted(judged_events, key=lambda i: i.id) == sorted(events.events, key=lambda i: i.id)
    assert {i.id for i in judged_events} >= {f"event:{approval}:joining:before", f"event:{approval}:joining:after"}
    assert any(i.id.startswith(f"event:{appointed}:") for i in judged_events)
    rule_ids = {ob.item.id for ob in record.obligations if ob.item.kind == "rule"}
    expected = {rules.rule_item(policy, ob).id for ob in rules.obligations + rules.earlier}
    assert rule_ids == expected and any(f":{secretary}:" in i for i in rule_ids)


def test_a_past_years_record_is_judged_at_its_last_day(unit: Unit) -> None:
    """Asked on a day after the year, the rules are judged on 31 December and the events on the day asked."""
    _branch_with_history(unit)
    store, policy = unit.store, active_policy(unit.store)
    record = compliance_record(store, policy, 2026, date(2027, 2, 1))
    assert record.coverage == tuple(judge(store, policy, date(2026, 12, 31)).coverage())
    assert all(ob.status != "open" for ob in record.obligations if ob.item.kind == "rule" and ob.item.year)


def test_a_holiday_is_named_for_a_talks_deadline_only(unit: Unit) -> None:
    """The deadline of 任职谈话 after a decision on 24 September falls on 国庆节; a follow-up due the same day
    names no holiday (as before the lookup was made lazy)."""
    top = unit.unit("区发改委")
    cadre = unit.person("许任职", top, "党员")
    event = unit.event(cadre, "任职决定", "2026-09-24")
    secretary = unit.person("张书记", top, "支部书记")
    code = unit.talk(cadre, "routine", "2026-09-20", secretary)
    store, policy = unit.store, active_policy(unit.store)
    followup = create_followup(store, talk_id=unit.talk_id(code), kind="整改", title="整改台账资料",
                               due_on="2026-10-01", at="2026-09-21T10:00")
    report = due_report(store, policy, date(2026, 9, 25))
    [item] = [i for i in report.items if i.id.startswith(f"event:{event}")]
    assert (item.due_by, item.holiday, item.as_json()["holiday"]) == ("2026-10-01", "国庆节", "国庆节")
    [raised] = [i for i in report.items if i.followup_id == followup]
    assert (raised.due_by, raised.holiday, raised.as_json()["holiday"]) == ("2026-10-01", "", "")
    assert by_id([i.as_json() for i in report.items], f"event:{event}")[0]["holiday"] == "国庆节"
    # The worklist carries the same items, holiday and all.
    [row] = [r for r in build_worklist(report.items, policy) if r.person_id == cadre]
    assert row.worst.holiday == "国庆节"
