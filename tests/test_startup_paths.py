"""The start's faster path (issue #9, tests/bench/bench_tui.py startup_dashboard) keeps what the slower one did.

The app waits for 工作台's first data and opens it filled in, so the first drawing is the finished one; it
computes the lists once at the start (not again at the screen's first showing), still recomputes them when
工作台 comes back into view, shows 工作台 without the lists when they take long and fills them in when they come,
and reports a failed computation once. The footer skips a rebuild that would show the same keys.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from conftest import clock_on
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey
from tui_talk_helpers import dashboard_ready, drive, wait_for
from worklist_helpers import AS_OF, make_unit

import tui.app
import tui.screens.dashboard
from notes.store import Store
from tui.app import TanxinApp
from tui.screens.dashboard import DashboardData, DashboardScreen, row_explanation
from tui.screens.people import PeopleScreen
from tui.widgets.safe_table import SafeTable


def _app(store: Store) -> TanxinApp:
    return TanxinApp(store, clock=clock_on(AS_OF), cursor_blink=False)


class _Computations:
    """Counts 工作台's computations; `hold` keeps each one waiting until `release` is set."""

    def __init__(self) -> None:
        self.count = 0
        self.hold = False
        self.release = threading.Event()


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Computations]:
    counted = _Computations()
    real = tui.screens.dashboard.load_dashboard

    def counting(store: Store, policy: Any, today: date) -> DashboardData:
        counted.count += 1
        if counted.hold:
            counted.release.wait(10)
        return real(store, policy, today)

    monkeypatch.setattr(tui.screens.dashboard, "load_dashboard", counting)
    yield counted
    counted.release.set()  # a held thread never outlives its test


def _due_rows(app: TanxinApp) -> int:
    return app.screen.query_one("#due", SafeTable).row_count


@drive
async def test_the_dashboard_opens_with_its_lists_computed_once(
    store: Store, computations: _Computations, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_unit(store)
    # At the moment 工作台 is mounted: whether it has data, its due rows, the explanation under them.
    shown: list[tuple[bool, int, str]] = []
    real_mount = DashboardScreen.on_mount

    def mounted(screen: DashboardScreen) -> None:
        real_mount(screen)
        detail = screen.query_one("#row-detail", Static).content
        shown.append((screen.data is not None, screen.query_one("#due", SafeTable).row_count, str(detail)))

    monkeypatch.setattr(DashboardScreen, "on_mount", mounted)
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, dashboard_ready(app))
        await pilot.pause()
        rows = _due_rows(app)
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.data is not None
        explained = str(row_explanation(screen.data.rows[0], AS_OF))
    assert rows > 0
    # The explanation too: arriving later (with the cursor's first highlight) it changed the due list's height
    # after its first drawing, and the whole list was drawn a second time.
    assert shown == [(True, rows, explained)], "the first drawing of 工作台 must already hold its lists"
    assert computations.count == 1, "the lists are computed once at the start, not again at the first showing"


@drive
async def test_the_dashboard_still_recomputes_when_it_comes_back(store: Store, computations: _Computations) -> None:
    make_unit(store)
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, dashboard_ready(app))
        first = app.screen
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, PeopleScreen))
        assert computations.count == 1
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen is first and computations.count == 2)
        await wait_for(pilot, lambda: _due_rows(app) > 0)


@drive
async def test_a_slow_computation_shows_the_dashboard_first_and_fills_it_later(
    store: Store, computations: _Computations, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_unit(store)
    monkeypatch.setattr(tui.app, "START_DATA_WAIT_SECONDS", 0.05)
    computations.hold = True
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.data is None  # shown, still computing
        await pilot.press("ctrl+a")  # a key while the lists are computed: nothing breaks, nothing is lost
        computations.release.set()
        await wait_for(pilot, lambda: screen.data is not None and _due_rows(app) > 0)
        assert computations.count == 1  # the start's computation, taken over by the screen


@drive
async def test_a_failed_start_computation_is_reported_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_unit(store)

    def failing(store: Store, policy: Any, today: date) -> DashboardData:
        raise RuntimeError("boom")

    monkeypatch.setattr(tui.screens.dashboard, "load_dashboard", failing)
    monkeypatch.setattr("tui.cli.log_unexpected", lambda error: "tanxin-error.log")
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and bool(app._notifications))
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    assert len(messages) == 1 and "RuntimeError" in messages[0]


@drive
async def test_the_footer_is_rebuilt_only_when_its_keys_change(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_unit(store)
    rebuilds: list[str] = []
    real = Widget.recompose

    async def counting(footer: Widget) -> None:
        rebuilds.append(type(footer.screen).__name__)
        await real(footer)

    monkeypatch.setattr(Footer, "recompose", counting, raising=False)
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, dashboard_ready(app))
        await pilot.pause()
        assert rebuilds == ["DashboardScreen"], "one rebuild for the start, whatever asked for it"
        keys = _footer_text(app)
        app.screen.refresh_bindings()  # asked again, nothing changed: nothing rebuilt
        await pilot.pause()
        await pilot.pause()
        assert rebuilds == ["DashboardScreen"]
        await pilot.resize_terminal(80, 24)  # narrower: 刷新 leaves the footer (tui/screens/footer_fit.py)
        await wait_for(pilot, lambda: len(rebuilds) == 2)
        assert "刷新" in keys and "刷新" not in _footer_text(app)


def _footer_text(app: TanxinApp) -> str:
    return " ".join(key.description for key in app.screen.query(FooterKey))
