"""The app's shell, driven through Pilot: first run, unlock, lock, 工作台, 人员, the palette, hostile names.

Every test runs the real app on a real encrypted database (only the keyring is an in-memory stand-in).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from time import monotonic

import pytest
from conftest import PASSPHRASE, MemoryKeyring, clock_on
from textual import events
from textual.pilot import Pilot
from textual.widgets import Checkbox, Select, TabbedContent
from tui_talk_helpers import (
    FORBIDDEN_ON_TERMINAL,
    HOSTILE,
    dashboard_ready,
    drive,
    screen_text,
    terminal_output,
)

from notes.settings import Settings, load_settings, save_settings
from notes.store import Store
from notes.unlock import init_database, open_database
from prep.people_search import PeopleIndex
from tui.app import TanxinApp
from tui.screens.dashboard import DashboardScreen
from tui.screens.people import PeopleScreen, PersonScreen
from tui.screens.unlock import FirstRunScreen, LockScreen, RecoveryKeyScreen, UnlockScreen
from tui.widgets.blank import BlankScreen
from tui.widgets.safe_input import SafeInput, SafeTextArea
from tui.widgets.safe_table import SafeTable

TODAY = date(2026, 11, 20)
PACKS = ["suzhou-2018", "cadre-talks", "practice"]
NAMES = ("张三", "张三丰", "李四", "曾小明", "吕方", "单田芳")


async def settle(pilot: Pilot[None], until: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let workers and messages run until `until()` holds (thread workers finish on their own time)."""
    deadline = monotonic() + timeout
    while not until():
        if monotonic() > deadline:
            raise AssertionError(f"timed out waiting; screen is {pilot.app.screen!r}:\n{screen_text(pilot.app)}")  # type: ignore[arg-type]
        await pilot.pause(0.05)
    await pilot.pause()  # and let the screen draw what just arrived


def make_people(store: Store, names: tuple[str, ...] = NAMES) -> dict[str, int]:
    with store.transaction():
        unit = store.insert("units", {"name": "机关党委", "kind": "机关党委"})
        branch = store.insert("units", {"name": "第一支部", "kind": "党支部", "parent_id": unit})
        return {name: store.insert("people", {"name": name, "unit_id": branch, "position": "科员"}) for name in names}


def app_for(store: Store | None, **kwargs: object) -> TanxinApp:
    return TanxinApp(store, clock=clock_on(TODAY), cursor_blink=False, **kwargs)  # type: ignore[arg-type]


def table_keys(app: TanxinApp, selector: str) -> list[str]:
    table = app.screen.query_one(selector, SafeTable)
    return [str(key.value) for key in table.rows]


# -- pinyin search (no Textual) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zs", ["张三", "张三丰"]),
        ("zhangsan", ["张三", "张三丰"]),
        ("zhangs", ["张三", "张三丰"]),
        ("ZS", ["张三", "张三丰"]),
        ("zsf", ["张三丰"]),
        ("san", ["张三", "张三丰"]),  # inside the name
        ("张", ["张三", "张三丰"]),
        ("zengxm", ["曾小明"]),  # 曾 as a surname is zeng …
        ("cxm", ["曾小明"]),  # … and ceng is accepted too
        ("lvf", ["吕方"]),
        ("luf", ["吕方"]),
        ("shantf", ["单田芳"]),  # 单 as a surname is shan
        ("ls", ["李四"]),
        ("wangwu", []),
    ],
)
def test_pinyin_search(query: str, expected: list[str]) -> None:
    index = PeopleIndex(enumerate(NAMES))
    assert [c.name for c in index.search(query)] == expected


def test_search_ranks_exact_name_first_and_survives_hostile_names() -> None:
    index = PeopleIndex(enumerate(("张三丰", "张三", *HOSTILE, "x" * 200_000)))
    assert [c.name for c in index.search("张三")][:2] == ["张三", "张三丰"]
    assert [c.name for c in index.search("[@click")] == ["[@click=app.quit]x[/]"]
    assert index.search("\x1b")  # control characters are searchable, never interpreted
    assert len(index.search("x")) >= 2


