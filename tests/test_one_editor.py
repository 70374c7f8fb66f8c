"""One editor per talk (issue 12.1): a second window gets the talk read-only or takes it over, the command line
is refused, and text typed in two places is kept twice, never written over."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import run_cli
from textual.pilot import Pilot
from textual.widgets import Static
from tui_talk_helpers import FIXED_NOW, drive, make_app, make_org, started_talk, wait_for

from notes import leases, talks
from notes.autosave import Autosaver
from notes.clock import FixedClock
from notes.errors import InvalidInput
from notes.store import Store
from tui.app import TanxinApp
from tui.screens.live import LiveScreen
from tui.widgets.entry_editor import EntryEditor, EntryText


def entry_texts(store: Store, talk_id: int) -> list[str]:
    return [row[0] for row in store.rows("SELECT text FROM entries WHERE talk_id = ? ORDER BY position", [talk_id])]


# -- the lease -------------------------------------------------------------------------------------------------


def test_a_second_holder_is_told_who_edits_until_it_takes_over_or_the_lease_lapses(store: Store) -> None:
    clock = FixedClock(FIXED_NOW)
    store.clock = clock
    talk_id = started_talk(store, make_org(store))
    assert leases.acquire(store, talk_id, "window-a") is None
    assert leases.acquire(store, talk_id, "window-a") is None  # taking it again is no conflict
    other = leases.acquire(store, talk_id, "window-b")
    assert other is not None and other.token == "window-a" and other.pid == os.getpid()
    assert other.describe() == f"本机的另一窗口（进程 {os.getpid()}），自 2026-03-12 09:12 起编辑，最近一次活动 09:12:34"

    clock.advance(seconds=leases.LEASE_STALE_SECONDS - 1)
    assert leases.renew(store, talk_id, "window-a")
    clock.advance(seconds=leases.LEASE_STALE_SECONDS - 1)
    assert leases.acquire(store, talk_id, "window-b") is not None  # the heartbeat kept it
    assert leases.acquire(store, talk_id, "window-b", take_over=True) is None
    assert not leases.renew(store, talk_id, "window-a")  # the first window learns it at its heartbeat
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'take_over'") == 1

    clock.advance(seconds=leases.LEASE_STALE_SECONDS)  # window b stopped beating (killed): the lease lapsed
    assert leases.holder_of(store, talk_id) is None
    assert leases.acquire(store, talk_id, "window-a") is None
    leases.release(store, talk_id, "window-a")
    assert leases.holder_of(store, talk_id) is None


def test_the_lease_of_a_killed_window_on_this_host_lapses_at_once(store: Store) -> None:
    talk_id = started_talk(store, make_org(store))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    now = store.now()
    store.insert("talk_leases", {"talk_id": talk_id, "holder": "killed", "pid": int(gone.stdout),
                                 "host": socket.gethostname(), "acquired_at": now, "heartbeat_at": now})
    assert leases.holder_of(store, talk_id) is None
    assert leases.acquire(store, talk_id, "mine") is None


@drive
async def test_a_talk_whose_window_was_killed_was_away_since_its_last_heartbeat(store: Store) -> None:
    """No esc, no quit: the window's process ended at 09:05 (its last heartbeat). Opened again at 09:12:34, the
    talk comes back from a time away, as after an esc: the minutes nobody was there are not talk time."""
    talk_id = started_talk(store, make_org(store))  # began 09:00
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    beat = FIXED_NOW.replace(minute=5, second=0).isoformat()
    store.insert("talk_leases", {"talk_id": talk_id, "holder": "killed", "pid": int(gone.stdout),
                                 "host": socket.gethostname(), "acquired_at": beat, "heartbeat_at": beat})
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.hold_talk(talk_id)
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and bool(app.screen.query("#live-timer")))
        await pilot.pause()
        assert "用时 05:00" in str(app.screen.query_one("#live-timer", Static).render())
        assert any("其间暂离 8 分钟，不计入谈话用时" in str(n.message) for n in app._notifications)
        assert isinstance(app.screen, LiveScreen) and app.screen.holding  # the lapsed lease is this window's now


def test_the_command_line_does_not_write_a_talk_being_edited(store: Store, db_path: Path) -> None:
    talk_id = started_talk(store, make_org(store))
    code = talks.talk_row(store, talk_id)["code"]
    assert leases.acquire(store, talk_id, "window") is None
    for args, doing in ((["note", code, "要点"], "添加记录"), (["end", code], "结束"), (["seal", code], "封存")):
        refused = run_cli(["--db", str(db_path), "talk", *args])
        assert refused.exit_code == 1, refused.stdout
        assert "正在另一窗口中编辑：本机的另一窗口" in refused.stderr and f"现在不能{doing}" in refused.stderr and "请在该窗口中记录" in refused.stderr
    assert entry_texts(store, talk_id) == [] and talks.talk_row(store, talk_id)["status"] == "in_progress"
    leases.release(store, talk_id, "window")
    noted = run_cli(["--db", str(db_path), "talk", "note", code, "要点"])
    assert noted.exit_code == 0, noted.stderr


# -- versions ----------------------------------------------------------------------------------------------------


def test_an_entry_write_against_an_older_version_is_refused_and_changes_nothing(store: Store) -> None:
    talk_id = started_talk(store, make_org(store), (("", "事实情况", "原文", False),))
    [(entry_id, version)] = talks.entry_versions(store, talk_id).items()
    newer = talks.update_entry(store, entry_id, expected_version=version, text="甲窗口的文字")
    assert newer == version + 1
    with pytest.raises(talks.EditConflict, match="已在另一窗口中修改"):
        talks.update_entry(store, entry_id, expected_version=version, text="乙窗口的文字")
    assert entry_texts(store, talk_id) == ["甲窗口的文字"]


def test_autosave_keeps_both_texts_when_two_windows_wrote_one_entry(store: Store) -> None:
    talk_id = started_talk(store, make_org(store), (("谈作风", "发现问题", "", True),))
    versions = talks.entry_versions(store, talk_id)
    [entry_id] = versions
    first, second = Autosaver(store), Autosaver(store.reopen())
    try:
        for saver in (first, second):
            saver.track_entries(versions)
        first.update_entry_text(entry_id, "甲：报销单据整理不及时")
        assert first.flush()
        second.update_entry_text(entry_id, "乙：报销单据已补齐")
        assert second.flush()
        moved = second.take_moved()
        assert list(moved) == [entry_id] and second.take_moved() == {}
        second.update_entry_text(entry_id, "乙：报销单据已补齐，下周复核")  # later typing follows the move
        assert second.flush()
    finally:
        first.close()
        second.close()
    rows = store.query("SELECT id, heading, kind, confidential, text FROM entries WHERE talk_id = ? ORDER BY position",
                       [talk_id])
    assert [(r["heading"], r["kind"], r["confidential"], r["text"]) for r in rows] == [
        ("谈作风", "发现问题", 1, "甲：报销单据整理不及时"),
        ("谈作风", "发现问题", 1, "乙：报销单据已补齐，下周复核"),
    ]
    assert rows[1]["id"] == moved[entry_id]


# -- two app windows on one database file -------------------------------------------------------------------------


async def open_talk(pilot: Pilot[None], app: TanxinApp, talk_id: int) -> LiveScreen:
    """Open the talk from inside `app`'s own task: Textual finds a widget's app through a context variable,
    which the test's task shares with whichever app started last."""
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
    app.call_later(app.hold_talk, talk_id)
    await wait_for(pilot, lambda: any(isinstance(s, LiveScreen) and s.query(EntryText) for s in app.screen_stack))
    await pilot.pause()
    return next(s for s in app.screen_stack if isinstance(s, LiveScreen))


