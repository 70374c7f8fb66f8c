"""谈前准备's 谈话安排 step reads the planned time as people write it, through the one date reader the CLI and the
roster use (notes/dates.py), and says in Chinese what is wrong with a time it cannot read."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from tui_talk_helpers import drive, make_app, make_org, screen_text, wait_for

from notes.store import Store
from tui.screens.prepare import PLAN_STEP, PrepareScreen
from tui.widgets.prepare_steps import planned_at_note, read_planned_at

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(("typed", "stored"), [
    ("2026-12-01 09:30", "2026-12-01T09:30"),
    ("2026/12/1 9:30", "2026-12-01T09:30"),
    ("2026.12.1 9:30", "2026-12-01T09:30"),
    ("2026年12月1日 9时30分", "2026-12-01T09:30"),
    ("２０２６年１２月１日　９：３０", "2026-12-01T09:30"),  # full-width, as an IME types it
    ("12月1日 14:00", "2026-12-01T14:00"),  # this year
    ("2026年12月1日", "2026-12-01"),  # the hour not fixed yet
    ("12月1日", "2026-12-01"),
    ("2026-12-1 9点", "2026-12-01T09:00"),
    ("2026年12月1日 下午3点半", "2026-12-01T15:30"),
    ("12月1日晚上8点", "2026-12-01T20:00"),
    ("1月5日", "2027-01-05"),  # no year: the nearest 1月5日, next January's
    ("10月1日 14:00", "2026-10-01T14:00"),  # nearer past than next year: a talk held earlier
    ("  ", None),
])
def test_the_planned_time_is_read_as_people_write_it(typed: str, stored: str | None) -> None:
    assert read_planned_at(typed, TODAY) == stored


@pytest.mark.parametrize(("typed", "reason"), [
    ("2026年13月1日 9:30", "月份 13 不存在"),
    ("2026年2月30日", "2026年2月没有30日"),
    ("2026-12-01 25:00", "时刻 25:00 不存在"),
    ("下周三上午", "无法识别的日期"),
    ("2026-12-01 晚上12点", "说不清是中午还是半夜"),
])
def test_a_time_that_cannot_be_read_is_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        read_planned_at(typed, TODAY)


def test_a_day_without_its_year_says_which_day_it_is() -> None:
    """Planned on 28 December, "1月5日" is next week; a day that is nearer gone than ahead is kept (a talk held
    earlier is recorded so) and the note says how to mean next year's instead."""
    late_december = date(2026, 12, 28)
    assert read_planned_at("1月5日 9:00", late_december) == "2027-01-05T09:00"
    assert planned_at_note("1月5日 9:00", late_december) == "未写年份，按 2027年1月5日（星期二）安排。"
    assert read_planned_at("12月20日", late_december) == "2026-12-20"
    assert planned_at_note("12月20日", late_december) == "12月20日已过去，按 2026年12月20日（星期日）记；如指明年，请写 2027年12月20日。"
    # Nothing to say when the year is written or the text is no time (checking the step says why).
    assert planned_at_note("2026年12月20日", late_december) == planned_at_note("明天", late_december) == ""


@drive
async def test_the_plan_step_says_what_is_wrong_and_keeps_the_cursor_in_the_time(store: Store) -> None:
    org = make_org(store, "李明")
    app = make_app(store, now=datetime(2026, 12, 28, 10, 0))
    async with app.run_test(size=(80, 24)) as pilot:
        app.prepare_talk(person_id=org.interviewee, talk_type="routine")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.talk_type == "routine"
                       and "已选：李明" in screen_text(app))
        screen = app.screen
        assert isinstance(screen, PrepareScreen)
        await pilot.press("f8")
        await wait_for(pilot, lambda: screen.brief is not None)
        while screen.step < PLAN_STEP:
            await pilot.press("f8")
        field = screen.plan_step.planned_at_field
        assert app.focused is field  # the step opens on its first field: typing lands there
        await pilot.press(*"2026年2月30日")
        await pilot.press("f8")
        await pilot.pause()
        assert screen.step == PLAN_STEP and app.focused is field
        assert "2026年2月没有30日" in screen_text(app)
        field.value = ""
        # Typed without the year, late in December: which day it is shows under the field while it is typed.
        await pilot.press(*"1月5日 9点")
        await wait_for(pilot, lambda: "未写年份，按 2027年1月5日（星期二）安排" in screen_text(app))
        field.value = ""
        await pilot.press(*"12月20日")
        await wait_for(pilot, lambda: "12月20日已过去，按 2026年12月20日（星期日）记" in screen_text(app))
        field.value = ""
        await pilot.press(*"2026/12/1 9:30")
        assert field.value == "2026/12/1 9:30"
        await pilot.press("f8")
        await wait_for(pilot, lambda: "请选择谈话人" in screen_text(app))  # the time passes; the next gap is named
        assert "没有30日" not in screen_text(app) and "已过去" not in screen_text(app)
        assert screen.current_brief().plan.planned_at == "2026-12-01T09:30"
