"""Focus and keys for someone who has never used a terminal app (issue #14, item 5): one test per trap.

Each test drives the real app with Pilot over a real encrypted database, pressing the keys a new user pressed
when the trap was found."""

from __future__ import annotations

from textual import events
from textual.command import CommandInput, CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList
from tui_talk_helpers import dashboard_ready, drive, make_app, make_org, screen_text, started_talk, wait_for

from notes.followups import create_followup
from notes.store import Store
from tui.app import TanxinApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.followups import FollowupsScreen
from tui.screens.people import PeopleScreen, PersonScreen
from tui.screens.prepare import PrepareScreen
from tui.screens.settings import SettingsScreen, field_id
from tui.widgets.safe_input import SafeInput
from tui.widgets.talk_dialogs import ConfirmDialog


def notices(app: TanxinApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def on_dashboard(pilot: object, app: TanxinApp) -> None:
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))  # type: ignore[arg-type]


@drive
async def test_settings_opens_with_its_first_field_focused_so_typing_is_not_lost(store: Store) -> None:
    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.push_screen(SettingsScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen) and bool(app.screen.query(SafeInput)))
        await pilot.pause()
        first = app.screen.query_one(f"#{field_id('owner')}", SafeInput)
        assert app.focused is first
        await pilot.press(*str(org.interviewer))
        assert first.value == str(org.interviewer)
        await wait_for(pilot, lambda: "张书记" in screen_text(app))  # the number typed is named at once


@drive
async def test_slash_in_people_focuses_the_search_and_is_not_typed_into_it(store: Store) -> None:
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.roster is not None)
        people = app.screen
        assert isinstance(people, PeopleScreen)
        assert app.focused is people.search_field
        await pilot.press("/", *"lm")  # the footer's "/ 查找" pressed in the box that already has the focus
        assert people.search_field.value == "lm"
        await wait_for(pilot, lambda: people.people_table.row_count == 1 and "李明" in screen_text(app))
        people.people_table.focus()
        await pilot.press("/")  # from the list, back to the box, still without a "/"
        assert app.focused is people.search_field and people.search_field.value == "lm"


@drive
async def test_a_name_typed_in_the_people_list_becomes_the_search(store: Store) -> None:
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.roster is not None)
        people = app.screen
        assert isinstance(people, PeopleScreen)
        people.people_table.focus()
        await pilot.press(*"wangf")  # "p" used to prepare a talk from here; no letter does anything now
        assert app.focused is people.search_field and people.search_field.value == "wangf"
        assert isinstance(app.screen, PeopleScreen)
        await wait_for(pilot, lambda: people.people_table.row_count == 1 and "王芳" in screen_text(app))


@drive
async def test_letters_typed_on_a_person_page_open_no_form_but_the_palette(store: Store) -> None:
    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.open_person(org.interviewee)
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        await pilot.press(*"simaqian")  # "a" opened 添加十个清楚情况, "e", "r", "x", "p", "w" other forms
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.pause()
        assert app.screen.query_one(CommandInput).value == "simaqian"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen))
        assert [type(s).__name__ for s in app.screen_stack] == ["DashboardScreen", "PersonScreen"]
        footer = screen_text(app).splitlines()[-1]
        assert "^n 添加情况" in footer and "^t 准备谈话" in footer  # the page's actions are on modifier keys


def overdue_item(store: Store) -> None:
    create_followup(store, talk_id=started_talk(store, make_org(store)), kind="整改", title="改正迟到早退",
                    due_on="2026-03-01")


async def open_board(pilot: Pilot[None], app: TanxinApp) -> FollowupsScreen:
    """跟踪 (f4) from 工作台, with its items loaded."""
    await on_dashboard(pilot, app)
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(app.screen, FollowupsScreen) and bool(app.screen.followups))
    assert isinstance(app.screen, FollowupsScreen)
    return app.screen


@drive
async def test_letters_typed_on_the_board_search_and_its_actions_are_on_modifier_keys(store: Store) -> None:
    overdue_item(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        board = await open_board(pilot, app)
        await pilot.press(*"strf")  # were 排序, 谈话记录, 刷新 and 筛选
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.pause()
        assert app.screen.query_one(CommandInput).value == "strf"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is board)
        assert (board.order, board.filter_id) == ("due", "unfinished")
        footer = screen_text(app).splitlines()[-1]
        assert "^f 筛选" in footer and "^d 排序" in footer
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert (board.order, board.filter_id) == ("due", "overdue")
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert (board.order, board.filter_id) == ("owner", "overdue")


@drive
async def test_f3_goes_to_the_people_list_not_the_last_person_page(store: Store) -> None:
    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, PeopleScreen))
        app.open_person(org.other)
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen))
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.current_mode == "people")
        await pilot.pause()
        assert isinstance(app.screen, PeopleScreen) and len(app.screen_stack) == 1


@drive
async def test_f4_goes_to_the_board_not_the_last_page_opened_from_it(store: Store) -> None:
    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowupsScreen))
        app.open_person(org.interviewee)
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.current_mode == "ledger")
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.current_mode == "followups")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)


