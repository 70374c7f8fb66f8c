"""Follow-ups: created from an entry in one step, tracked through their statuses, escalated when overdue."""

from __future__ import annotations

from datetime import date

import pytest
from talk_helpers import Org, held_talk, make_org

from notes import followups, inquiry, seal, talks
from notes.errors import InvalidInput, NotFound
from notes.store import Store

LADDER = [(0, "提醒"), (0, "警示"), (0, "组织处理")]


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


def test_followup_from_entry_in_one_step(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org, ["考勤不严，多次迟到。\n第二行细节"])
    entry = talks.get_talk(store, talk_id).entries[0]
    followup_id = followups.followup_from_entry(store, entry.id, kind="整改", due_on="2026-04-30")
    found = followups.get_followup(store, followup_id)
    assert (found.title, found.kind, found.due_on, found.status) == ("考勤不严，多次迟到。", "整改", "2026-04-30", "open")
    assert found.person.id == org.member and found.owner is not None and found.owner.id == org.secretary
    assert found.entry_id == entry.id and found.talk_code == talks.get_talk(store, talk_id).code
    assert [e.status for e in found.history] == ["open"]
    assert talks.get_talk(store, talk_id).followups[0].id == followup_id


def test_a_confidential_entry_never_becomes_a_title(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org, ["举报人：王某（财务科）反映其收受礼金"], confidential=[True])
    entry = talks.get_talk(store, talk_id).entries[0]
    found = followups.get_followup(store, followups.followup_from_entry(store, entry.id, kind="移送纪检"))
    assert "王某" not in found.title and "内容保密" in found.title


def test_rectification_needs_a_deadline(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org)
    with pytest.raises(InvalidInput, match="整改事项必须有完成期限"):
        followups.create_followup(store, talk_id=talk_id, kind="整改", title="改正作风")
    with pytest.raises(InvalidInput, match="跟踪事项类别"):
        followups.create_followup(store, talk_id=talk_id, kind="批评", title="x")
    with pytest.raises(InvalidInput, match="不是有效日期"):
        followups.create_followup(store, talk_id=talk_id, kind="帮扶", title="x", due_on="月底")
    helped = followups.create_followup(store, talk_id=talk_id, kind="帮扶", title="协调子女入学",
                                       person_id=org.member, owner_id=org.other)
    assert followups.get_followup(store, helped).owner.name == "王芳"  # type: ignore[union-attr]


def test_an_admonition_is_not_sealed_without_a_rectification(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org, ["存在违规问题"], talk_type="admonition")
    with pytest.raises(InvalidInput, match="带期限的整改事项"):
        seal.seal_talk(store, talk_id, require_rectification=True)
    followups.create_followup(store, talk_id=talk_id, kind="整改", title="限期整改", due_on=date(2026, 5, 1))
    assert seal.seal_talk(store, talk_id, require_rectification=True).seq == 2
    # follow-ups go on after the seal: they are not part of the sealed record
    later = followups.create_followup(store, talk_id=talk_id, kind="向党组织汇报", title="汇报整改情况")
    followups.set_followup_status(store, later, "done", note="已汇报")
    assert seal.verify_chain(store).ok


def test_status_transitions_and_history(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org)
    followup_id = followups.create_followup(store, talk_id=talk_id, kind="整改", title="整改", due_on="2026-04-30")
    with pytest.raises(InvalidInput, match="不能改为“已核实办结”"):
        followups.set_followup_status(store, followup_id, "verified")
    followups.set_followup_status(store, followup_id, "in_progress", note="已制定整改方案")
    followups.set_followup_status(store, followup_id, "done", note="整改完成", evidence="整改报告一份")
    followups.set_followup_status(store, followup_id, "verified", note="经核实")
    found = followups.get_followup(store, followup_id)
    assert found.status == "verified" and found.evidence == "整改报告一份"
    assert [(e.status, e.note) for e in found.history] == [
        ("open", ""), ("in_progress", "已制定整改方案"), ("done", "整改完成"), ("verified", "经核实")]
    with pytest.raises(InvalidInput, match="无（已办结）"):
        followups.set_followup_status(store, followup_id, "escalated")
    with pytest.raises(NotFound):
        followups.set_followup_status(store, 999, "done")


