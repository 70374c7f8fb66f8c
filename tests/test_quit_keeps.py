"""Quit and lock keep everything (issue 12.2): quitting saves and waits, refuses while saving fails and offers an
encrypted rescue copy, asks while a talk is in progress; during a talk the idle time blanks, it does not lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli
from test_disk_full import _fill, small_disk
from textual.pilot import Pilot
from textual.widgets import Static
from tui_talk_helpers import drive, make_app, make_org, planned_talk, started_talk, wait_for

from notes import talks
from notes.errors import InvalidInput
from notes.rescue import apply_rescue, read_rescue, write_rescue
from notes.store import Store
from notes.unlock import init_database
from tui.app import TanxinApp
from tui.screens.live import LiveScreen
from tui.widgets.blank import BlankScreen
from tui.widgets.entry_editor import EntryText
from tui.widgets.talk_dialogs import RescueDialog

__all__ = ["small_disk"]  # the fixture, shared with the disk-full tests


def texts(store: Store, talk_id: int) -> list[str]:
    return [row[0] for row in store.rows("SELECT text FROM entries WHERE talk_id = ? ORDER BY position", [talk_id])]


async def open_live(pilot: Pilot[None], app: TanxinApp, talk_id: int) -> LiveScreen:
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
    app.hold_talk(talk_id)
    await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and bool(app.screen.query(EntryText)))
    await pilot.pause()
    assert isinstance(app.screen, LiveScreen)
    return app.screen


async def confirm_quit_during_talk(pilot: Pilot[None], app: TanxinApp) -> None:
    """ctrl+q with a talk in progress asks first; "return" is the default answer, so it takes a move."""
    await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "谈话还在进行中，确定退出？")
    await pilot.press("shift+tab", "enter")


@drive
async def test_text_typed_just_before_quitting_is_saved(store: Store) -> None:
    org = make_org(store)
    for attempt in range(3):
        talk_id = planned_talk(store, org)
        typed = f"第{attempt}次退出前最后一句话"
        app = make_app(store)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_live(pilot, app, talk_id)
            await pilot.press(*typed, "ctrl+q")
            await confirm_quit_during_talk(pilot, app)
            await wait_for(pilot, lambda app=app: app.return_code is not None)  # type: ignore[misc]
        assert texts(store, talk_id) == [typed]
        row = talks.talk_row(store, talk_id)  # quitting steps away: the talk's timer waits for it to be reopened
        assert row["status"] == "in_progress" and row["away_since"] is not None


@drive
async def test_quitting_during_a_talk_asks_and_going_back_keeps_the_app_open(store: Store) -> None:
    talk_id = planned_talk(store, make_org(store))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_live(pilot, app, talk_id)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "谈话还在进行中，确定退出？")
        detail = str(app.screen.query_one(".dialog-note", Static).render())
        assert talks.talk_row(store, talk_id)["code"] in detail and "保持“进行中”" in detail
        await pilot.press("enter")  # 返回
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen))
        assert app.return_code is None


@drive
async def test_a_quit_while_saving_fails_keeps_the_app_open_and_the_rescue_copy_keeps_the_text(
    small_disk: Path, tmp_path: Path
) -> None:
    db = small_disk / "tanxin.db"
    store = init_database(db, PASSPHRASE, ["suzhou-2018", "cadre-talks"]).store
    talk_id = started_talk(store, make_org(store), (("", "事实情况", "", False),))
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    app = make_app(store)
    rescue = tmp_path / "救援副本.tanxin-rescue"  # another disk: this one is full
    typed = "谈话内容" * 5000  # far more than the few bytes left, within one entry's cap
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_live(pilot, app, talk_id)
            filler = _fill(small_disk)
            editor = screen.query_one(EntryText)
            editor.insert(typed)
            await wait_for(pilot, lambda: "保存失败" in str(screen.query_one("#save-state", Static).render()), 10)

            await pilot.press("ctrl+q")
            await confirm_quit_during_talk(pilot, app)
            await wait_for(pilot, lambda: isinstance(app.screen, RescueDialog), timeout=15)
            assert app.return_code is None  # saving fails: the app stays open
            dialog = app.screen
            assert isinstance(dialog, RescueDialog) and "磁盘已满" in dialog.reason
            await pilot.press("escape")  # back to the talk, text still on screen
            await wait_for(pilot, lambda: app.screen is screen)
            assert editor.text == typed and app.return_code is None

            await pilot.press("ctrl+q")
            await confirm_quit_during_talk(pilot, app)
            await wait_for(pilot, lambda: isinstance(app.screen, RescueDialog), timeout=15)
            dialog = app.screen
            assert isinstance(dialog, RescueDialog)
            dialog.path_field.value = str(rescue)
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.return_code is not None, timeout=15)
        assert rescue.exists() and typed.encode() not in rescue.read_bytes()  # encrypted
        filler.unlink()
        assert texts(store, talk_id) == [""]
        put_back = run_cli(["--db", str(db), "talk", "rescue", str(rescue)])
        assert put_back.exit_code == 0, put_back.stderr
        assert texts(store, talk_id) == [typed]
    finally:
        store.close()


def test_a_rescue_copy_opens_only_with_its_database_and_keeps_both_texts(store: Store, tmp_path: Path) -> None:
    talk_id = started_talk(store, make_org(store), (("", "事实情况", "原来的话", False),))
    [(entry_id, version)] = talks.entry_versions(store, talk_id).items()
    copy = tmp_path / "a.tanxin-rescue"
    write_rescue(copy, store.key, {("entry", entry_id): {"text": "救回的话"}}, {entry_id: version})
    with pytest.raises(InvalidInput, match="已存在"):
        write_rescue(copy, store.key, {}, {})
    with pytest.raises(InvalidInput, match="不是这个数据库的救援副本"):
        read_rescue(copy, bytes(32))
    talks.update_entry(store, entry_id, text="之后另一窗口写的话")  # the entry changed since the copy
    assert apply_rescue(store, copy) == (1, [])
    assert texts(store, talk_id) == ["之后另一窗口写的话", "救回的话"]


@drive
async def test_idle_time_during_a_talk_blanks_the_screen_and_a_key_brings_it_back(store: Store) -> None:
    talk_id = planned_talk(store, make_org(store))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, app, talk_id)
        minutes = app.settings.idle_lock_minutes
        app.last_activity -= minutes * 60 + 1
        app.lock_if_idle()
        await wait_for(pilot, lambda: isinstance(app.screen, BlankScreen))
        assert not app.locked  # no passphrase in front of the interviewee
        await pilot.press("x")
        await wait_for(pilot, lambda: app.screen is screen)
        assert not app.locked
        app.last_activity -= app.settings.talk_lock_minutes * 60 + 1  # the longer time: now it locks
        app.lock_if_idle()
        await wait_for(pilot, lambda: app.locked)
