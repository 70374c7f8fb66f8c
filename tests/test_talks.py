"""A talk from plan to held record: statuses, participants, entries, coverage, drafts, lists, and bad input."""

from __future__ import annotations

import json

import pytest
from conftest import TEST_TODAY
from talk_helpers import Org, held_talk, make_org

from notes import seal, talks
from notes.errors import InvalidInput, NotFound
from notes.store import Store


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


def _plan(store: Store, org: Org, **overrides: object) -> int:
    arguments: dict[str, object] = {
        "talk_type": "routine",
        "interviewers": [org.secretary],
        "interviewees": [org.member],
        "planned_at": "2026-03-02T09:00",
    }
    arguments.update(overrides)
    return talks.create_talk(store, **arguments)  # type: ignore[arg-type]


def test_create_assigns_a_code_per_year_and_is_audited(store: Store, org: Org) -> None:
    first = _plan(store, org)
    second = _plan(store, org, planned_at="2026-05-01")
    other_year = _plan(store, org, planned_at="2025-12-30T15:00")
    assert [talks.get_talk(store, t).code for t in (first, second, other_year)] == [
        "TX-2026-0001", "TX-2026-0002", "TX-2025-0001"]
    record = talks.get_talk(store, first)
    assert record.status == "planned" and record.unit == "机关党委" and record.held_at == "2026-03-02T09:00:00"
    assert [p.name for p in record.interviewers] == ["张书记"]
    assert record.interviewees[0].position == "科员"
    audit = store.query("SELECT action, subject, subject_id FROM audit_log WHERE subject = 'talk' ORDER BY id")
    assert audit[0] == {"action": "create", "subject": "talk", "subject_id": first}
    assert talks.resolve_talk(store, "tx-2026-0002") == second
    assert talks.resolve_talk(store, str(first)) == first


def test_a_code_taken_by_an_imported_record_is_skipped(store: Store, org: Org) -> None:
    store.insert("talks", {"code": "TX-2026-0001", "talk_type": "routine", "planned_at": "2026-01-01"})
    store.insert("talks", {"code": "TX-2026-0002", "talk_type": "routine", "planned_at": "2026-01-01"})
    assert talks.get_talk(store, _plan(store, org)).code == "TX-2026-0003"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"interviewers": []}, "至少需要一名谈话人"),
        ({"interviewees": []}, "至少需要一名谈话对象"),
        ({"interviewees": [1]}, "不能既是谈话人又是谈话对象"),
        ({"interviewees": [999]}, "999"),
        ({"form": "小组"}, "谈话形式"),
        ({"channel": "飞鸽"}, "谈话方式"),
        ({"planned_at": "下周三"}, "不是有效时间"),
        ({"talk_type": " "}, "谈话类型不能为空"),
    ],
)
def test_create_refuses_bad_plans(store: Store, org: Org, overrides: dict[str, object], message: str) -> None:
    if overrides.get("interviewees") == [1]:
        overrides = {"interviewees": [org.secretary]}
    with pytest.raises((InvalidInput, NotFound), match=message):
        _plan(store, org, **overrides)
    assert store.scalar("SELECT count(*) FROM talks") == 0


def test_a_collective_talk_has_several_interviewees(store: Store, org: Org) -> None:
    with pytest.raises(InvalidInput, match="集体"):
        _plan(store, org, interviewees=[org.member, org.other])
    talk_id = _plan(store, org, interviewees=[org.member, org.other], form="集体", note_taker=org.namesake)
    record = talks.get_talk(store, talk_id)
    assert record.person == "李明、王芳" and record.note_taker is not None and record.note_taker.id == org.namesake
    with pytest.raises(InvalidInput, match="个别谈话只能有一名"):
        talks.update_talk(store, talk_id, form="个别")


def test_lifecycle_planned_in_progress_held(store: Store, org: Org) -> None:
    talk_id = _plan(store, org)
    talks.update_talk(store, talk_id, place="小会议室", channel="电话", planned_at="2026-03-03T10:00")
    talks.start_talk(store, talk_id, at="2026-03-03T10:02")
    with pytest.raises(InvalidInput, match="只有计划中的谈话可以开始"):
        talks.start_talk(store, talk_id)
    with pytest.raises(InvalidInput, match="早于开始时间"):
        talks.finish_talk(store, talk_id, at="2026-03-03T09:00")
    talks.finish_talk(store, talk_id, at="2026-03-03T10:40")
    record = talks.get_talk(store, talk_id)
    assert (record.status, record.place, record.channel) == ("held", "小会议室", "电话")
    assert (record.started_at, record.ended_at, record.held_at) == (
        "2026-03-03T10:02:00", "2026-03-03T10:40:00", "2026-03-03T10:02:00")
    with pytest.raises(InvalidInput, match="已经谈过，不能取消"):
        talks.cancel_talk(store, talk_id, "改期")
    with pytest.raises(InvalidInput, match="不能用这种方式修改 status"):
        talks.update_talk(store, talk_id, status="sealed")