def test_overdue_rectification_climbs_the_escalation_ladder(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org)
    late = followups.create_followup(store, talk_id=talk_id, kind="整改", title="限期整改", due_on="2026-03-31")
    followups.create_followup(store, talk_id=talk_id, kind="整改", title="下月整改", due_on="2026-06-30")
    helped = followups.create_followup(store, talk_id=talk_id, kind="帮扶", title="帮扶", due_on="2026-03-01")
    as_of = date(2026, 4, 15)
    overdue = followups.list_followups(store, overdue_as_of=as_of)
    assert [f.id for f in overdue] == [helped, late]
    steps = []
    for _ in range(4):
        current = followups.get_followup(store, late)
        step = followups.next_step(current, LADDER, as_of)
        steps.append(step)
        if step:
            followups.set_followup_status(store, late, "escalated", note=step)
    assert steps == ["提醒", "警示", "组织处理", None]
    assert followups.next_step(followups.get_followup(store, helped), LADDER, as_of) is None  # not a 整改
    followups.set_followup_status(store, late, "done", note="终于完成")
    assert followups.get_followup(store, late).is_overdue(as_of) is False


def test_open_followups_of_a_person(store: Store, org: Org) -> None:
    first = held_talk(store, org)
    second = held_talk(store, org, interviewee=org.other)
    mine = followups.create_followup(store, talk_id=first, kind="帮扶", title="解决住房")
    done = followups.create_followup(store, talk_id=first, kind="转有关部门", title="转人事处")
    followups.create_followup(store, talk_id=second, kind="帮扶", title="王芳的事")
    followups.set_followup_status(store, done, "done")
    followups.set_followup_status(store, done, "verified")
    assert [f.id for f in followups.open_followups(store, org.member)] == [mine]
    assert [f.id for f in followups.list_followups(store, person_id=org.member, status="verified")] == [done]


def test_no_followup_before_a_talk_is_held(store: Store, org: Org) -> None:
    planned = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
    with pytest.raises(InvalidInput, match="尚未进行"):
        followups.create_followup(store, talk_id=planned, kind="帮扶", title="x")
    other_talk = held_talk(store, org)
    entry = talks.get_talk(store, other_talk).entries[0]
    started = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
    talks.start_talk(store, started)
    with pytest.raises(InvalidInput, match="不属于"):
        followups.create_followup(store, talk_id=started, kind="帮扶", title="x", entry_id=entry.id)


def test_written_inquiry_and_reply(store: Store, org: Org) -> None:
    talk_id = talks.create_talk(store, talk_type="reminder", interviewers=[org.secretary], interviewees=[org.member],
                                channel="函询")
    with pytest.raises(InvalidInput, match="请先记录函询"):
        inquiry.record_reply(store, talk_id, received_on="2026-03-10", reply="说明如下")
    inquiry.set_inquiry(store, talk_id, sent_on="2026-03-01", questions="1. 关于某事的情况说明")
    with pytest.raises(InvalidInput, match="早于发函日期"):
        inquiry.record_reply(store, talk_id, received_on="2026-02-20", reply="说明")
    inquiry.record_reply(store, talk_id, received_on=date(2026, 3, 9), reply="已如实说明。")
    found = inquiry.get_inquiry(store, talk_id)
    assert found is not None and (found.sent_on, found.received_on, found.reply) == (
        "2026-03-01", "2026-03-09", "已如实说明。")
    face_to_face = held_talk(store, org)
    with pytest.raises(InvalidInput, match="不是函询"):
        inquiry.set_inquiry(store, face_to_face, sent_on="2026-03-01")
    talks.finish_talk(store, talk_id, at="2026-03-09")
    talks.set_outcome(store, talk_id, summary="已书面说明。")
    seal.seal_talk(store, talk_id)
    assert seal.canonical_record(store, talk_id)["inquiry"]["reply"] == "已如实说明。"
    with pytest.raises(InvalidInput, match="已封存"):
        inquiry.set_inquiry(store, talk_id, questions="补问")


def test_open_is_defined_once_and_a_done_followup_awaiting_verification_is_open(store: Store, org: Org) -> None:
    """工作台, the board and the report count "open" the same way: everything not yet verified 办结."""
    talk_id = held_talk(store, org)
    done = followups.create_followup(store, talk_id=talk_id, kind="帮扶", title="协调子女入学")
    followups.set_followup_status(store, done, "done", note="已协调")
    closed = followups.create_followup(store, talk_id=talk_id, kind="帮扶", title="困难补助")
    followups.set_followup_status(store, closed, "done")
    followups.set_followup_status(store, closed, "verified")
    assert followups.is_open("open") and followups.is_open("done") and followups.is_open("escalated")
    assert not followups.is_open("verified")
    assert [f.id for f in followups.open_followups(store, org.member)] == [done]
    everyone = followups.list_followups(store)
    assert [f.id for f in everyone if followups.is_open(f.status)] == [done]
