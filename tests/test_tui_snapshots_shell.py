"""Snapshots of the shell's screens (unlock, 工作台, 人员, forms, settings) at 80×24 and 120×36.

The demo database is written for a fixed date and the app is given the same date, so every run draws the same
picture; cursors do not blink. Update after a deliberate change with `pytest --snapshot-update` and look at
the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import PASSPHRASE, clock_on
from textual.pilot import Pilot
from tui_talk_helpers import dashboard_ready

from notes.store import Store
from notes.unlock import init_database, open_database
from tui.app import TanxinApp
from tui.screens.people import PeopleScreen, PersonScreen
from tui.screens.unlock import RecoveryKeyScreen, UnlockScreen

SNAPSHOT_TODAY = date(2026, 11, 20)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
# A made-up key with the real format: the real one is random and must never be in a snapshot.
SAMPLE_RECOVERY_KEY = "0123ABCD-4567EF01-89ABCDEF-01234567-89ABCDEF-01234567-89ABCDEF-01234567"

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture(scope="module")
def snapshot_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation as of SNAPSHOT_TODAY."""
    from prep.demo import write_demo_database

    path = tmp_path_factory.mktemp("snapshot-demo") / "demo.db"
    write_demo_database(path, PASSPHRASE, seed=2026, clock=clock_on(SNAPSHOT_TODAY))
    return path


@pytest.fixture
def demo(snapshot_demo: Path) -> Iterator[Store]:
    store = open_database(snapshot_demo, passphrase=PASSPHRASE, use_keyring=False)
    yield store
    store.close()


def app_on(store: Store | None, db_path: Path | None = None) -> TanxinApp:
    return TanxinApp(store, db_path=db_path, clock=clock_on(SNAPSHOT_TODAY), cursor_blink=False)


async def wait_for(pilot: Pilot[None], ready: Callable[[], bool]) -> None:
    for _ in range(400):
        if ready():
            break
        await pilot.pause(0.025)
    else:
        raise AssertionError(f"never ready: {pilot.app.screen!r}")
    await pilot.pause()


def person_named(store: Store, name: str) -> int:
    return int(store.scalar("SELECT id FROM people WHERE name = ?", [name]))