@drive
async def test_switching_sections_keeps_a_preparation_in_progress(store: Store) -> None:
    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.prepare_talk(person_id=org.interviewee, talk_type="routine")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.roster is not None)
        prepare = app.screen
        assert isinstance(prepare, PrepareScreen)
        await pilot.press("f8")
        await wait_for(pilot, lambda: prepare.step == 1, timeout=15)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, PeopleScreen))
        await pilot.press("f2")  # back to the section: the preparation is where it was
        await wait_for(pilot, lambda: app.screen is prepare)
        await pilot.press("f2")  # asked again from inside: the preparation asks before it is discarded
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "放弃这次谈前准备" in screen_text(app)


@drive
async def test_esc_in_the_wizard_with_data_asks_before_discarding(store: Store) -> None:
    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.prepare_talk()
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.roster is not None)
        prepare = app.screen
        assert isinstance(prepare, PrepareScreen)
        await pilot.press(*"lim", "enter")  # 李明 chosen: something that leaving would lose
        await wait_for(pilot, lambda: prepare.person_id == org.interviewee)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "放弃这次谈前准备" in screen_text(app)
        await pilot.press("enter")  # the focus starts on 继续准备
        await wait_for(pilot, lambda: app.screen is prepare)
        assert prepare.person_id == org.interviewee
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#ok")  # 放弃准备
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))


@drive
async def test_esc_in_an_untouched_wizard_leaves_at_once(store: Store) -> None:
    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.prepare_talk(person_id=org.interviewee)
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.roster is not None)
        await pilot.press("escape")  # opened for this person and nothing changed: nothing to ask about
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))


@drive
async def test_ctrl_s_on_wizard_step_one_says_why_and_builds_the_brief(store: Store) -> None:
    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.prepare_talk()
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.roster is not None)
        prepare = app.screen
        assert isinstance(prepare, PrepareScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "请先选择谈话对象" in str(prepare.query_one("#prepare-message").render())
        assert "先生成谈话提纲" in notices(app)
        await pilot.press(*"lim", "enter")
        await wait_for(pilot, lambda: prepare.person_id == org.interviewee)
        options = prepare.query_one("#talk-types", OptionList)
        options.highlighted = options.get_option_index("type-routine")
        await pilot.press("ctrl+s")  # the sensible thing: on to the brief, as f8 does
        await wait_for(pilot, lambda: prepare.step == 1, timeout=15)


@drive
async def test_f2_during_a_talk_says_why_it_is_blocked(store: Store) -> None:
    from tui.screens.live import LiveScreen

    org = make_org(store)
    talk_id = started_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.hold_talk(talk_id)
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen))
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert "谈话进行中，不能切换到其他界面" in notices(app)


@drive
async def test_a_greyed_footer_key_says_why_it_does_nothing(store: Store) -> None:
    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.open_person(org.other)  # 王芳 holds no role: 免去职务 is greyed
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        page = app.screen
        assert page.active_bindings["ctrl+x"].enabled is False
        assert page.active_bindings["ctrl+t"].enabled is True
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert app.screen is page
        assert "此人没有在任的职务" in notices(app)


@drive
async def test_the_scope_key_without_an_owner_says_to_choose_one(store: Store) -> None:
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        dashboard = app.screen
        await wait_for(pilot, lambda: getattr(dashboard, "data", None) is not None)
        await pilot.press("ctrl+a")  # 本人/全部 is greyed while nobody is 本人
        await pilot.pause()
        assert app.screen is dashboard
        assert "还没有设定本人" in notices(app)


@drive
async def test_confirming_an_import_before_the_check_says_to_check_first(store: Store) -> None:
    from tui.screens.roster_import import RosterImportScreen

    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.push_screen(RosterImportScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, RosterImportScreen))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RosterImportScreen)
        assert "请先检查花名册" in notices(app)


@drive
async def test_f7_on_the_first_wizard_step_says_it_is_the_first(store: Store) -> None:
    app = make_app(store)
    make_org(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        app.prepare_talk()
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.roster is not None)
        await pilot.press("f7")
        await pilot.pause()
        assert "这已是第一步" in notices(app)


@drive
async def test_a_burst_of_typing_on_a_page_reaches_the_palette_whole(store: Store) -> None:
    """An IME commits 张三 as keys in one go, and fast typing does the same: no key may wait for the palette."""
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        await pilot.pause()
        for character in "张三ab":
            app.post_message(events.Key(character, character))
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await wait_for(pilot, lambda: app.screen.query_one(CommandInput).value == "张三ab")


@drive
async def test_the_boards_keys_are_also_commands_in_the_palette(store: Store) -> None:
    """A terminal that keeps ctrl+f for itself (VS Code's) still lets the user filter the board, by name."""
    overdue_item(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        board = await open_board(pilot, app)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"筛选跟踪")
        await wait_for(pilot, lambda: "筛选跟踪事项" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is board and board.filter_id == "overdue")


@drive
async def test_the_dashboards_keys_are_also_commands_in_the_palette(store: Store) -> None:
    """ctrl+a is tmux's and screen's prefix in many set-ups: 工作台's keys are reached by name too."""
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await on_dashboard(pilot, app)
        await wait_for(pilot, dashboard_ready(app))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"选择本人")
        await wait_for(pilot, lambda: "选择使用这个数据库的人" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "OwnerScreen")
