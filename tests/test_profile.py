"""十个清楚 profiles: entries per dimension, completeness and staleness as of a date, the watch list."""

from __future__ import annotations

from datetime import date

import pytest

from notes.errors import InvalidInput, NotFound
from notes.store import Store
from prep.packs import Policy, load_policy
from prep.profile import (
    add_profile_entry,
    clear_flag,
    flag_person,
    list_profile_entries,
    profile_summary,
    resolve_dimension,
    watch_list,
)


@pytest.fixture
def policy() -> Policy:
    return load_policy(["suzhou-2018", "cadre-talks", "practice"])


@pytest.fixture
def person(store: Store) -> int:
    unit = store.insert("units", {"name": "机关第一党支部"})
    return store.insert("people", {"name": "张三", "unit_id": unit})


def states(store: Store, policy: Policy, person: int, as_of: str) -> dict[str, str]:
    summary = profile_summary(store, policy, person, date.fromisoformat(as_of))
    return {d.id: d.state for d in summary.dimensions}


def test_dimensions_come_from_the_pack_in_order(store: Store, policy: Policy, person: int) -> None:
    summary = profile_summary(store, policy, person, date(2026, 6, 1))
    assert [d.name for d in summary.dimensions] == [
        "基本情况", "政治思想", "习性特点", "现实表现", "个人困难", "家庭综合", "社会交往", "经济消费", "在外情况", "重点人员"]
    assert summary.filled == 0 and summary.completeness == 0.0 and len(summary.empty) == 10
    assert summary.dimensions[0].prompts[0].startswith("出生年月")
    assert summary.dimensions[0].source == "000 三(七)1"


def test_completeness_and_staleness_as_of_a_date(store: Store, policy: Policy, person: int) -> None:
    add_profile_entry(store, policy, person, "基本情况", "1985年生，本科。", "2025-01-01", "档案")
    add_profile_entry(store, policy, person, "performance", "工作积极。", "2026-01-01", "支部书记反映")
    add_profile_entry(store, policy, person, "现实表现情况清楚", "近期情绪低落。", "2026-05-01", "本人谈话")
    found = states(store, policy, person, "2026-06-01")
    assert found["basic"] == "current" and found["performance"] == "current" and found["political"] == "empty"
    summary = profile_summary(store, policy, person, date(2026, 6, 1))
    performance = next(d for d in summary.dimensions if d.id == "performance")
    assert performance.latest is not None and performance.latest.text == "近期情绪低落。"
    assert performance.age_days == 31 and len(performance.entries) == 2
    assert summary.filled == 2 and summary.completeness == pytest.approx(0.2)
    # 现实表现 goes stale after 180 days, 基本情况 after 730.
    later = states(store, policy, person, "2026-10-29")
    assert later["performance"] == "stale" and later["basic"] == "current"
    assert states(store, policy, person, "2027-01-02")["basic"] == "stale"
    # As of a date before an entry was observed, the entry does not exist yet.
    assert states(store, policy, person, "2025-12-31")["performance"] == "empty"


def test_entries_keep_text_exactly_and_refuse_what_cannot_be_stored(store: Store, policy: Policy, person: int) -> None:
    odd = "[/]x[@click=app.quit]y[/] \x1b[2J\x00 \u202e" + "长" * 200_000
    entry = add_profile_entry(store, policy, person, "habits", odd, "2026-01-01")
    [stored] = list_profile_entries(store, person, "habits")
    assert stored.id == entry and stored.text == odd
    with pytest.raises(InvalidInput, match="不完整的字符"):
        add_profile_entry(store, policy, person, "habits", "坏\ud800字", "2026-01-01")
    with pytest.raises(InvalidInput, match="不能为空"):
        add_profile_entry(store, policy, person, "habits", "  ", "2026-01-01")
    with pytest.raises(InvalidInput, match="不是有效日期"):
        add_profile_entry(store, policy, person, "habits", "x", "2026-13-01")
    with pytest.raises(InvalidInput, match="基本情况"):
        resolve_dimension(policy, "爱好")
    with pytest.raises(NotFound):
        add_profile_entry(store, policy, person + 100, "habits", "x", "2026-01-01")