# -- first run, unlock, keyring ---------------------------------------------------------------------------


@drive
async def test_first_run_creates_the_database_and_shows_the_recovery_key_once(db_path: Path) -> None:
    app = app_for(None, db_path=db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press(*"short")
        await pilot.press("enter", *"short", "enter")
        await settle(pilot, lambda: "至少 8 个字符" in screen_text(app))
        assert not db_path.exists()
        app.screen.query_one("#passphrase", SafeInput).value = PASSPHRASE
        app.screen.query_one("#repeat", SafeInput).value = PASSPHRASE + "x"
        await pilot.click("#submit")
        await settle(pilot, lambda: "两次输入的口令不一致" in screen_text(app))
        app.screen.query_one("#repeat", SafeInput).value = PASSPHRASE
        await pilot.click("#submit")
        await settle(pilot, lambda: isinstance(app.screen, RecoveryKeyScreen))
        recovery_key = app.screen.recovery_key  # type: ignore[attr-defined]
        await settle(pilot, lambda: recovery_key in screen_text(app))
        await pilot.press(*"00000000", "enter")
        await settle(pilot, lambda: "不符" in screen_text(app))
        assert isinstance(app.screen, RecoveryKeyScreen)  # no way past it without proving the key was copied
        field = app.screen.query_one(SafeInput)
        field.value = recovery_key.rsplit("-", 1)[-1].lower()
        await pilot.press("enter")
        await settle(pilot, dashboard_ready(app))
        assert recovery_key not in screen_text(app)
    assert db_path.exists()
    reopened = open_database(db_path, passphrase=PASSPHRASE, use_keyring=False)
    assert reopened.get_setting("active_packs") == PACKS
    reopened.close()


@drive
async def test_wrong_passphrase_is_a_message_and_the_right_one_opens(db_path: Path) -> None:
    init_database(db_path, PASSPHRASE, PACKS).store.close()
    app = app_for(None, db_path=db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, UnlockScreen) and not app.screen.query_one(SafeInput).disabled)
        await pilot.press(*"wrong passphrase", "enter")
        await settle(pilot, lambda: "口令错误" in screen_text(app))
        assert isinstance(app.screen, UnlockScreen)
        assert app.screen.query_one(SafeInput).value == ""
        app.screen.query_one(SafeInput).value = PASSPHRASE
        await pilot.press("enter")
        await settle(pilot, dashboard_ready(app))
        assert app.store.get_setting("active_packs") == PACKS


@drive
async def test_passphrase_from_the_environment_unlocks_without_asking(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_database(db_path, PASSPHRASE, PACKS).store.close()
    monkeypatch.setenv("TANXIN_PASSPHRASE", PASSPHRASE)
    app = app_for(None, db_path=db_path)
    async with app.run_test() as pilot:
        await settle(pilot, dashboard_ready(app))


@drive
async def test_keyring_offer_remembers_the_key(db_path: Path, memory_keyring: MemoryKeyring) -> None:
    init_database(db_path, PASSPHRASE, PACKS).store.close()
    app = app_for(None, db_path=db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: app.screen.query_one("#remember", Checkbox).display)
        await pilot.pause()
        assert "钥匙串" in screen_text(app)
        app.screen.query_one("#remember", Checkbox).value = True
        app.screen.query_one(SafeInput).value = PASSPHRASE
        await pilot.press("enter")
        await settle(pilot, dashboard_ready(app))
    assert memory_keyring.secrets
    # The next start opens from the keyring, without a question.
    again = app_for(None, db_path=db_path)
    async with again.run_test() as pilot:
        await settle(pilot, dashboard_ready(again))


# -- lock and blank ---------------------------------------------------------------------------------------


@drive
async def test_idle_lock_covers_the_stack_and_unlocking_returns_there(store: Store) -> None:
    people = make_people(store)
    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, dashboard_ready(app))
        app.open_person(people["李四"])
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        stack = list(app.screen_stack)
        app.lock_if_idle()
        assert not isinstance(app.screen, LockScreen)  # not idle yet
        app.last_activity = monotonic() - (Settings().idle_lock_minutes * 60 + 1)
        app.lock_if_idle()
        await settle(pilot, lambda: isinstance(app.screen, LockScreen))
        assert "李四" not in screen_text(app)
        await pilot.press("f3", "ctrl+p")  # no way around the lock
        assert isinstance(app.screen, LockScreen) and app.current_mode == "dashboard"
        await pilot.press(*"not the passphrase", "enter")
        await settle(pilot, lambda: "口令错误" in screen_text(app))
        app.screen.query_one(SafeInput).value = PASSPHRASE
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen))
        assert list(app.screen_stack) == stack
        assert "李四" in screen_text(app)


