"""Sealing an incomplete record asks (issue 12.4), and a 记录人 is never the 谈话对象 (issue 13.4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from talk_helpers import Org, held_talk, make_org
from textual.widgets import Static
from tui_talk_helpers import drive, make_app, wait_for

from notes import seal, talks
from notes.errors import InvalidInput
from notes.store import Store
from tui.screens.review import ReviewScreen

ROUTINE_POINTS = ["谈思想", "谈履职", "谈作风", "谈生活"]


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


def bare_talk(store: Store, org: Org) -> int:
    """Held, one point of four noted, no summary, no statement, not confirmed: what issue 12 sealed."""
    talk_id = held_talk(store, org, ["工作压力较大"])
    talks.set_outcome(store, talk_id, summary="", statement="", confirmed=False)
    return talk_id


def test_the_gaps_of_a_record_are_named(store: Store, org: Org) -> None:
    talk_id = bare_talk(store, org)
    assert seal.record_gaps(talks.get_talk(store, talk_id), ROUTINE_POINTS) == [
        "必谈要点未记录 3/4 项：谈履职；谈作风；谈生活",
        "信息汇总为空",
        "谈话对象表态为空",
        "未勾选“谈话对象已确认记录内容”",
    ]
    complete = held_talk(store, org, ["思想", "履职", "作风", "生活"])
    for entry, point in zip(talks.get_talk(store, complete).entries, ROUTINE_POINTS, strict=True):
        talks.update_entry(store, entry.id, heading=point)
    assert seal.record_gaps(talks.get_talk(store, complete), ROUTINE_POINTS) == []


def test_a_recorder_who_is_the_interviewee_is_refused_at_planning_and_at_seal(store: Store, org: Org) -> None:
    with pytest.raises(InvalidInput, match=r"记录人.*不能同时是谈话对象"):
        talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member],
                          note_taker=org.member)
    talk_id = held_talk(store, org)
    store.insert("talk_participants", {"talk_id": talk_id, "person_id": org.member, "role": "note_taker",
                                       "position": 0})  # a record planned before the rule, or imported
    with pytest.raises(InvalidInput, match="不能同时是谈话对象"):
        seal.seal_talk(store, talk_id)
    assert talks.talk_row(store, talk_id)["status"] == "held"


def test_the_command_line_names_the_gaps_and_refuses_a_recorder_who_is_the_interviewee(
    store: Store, org: Org, db_path: Path
) -> None:
    talk_id = bare_talk(store, org)
    code = talks.talk_row(store, talk_id)["code"]
    sealed = run_cli(["--db", str(db_path), "talk", "seal", code])
    assert sealed.exit_code == 0, sealed.stderr  # a script is not asked, but is told
    assert "记录还不完整" in sealed.stderr and "信息汇总为空" in sealed.stderr
    planned = run_cli(["--db", str(db_path), "talk", "new", "王芳", "--type", "routine", "--interviewer", "张书记",
                       "--recorder", "王芳", "--at", "2026-12-01 09:00"])
    assert planned.exit_code == 1 and "不能同时是谈话对象" in planned.stderr


@drive
async def test_the_app_lists_what_is_missing_and_asks_twice_with_no_as_the_default(store: Store, org: Org) -> None:
    talk_id = bare_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.review_talk(talk_id)
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("f9")
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "这份记录还不完整")
        listed = str(app.screen.query_one(".dialog-note", Static).render())
        for gap in ("必谈要点未记录", "信息汇总为空", "谈话对象表态为空", "未勾选“谈话对象已确认记录内容”"):
            assert gap in listed
        await pilot.press("enter")  # the default: 返回补全
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert talks.talk_row(store, talk_id)["status"] == "held"

        await pilot.press("f9")
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "这份记录还不完整")
        await pilot.press("shift+tab", "enter")  # 仍要封存…
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "再次确认：封存不完整的记录")
        await pilot.press("enter")  # the default again: 返回
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert talks.talk_row(store, talk_id)["status"] == "held"

        await pilot.press("f9")
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "这份记录还不完整")
        await pilot.press("shift+tab", "enter")
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "再次确认：封存不完整的记录")
        await pilot.press("shift+tab", "enter")  # 确认封存
        await wait_for(pilot, lambda: talks.talk_row(store, talk_id)["status"] == "sealed", timeout=10)
