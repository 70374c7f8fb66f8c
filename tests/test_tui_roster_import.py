"""导入花名册 in the app, driven through Pilot on a real encrypted database: a file with problems is refused and
every problem shown; an unknown column is mapped; the fixed file is imported and its people and roles are there;
the template is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from time import monotonic
from typing import Any

from conftest import clock_on
from roster_helpers import ROOT, open_roles, real_rows, write_xlsx
from textual.pilot import Pilot
from textual.widgets import Button, Select
from tui_talk_helpers import FORBIDDEN_ON_TERMINAL, dashboard_ready, drive, screen_text, terminal_output

from notes.model import list_people
from notes.store import Store
from tui.app import TanxinApp
from tui.screens.roster_import import TEMPLATE_NAME, RosterImportScreen
from tui.screens.talk_support import export_dir
from tui.widgets.safe_table import SafeTable

TODAY = date(2026, 11, 22)


async def settle(pilot: Pilot[None], until: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = monotonic() + timeout
    while not until():
        if monotonic() > deadline:
            raise AssertionError(f"timed out; the screen shows:\n{screen_text(pilot.app)}")  # type: ignore[arg-type]
        await pilot.pause(0.05)
    await pilot.pause()


async def opened(app: TanxinApp, pilot: Pilot[None], path: Path | None = None) -> RosterImportScreen:
    results: list[bool | None] = []
    screen = RosterImportScreen(path)
    await app.push_screen(screen, results.append)
    await pilot.pause()
    return screen


def rows(screen: RosterImportScreen, selector: str) -> list[list[str]]:
    table = screen.query_one(selector, SafeTable)
    return [[cell.plain for cell in table.get_row(key)] for key in table.rows]


@drive
async def test_import_shows_every_problem_then_imports_the_fixed_file(store: Store, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "花名册.xlsx", real_rows(faults=True))
    app = TanxinApp(store, clock=clock_on(TODAY), cursor_blink=False)
    async with app.run_test(size=(150, 50)) as pilot:
        screen = await opened(app, pilot)
        screen.path_field.value = str(path)
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: screen.problems_table.row_count == 4)
        problems = rows(screen, "#roster-problems")
        assert [p[:2] for p in problems] == [["第 7 行", "出生年月"], ["第 9 行", "姓 名"], ["第 11 行", "姓 名"],
                                             ["第 12 行", "姓 名"]]
        assert "月份 13 不存在" in problems[0][2] and "与第 4 行是同一人" in problems[2][2]
        assert "未导入任何数据" in screen_text(app)
        assert screen.query_one("#roster-confirm", Button).disabled
        assert not any(bad in terminal_output(app) for bad in FORBIDDEN_ON_TERMINAL)  # the U+202E is shown inert
        assert store.scalar("SELECT count(*) FROM people") == 0

        write_xlsx(path, real_rows(faults=False))  # fixed in Excel, checked again
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: not screen.query_one("#roster-confirm", Button).disabled)
        plan = rows(screen, "#roster-plan")
        assert len(plan) == 8 and all(row[0] == "新增" for row in plan)
        chen = next(row for row in plan if row[1] == "陈静")
        assert "主要负责同志" in chen[3]
        assert "检查通过，没有写入数据库" in screen_text(app)
        assert store.scalar("SELECT count(*) FROM people") == 0

        # Saved again after the check: confirming checks it again and imports nothing unseen.
        edited = real_rows(faults=False)
        edited[8][8] = "科长"  # 吴强, 副科长 when checked
        write_xlsx(path, edited)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "文件在检查后又保存过" in screen_text(app) and screen.checked is not None)
        assert store.scalar("SELECT count(*) FROM people") == 0

        await pilot.press("ctrl+s")
        await settle(pilot, lambda: screen.imported)
        assert "已新增 8 人" in screen_text(app)
        assert store.scalar("SELECT position FROM people WHERE name = '吴强'") == "科长"
        assert {p.name for p in list_people(store)} == {"陈静", "刘洋", "赵敏", "孙伟", "周丽", "王芳", "吴强", "郑凯"}
        assert ("主要负责同志", "书记", ROOT) in open_roles(store, "陈静")
        assert screen.query_one("#roster-confirm", Button).disabled  # imported once, not twice
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RosterImportScreen)


@drive
async def test_unknown_columns_are_mapped_in_the_app(store: Store, tmp_path: Path) -> None:
    hostile = "[@click=app.quit]类型[/]"
    table: list[list[Any]] = [
        ["姓名", "出生年月", "党组织", hostile, "工作单位"],
        ["陈静", "1968.05", "机关第一党支部", "班子成员", "局办公室"],
        ["刘洋", "1972.03", "机关第一党支部", "普通党员", "局办公室"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", table, title=None)
    app = TanxinApp(store, clock=clock_on(TODAY), cursor_blink=False)
    async with app.run_test(size=(150, 50)) as pilot:
        screen = await opened(app, pilot, path)  # given a path, it checks at once
        await settle(pilot, lambda: screen.mapping_box.has_class("-shown"))
        assert [row[1] for row in rows(screen, "#roster-problems")] == [hostile, "工作单位"]
        assert hostile in screen_text(app)  # shown literally, never run as markup
        # Half chosen: the step says what is missing and checks nothing.
        screen.query_one("#roster-map-0", Select).value = "category"
        await pilot.click("#roster-remap")
        await settle(pilot, lambda: "请为“工作单位”列选择" in screen_text(app))
        screen.query_one("#roster-map-1", Select).value = "unused"
        await pilot.pause(0.3)  # a button ignores a click while it still shows the last one
        await pilot.click("#roster-remap")
        await settle(pilot, lambda: not screen.query_one("#roster-confirm", Button).disabled)
        assert not screen.mapping_box.has_class("-shown")
        assert "工作单位（指定为忽略）" in screen_text(app)
        await pilot.click("#roster-confirm")
        await settle(pilot, lambda: screen.imported)
        assert ("班子成员", "", "本组织") in open_roles(store, "陈静")
        assert ("班子成员", "", "本组织") not in open_roles(store, "刘洋")


@drive
async def test_template_from_the_app(store: Store, tmp_path: Path) -> None:
    app = TanxinApp(store, clock=clock_on(TODAY), cursor_blink=False)
    target = export_dir() / TEMPLATE_NAME
    async with app.run_test(size=(150, 50)) as pilot:
        screen = await opened(app, pilot)
        await pilot.press("ctrl+t")
        await settle(pilot, lambda: target.exists() and screen.path_field.value == str(target))
        # A second time the file is there: kept, and the panel says why.
        await pilot.press("ctrl+t")
        await settle(pilot, lambda: "已存在，未覆盖" in screen_text(app))
        await pilot.press("ctrl+r")  # the template as it is: only its sample row, which is no person
        await settle(pilot, lambda: "表头下面没有任何人员" in screen_text(app))
    assert store.scalar("SELECT count(*) FROM people") == 0


@drive
async def test_path_completion_offers_folders_and_rosters_only(tmp_path: Path) -> None:
    from tui.widgets.path_suggester import PathSuggester

    (tmp_path / "花名册2026.xlsx").write_bytes(b"")
    (tmp_path / "花名册照片.jpg").write_bytes(b"")
    (tmp_path / "花名册旧").mkdir()
    (tmp_path / ".花名册隐藏.csv").write_bytes(b"")
    suggester = PathSuggester((".xlsx", ".csv"))
    assert await suggester.get_suggestion(f"{tmp_path}/花名册2") == f"{tmp_path}/花名册2026.xlsx"
    assert await suggester.get_suggestion(f"{tmp_path}/花名册") == f"{tmp_path}/花名册2026.xlsx"  # first by name
    assert await suggester.get_suggestion(f"{tmp_path}/花名册旧") == f"{tmp_path}/花名册旧/"
    assert await suggester.get_suggestion(f"{tmp_path}/花名册照") is None
    assert await suggester.get_suggestion(f"{tmp_path}/nowhere/x") is None
    assert await suggester.get_suggestion("") is None


@drive
async def test_an_empty_dashboard_and_the_people_list_offer_the_import(store: Store, tmp_path: Path) -> None:
    from tui.screens.dashboard import DashboardScreen
    from tui.screens.people import PeopleScreen

    path = write_xlsx(tmp_path / "花名册.xlsx", real_rows(faults=False))
    app = TanxinApp(store, clock=clock_on(TODAY), cursor_blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, dashboard_ready(app))
        assert "f7 导入花名册" in screen_text(app)  # the new database's empty 工作台 says how to begin
        await pilot.press("f7")
        await settle(pilot, lambda: isinstance(app.screen, RosterImportScreen))
        screen = app.screen
        assert isinstance(screen, RosterImportScreen)
        screen.path_field.value = str(path)
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: screen.query_one("#roster-plan", SafeTable).row_count > 0)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "已新增 8 人" in screen_text(app))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await settle(pilot, lambda: app.screen.data is not None and bool(app.screen.data.rows))  # type: ignore[attr-defined]
        assert "导入花名册" not in screen_text(app)  # no longer offered once there is work to do
        await pilot.press("f3")
        await settle(pilot, lambda: isinstance(app.screen, PeopleScreen))
        await pilot.press("f7")
        await settle(pilot, lambda: isinstance(app.screen, RosterImportScreen))


@drive
async def test_a_problem_cut_by_a_narrow_screen_is_shown_in_full_under_the_table(store: Store, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "花名册.xlsx", real_rows(faults=True))
    app = TanxinApp(store, clock=clock_on(TODAY), cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(app, pilot, path)
        await settle(pilot, lambda: screen.problems_table.row_count == 4)
        duplicate = rows(screen, "#roster-problems")[2][2]
        assert "请删去重复的一行" in duplicate and "请删去重复的一行" not in screen_text(app)  # cut at 80 columns
        screen.problems_table.focus()
        await pilot.press("down", "down")
        await settle(pilot, lambda: "请删去重复的一行" in str(screen.row_detail.render()))


@drive
async def test_a_long_roster_scrolls_in_its_table_and_the_detail_stays_under_it(store: Store, tmp_path: Path) -> None:
    """A branch of sixty: the plan's table holds 20 rows and scrolls; the highlighted row's detail follows it."""
    rows_ = real_rows(faults=False)[:-1]  # without 合计
    for number in range(60):
        name = "赵钱孙李周吴郑王冯陈"[number % 10] + "一二三四五六"[number // 10] + "甲乙丙丁戊己庚辛壬癸"[number % 10]
        rows_.append([10 + number, name, "男", "汉族", "1990.01", "大学本科", "2014.06", rows_[1][7],
                      "科员", "普通党员", "", "", ""])
    path = write_xlsx(tmp_path / "花名册.xlsx", rows_)
    app = TanxinApp(store, clock=clock_on(TODAY), cursor_blink=False)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await opened(app, pilot)
        screen.path_field.value = str(path)
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: not screen.query_one("#roster-confirm", Button).disabled)
        plan = screen.query_one("#roster-plan", SafeTable)
        assert plan.row_count == 68
        assert plan.region.height <= 20
        detail = screen.query_one("#roster-row-detail")
        assert plan.region.bottom <= detail.region.y < app.size.height - 1  # on screen, above the footer