@drive
async def test_lock_accepts_the_recovery_key_and_blank_hides_everything(store: Store) -> None:
    from notes.unlock import recovery_key_of

    make_people(store)
    app = app_for(store)
    async with app.run_test() as pilot:
        await settle(pilot, dashboard_ready(app))
        await pilot.press("f12")
        assert isinstance(app.screen, BlankScreen)
        assert screen_text(app).strip() == ""
        await pilot.press("ctrl+p")  # any key brings the screen back; this one does not open the palette
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("f12", "x")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, LockScreen)
        app.screen.query_one(SafeInput).value = recovery_key_of(store)
        await pilot.press("enter")
        await settle(pilot, dashboard_ready(app))
        assert not app.locked


# -- 工作台 -----------------------------------------------------------------------------------------------


@drive
async def test_dashboard_shows_due_talks_with_their_rules(demo_store: Store) -> None:
    app = TanxinApp(demo_store, cursor_blink=False)  # the demo is written for today
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, dashboard_ready(app))
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.data is not None
        assert screen.title == "工作台"
        text = screen_text(app)
        assert "应谈谈话" in text and "逾期" in text and "任职谈话" in text
        # One row per talk to hold; the overdue 任职谈话 is among them, its rule and source under the list.
        assert table_keys(app, "#due") == [row.id for row in screen.data.rows]
        appointment = next(r for r in screen.data.rows if r.talk_type == "appointment" and r.overdue)
        table = screen.query_one("#due", SafeTable)
        table.move_cursor(row=table_keys(app, "#due").index(appointment.id))
        await pilot.pause()
        detail = str(screen.query_one("#row-detail").render())
        assert "任职决定" in detail and "004 三.1" in detail and f"逾期 {appointment.days_overdue} 天" in detail
        assert table_keys(app, "#coverage") and table_keys(app, "#watch")
        assert "█" in text  # coverage bars


@drive
async def test_enter_on_a_due_item_prepares_that_talk(demo_store: Store) -> None:
    from tui.screens.prepare import PrepareScreen

    app = TanxinApp(demo_store, cursor_blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, dashboard_ready(app))
        assert isinstance(app.screen, DashboardScreen) and app.screen.data is not None
        first = next(row for row in app.screen.data.rows if row.talk is None)
        table = app.screen.query_one("#due", SafeTable)
        table.focus()
        table.move_cursor(row=table_keys(app, "#due").index(first.id))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, PrepareScreen))
        prepare = app.screen
        assert isinstance(prepare, PrepareScreen)
        due_item = first.event_item or first.worst
        assert (prepare.person_id, prepare.talk_type, prepare.due_item_id) == (
            first.person_id, first.talk_type, due_item.id)
        await pilot.press("escape")
        await settle(pilot, dashboard_ready(app))
        # The watch list opens the person's page the same way.
        app.screen.query_one("#watch", SafeTable).focus()
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        watched = app.screen
        assert isinstance(watched, PersonScreen) and watched.data is not None
        assert watched.data.profile.watch_reasons
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


