"""The organisation in the app, driven through Pilot on a real encrypted database: the first run names the
organisation, 人员 adds a person by hand, a person's page records a role and ends it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from conftest import PASSPHRASE
from organisation_helpers import ORGANISATION, hand_built
from test_tui_shell import app_for, settle
from textual.screen import Screen
from textual.widgets import Select, SelectionList, TabbedContent
from tui_talk_helpers import drive, screen_text

from notes.model import Role, find_person, role_history, unit_tree
from notes.store import Store
from notes.unlock import open_database
from tui.app import TanxinApp
from tui.screens.people import PeopleScreen, PersonScreen
from tui.screens.person_forms import AddPersonForm, EndRoleForm, RoleForm
from tui.screens.unlock import FirstRunScreen, RecoveryKeyScreen
from tui.widgets.safe_input import SafeInput
from tui.widgets.safe_table import SafeTable

S = TypeVar("S", bound=Screen[Any])


def current(app: TanxinApp, kind: type[S]) -> S:
    screen = app.screen
    assert isinstance(screen, kind)
    return screen


def listed(people: PeopleScreen) -> list[int]:
    return list(people.roster.people) if people.roster is not None else []


def held(page: PersonScreen) -> list[Role]:
    """The roles the page shows as still held (ended ones stay in the history)."""
    return page.data.open_roles if page.data is not None else []


@drive
async def test_first_run_names_the_organisation(db_path: Path) -> None:
    app = app_for(None, db_path=db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, FirstRunScreen)
        app.screen.query_one("#passphrase", SafeInput).value = PASSPHRASE
        app.screen.query_one("#repeat", SafeInput).value = PASSPHRASE
        organisation = app.screen.query_one("#organisation", SafeInput)
        organisation.value = "2026"
        await pilot.click("#submit")
        await settle(pilot, lambda: "组织名称不能只是数字" in screen_text(app))
        assert not db_path.exists()  # refused before anything is created
        organisation.value = "市统计局 机关党委"
        organisation.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RecoveryKeyScreen))
    with open_database(db_path, passphrase=PASSPHRASE, use_keyring=False) as store:
        top = unit_tree(store).top
        assert top is not None and top.name == "市统计局机关党委"


@drive
async def test_first_run_left_blank_gives_the_default_name(db_path: Path) -> None:
    app = app_for(None, db_path=db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#passphrase", SafeInput).value = PASSPHRASE
        app.screen.query_one("#repeat", SafeInput).value = PASSPHRASE
        await pilot.click("#submit")
        await settle(pilot, lambda: isinstance(app.screen, RecoveryKeyScreen))
    with open_database(db_path, passphrase=PASSPHRASE, use_keyring=False) as store:
        assert [unit.name for unit in unit_tree(store).units] == ["本组织"]


@drive
async def test_people_adds_a_person_by_hand_and_warns_of_a_namesake(store: Store) -> None:
    org = hand_built(store)
    app = app_for(store)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("f3")
        await settle(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.roster is not None)
        people = current(app, PeopleScreen)
        await pilot.press("ctrl+n")
        await settle(pilot, lambda: isinstance(app.screen, AddPersonForm))
        form = app.screen
        assert form.query_one("#unit", Select).value == org.top  # nothing chosen in the tree: the organisation
        await pilot.press(*"陈 静")
        form.query_one("#gender", Select).value = "女"
        form.query_one("#birth", SafeInput).value = "1983.06"
        form.query_one("#unit", Select).value = org.branch
        form.query_one("#position", SafeInput).value = "四级调研员"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "已有同名、出生年月相同的人员：陈静" in screen_text(app))
        assert "再按 ctrl+s 即添加为另一人" in screen_text(app)
        assert store.scalar("SELECT count(*) FROM people WHERE name = '陈静'") == 1
        await pilot.press("ctrl+s")  # the same values again: confirmed
        await settle(pilot, lambda: app.screen is people and len(listed(people)) == 6)
        added = max(listed(people))
        person = find_person(store, added, details=True)
        assert person is not None and person.details is not None
        assert (person.name, person.unit, person.position, person.membership, person.details.gender,
                person.details.birth_date) == ("陈静", "机关第一党支部", "四级调研员", "正式党员", "女", "1983-06")

        await pilot.press("ctrl+n")
        await settle(pilot, lambda: isinstance(app.screen, AddPersonForm))
        app.screen.query_one("#name", SafeInput).value = "孙悦"
        app.screen.query_one("#birth", SafeInput).value = "1985.13"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "出生年月：" in screen_text(app))
        await pilot.press("escape")
        assert app.screen is people
        assert store.scalar("SELECT count(*) FROM people WHERE name = '孙悦'") == 0


@drive
async def test_person_page_records_a_role_and_ends_it(store: Store) -> None:
    org = hand_built(store)
    app = app_for(store)
    async with app.run_test(size=(100, 34)) as pilot:
        app.open_person(org.deputy)
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        page = current(app, PersonScreen)
        assert held(page) == []  # 党员 is her 身份, not an office to end here

        await pilot.press("ctrl+r")
        await settle(pilot, lambda: isinstance(app.screen, RoleForm))
        form = app.screen
        assert form.query_one("#unit", Select).value == org.top  # her own unit
        form.query_one("#role", Select).value = "班子成员"
        form.query_one("#start", SafeInput).value = "2025-01-01"
        form.query_one("#source", SafeInput).value = "发改党〔2025〕1号"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is page and len(held(page)) == 1)

        await pilot.press("ctrl+r")  # 分管: the units overseen are picked from the tree, several at once
        await settle(pilot, lambda: isinstance(app.screen, RoleForm))
        form = app.screen
        form.query_one("#role", Select).value = "分管"
        await settle(pilot, lambda: form.query_one("#oversees", SelectionList).display)
        assert not form.query_one("#unit-row").display
        oversees: SelectionList[int] = form.query_one("#oversees", SelectionList)
        oversees.select(org.office)
        oversees.select(org.planning)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is page and len(held(page)) == 3)
        page.query_one(TabbedContent).active = "tab-roles"
        await pilot.pause()
        assert "分管" in screen_text(app) and "规划发展处" in screen_text(app)

        # End the 分管 of 规划发展处, chosen with the cursor in 职务经历.
        table = page.query_one("#roles", SafeTable)
        overseen = next(r for r in held(page) if r.unit_id == org.planning)
        table.move_cursor(row=table.get_row_index(str(overseen.id)))
        await pilot.press("ctrl+x")
        await settle(pilot, lambda: isinstance(app.screen, EndRoleForm))
        assert app.screen.query_one("#held", Select).value == overseen.id
        app.screen.query_one("#ended_on", SafeInput).value = "2026-11-31"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "免职日期“2026-11-31”不是有效日期" in screen_text(app))
        assert isinstance(app.screen, EndRoleForm)
        app.screen.query_one("#ended_on", SafeInput).value = "2026-11-01"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is page and len(held(page)) == 2)
    history = {(r.role, r.unit, r.start_date, r.end_date, r.source) for r in role_history(store, org.deputy)}
    assert history == {
        ("党员", ORGANISATION, None, None, "手工录入"),
        ("班子成员", ORGANISATION, "2025-01-01", None, "发改党〔2025〕1号"),
        ("分管", "办公室", None, None, "手工录入"),
        ("分管", "规划发展处", None, "2026-11-01", "手工录入"),
    }


@drive
async def test_the_palette_offers_the_forms_where_they_apply(store: Store) -> None:
    org = hand_built(store)
    app = app_for(store)
    async with app.run_test(size=(100, 34)) as pilot:
        app.open_person(org.deputy)
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        await pilot.press("ctrl+p", *"djzw")  # 登记职务 by its initials
        await settle(pilot, lambda: "登记此人担任的职务" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RoleForm))
        await pilot.press("escape")
        await pilot.press("f3")
        await settle(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.roster is not None)
        await pilot.press("ctrl+p", *"添加人员")
        await settle(pilot, lambda: "手工添加一名" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, AddPersonForm))


@drive
async def test_a_person_added_to_a_unit_named_like_markup_is_confirmed_literally(store: Store) -> None:
    """The confirmation names the unit as typed: markup-like text in it is shown, never parsed (a parsed "[/]"
    raises and would end the app)."""
    from notes.organisation import add_unit

    hand_built(store)
    odd = add_unit(store, "第[/]支部")
    app = app_for(store)
    async with app.run_test(size=(100, 34), notifications=True) as pilot:
        await pilot.press("f3")
        await settle(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.roster is not None)
        await pilot.press("ctrl+n")
        await settle(pilot, lambda: isinstance(app.screen, AddPersonForm))
        app.screen.query_one("#name", SafeInput).value = "孙悦"
        app.screen.query_one("#unit", Select).value = odd
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: any("已添加 孙悦（第[/]支部）" in n.message for n in app._notifications))
        assert app.is_running
