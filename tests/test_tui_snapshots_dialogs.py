"""Snapshots of the screens a first day passes through that the other snapshot files do not draw: f1 帮助, 本人,
导入花名册 refusing a roster with its problems listed, a planned talk's plan, and the 程序信息 dialog of a 诫勉谈话 —
each at 80×24 (the smallest terminal they must fit) and 120×36.

Every date is fixed and the cursor does not blink, so each picture is the same on every run. Update after a
deliberate change with `pytest tests/test_tui_snapshots_dialogs.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import clock_on
from document_helpers import make_org as make_document_org
from document_helpers import rich_talk
from roster_helpers import real_rows, write_xlsx
from textual.pilot import Pilot
from tui_talk_helpers import make_app, make_org, planned_talk, screen_text, wait_for

from notes.procedure_form import procedure_view
from notes.store import Store
from prep.active import policy_facts
from tui.app import TanxinApp
from tui.screens.help import HelpScreen
from tui.screens.live import LiveScreen
from tui.screens.owner import OwnerScreen
from tui.screens.roster_import import RosterImportScreen
from tui.widgets.plan_dialog import PlanDialog
from tui.widgets.procedure_dialog import ProcedureDialog

SNAPSHOT_TODAY = date(2026, 11, 20)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
SnapCompare = Callable[..., bool]


def on_dashboard(app: TanxinApp) -> Callable[[], bool]:
    return lambda: type(app.screen).__name__ == "DashboardScreen"


@pytest.mark.parametrize("size", SIZES)
def test_help_on_the_dashboard(snap_compare: SnapCompare, store: Store, size: tuple[int, int]) -> None:
    app = TanxinApp(store, clock=clock_on(SNAPSHOT_TODAY), cursor_blink=False)

    async def opened(pilot: Pilot[None]) -> None:
        await wait_for(pilot, on_dashboard(app))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))

    assert snap_compare(app, terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_owner_choice(snap_compare: SnapCompare, store: Store, size: tuple[int, int]) -> None:
    make_org(store)
    app = TanxinApp(store, clock=clock_on(SNAPSHOT_TODAY), cursor_blink=False)

    async def opened(pilot: Pilot[None]) -> None:
        await wait_for(pilot, on_dashboard(app))
        await app.push_screen(OwnerScreen())
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_roster_refused_with_its_problems(snap_compare: SnapCompare, store: Store, size: tuple[int, int],
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a relative path, so the picture does not show the temporary folder
    monkeypatch.setenv("HOME", "/home/tanxin")  # the template's suggested path is under HOME
    write_xlsx(tmp_path / "花名册.xlsx", real_rows(faults=True))
    app = TanxinApp(store, clock=clock_on(SNAPSHOT_TODAY), cursor_blink=False)

    async def checked(pilot: Pilot[None]) -> None:
        await wait_for(pilot, on_dashboard(app))
        await app.push_screen(RosterImportScreen(Path("花名册.xlsx")))
        await wait_for(pilot, lambda: "未导入任何数据" in screen_text(app), timeout=20)
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=size, run_before=checked)


@pytest.mark.parametrize("size", SIZES)
def test_plan_of_a_planned_talk(snap_compare: SnapCompare, store: Store, size: tuple[int, int]) -> None:
    talk_id = planned_talk(store, make_org(store))
    app = make_app(store)

    async def opened(pilot: Pilot[None]) -> None:
        await wait_for(pilot, on_dashboard(app))
        app.push_screen(LiveScreen(talk_id, confirm_plan=True))
        await wait_for(pilot, lambda: isinstance(app.screen, PlanDialog) and bool(app.screen.recorder_picker.people))
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_procedure_of_an_admonition(snap_compare: SnapCompare, store: Store, size: tuple[int, int]) -> None:
    org = make_document_org(store)
    talk_id = rich_talk(store, org, talk_type="admonition", subject="李明同志诫勉谈话", sealed=False)
    view = procedure_view(store, talk_id, policy_facts(store))
    app = TanxinApp(store, clock=clock_on(SNAPSHOT_TODAY), cursor_blink=False)

    async def opened(pilot: Pilot[None]) -> None:
        await wait_for(pilot, on_dashboard(app))
        await app.push_screen(ProcedureDialog(view, SNAPSHOT_TODAY))
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=size, run_before=opened)