# -- 人员 -------------------------------------------------------------------------------------------------


@drive
async def test_people_search_by_pinyin_and_initials(store: Store) -> None:
    people = make_people(store)
    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await settle(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.roster is not None)
        assert len(table_keys(app, "#people")) == len(NAMES)
        for query, expected in (("zs", ["张三", "张三丰"]), ("zhangsan", ["张三", "张三丰"]), ("zxm", ["曾小明"])):
            app.screen.query_one("#search", SafeInput).value = ""
            await pilot.press(*query)
            await pilot.pause()
            assert table_keys(app, "#people") == [str(people[name]) for name in expected]
        await pilot.press("enter", "enter")  # to the results, then open the first
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        assert app.screen.person_id == people["曾小明"]  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("f3")  # asked again, the section goes back to its first screen
        assert isinstance(app.screen, PeopleScreen)


@drive
async def test_ctrl_w_on_a_person_page_lists_the_person_as_a_key_person(store: Store) -> None:
    """重点人员 from the person's page: ctrl+w opens the form, the reason is written, the flag is kept."""
    person = make_people(store)["李四"]
    app = app_for(store)
    async with app.run_test(size=(100, 34)) as pilot:
        app.open_person(person)
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        page = app.screen
        await pilot.press("ctrl+w")
        await settle(pilot, lambda: bool(app.screen.query("#reason")))
        app.screen.query_one("#reason", SafeTextArea).load_text("家中老人病故，情绪低落")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is page)
        assert store.query("SELECT reason, since, ended_on FROM watch_flags WHERE person_id = ?", [person]) == [
            {"reason": "家中老人病故，情绪低落", "since": TODAY.isoformat(), "ended_on": None}]


@drive
async def test_person_page_records_a_profile_entry_and_an_event(store: Store) -> None:
    people = make_people(store)
    person = people["李四"]
    app = app_for(store)
    async with app.run_test(size=(100, 34)) as pilot:
        app.open_person(person)
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
        assert isinstance(app.screen, PersonScreen)
        page: PersonScreen = app.screen
        assert "未掌握" in screen_text(app)  # an empty profile shows its gaps
        page.query_one("#profile", SafeTable).move_cursor(row=4)  # 个人困难
        await pilot.press("ctrl+n")
        await settle(pilot, lambda: bool(app.screen.query("#text")))
        app.screen.query_one("#text", SafeTextArea).load_text("子女入学有困难 [/] $accent")
        app.screen.query_one("#source", SafeInput).value = "本人谈话"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is page and "已掌握 1/10" in screen_text(app))
        row = store.query_one("SELECT dimension, text, source, observed_on FROM profile_entries WHERE person_id = ?",
                              [person])
        assert row == {"dimension": "difficulties", "text": "子女入学有困难 [/] $accent", "source": "本人谈话",
                       "observed_on": TODAY.isoformat()}
        assert "子女入学有困难 [/] $accent" in screen_text(app)

        await pilot.press("ctrl+e")
        await settle(pilot, lambda: bool(app.screen.query("#event")))
        app.screen.query_one("#event", Select).value = "appointment_decision"
        app.screen.query_one("#occurred_on", SafeInput).value = "2026-11-18"
        app.screen.query_one("#note", SafeInput).value = "青发改党〔2026〕12号"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: app.screen is page and bool(page.data and page.data.events))
        assert store.query("SELECT event_type, occurred_on, note FROM events WHERE person_id = ?", [person]) == [
            {"event_type": "appointment_decision", "occurred_on": "2026-11-18", "note": "青发改党〔2026〕12号"}
        ]
        page.query_one(TabbedContent).active = "tab-events"
        await pilot.pause()
        assert "任职决定" in screen_text(app)

        # A refusal stays in the form, with nothing written.
        await pilot.press("ctrl+e")
        await settle(pilot, lambda: bool(app.screen.query("#event")))
        app.screen.query_one("#occurred_on", SafeInput).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "请选择事件" in screen_text(app))
        await pilot.press("escape")
        assert app.screen is page
        assert store.scalar("SELECT count(*) FROM events") == 1


