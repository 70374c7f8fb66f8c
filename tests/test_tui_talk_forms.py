"""The talk's forms and the sealed record as a user meets them (issue #14 items 7 and 9), through the real app:
the follow-up dialog's labelled fields, its 责任人 and a deadline read from what was written; a sealed record that
says "已封存，可核验", checks itself with F9 in plain words and keeps the chain's numbers in a collapsed pane."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Collapsible
from tui_talk_helpers import (
    TALK_DAY,
    TalkOrg,
    drive,
    make_app,
    make_org,
    planned_talk,
    screen_text,
    started_talk,
    wait_for,
)

from notes import talks
from notes.followups import list_followups
from notes.seal import chain_head, seal_talk
from notes.store import Store
from tui.app import TanxinApp
from tui.screens.live import LiveScreen
from tui.screens.review import ReviewScreen
from tui.widgets.entry_editor import EntryText
from tui.widgets.plan_dialog import PlanDialog
from tui.widgets.talk_dialogs import FollowupDialog

POINT = "组织决定及任职的主要理由"


def held(store: Store, org: TalkOrg) -> int:
    talk_id = started_talk(store, org, ((POINT, "发现问题", "办公用房超标", False),))
    talks.finish_talk(store, talk_id, at=f"{TALK_DAY}T09:40:00")
    return talk_id


async def open_review(pilot, app: TanxinApp, talk_id: int) -> ReviewScreen:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
    app.review_talk(talk_id)
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


@drive
async def test_the_followup_form_is_labelled_reads_the_deadline_and_takes_an_owner(store: Store) -> None:
    org = make_org(store)
    talk_id = held(store, org)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        review = await open_review(pilot, app, talk_id)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowupDialog))
        dialog = app.screen
        assert isinstance(dialog, FollowupDialog)
        await wait_for(pilot, lambda: bool(dialog.owner_picker.people))
        shown = screen_text(app)
        for label in ("事项", "类别", "责任人", "完成期限"):
            assert label in shown
        assert "已选：张书记" in shown  # the talk's interviewer is proposed
        default = (app.today + timedelta(days=30)).isoformat()
        assert dialog.due_field.value == default and "默认 30 天后" in shown
        await pilot.press(*"两周内报送整改情况")
        two_weeks = (app.today + timedelta(days=14)).isoformat()
        assert dialog.due_field.value == two_weeks
        assert "按事项中写的期限" in screen_text(app)
        dialog.owner_picker.search_field.focus()
        await pilot.press(*"wf", "enter")  # 王芳 by her initials
        await wait_for(pilot, lambda: dialog.owner_picker.chosen == org.other)
        assert dialog.due_field.has_focus
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is review)
        [followup] = list_followups(store)
        assert (followup.title, followup.kind, followup.due_on) == ("两周内报送整改情况", "整改", two_weeks)
        assert followup.owner is not None and followup.owner.id == org.other


@drive
async def test_a_date_typed_by_the_user_is_kept_and_read_in_any_form(store: Store) -> None:
    org = make_org(store)
    talk_id = held(store, org)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_review(pilot, app, talk_id)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowupDialog))
        dialog = app.screen
        assert isinstance(dialog, FollowupDialog)
        dialog.due_field.value = "2026年4月1日"
        await pilot.pause()
        await pilot.press(*"三个月内完成")  # the user's own date is not replaced by the text's
        assert dialog.due_field.value == "2026年4月1日"
        dialog.due_field.value = "4月31日"
        dialog.create()
        await pilot.pause()
        assert "不是有效日期" in screen_text(app)
        dialog.due_field.value = "2026/4/1"
        dialog.create()
        await wait_for(pilot, lambda: bool(list_followups(store)))
        assert [(f.title, f.due_on) for f in list_followups(store)] == [("三个月内完成", "2026-04-01")]


@drive
async def test_a_sealed_record_says_it_can_be_checked_and_checks_in_plain_words(store: Store) -> None:
    org = make_org(store)
    talk_id = held(store, org)
    seal_talk(store, talk_id)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        review = await open_review(pilot, app, talk_id)
        shown = screen_text(app)
        assert "已封存，可核验" in shown
        assert "签章封存" not in shown and "继续记录" not in shown  # they can do nothing any more
        assert "f9 核验" in shown.replace("\u00a0", " ") or "F9 核验" in shown
        for jargon in ("链头", "哈希"):  # the mechanism stays in the collapsed advanced pane
            assert jargon not in shown
        await pilot.press("f9")
        await wait_for(pilot, lambda: "核验通过" in screen_text(app))
        assert "封存记录完好" in screen_text(app)
        advanced = review.query_one("#review-advanced", Collapsible)
        assert advanced.collapsed
        advanced.collapsed = False
        await pilot.pause()
        assert chain_head(store) in str(review.query_one("#review-chain").render())


@drive
async def test_a_check_that_finds_a_change_says_so(store: Store) -> None:
    org = make_org(store)
    talk_id = held(store, org)
    seal_talk(store, talk_id)
    store.execute("DROP TRIGGER IF EXISTS entries_sealed_update")
    for trigger in store.query("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entries'"):
        store.execute(f"DROP TRIGGER {trigger['name']}")
    store.execute("UPDATE entries SET text = '办公用房已整改' WHERE talk_id = ?", [talk_id])
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_review(pilot, app, talk_id)
        await pilot.press("f9")
        await wait_for(pilot, lambda: "核验发现问题" in screen_text(app))


@drive
async def test_before_sealing_f9_seals_and_f8_goes_back_to_the_notes(store: Store) -> None:
    org = make_org(store)
    talk_id = held(store, org)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        review = await open_review(pilot, app, talk_id)
        shown = screen_text(app)
        assert "签章封存" in shown and "继续记录" in shown and "核验" not in shown
        assert not review.query_one("#review-advanced", Collapsible).display


@drive
async def test_one_key_takes_what_the_talk_found_into_the_profile(store: Store) -> None:
    from prep.profile import list_profile_entries

    org = make_org(store)
    talk_id = held(store, org)
    talks.add_entry(store, talk_id, text="举报人为某某", heading=POINT, kind="事实情况", confidential=True)
    seal_talk(store, talk_id)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_review(pilot, app, talk_id)
        assert "记入十个清楚" in screen_text(app)  # after sealing too: the profile is not the sealed record
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: getattr(app.screen, "title_text", "") == "记入十个清楚的哪一项？")
        await pilot.press("down", "down", "down", "enter")  # 现实表现
        await wait_for(pilot, lambda: bool(list_profile_entries(store, org.interviewee)))
    [entry] = list_profile_entries(store, org.interviewee)
    code = talks.get_talk(store, talk_id).code
    assert (entry.dimension, entry.text, entry.observed_on) == ("performance", "办公用房超标", TALK_DAY)
    assert entry.source == f"谈话记录 {code}" and entry.recorded_by == org.interviewer


@drive
async def test_check_states_are_symbols_not_only_colours(store: Store) -> None:
    org = make_org(store)
    talk_id = held(store, org)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        review = await open_review(pilot, app, talk_id)
        review.query_one("#confirmed").scroll_visible(animate=False)
        await pilot.pause()
        assert "☐ 谈话对象已确认记录内容" in screen_text(app)
        review.query_one("#confirmed").focus()
        await pilot.press("space")
        await pilot.pause()
        assert "☑ 谈话对象已确认记录内容" in screen_text(app)


async def open_planned(pilot, app: TanxinApp, talk_id: int) -> PlanDialog:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
    app.push_screen(LiveScreen(talk_id, confirm_plan=True))
    await wait_for(pilot, lambda: isinstance(app.screen, PlanDialog))
    dialog = app.screen
    assert isinstance(dialog, PlanDialog)
    await wait_for(pilot, lambda: bool(dialog.recorder_picker.people))
    return dialog


@drive
async def test_a_planned_talk_shows_its_plan_editable_before_it_starts(store: Store) -> None:
    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_planned(pilot, app, talk_id)
        shown = screen_text(app)
        for label in ("时间", "地点", "谈话人", "记录人", "开始谈话"):
            assert label in shown
        assert dialog.time_field.value == f"{TALK_DAY} 09:00" and dialog.place_field.value == "党建活动室"
        assert "已选：张书记" in shown
        assert talks.get_talk(store, talk_id).status == "planned"  # nothing starts before the plan is confirmed
        dialog.time_field.value = "2026年3月12日 14时30分"
        dialog.place_field.value = "三楼会议室"
        dialog.recorder_picker.search_field.focus()
        await pilot.press(*"wf", "enter")
        await wait_for(pilot, lambda: dialog.recorder_picker.chosen == org.other)
        dialog.query_one("#ok").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and bool(app.screen.query(EntryText)))
        record = talks.get_talk(store, talk_id)
        assert (record.status, record.planned_at, record.place) == ("in_progress", f"{TALK_DAY}T14:30:00",
                                                                    "三楼会议室")
        assert record.note_taker is not None and record.note_taker.id == org.other
        assert [p.id for p in record.interviewers] == [org.interviewer]


@drive
async def test_going_back_from_the_plan_leaves_the_talk_planned(store: Store) -> None:
    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_planned(pilot, app, talk_id)
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
    assert talks.get_talk(store, talk_id).status == "planned"


@drive
async def test_a_recorder_who_is_the_interviewee_is_refused_and_the_plan_shown_again(store: Store) -> None:
    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_planned(pilot, app, talk_id)
        dialog.recorder_picker.choose(org.interviewee)
        dialog.confirm()
        await wait_for(pilot, lambda: isinstance(app.screen, PlanDialog) and app.screen is not dialog)
    assert talks.get_talk(store, talk_id).status == "planned"


@drive
async def test_an_escalation_step_is_proposed_through_the_real_options(store: Store) -> None:
    """The ladder's rung (跟进提醒) is not a status: the dialog offers 已升级处理 with the rung in its note."""
    from tui.widgets.talk_dialogs import StatusChange, StatusDialog

    make_org(store)
    app = make_app(store)
    results: list[StatusChange | None] = []
    choices = [("in_progress", "办理中"), ("done", "已完成待核实"), ("escalated", "已升级处理")]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.push_screen(StatusDialog("按期报送整改情况", choices, "", "已逾期", escalate_to="跟进提醒"),
                        results.append)
        await wait_for(pilot, lambda: isinstance(app.screen, StatusDialog))
        await pilot.pause()
        shown = screen_text(app)
        for label in ("新的状态", "说明", "整改佐证"):
            assert label in shown
        assert "跟进提醒" not in [label for _, label in choices]
        await pilot.press("enter")  # the highlighted status: 已升级处理
        await pilot.press("enter")  # the note as proposed
        await wait_for(pilot, lambda: bool(results))
    assert results[0] is not None and (results[0].status, results[0].note) == ("escalated", "跟进提醒")
