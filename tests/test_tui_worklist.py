"""工作台 as 本人's day, driven through Pilot on a real-style unit: choosing 本人 from the 工作台, one row per
person to talk to, Enter resuming a paused talk (no second preparation), the 全部 toggle remembered, and 本人
changed in 设置."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from conftest import clock_on
from test_tui_shell import settle
from test_worklist import SECRETARY, item, open_talk, policy

__all__ = ["policy"]  # the fixture, shared with the worklist tests
from textual.widgets import Button, Static
from tui_talk_helpers import drive, screen_text
from worklist_helpers import AS_OF, Unit, make_unit, paused_talk, plan_talk

from notes.settings import DASHBOARD_SCOPE, OWNER, load_settings
from notes.store import Store
from prep.packs import Policy
from prep.worklist import build_worklist
from tui.app import TanxinApp
from tui.screens.dashboard import DashboardScreen, row_explanation
from tui.screens.owner import OwnerScreen
from tui.screens.settings import SettingsScreen
from tui.widgets.person_picker import PersonPicker
from tui.widgets.plan_dialog import PlanDialog
from tui.widgets.safe_table import SafeTable


def app_for(store: Store) -> TanxinApp:
    return TanxinApp(store, clock=clock_on(AS_OF), cursor_blink=False)


def dashboard(app: TanxinApp) -> DashboardScreen:
    screen = app.screen
    assert isinstance(screen, DashboardScreen) and screen.data is not None
    return screen


def loaded(app: TanxinApp, *, mine: bool) -> bool:
    screen = app.screen
    return isinstance(screen, DashboardScreen) and screen.data is not None and screen.data.mine == mine


def keys(app: TanxinApp) -> list[str]:
    table = app.screen.query_one("#due", SafeTable)
    return [str(key.value) for key in table.rows]


async def choose_in_picker(app: TanxinApp, pilot: object, name: str) -> None:
    picker = app.screen.query_one(PersonPicker)
    await settle(pilot, lambda: picker.index is not None)  # type: ignore[arg-type]
    picker.search_field.value = name
    picker.search_field.focus()
    await settle(pilot, lambda: picker.has_class("-searching"))  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]


def secretary_set(store: Store) -> Unit:
    from notes.owner import set_owner

    unit = make_unit(store)
    set_owner(store, unit.secretary)
    return unit


@drive
async def test_set_the_owner_from_the_dashboard_then_one_row_per_person(store: Store) -> None:
    unit = make_unit(store)
    app = app_for(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: loaded(app, mine=False))
        assert "尚未设定本人" in screen_text(app)
        whole = dashboard(app).data
        assert whole is not None and whole.owner is None
        # The whole organisation: several interviewers for 李明, each pair once.
        pairs = [(row.interviewer_ids, row.person_id) for row in whole.rows]
        assert len(pairs) == len(set(pairs)) and len(whole.rows) < len(whole.talks)
        assert dashboard(app).check_action("toggle_scope", ()) is None  # nobody to narrow to yet

        await pilot.press("ctrl+u")
        await settle(pilot, lambda: isinstance(app.screen, OwnerScreen))
        await choose_in_picker(app, pilot, "赵书记")
        await settle(pilot, lambda: loaded(app, mine=True))
        assert load_settings(store).value(OWNER) == unit.secretary
        data = dashboard(app).data
        assert data is not None and data.owner is not None and data.owner.name == "赵书记"
        people = [row.person_id for row in data.rows]
        assert sorted(people) == sorted({unit.member, unit.other, unit.committee})  # one row per person
        assert keys(app) == [row.id for row in data.rows]
        text = screen_text(app)
        assert "本人：赵书记" in text and "任职谈话" in text
        # The detail lists every rule the highlighted talk would satisfy: 李明's 任职谈话 comes first (overdue).
        detail = str(app.screen.query_one("#row-detail").render())
        assert data.rows[0].person_id == unit.member
        assert "任职决定" in detail and "支部书记与每一位党员谈心" in detail and "（2 项）" in detail


@drive
async def test_enter_resumes_a_paused_talk_and_shows_a_planned_one_s_plan_before_it_starts(store: Store) -> None:
    from tui.screens.live import LiveScreen
    from tui.screens.prepare import PrepareScreen

    unit = secretary_set(store)
    paused = paused_talk(store, unit.secretary, unit.committee, "member_talk")
    planned = plan_talk(store, unit.secretary, unit.other, "member_talk")
    app = app_for(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: loaded(app, mine=True))
        data = dashboard(app).data
        assert data is not None
        rows = {row.person_id: row for row in data.rows}
        assert rows[unit.committee].state == "进行中" and rows[unit.other].state == "计划中 12-05"
        assert "进行中" in screen_text(app) and "计划中 12-05" in screen_text(app)

        table = app.screen.query_one("#due", SafeTable)
        table.focus()
        table.move_cursor(row=keys(app).index(rows[unit.committee].id))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, LiveScreen))
        live = app.screen
        assert isinstance(live, LiveScreen) and live.talk_id == paused
        assert not any(isinstance(screen, PrepareScreen) for screen in app.screen_stack)
        await pilot.press("escape")  # 暂离 again
        await settle(pilot, lambda: loaded(app, mine=True))

        table = app.screen.query_one("#due", SafeTable)
        table.focus()
        table.move_cursor(row=keys(app).index(rows[unit.other].id))
        await pilot.press("enter")
        # A planned talk shows its plan to confirm or revise before it starts.
        await settle(pilot, lambda: isinstance(app.screen, PlanDialog))
        app.screen.query_one("#ok", Button).press()
        await settle(pilot, lambda: isinstance(app.screen, LiveScreen) and app.screen.holding)
        assert app.screen.talk_id == planned  # type: ignore[attr-defined]
        assert store.scalar("SELECT status FROM talks WHERE id = ?", [planned]) == "in_progress"
        assert store.scalar("SELECT count(*) FROM talks") == 2  # no second plan


@drive
async def test_the_whole_organisation_toggle_is_remembered(store: Store) -> None:
    unit = secretary_set(store)
    app = app_for(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: loaded(app, mine=True))
        mine = dashboard(app).data
        assert mine is not None
        await pilot.press("ctrl+a")
        await settle(pilot, lambda: loaded(app, mine=False))
        everyone = dashboard(app).data
        assert everyone is not None and len(everyone.rows) > len(mine.rows)
        assert any(unit.deputy in row.interviewer_ids for row in everyone.rows)
        assert "全部" in screen_text(app)
    assert load_settings(store).value(DASHBOARD_SCOPE) == "all"
    again = app_for(store)  # a 组织员's choice holds at the next start
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: loaded(again, mine=False))
        await pilot.press("ctrl+a")
        await settle(pilot, lambda: loaded(again, mine=True))
    assert load_settings(store).value(DASHBOARD_SCOPE) == "mine"


@drive
async def test_settings_shows_and_changes_the_owner(store: Store) -> None:
    unit = secretary_set(store)
    app = app_for(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: loaded(app, mine=True))
        app.push_screen(SettingsScreen())
        await settle(pilot, lambda: isinstance(app.screen, SettingsScreen))
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        assert settings.owner_field.value == str(unit.secretary)
        assert "赵书记" in str(settings.query_one("#owner-name").render())
        settings.query_one("#choose-owner", Button).press()
        await settle(pilot, lambda: isinstance(app.screen, OwnerScreen))
        await choose_in_picker(app, pilot, "刘副主任")
        await settle(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert settings.owner_field.value == str(unit.deputy)
        await settle(pilot, lambda: "刘副主任" in str(settings.query_one("#owner-name").render()))
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not isinstance(app.screen, SettingsScreen))
    assert load_settings(store).value(OWNER) == unit.deputy


@drive
async def test_choosing_the_owner_before_any_roster_says_to_import_one(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: loaded(app, mine=False))
        await pilot.press("ctrl+u")
        await settle(pilot, lambda: isinstance(app.screen, OwnerScreen)
                     and "导入花名册" in str(app.screen.query_one("#owner-hint").render()))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, DashboardScreen))
    assert load_settings(store).value(OWNER) is None


def test_a_talk_left_days_ago_says_the_day_it_was_left(policy: Policy) -> None:
    """A talk stepped away from on 11-20 must not read, on the 22nd, as left this morning."""
    away = replace(open_talk(22, "in_progress", "member_talk", at="2026-11-20T09:00"), away_since="2026-11-20T09:10:00")
    row = build_worklist([item("rule", "secretary_members")], policy, [away], viewer=SECRETARY)[0]
    assert "11-20 09:10 起暂离" in row_explanation(row, date(2026, 11, 22)).plain
    assert "09:10 起暂离" in row_explanation(row, date(2026, 11, 20)).plain
    assert "11-20" not in row_explanation(row, date(2026, 11, 20)).plain


@drive
async def test_an_empty_list_leaves_no_explanation_of_a_row_that_is_gone(store: Store) -> None:
    """本人 with nothing to arrange: toggling from 全部 empties the due list, and the explanation under it goes too
    (it used to keep the last highlighted row's rules: no highlight comes for an empty list)."""
    from notes.owner import set_owner
    from notes.settings import save_settings

    unit = make_unit(store)
    set_owner(store, unit.other)  # 王芳, a 党员: no talk is hers to hold or arrange
    save_settings(store, {DASHBOARD_SCOPE: "all"})
    app = app_for(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: loaded(app, mine=False))
        detail = app.screen.query_one("#row-detail", Static)
        assert "依据" in str(detail.content)
        await pilot.press("ctrl+a")
        await settle(pilot, lambda: loaded(app, mine=True))
        data = dashboard(app).data
        assert data is not None and not data.rows
        assert str(detail.content) == ""