@drive
async def test_unknown_person_is_a_message_not_a_crash(store: Store) -> None:
    make_people(store)
    app = app_for(store)
    async with app.run_test(notifications=True) as pilot:
        app.open_person(999_999)
        await settle(pilot, lambda: any("999999" in n.message for n in app._notifications))
        assert app.is_running


# -- the command palette ----------------------------------------------------------------------------------


@drive
async def test_palette_finds_commands_and_people_by_pinyin(store: Store) -> None:
    people = make_people(store)
    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, dashboard_ready(app))
        await pilot.press("ctrl+p")
        await pilot.press(*"zsf")
        await settle(pilot, lambda: "人员：张三丰" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, PersonScreen))
        assert app.screen.person_id == people["张三丰"]  # type: ignore[attr-defined]
        await pilot.press("ctrl+p", *"ry")
        await settle(pilot, lambda: "人员" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, PeopleScreen))


# -- hostile text ------------------------------------------------------------------------------------------


@drive
async def test_hostile_names_render_literally_and_do_nothing(store: Store) -> None:
    people = make_people(store, HOSTILE)
    from prep.profile import flag_person

    for name, person_id in people.items():
        flag_person(store, person_id, f"原因 {name}", TODAY - timedelta(days=3))
    app = app_for(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, dashboard_ready(app))
        screens = [app.screen]
        await pilot.press("f3")
        await settle(pilot, lambda: isinstance(app.screen, PeopleScreen) and app.screen.roster is not None)
        screens.append(app.screen)
        outputs = [terminal_output(app)]
        text = screen_text(app)
        for literal in ("[/]", "[@click=app.quit]x[/]", "$accent", "␛[2J", "␛]0;title␇", "N␀UL", "⟨U+202E⟩evil"):
            assert literal in text
        # Clicking the name that carries a click action does nothing but select the row.
        row = table_keys(app, "#people").index(str(people["[@click=app.quit]x[/]"]))
        await pilot.click("#people", offset=(3, row + 1))
        assert app.is_running
        for name in HOSTILE:
            app.open_person(people[name])
            await settle(pilot, lambda: isinstance(app.screen, PersonScreen) and app.screen.data is not None)
            outputs.append(terminal_output(app))
            await pilot.press("escape")
        await pilot.press("ctrl+p", *"evil")
        await settle(pilot, lambda: "evil" in screen_text(app))
        outputs.append(terminal_output(app))
        assert app.is_running
    for output in outputs:
        for forbidden in FORBIDDEN_ON_TERMINAL:
            assert forbidden not in output


@drive
async def test_pasted_escape_sequences_are_cleaned(store: Store) -> None:
    make_people(store)
    app = app_for(store)
    async with app.run_test(notifications=True) as pilot:
        await pilot.press("f3")
        await settle(pilot, lambda: isinstance(app.screen, PeopleScreen))
        search = app.screen.query_one("#search", SafeInput)
        search.focus()
        search.post_message(events.Paste("张\x1b[2J\x1b]0;title\x07\x11\r三\u202e\x00"))
        await pilot.pause()
        assert search.value == "张[2J]0;title 三"
        assert app.is_running and isinstance(app.screen, PeopleScreen)
        search.value = ""
        search.post_message(events.Paste("李" * 100_000))
        await settle(pilot, lambda: any("只保留了前" in n.message for n in app._notifications))
        assert len(search.value) == 20_000


# -- settings ----------------------------------------------------------------------------------------------


def test_settings_are_checked_stored_and_fall_back(store: Store) -> None:
    from notes.errors import InvalidInput

    settings = load_settings(store)
    assert settings == Settings()
    changed = save_settings(store, {"idle_lock_minutes": 3, "keymap": {"tanxin.lock": "ctrl+k"}})
    assert load_settings(store) == changed and changed.idle_lock_minutes == 3
    with pytest.raises(InvalidInput):
        save_settings(store, {"idle_lock_minutes": -5})
    store.set_setting("idle_lock_minutes", "ten")  # a hand edit of the wrong type
    assert load_settings(store).idle_lock_minutes == Settings().idle_lock_minutes


