"""谈前准备's 谈话安排 step reads the planned time as people write it, through the one date reader the CLI and the
roster use (notes/dates.py), and says in Chinese what is wrong with a time it cannot read."""

from __future__ import annotations

from datetime import date

import pytest
from tui_talk_helpers import drive, make_app, make_org, screen_text, wait_for

from notes.store import Store
from tui.screens.prepare import PLAN_STEP, PrepareScreen
from tui.widgets.prepare_steps import read_planned_at

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
    ("  ", None),
])
def test_the_planned_time_is_read_as_people_write_it(typed: str, stored: str | None) -> None:
    assert read_planned_at(typed, TODAY) == stored


@pytest.mark.parametrize(("typed", "reason"), [
    ("2026年13月1日 9:30", "月份 13 不存在"),
    ("2026年2月30日", "2026年2月没有30日"),
    ("2026-12-01 25:00", "时刻 25:00 不存在"),
    ("下周三上午", "无法识别的日期"),
])
def test_a_time_that_cannot_be_read_is_refused_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        read_planned_at(typed, TODAY)


@drive
async def test_the_plan_step_says_what_is_wrong_and_keeps_the_cursor_in_the_time(store: Store) -> None:
    org = make_org(store, "李明")
    app = make_app(store)
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
        await pilot.press(*"2026/12/1 9:30")
        assert field.value == "2026/12/1 9:30"
        await pilot.press("f8")
        await wait_for(pilot, lambda: "请选择谈话人" in screen_text(app))  # the time passes; the next gap is named
        assert "没有30日" not in screen_text(app)
        assert screen.current_brief().plan.planned_at == "2026-12-01T09:30"
