"""Snapshots of the 重点人员 form (tui/screens/person_forms.py WatchFlagForm): listing a person, and ending the
flags of a person already listed. A fresh database with one person; the app's clock is fixed, so the dates in
the fields are the same on every run; at 80×24 and 120×36. Update after a deliberate change with `pytest --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from conftest import clock_on
from textual.pilot import Pilot

from notes.store import Store
from prep.profile import flag_person
from tui.app import TanxinApp
from tui.screens.person_forms import WatchFlagForm

SNAPSHOT_TODAY = date(2026, 11, 20)
SnapCompare = Callable[..., bool]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]


def _person(store: Store) -> int:
    with store.transaction():
        unit = store.insert("units", {"name": "机关第一党支部", "kind": "党支部"})
        return store.insert("people", {"name": "张三", "unit_id": unit, "position": "科员"})


@pytest.mark.parametrize("flagged", [False, True], ids=["add", "end"])
@pytest.mark.parametrize("size", SIZES)
def test_watch_form(snap_compare: SnapCompare, size: tuple[int, int], store: Store, flagged: bool) -> None:
    person = _person(store)
    if flagged:
        flag_person(store, person, "近期与同事关系紧张", "2026-03-01", "支部研究确定")
        flag_person(store, person, "家庭变故", "2026-05-01")
    app = TanxinApp(store, clock=clock_on(SNAPSHOT_TODAY), cursor_blink=False)

    async def opened(pilot: Pilot[None]) -> None:
        await app.push_screen(WatchFlagForm(person, "张三"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=opened)
