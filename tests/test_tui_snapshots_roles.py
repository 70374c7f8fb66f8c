"""Snapshots of the organisation's forms (tui/screens/person_forms.py): 登记职务 (a role, and 分管 with its
units), 免去职务 and 添加人员, on a unit built by hand, at 80×24 (the smallest terminal they must fit) and 120×36. The app's
clock is fixed, so the dates in the fields are the same on every run. Update after a deliberate change with
`pytest --snapshot-update` and look at the SVGs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from conftest import clock_on
from organisation_helpers import hand_built
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Select

from notes.model import role_history
from notes.organisation import add_role, role_kind
from notes.store import Store
from notes.vocabulary import OFFICES
from tui.app import TanxinApp
from tui.screens.person_forms import AddPersonForm, EndRoleForm, RoleForm

SNAPSHOT_TODAY = date(2026, 11, 20)
SnapCompare = Callable[..., bool]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]


@pytest.mark.parametrize("role", ["支部委员", "分管"], ids=["committee", "oversees"])
@pytest.mark.parametrize("size", SIZES)
def test_role_form(snap_compare: SnapCompare, size: tuple[int, int], store: Store, role: str) -> None:
    org = hand_built(store)
    app = TanxinApp(store, clock=clock_on(SNAPSHOT_TODAY), cursor_blink=False)

    async def opened(pilot: Pilot[None]) -> None:
        await app.push_screen(RoleForm(org.clerk, "周磊", org.planning))
        app.screen.query_one("#role", Select).value = role
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=opened)


@pytest.mark.parametrize("form", ["end_role", "add_person"])
@pytest.mark.parametrize("size", SIZES)
def test_organisation_forms(snap_compare: SnapCompare, size: tuple[int, int], store: Store, form: str) -> None:
    org = hand_built(store)
    add_role(store, org.deputy, role_kind("分管"), [org.office, org.planning], start=date(2025, 1, 1))
    held = [role for role in role_history(store, org.deputy) if role.end_date is None and role.role in OFFICES]
    app = TanxinApp(store, clock=clock_on(SNAPSHOT_TODAY), cursor_blink=False)
    screen: Screen[str | None] = (EndRoleForm(org.deputy, "李红", held, held[-1].id) if form == "end_role"
                                  else AddPersonForm(org.branch))

    async def opened(pilot: Pilot[None]) -> None:
        await app.push_screen(screen)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=opened)