def test_watch_list_from_flags_and_entries(store: Store, policy: Policy, person: int) -> None:
    unit = int(store.scalar("SELECT unit_id FROM people WHERE id = ?", [person]))
    other = store.insert("people", {"name": "李四", "unit_id": unit})
    calm = store.insert("people", {"name": "王五", "unit_id": unit})
    flag = flag_person(store, person, "近期与同事关系紧张", "2026-03-01", "支部研究确定")
    add_profile_entry(store, policy, other, "重点人员", "消费开支不正常，需关注。", "2026-04-01", "同事反映")
    add_profile_entry(store, policy, calm, "watch", "无", "2026-04-01")
    listed = watch_list(store, date(2026, 5, 1), policy)
    assert [(w.name, [r.reason for r in w.reasons]) for w in listed] == [
        ("张三", ["近期与同事关系紧张"]), ("李四", ["消费开支不正常，需关注。"])]
    assert listed[0].reasons[0].flag_id == flag and listed[1].reasons[0].entry_id is not None
    assert [w.name for w in watch_list(store, date(2026, 3, 15), policy)] == ["张三"]
    summary = profile_summary(store, policy, person, date(2026, 5, 1))
    assert summary.on_watch_list and summary.watch_reasons[0].source == "支部研究确定"
    # A later 重点人员 entry that says "none" takes the person off; a cleared flag ends on its date.
    add_profile_entry(store, policy, other, "watch", "暂无异常，不属于重点人员。", "2026-06-01")
    clear_flag(store, flag, "2026-06-10")
    assert watch_list(store, date(2026, 6, 30), policy) == []
    assert [w.name for w in watch_list(store, date(2026, 6, 5), policy)] == ["张三"]
    with pytest.raises(InvalidInput, match="已于 2026-06-10 解除"):
        clear_flag(store, flag, "2026-07-01")
    later = flag_person(store, person, "再次列入", "2026-08-01")
    with pytest.raises(InvalidInput, match="早于列入日期"):
        clear_flag(store, later, "2026-07-01")
    # The active packs are used when no policy is given.
    assert [w.name for w in watch_list(store, date(2026, 8, 2))] == ["张三"]


def test_flag_and_entry_saying_the_same_are_shown_once(store: Store, policy: Policy, person: int) -> None:
    flag_person(store, person, "情绪波动较大", "2026-01-10")
    add_profile_entry(store, policy, person, "watch", "情绪波动较大", "2026-01-10")
    [item] = watch_list(store, date(2026, 2, 1), policy)
    assert len(item.reasons) == 1 and item.person_id == person


def test_the_roster_feeds_basic_facts_observed_on_the_day_it_was_written(store: Store, policy: Policy) -> None:
    """A roster alone is not "基本情况未掌握": its birth date, 入党时间, education… count, dated when written."""
    unit = store.insert("units", {"name": "机关第一党支部"})
    with store.transaction():
        person = store.insert("people", {"name": "李四", "unit_id": unit, "birth_date": "1985-03",
                                         "joined_date": "2008-07-01", "education": "大学本科"})
    written = str(store.scalar("SELECT updated_at FROM people WHERE id = ?", [person]))[:10]
    summary = profile_summary(store, policy, person, date.fromisoformat(written))
    basic = summary.dimensions[0]
    assert basic.state == "current" and basic.latest is not None
    assert basic.latest.source == "花名册" and basic.latest.observed_on == written
    assert basic.latest.text == "出生 1985-03；入党（会） 2008-07-01；学历 大学本科"
    assert summary.filled == 1 and summary.counts_text() == "已掌握 1/10"
    # before the roster was written nothing was known: a summary for a day stays the same whenever asked
    assert profile_summary(store, policy, person, date(2000, 1, 1)).dimensions[0].state == "empty"
    # a talk's finding of the same day comes first, the roster stays in the history
    add_profile_entry(store, policy, person, "基本情况", "籍贯江苏苏州，汉族。", written, "谈话")
    entries = profile_summary(store, policy, person, date.fromisoformat(written)).dimensions[0].entries
    assert [e.source for e in entries] == ["谈话", "花名册"]


def test_a_person_with_no_roster_facts_has_no_basic_entry(store: Store, policy: Policy, person: int) -> None:
    assert profile_summary(store, policy, person, date(2030, 1, 1)).dimensions[0].state == "empty"


def test_one_count_says_known_and_stale_the_same_way_everywhere(store: Store, policy: Policy, person: int) -> None:
    add_profile_entry(store, policy, person, "基本情况", "1985年生，本科。", "2023-01-01", "档案")
    add_profile_entry(store, policy, person, "performance", "工作积极。", "2026-01-01", "支部书记反映")
    summary = profile_summary(store, policy, person, date(2026, 3, 1))
    assert summary.counts_text() == "已掌握 2/10，其中需更新 1 项"