def test_a_talk_recorded_afterwards_goes_straight_to_held(store: Store, org: Org) -> None:
    talk_id = _plan(store, org, channel="书面")
    talks.finish_talk(store, talk_id, at="2026-03-02")
    record = talks.get_talk(store, talk_id)
    assert record.status == "held" and record.held_at == "2026-03-02T09:00:00"


def test_cancel_needs_a_reason_and_records_a_refusal(store: Store, org: Org) -> None:
    talk_id = _plan(store, org)
    with pytest.raises(InvalidInput, match="取消原因不能为空"):
        talks.cancel_talk(store, talk_id, "  ")
    talks.cancel_talk(store, talk_id, "无故拒绝谈话", refused=True)
    record = talks.get_talk(store, talk_id)
    assert (record.status, record.cancel_reason, record.refused) == ("cancelled", "无故拒绝谈话", True)
    with pytest.raises(InvalidInput, match="已取消"):
        talks.add_entry(store, talk_id, text="x")


def test_entries_keep_order_offsets_and_flags(store: Store, org: Org) -> None:
    talk_id = _plan(store, org)
    talks.start_talk(store, talk_id)
    first = talks.add_entry(store, talk_id, text="父亲住院，家里困难。", heading="谈生活", kind="困难诉求")
    second = talks.add_entry(store, talk_id, text="举报人：某某", heading="谈作风", kind="发现问题", confidential=True,
                             offset_seconds=600)
    talks.update_entry(store, first, text="父亲住院，需要请假。", kind="困难诉求")
    with pytest.raises(InvalidInput, match="记录类别"):
        talks.update_entry(store, first, kind="闲聊")
    with pytest.raises(InvalidInput, match="没有“color”"):
        talks.update_entry(store, first, color="red")
    record = talks.get_talk(store, talk_id)
    assert [(e.id, e.position, e.heading, e.confidential) for e in record.entries] == [
        (first, 1, "谈生活", False), (second, 2, "谈作风", True)]
    assert record.entries[0].text == "父亲住院，需要请假。" and 0 <= record.entries[0].offset_seconds < 5
    assert record.entries[1].offset_seconds == 600
    talks.delete_entry(store, first)
    assert [e.id for e in talks.get_talk(store, talk_id).entries] == [second]
    deleted = store.query_one("SELECT detail FROM audit_log WHERE action = 'delete' AND subject_id = ?", [first])
    assert deleted is not None and "父亲" not in deleted["detail"]
    with pytest.raises(NotFound):
        talks.update_entry(store, first, text="x")


def test_as_json_without_confidential_leaves_them_out_entirely(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org, ["公开内容", "举报人：王某，财务科"], confidential=[False, True])
    record = talks.get_talk(store, talk_id)
    full = record.as_json(TEST_TODAY)
    assert [e["confidential"] for e in full["entries"]] == [False, True]
    assert {"id", "heading", "kind", "text", "confidential"} <= set(full["entries"][0])
    public = record.as_json(TEST_TODAY, include_confidential=False)
    assert "王某" not in json.dumps(public, ensure_ascii=False)
    assert public["confidential_omitted"] == 1 and len(public["entries"]) == 1


def test_point_coverage_counts_only_entries_with_text(store: Store, org: Org) -> None:
    talk_id = _plan(store, org)
    talks.add_entry(store, talk_id, text="宣布任职决定", heading="组织决定及理由")
    talks.add_entry(store, talk_id, text="   ", heading="新岗位要求")
    coverage = talks.point_coverage(talks.get_talk(store, talk_id), ["组织决定及理由", "新岗位要求", "听取本人意见"])
    assert coverage == {"组织决定及理由": True, "新岗位要求": False, "听取本人意见": False}


def test_draft_state_survives_reopening(store: Store, org: Org) -> None:
    talk_id = _plan(store, org)
    assert talks.draft_state(store, talk_id) == {}
    talks.save_draft_state(store, talk_id, {"entry_id": 3, "cursor": [0, 12], "note": "李明[/]"})
    with store.reopen() as again:
        assert talks.draft_state(again, talk_id) == {"entry_id": 3, "cursor": [0, 12], "note": "李明[/]"}
    with pytest.raises(InvalidInput, match="编辑位置无法保存"):
        talks.save_draft_state(store, talk_id, {"bad": object()})


