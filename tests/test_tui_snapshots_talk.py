"""Snapshots of the talk screens (谈前准备, 谈话中, 谈后, 跟踪, 台账) at 80×24 and 120×36.

Every date in the data is fixed, the app's clock stands still, the cursor does not blink, and HOME is a fixed
path (it appears in the export fields), so a screen looks the same in every run. Regenerate after a deliberate
change with `pytest tests/test_tui_snapshots_talk.py --snapshot-update`, then look at the pictures.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

import pytest
from textual.pilot import Pilot
from tui_talk_helpers import SnapshotData, make_app, snapshot_data, wait_for

from notes import talks
from notes.seal import seal_talk
from notes.store import Store
from tui.app import TanxinApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
SnapCompare = Callable[..., bool]


@pytest.fixture
def data(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[SnapshotData]:
    monkeypatch.setenv("HOME", "/home/tanxin")
    yield snapshot_data(store)


async def on_dashboard(pilot: Pilot[None]) -> TanxinApp:
    app = pilot.app
    assert isinstance(app, TanxinApp)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
    return app


def opened(open_screen: Callable[[TanxinApp], None], ready: Callable[[TanxinApp], bool]) -> Callable[
        [Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        app = await on_dashboard(pilot)
        open_screen(app)
        await wait_for(pilot, lambda: ready(app), timeout=15)
        # A screen may reload on resume: let every worker finish and the screen settle once more.
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: ready(app), timeout=15)
        await pilot.pause(0.3)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_prepare_first_step(snap_compare: SnapCompare, store: Store, data: SnapshotData, size: tuple[int, int]) -> None:
    run_before = opened(
        lambda app: app.prepare_talk(person_id=data.org.interviewee, talk_type="appointment"),
        lambda app: getattr(app.screen, "roster", None) is not None and bool(getattr(app.screen, "due_items", [])),
    )
    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_prepare_brief(snap_compare: SnapCompare, store: Store, data: SnapshotData, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        app = await on_dashboard(pilot)
        app.prepare_talk(person_id=data.org.interviewee, talk_type="appointment")
        await wait_for(pilot, lambda: bool(getattr(app.screen, "due_items", [])), timeout=15)
        await pilot.press("f8")
        await wait_for(pilot, lambda: getattr(app.screen, "step", 0) == 1, timeout=15)
        await pilot.press("f8", "f8", "f8", "f8", "f8")
        await pilot.pause(0.3)

    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_live(snap_compare: SnapCompare, store: Store, data: SnapshotData, size: tuple[int, int]) -> None:
    run_before = opened(lambda app: app.hold_talk(data.live_talk),
                        lambda app: type(app.screen).__name__ == "LiveScreen" and bool(app.screen.query("EntryText")))
    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_review_sealed(snap_compare: SnapCompare, store: Store, data: SnapshotData, size: tuple[int, int]) -> None:
    talks.finish_talk(store, data.live_talk, at="2026-03-12T09:45:00")
    talks.set_outcome(store, data.live_talk, summary="对象表示服从安排，思想稳定。", statement="服从组织安排。",
                      confirmed=True)
    seal_talk(store, data.live_talk, at="2026-03-12T11:00:00")
    run_before = opened(lambda app: app.review_talk(data.live_talk),
                        lambda app: type(app.screen).__name__ == "ReviewScreen")
    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_followups(snap_compare: SnapCompare, store: Store, data: SnapshotData, size: tuple[int, int]) -> None:
    run_before = opened(lambda app: app.show_followups(),
                        lambda app: bool(getattr(app.screen, "followups", None)))
    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_ledger(snap_compare: SnapCompare, store: Store, data: SnapshotData, size: tuple[int, int]) -> None:
    run_before = opened(lambda app: app.show_ledger(),
                        lambda app: "2026 年度" in str(app.screen.query_one("#ledger-count").render()))
    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


def then_press(open_screen: Callable[[TanxinApp], None], ready: Callable[[TanxinApp], bool], key: str,
               dialog: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Open a screen as `opened` does, then press the key the footer shows for a dialog, and wait for it."""
    first = opened(open_screen, ready)

    async def run_before(pilot: Pilot[None]) -> None:
        await first(pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == dialog, timeout=15)
        await pilot.pause(0.3)

    return run_before


def on_live(app: TanxinApp) -> bool:
    return type(app.screen).__name__ == "LiveScreen" and bool(app.screen.query("EntryText"))


@pytest.mark.parametrize("size", SIZES)
def test_followup_dialog(snap_compare: SnapCompare, store: Store, data: SnapshotData, size: tuple[int, int]) -> None:
    """转跟踪 (ctrl+g) on the entry under the cursor: kind, owner and deadline labelled, the deadline from the text."""
    run_before = then_press(lambda app: app.hold_talk(data.live_talk), on_live, "ctrl+g", "FollowupDialog")
    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_quit_during_a_talk(snap_compare: SnapCompare, store: Store, data: SnapshotData,
                            size: tuple[int, int]) -> None:
    run_before = then_press(lambda app: app.hold_talk(data.live_talk), on_live, "ctrl+q", "ConfirmDialog")
    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_status_dialog(snap_compare: SnapCompare, store: Store, data: SnapshotData, size: tuple[int, int]) -> None:
    """enter on the board's overdue 整改: 已升级处理 offered, with the step the packs' ladder has reached."""
    run_before = then_press(lambda app: app.show_followups(), lambda app: bool(getattr(app.screen, "followups", None)),
                            "enter", "StatusDialog")
    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_amend_dialog(snap_compare: SnapCompare, store: Store, data: SnapshotData, size: tuple[int, int]) -> None:
    run_before = then_press(lambda app: app.review_talk(data.earlier_talk),
                            lambda app: type(app.screen).__name__ == "ReviewScreen", "ctrl+r", "AmendDialog")
    assert snap_compare(make_app(store), terminal_size=size, run_before=run_before)