@pytest.mark.parametrize("size", SIZES)
def test_first_run(snap_compare: SnapCompare, size: tuple[int, int], tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a relative path, so the picture does not show the temporary folder
    assert snap_compare(app_on(None, Path("tanxin.db")), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_unlock(snap_compare: SnapCompare, size: tuple[int, int], tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    init_database(Path("tanxin.db"), PASSPHRASE, ["suzhou-2018"]).store.close()
    app = app_on(None, Path("tanxin.db"))

    async def asked(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen) and not app.screen.query_one("#passphrase").disabled)
        await pilot.press(*"wrong passphrase", "enter")
        await wait_for(pilot, lambda: "口令错误" in str(app.screen.query_one("#message").render()))

    assert snap_compare(app, terminal_size=size, run_before=asked)


@pytest.mark.parametrize("size", SIZES)
def test_recovery_key(snap_compare: SnapCompare, size: tuple[int, int], store: Store) -> None:
    app = app_on(store)

    async def shown(pilot: Pilot[None]) -> None:
        await wait_for(pilot, dashboard_ready(app))
        await app.push_screen(RecoveryKeyScreen(SAMPLE_RECOVERY_KEY))

    assert snap_compare(app, terminal_size=size, run_before=shown)


@pytest.mark.parametrize("size", SIZES)
def test_lock(snap_compare: SnapCompare, size: tuple[int, int], demo: Store) -> None:
    app = app_on(demo)

    async def locked(pilot: Pilot[None]) -> None:
        await wait_for(pilot, dashboard_ready(app))
        await pilot.press("ctrl+l")

    assert snap_compare(app, terminal_size=size, run_before=locked)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare: SnapCompare, size: tuple[int, int], demo: Store) -> None:
    app = app_on(demo)

    async def loaded(pilot: Pilot[None]) -> None:
        await wait_for(pilot, dashboard_ready(app))

    assert snap_compare(app, terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_mine(snap_compare: SnapCompare, size: tuple[int, int], snapshot_demo: Path,
                        tmp_path: Path) -> None:
    """本人 is a 支部书记: their talks only, one row per person, the first row's rules in the detail."""
    import shutil

    from notes.owner import set_owner

    for suffix in ("", ".key"):  # a private copy: the other pictures keep nobody as 本人
        shutil.copy2(f"{snapshot_demo}{suffix}", tmp_path / f"demo.db{suffix}")
    store = open_database(tmp_path / "demo.db", passphrase=PASSPHRASE, use_keyring=False)
    try:
        secretary = store.scalar("SELECT person_id FROM roles WHERE role = '支部书记' AND end_date IS NULL "
                                 "ORDER BY id LIMIT 1")
        set_owner(store, int(secretary))
        app = app_on(store)

        async def loaded(pilot: Pilot[None]) -> None:
            await wait_for(pilot, dashboard_ready(app))

        assert snap_compare(app, terminal_size=size, run_before=loaded)
    finally:
        store.close()


@pytest.mark.parametrize("size", SIZES)
def test_coverage_detail(snap_compare: SnapCompare, size: tuple[int, int], demo: Store) -> None:
    app = app_on(demo)

    async def opened(pilot: Pilot[None]) -> None:
        await wait_for(pilot, dashboard_ready(app))
        app.screen.query_one("#coverage").focus()
        await pilot.press("down", "down", "down", "enter")

    assert snap_compare(app, terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_people_search(snap_compare: SnapCompare, size: tuple[int, int], demo: Store) -> None:
    app = app_on(demo)

    async def searched(pilot: Pilot[None]) -> None:
        await wait_for(pilot, dashboard_ready(app))
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.roster is not None)
        await pilot.press(*"zh")

    assert snap_compare(app, terminal_size=size, run_before=searched)


@pytest.mark.parametrize("size", SIZES)
def test_person_page(snap_compare: SnapCompare, size: tuple[int, int], demo: Store) -> None:
    app = app_on(demo)
    watched = int(demo.scalar("SELECT person_id FROM watch_flags ORDER BY id LIMIT 1"))

    async def opened(pilot: Pilot[None]) -> None:
        await wait_for(pilot, dashboard_ready(app))
        app.open_person(watched)
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)

    assert snap_compare(app, terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", ["ctrl+n", "ctrl+e"], ids=["profile_form", "event_form"])
def test_person_forms(snap_compare: SnapCompare, size: tuple[int, int], key: str, demo: Store) -> None:
    app = app_on(demo)
    person = person_named(demo, "司马 倩")

    async def opened(pilot: Pilot[None]) -> None:
        await wait_for(pilot, dashboard_ready(app))
        app.open_person(person)
        await wait_for(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        await pilot.press(key)

    assert snap_compare(app, terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_settings(snap_compare: SnapCompare, size: tuple[int, int], demo: Store) -> None:
    from tui.screens.settings import SettingsScreen

    app = app_on(demo)

    async def opened(pilot: Pilot[None]) -> None:
        await wait_for(pilot, dashboard_ready(app))
        await app.push_screen(SettingsScreen())

    assert snap_compare(app, terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES)
def test_keymap_list_refusing_a_key(snap_compare: SnapCompare, size: tuple[int, int], demo: Store) -> None:
    """设置 → 按键一览: the actions with their keys, and a reserved key refused with the reason."""
    from textual.widgets import Button

    from tui.screens.keymap import KeymapScreen
    from tui.screens.settings import SettingsScreen

    app = app_on(demo)

    async def opened(pilot: Pilot[None]) -> None:
        await wait_for(pilot, dashboard_ready(app))
        await app.push_screen(SettingsScreen())
        app.screen.query_one("#choose-keys", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, KeymapScreen) and app.screen.table.row_count > 0)
        await pilot.press(*["down"] * 6, "enter", "tab")  # 锁定, then tab: refused

    assert snap_compare(app, terminal_size=size, run_before=opened)