@drive
async def test_keymap_setting_rebinds_a_global_key(store: Store) -> None:
    save_settings(store, {"keymap": {"tanxin.lock": "ctrl+k"}})
    app = app_for(store)
    async with app.run_test() as pilot:
        await settle(pilot, dashboard_ready(app))
        await pilot.press("ctrl+l")
        assert not isinstance(app.screen, LockScreen)
        await pilot.press("ctrl+k")
        assert isinstance(app.screen, LockScreen)


# -- the real terminal: paste guard and what reaches the terminal ------------------------------------------


@pytest.mark.parametrize(
    "chunks",
    [
        ["\x1b[200~a\x1b[2Jb\x11c\x1b[201~"],
        ["\x1b[2", "00~a\x1b", "[2Jb\x11c\x1b[20", "1~"],  # markers and ESC split across reads
        ["x\x1b", "[200~a\x1b[2Jb\x11c\x1b[201", "~"],
    ],
)
def test_paste_guard_neutralises_escape_inside_pastes_only(chunks: list[str]) -> None:
    from tui.paste_guard import PasteGuard

    guard = PasteGuard()
    out = "".join(guard.feed(chunk) for chunk in chunks)
    assert out.removeprefix("x") == "\x1b[200~a␛[2Jb\x11c\x1b[201~"
    assert not guard.in_paste
    # Outside a paste, escape sequences (arrow keys, F3) pass untouched and without delay.
    assert guard.feed("\x1bOR\x1b[A\x1b") == "\x1bOR\x1b[A\x1b"


def test_real_terminal_shows_hostile_names_literally_and_survives_a_hostile_paste(db_path: Path) -> None:
    """The whole app in a pseudo-terminal, through the CLI: the bytes it writes and the paste it reads."""
    import os
    import select
    import struct
    import sys

    pty = pytest.importorskip("pty")
    import fcntl
    import termios

    created = init_database(db_path, PASSPHRASE, PACKS)
    make_people(created.store, ("甲\x1b[2J乙", "丙\x1b]0;PWNED\x07丁", "N\x00UL", "\u202eevil"))
    created.store.close()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real `tanxin`, unlocked by TANXIN_PASSPHRASE
        os.environ.update(TERM="xterm-256color", TANXIN_PASSPHRASE=PASSPHRASE, LANG="C.UTF-8")
        os.execv(sys.executable, [sys.executable, "-c", "from tui.cli import main; main()", "--db", str(db_path)])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    output = bytearray()

    def read_until(text: str, seconds: float = 30) -> None:
        deadline = monotonic() + seconds
        while text.encode() not in output:
            assert monotonic() < deadline, f"never saw {text!r}"
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    output.extend(os.read(fd, 65536))
                except OSError:
                    return

    try:
        read_until("工作台")
        os.write(fd, b"\x1bOR")  # F3: 人员
        read_until("甲␛[2J乙")
        os.write(fd, "\x1b[200~张\x1b[2Jabc\x11xyz\x1b[201~".encode())  # \x11 would be ctrl+q
        read_until("张␛[2Jabcxyz")
        assert os.waitpid(pid, os.WNOHANG) == (0, 0), "the paste ended the app"
        os.write(fd, b"\x11")  # a real ctrl+q
        read_until("\x1b[?1049l", 15)  # the app left the alternate screen
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    written = output.decode("utf-8", "replace")
    for literal in ("甲␛[2J乙", "丙␛]0;PWNED␇丁", "N␀UL", "⟨U+202E⟩evil"):
        assert literal in written
    for forbidden in ("甲\x1b[2J乙", "\x1b]0;PWNED", "\x00", "\u202e"):
        assert forbidden not in written