def editor_texts(screen: LiveScreen) -> list[tuple[str, bool]]:
    return [(e.editor.text, e.editor.read_only) for e in screen.query(EntryEditor) if e.editor is not None]


@drive
async def test_a_second_window_is_read_only_until_it_takes_over_and_no_text_is_lost(store: Store) -> None:
    talk_id = started_talk(store, make_org(store), (("", "事实情况", "", False),))
    second_store = store.reopen()
    first, second = make_app(store), make_app(second_store)
    try:
        async with first.run_test(size=(100, 30)) as pilot_a, second.run_test(size=(100, 30)) as pilot_b:
            screen_a = await open_talk(pilot_a, first, talk_id)
            await pilot_a.press(*"甲窗口记下的话")
            await wait_for(pilot_a, lambda: entry_texts(store, talk_id) == ["甲窗口记下的话"])

            # The second window: read-only, told who edits, and asked (the safe answer first).
            screen_b = await open_talk(pilot_b, second, talk_id)
            await wait_for(pilot_b, lambda: getattr(second.screen, "question", "") == "这次谈话正在另一窗口中编辑")
            dialog_text = str(second.screen.query_one(".dialog-note").render())
            assert "本机的另一窗口" in dialog_text and f"进程 {os.getpid()}" in dialog_text
            await pilot_b.press("enter")  # 只读查看
            await wait_for(pilot_b, lambda: second.screen is screen_b)
            assert not screen_b.holding and editor_texts(screen_b) == [("甲窗口记下的话", True)]
            await pilot_b.press(*"乙")
            assert screen_b.check_action("new_entry", ()) is None
            assert entry_texts(store, talk_id) == ["甲窗口记下的话"]

            # The second window takes over, explicitly.
            second.call_later(screen_b.dismiss)
            await wait_for(pilot_b, lambda: type(second.screen).__name__ == "DashboardScreen")
            second.call_later(second.hold_talk, talk_id)
            await wait_for(pilot_b, lambda: getattr(second.screen, "question", "") == "这次谈话正在另一窗口中编辑")
            await pilot_b.press("shift+tab", "enter")  # 接管编辑
            await wait_for(pilot_b, lambda: isinstance(second.screen, LiveScreen) and second.screen.holding)
            taken = second.screen
            assert isinstance(taken, LiveScreen)

            # The first window types on until its heartbeat tells it; then it saves what it had, read-only.
            await pilot_a.press(*"又一句")
            first.call_later(first.renew_leases)
            await wait_for(pilot_a, lambda: not screen_a.holding)
            assert all(read_only for _, read_only in editor_texts(screen_a))
            assert entry_texts(store, talk_id) == ["甲窗口记下的话又一句"]

            # The second window typed on the text it loaded before the first window's last words were saved:
            # its text is kept beside them, not over them.
            await pilot_b.press("end", *"乙窗口补充")
            await wait_for(pilot_b, lambda: len(entry_texts(store, talk_id)) == 2, timeout=8)
            texts = entry_texts(store, talk_id)
            assert texts[0] == "甲窗口记下的话又一句"
            assert texts[1].endswith("乙窗口补充")
    finally:
        second_store.close()
    assert leases.holder_of(store, talk_id) is None  # both windows gave the talk back when they closed


def test_a_stale_lease_is_judged_by_the_clock_of_the_store(store: Store) -> None:
    """The heartbeat and its age come from the same clock (docs/clock.md), never the computer's."""
    clock = FixedClock(FIXED_NOW)
    store.clock = clock
    talk_id = started_talk(store, make_org(store))
    leases.acquire(store, talk_id, "a")
    with pytest.raises(InvalidInput):
        leases.refuse_if_edited(store, talk_id, "添加记录")
    clock.set(FIXED_NOW + timedelta(seconds=leases.LEASE_STALE_SECONDS))
    leases.refuse_if_edited(store, talk_id, "添加记录")  # the lapsed lease no longer counts