def test_list_talks_filters_and_orders(store: Store, org: Org) -> None:
    early = held_talk(store, org, day="2025-11-02")
    late = held_talk(store, org, day="2026-04-01", interviewee=org.other)
    planned = _plan(store, org, planned_at="2026-06-01")
    cancelled = _plan(store, org, planned_at="2026-02-01")
    talks.cancel_talk(store, cancelled, "出差")
    assert [t.id for t in talks.list_talks(store)] == [planned, late, cancelled, early]
    assert [t.id for t in talks.list_talks(store, person_id=org.member)] == [planned, cancelled, early]
    assert [t.id for t in talks.list_talks(store, person_id=org.secretary, role="interviewer", year=2025)] == [early]
    assert [t.id for t in talks.list_talks(store, status="held")] == [late, early]
    assert talks.list_talks(store, person_id=org.secretary, role="interviewee") == []
    summary = talks.list_talks(store, person_id=org.other)[0]
    assert (summary.person, summary.interviewer_names, summary.status_label) == ("王芳", ("张书记",), "已谈话")
    assert {"id", "person", "type", "held_at", "status"} <= set(summary.as_json())
    with pytest.raises(InvalidInput, match="谈话状态"):
        talks.list_talks(store, status="done")


def test_list_talks_pages(store: Store, org: Org) -> None:
    ids = [_plan(store, org, planned_at=f"2026-03-{day:02d}") for day in range(1, 8)]
    assert [t.id for t in talks.list_talks(store, limit=3)] == ids[::-1][:3]
    assert [t.id for t in talks.list_talks(store, limit=3, offset=3)] == ids[::-1][3:6]


@pytest.mark.parametrize(
    ("where", "index"),
    [
        ("t.id IN (SELECT talk_id FROM talk_participants WHERE person_id = 1)", "participants_person"),
        ("coalesce(t.started_at, t.planned_at) >= '2026' AND coalesce(t.started_at, t.planned_at) < '2027'",
         "talks_held_at"),
        ("1 ORDER BY coalesce(t.started_at, t.planned_at) DESC, t.id DESC LIMIT 50", "talks_held_at"),
    ],
)
def test_list_talks_queries_use_indexes(store: Store, where: str, index: str) -> None:
    plan = store.query(f"EXPLAIN QUERY PLAN SELECT t.id FROM talks t WHERE {where}")
    assert any(index in row["detail"] for row in plan), plan


BAD_TEXTS = {
    "markup": "[bold]李明[/] [@click=app.quit]退出[/] x[/]",
    "escapes": "\x1b[2J\x1b]0;pwned\x07清屏 \r\n回车",
    "nul": "前\x00后",
    "bidi": "\u202e反向文字\u202c 与 \u2066隔离\u2069",
    "huge": "谈" * 200_000,
    "nfd": "e\u0301 Å",  # decomposed forms are stored as typed; the seal hashes their NFC form
}


@pytest.mark.parametrize("name", sorted(BAD_TEXTS))
def test_bad_input_is_stored_and_returned_exactly(store: Store, org: Org, name: str) -> None:
    text = BAD_TEXTS[name]
    talk_id = held_talk(store, org, [text, "普通内容"])
    talks.save_draft_state(store, talk_id, {"text": text})
    record = talks.get_talk(store, talk_id)
    assert record.entries[0].text == text
    assert record.as_json(TEST_TODAY)["entries"][0]["text"] == text
    assert talks.draft_state(store, talk_id) == {"text": text}
    seal.seal_talk(store, talk_id)
    assert talks.get_talk(store, talk_id).entries[0].text == text
    assert seal.verify_chain(store, seal.chain_head(store)).ok


def test_a_lone_surrogate_is_refused_with_a_clear_message(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org, ["原来的内容"])
    entry_id = talks.get_talk(store, talk_id).entries[0].id
    with pytest.raises(InvalidInput, match=r"第 3 个字符（U\+D83D）是不完整的字符"):
        talks.update_entry(store, entry_id, text="坏了\ud83d")
    with pytest.raises(InvalidInput, match="不完整的字符"):
        talks.add_entry(store, talk_id, text="\udc00")
    with pytest.raises(InvalidInput, match="太长"):
        talks.add_entry(store, talk_id, text="x" * 500_001)
    record = talks.get_talk(store, talk_id)
    assert [e.text for e in record.entries] == ["原来的内容"]
    seal.seal_talk(store, talk_id)
    assert seal.verify_chain(store).ok


def test_a_sealed_talk_cannot_be_changed_through_the_api(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org)
    entry_id = talks.get_talk(store, talk_id).entries[0].id
    seal.seal_talk(store, talk_id)
    for attempt in (
        lambda: talks.update_entry(store, entry_id, text="改"),
        lambda: talks.delete_entry(store, entry_id),
        lambda: talks.add_entry(store, talk_id, text="补"),
        lambda: talks.set_outcome(store, talk_id, summary="改"),
        lambda: talks.update_talk(store, talk_id, place="别处"),
    ):
        with pytest.raises(InvalidInput, match="已封存"):
            attempt()
    talks.save_draft_state(store, talk_id, {"x": 1})  # a sealed record has no draft: nothing is written
    assert talks.draft_state(store, talk_id) == {}
