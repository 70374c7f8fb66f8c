"""The Textual app: a thin shell that unlocks the database, owns the global keys and navigates between screens.

Each section (工作台, 人员, 跟踪, 台账) is a mode with its own screen stack, so leaving a section and coming back
finds it as it was. Screens are imported when first shown, so the app starts fast. Locking (by key or after
idle minutes) covers the current stack with the lock screen; unlocking uncovers it, exactly where the user was.
During a talk the idle time only blanks the screen (any key returns, no passphrase in front of the interviewee);
the lock comes after the longer talk_lock_minutes. Quitting saves everything first and waits for it: a save that
fails keeps the app open, with a rescue copy offered; a talk still in progress is asked about.
Screens never open their own database connections on the main thread: `app.store` is the main-thread store and
thread workers use `app.thread_store()`. The app has one clock (`app.clock`): it is "today" on every screen and
it stamps everything the app's stores write.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.messages import Unlocked, UnlockFailed, WorkerFailed
from tui.safe import visible
from tui.screens.base import HELP_BINDING

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future

    from textual.driver import Driver

    from notes.autosave import Autosaver
    from notes.clock import Clock
    from notes.settings import Settings
    from notes.store import Store
    from prep.packs import Policy
    from tui.screens.dashboard import Prefetched
    from tui.screens.talk_support import TalkLeases

# How often the idle clock is looked at; the lock comes at most this late.
IDLE_CHECK_SECONDS = 15.0
# How long quitting waits for the last save before it reports that saving fails.
QUIT_SAVE_SECONDS = 5.0
NAVIGATION_ACTIONS = frozenset({"dashboard", "people", "followups", "ledger", "command_palette"})
# The start (工作台 composed, its first data computed and drawn) makes tens of thousands of objects that all stay;
# the runs of the cycle collector on the way found nothing to free and cost 30–50 ms of a start of 0.8 s
# (tests/bench/bench_tui.py). The collector pauses from unlocking until 工作台 is first drawn — as Textual pauses
# it during smooth scrolling — and at most this long, whatever happens.
START_COLLECTION_PAUSE_SECONDS = 5.0
# How long the start waits for 工作台's data before showing it without (`_start_working`): about the longest a
# start screen may stand still before it looks stuck; 1,000 people and 20,000 talks take about 0.2 s.
START_DATA_WAIT_SECONDS = 1.0
# Said when a section key is pressed where leaving is forbidden: on 谈话中, the one such screen with a footer
# (the lock and unlock screens hide the section keys; the privacy blank takes every key).
BLOCKED_NAVIGATION = "谈话进行中，不能切换到其他界面：先按 f8 结束谈话，或按 esc 暂离（谈话保持进行中），再切换。"


def _dashboard_screen() -> Screen[None]:
    from tui.screens.dashboard import DashboardScreen

    return DashboardScreen()


def _people_screen() -> Screen[None]:
    from tui.screens.people import PeopleScreen

    return PeopleScreen()


def _followups_screen() -> Screen[None]:
    from tui.screens.followups import FollowupsScreen

    screen: Screen[None] = FollowupsScreen()
    return screen


def _ledger_screen() -> Screen[None]:
    from tui.screens.ledger import LedgerScreen

    screen: Screen[None] = LedgerScreen()
    return screen


def _commands_provider() -> type:
    from tui.commands_palette import TanxinCommands

    return TanxinCommands


class TanxinApp(App[None]):
    """谈心: the interviewer's day, from the due list to the sealed record and its follow-ups."""

    TITLE = "谈心"
    CSS_PATH = Path(__file__).with_name("tanxin.tcss")  # absolute: a subclass elsewhere finds it too
    COMMANDS: ClassVar[set[type | object]] = {_commands_provider}  # type: ignore[assignment]
    MODES: ClassVar[dict[str, object]] = {  # type: ignore[assignment]
        "dashboard": _dashboard_screen,
        "people": _people_screen,
        "followups": _followups_screen,
        "ledger": _ledger_screen,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        HELP_BINDING,
        Binding("f2", "dashboard", "工作台", id="tanxin.dashboard", tooltip="回到工作台：应谈、逾期与跟踪事项"),
        Binding("f3", "people", "人员", id="tanxin.people", tooltip="按姓名、拼音或首字母查找人员"),
        Binding("f4", "followups", "跟踪", id="tanxin.followups", tooltip="谈后跟踪事项看板"),
        Binding("f5", "ledger", "台账", id="tanxin.ledger", tooltip="谈话台账与年度报告"),
        Binding("f12", "blank", "隐藏", id="tanxin.blank", priority=True,
                tooltip="立即隐藏屏幕内容（有人走近时）；按任意键恢复"),
        Binding("ctrl+l", "lock", "锁定", id="tanxin.lock", priority=True, tooltip="锁定界面，需输入口令才能继续"),
        Binding("ctrl+q", "quit", "退出", id="tanxin.quit", priority=True,
                tooltip="退出谈心：先保存全部内容，保存不成功时不退出"),
        # The footer shows the palette's key at its right edge on its own.
        Binding("ctrl+p", "command_palette", "命令", id="tanxin.palette", priority=True, show=False,
                tooltip="命令面板：搜索命令和人员（可用拼音）"),
    ]

    def __init__(
        self,
        store: Store | None,
        *,
        demo: bool = False,
        db_path: Path | None = None,
        clock: Clock | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        if store is None and db_path is None:
            raise ValueError("TanxinApp needs an unlocked store or the path of the database to open or create")
        from notes.clock import process_clock

        self.clock = clock or (store.clock if store is not None else process_clock())
        if store is not None:
            store.clock = self.clock  # what the app's screens write is stamped by the app's clock
        self._store = store
        self.db_path = store.path if store is not None else db_path
        self.demo = demo
        self._policy: Policy | None = None
        self._warmup: Future[Prefetched] | None = None  # the policy, and 工作台's first data
        self._dashboard_prefetch: Future[Prefetched] | None = None
        self._settings: Settings | None = None
        self.cursor_blink = cursor_blink
        self.locked = False
        self.last_activity = monotonic()
        # Every open Autosaver, with what hands it the typing still on screen: quitting saves them all.
        self.keeping: dict[Autosaver, Callable[[], None]] = {}
        self._leases: TalkLeases | None = None
        self._collection_paused = False
        if demo:
            self.sub_title = "演示数据"

    def get_driver_class(self) -> type[Driver]:
        """On Linux and macOS, Textual's driver with pasted ESC neutralised (tui/paste_guard.py)."""
        driver = super().get_driver_class()
        if driver.__module__ == "textual.drivers.linux_driver":  # imported only there: it needs termios
            from tui.paste_guard import PasteGuardDriver

            return PasteGuardDriver
        return driver

    # -- what screens use ----------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The main thread's store. Thread workers must use `thread_store()` instead."""
        if self._store is None:
            raise RuntimeError("the database is not unlocked yet")
        return self._store

    @contextmanager
    def thread_store(self) -> Iterator[Store]:
        """A connection of the calling thread's own (SQLCipher connections stay in their thread), closed after."""
        store = self.store.reopen()
        try:
            yield store
        finally:
            store.close()

    @property
    def policy(self) -> Policy:
        """The active policy packs of this database, loaded once, on the prefetch thread (tui/screens/
        dashboard.py) as soon as the database is open; asked earlier, this waits for it."""
        if self._policy is None:
            assert self._warmup is not None, "the database is not unlocked yet"
            self._policy = self._warmup.result().policy
        return self._policy

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from notes.settings import load_settings

            self._settings = load_settings(self.store)
        return self._settings

    def settings_changed(self, settings: Settings) -> None:
        self._settings = settings
        self.set_keymap(settings.keymap)

    @property
    def leases(self) -> TalkLeases:
        """The talks this window edits (one editor per talk, notes/leases.py)."""
        if self._leases is None:
            from tui.screens.talk_support import TalkLeases

            self._leases = TalkLeases()
        return self._leases

    @property
    def today(self) -> date:
        """The date the app works for, by its clock."""
        return self.clock.today()

    # -- starting ------------------------------------------------------------------------------------

    async def on_mount(self) -> None:
        from notes.leases import LEASE_RENEW_SECONDS

        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.set_interval(LEASE_RENEW_SECONDS, self.renew_leases)
        if self._store is not None:
            await self._start_working()
            return
        from tui.screens.unlock import FirstRunScreen, UnlockScreen

        assert self.db_path is not None
        self.push_screen(UnlockScreen(self.db_path) if self.db_path.exists() else FirstRunScreen(self.db_path))

    async def _start_working(self, *, unlocking: bool = False) -> None:
        """Open 工作台 with its data in place: its first drawing is the finished one.

        Drawing an empty 工作台 first and refilling it when the data came cost a whole second round of layout,
        drawing and footer building, on the same interpreter lock as the computation, so the lists arrived
        later than without it. The app waits for the data (at most START_DATA_WAIT_SECONDS; a larger
        organisation then sees the lists fill in); keys pressed meanwhile wait for 工作台 and reach it.
        `unlocking`: the unlock (or first-run) screen, saying 正在打开…, stays until then, rather than a blank."""
        from tui.screens.dashboard import prefetch_dashboard

        self._pause_collection()
        self._warmup = self._dashboard_prefetch = prefetch_dashboard(self.store, self.today)
        self.set_keymap(self.settings.keymap)
        await _finished(self._warmup, START_DATA_WAIT_SECONDS)
        if unlocking:
            await self.pop_screen()
        await self.switch_mode("dashboard")

    def _pause_collection(self) -> None:
        if gc.isenabled():
            gc.disable()
            self._collection_paused = True
            self.set_timer(START_COLLECTION_PAUSE_SECONDS, self.resume_collection)

    def resume_collection(self) -> None:
        """The start is over (工作台 drawn, the time allowed for it gone, or the app closing): the cycle
        collector runs again."""
        if self._collection_paused:
            self._collection_paused = False
            gc.enable()

    def on_unmount(self) -> None:
        self.resume_collection()

    def take_dashboard_prefetch(self) -> Future[Prefetched] | None:
        """The 工作台 data started at unlock, once; later refreshes compute afresh."""
        prefetched, self._dashboard_prefetch = self._dashboard_prefetch, None
        return prefetched

    @on(Unlocked)
    async def open_unlocked_database(self, message: Unlocked) -> None:
        """The unlock or first-run screen opened the database in a worker; reopen it here, on the main thread."""
        from notes.errors import TanxinError
        from notes.store import Store

        try:
            self._store = Store.open(message.path, message.key, clock=self.clock)
        except TanxinError as exc:  # e.g. another program took the file between the two opens
            self.screen.post_message(UnlockFailed(exc.message))
            return
        self.db_path = message.path
        await self._start_working(unlocking=True)
        if message.recovery_key is not None:
            from tui.screens.unlock import RecoveryKeyScreen

            self.push_screen(RecoveryKeyScreen(message.recovery_key))

    # -- navigation (the contract with every screen) -------------------------------------------------

    def show_dashboard(self) -> None:
        self._show_section("dashboard")

    def show_people(self) -> None:
        self._show_section("people")

    def show_followups(self) -> None:
        self._show_section("followups")

    def show_ledger(self) -> None:
        self._show_section("ledger")

    def _show_section(self, mode: str) -> None:
        """Go to a section's list (its first screen). Pages opened from it (a person, a detail) are closed on
        the way; a screen holding work not yet finished (a preparation, a talk: `holds_work()` true) is where
        the section stops, so switching sections never discards it — asked again from inside the section, that
        screen's own leave asks before anything is discarded."""
        if self.current_mode != mode:
            self.switch_mode(mode)
            self._close_pages(stop_at_work=True)
        else:
            self._close_pages(stop_at_work=False)

    def _close_pages(self, *, stop_at_work: bool) -> None:
        while len(self.screen_stack) > 1:
            screen = self.screen_stack[-1]
            holds_work = getattr(screen, "holds_work", None)
            if callable(holds_work) and holds_work():
                leave = getattr(screen, "action_leave", None)
                if not stop_at_work and callable(leave):
                    leave()  # it asks whether to discard, and closes itself if the user agrees
                return
            self.pop_screen()

    def open_person(self, person_id: int, *, tab: str | None = None) -> None:
        """A person's page; `tab` opens it on profile, roles, talks, followups or events."""
        from tui.screens.people import PersonScreen

        self.push_screen(PersonScreen(person_id, tab=tab))

    def prepare_talk(
        self, person_id: int | None = None, talk_type: str | None = None, due_item_id: str | None = None
    ) -> None:
        from tui.screens.prepare import PrepareScreen

        self.push_screen(PrepareScreen(person_id=person_id, talk_type=talk_type, due_item_id=due_item_id))

    def hold_talk(self, talk_id: int, *, confirm_plan: bool = False) -> None:
        """谈话中 for the talk; `confirm_plan`: a planned talk shows its plan (time, place, who) to revise or
        confirm before it starts."""
        from tui.screens.live import LiveScreen

        self.push_screen(LiveScreen(talk_id, confirm_plan=confirm_plan))

    def review_talk(self, talk_id: int) -> None:
        from tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(talk_id))

    def action_dashboard(self) -> None:
        self.show_dashboard()

    def action_people(self) -> None:
        self.show_people()

    def action_followups(self) -> None:
        self.show_followups()

    def action_ledger(self) -> None:
        self.show_ledger()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Sections cannot be switched before unlocking, while locked, or from a screen that forbids it
        (a screen with `blocks_navigation = True`, e.g. while a talk is open nothing about others may show)."""
        if getattr(self.screen, "capturing", None) is not None and action != "quit":
            return False  # 按键一览 waits for a key: f12, ctrl+l, ctrl+p are the answer, not a command
        if action in NAVIGATION_ACTIONS:
            if self._store is None or self.locked:
                return False
            if getattr(self.screen, "blocks_navigation", False):
                return None  # shown greyed out in the footer: it exists, just not here
        return not (action == "lock" and (self._store is None or self.locked))

    def on_key(self, event: events.Key) -> None:
        """A key shown greyed in the footer does nothing by itself (Textual skips a disabled binding); the
        user is told why instead of wondering whether the key was heard."""
        active = self.screen.active_bindings.get(event.key)
        if active is None or active.enabled:
            return
        action = active.binding.action
        if action in NAVIGATION_ACTIONS and active.node is self:
            reason: str | None = BLOCKED_NAVIGATION
        else:
            why_not = getattr(active.node, "why_not", None)
            reason = why_not(action) if callable(why_not) else None
        if reason:
            self.notify(reason, title=f"{active.binding.description}暂不可用", severity="warning", markup=False)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # -- privacy: blank and lock ---------------------------------------------------------------------

    def action_blank(self) -> None:
        from tui.widgets.blank import BlankScreen

        if isinstance(self.screen, BlankScreen):
            self.screen.dismiss()
        else:
            self.push_screen(BlankScreen())

    def action_lock(self) -> None:
        if self._store is None or self.locked:
            return
        from tui.screens.unlock import LockScreen

        self.locked = True
        self.push_screen(LockScreen(self.store.path, self.store.key, demo=self.demo), callback=self._unlocked_again)

    def _unlocked_again(self, _result: None) -> None:
        self.locked = False
        self.last_activity = monotonic()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
                              events.Paste)):
            self.last_activity = monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        """Lock when nobody has touched the keyboard or mouse for the configured minutes. During a talk, blank
        the screen instead, and lock only after the longer talk_lock_minutes."""
        if self._store is None or self.locked:
            return
        from tui.widgets.blank import BlankScreen

        idle = monotonic() - self.last_activity
        minutes = self.settings.idle_lock_minutes
        if not minutes or idle < minutes * 60:
            return
        if not self.in_talk():
            self.action_lock()
            return
        talk_minutes = self.settings.talk_lock_minutes
        if talk_minutes and idle >= max(talk_minutes, minutes) * 60:
            self.action_lock()
        elif not isinstance(self.screen, BlankScreen):
            self.push_screen(BlankScreen())

    def in_talk(self) -> bool:
        """A talk is open on 谈话中 in this window."""
        from tui.screens.live import LiveScreen

        return any(isinstance(screen, LiveScreen) for screen in self.screen_stack)

    # -- one editor per talk ---------------------------------------------------------------------------

    def renew_leases(self) -> None:
        """The heartbeat of the talks this window edits, off the main thread; a lease another window took
        over is reported to the screens showing that talk."""
        held = self.leases.held if self._leases is not None else []
        if held and self._store is not None:
            self.run_worker(lambda: self._renew(held), thread=True, exit_on_error=False, group="leases")

    def _renew(self, talk_ids: list[int]) -> None:
        from notes.errors import TanxinError
        from notes.leases import renew

        with self.thread_store() as store:
            for talk_id in talk_ids:
                try:
                    still_ours = renew(store, talk_id, self.leases.token)
                except TanxinError:  # a full disk or a busy database: try at the next beat
                    continue
                if not still_ours:
                    self.call_from_thread(self._lease_lost, talk_id)

    def _lease_lost(self, talk_id: int) -> None:
        from tui.screens.talk_support import LeaseLost

        self.leases.lost(talk_id)
        for screen in self.screen_stack:
            if getattr(screen, "talk_id", None) == talk_id:
                screen.post_message(LeaseLost(talk_id))

    # -- quitting: nothing typed is lost ---------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit once everything typed is saved. The keys typed just before ctrl+q may still wait in the
        editor's queue: the check runs after them, from that same queue."""
        focused = self.focused
        if focused is not None:
            focused.call_later(self._quit_when_typed)
        else:
            self._quit_when_typed()

    def _quit_when_typed(self) -> None:
        from tui.widgets.talk_dialogs import ConfirmDialog

        for hand_over in list(self.keeping.values()):
            hand_over()
        running = self._talks_in_progress()
        if running:
            detail = (f"正在进行的谈话：{'、'.join(running)}。退出后谈话保持“进行中”，计时暂停，已记录的内容都会保存，"
                      "下次打开可以接着记录。")
            self.push_screen(ConfirmDialog("谈话还在进行中，确定退出？", detail, "保存并退出", cancel_label="返回",
                                           cancel_first=True),
                             lambda confirmed: self._save_and_quit() if confirmed else None)
            return
        self._save_and_quit()

    def _talks_in_progress(self) -> list[str]:
        from notes.talks import talk_row

        if self._store is None:
            return []
        rows = [talk_row(self.store, talk_id) for talk_id in self.leases.held]
        return [row["code"] or str(row["id"]) for row in rows if row["status"] == "in_progress"]

    def _save_and_quit(self) -> None:
        """Save synchronously and wait; quit only when everything is in the database."""
        failing = [saver for saver in self.keeping if not saver.flush(QUIT_SAVE_SECONDS)]
        if not failing:
            self._step_away_from_talks()
            self.exit()
            return
        from tui.screens.talk_support import export_dir
        from tui.widgets.talk_dialogs import RescueDialog

        reason = failing[0].state.message
        name = f"谈心救援副本_{self.clock.now():%Y%m%d_%H%M%S}.tanxin-rescue"
        self.push_screen(RescueDialog(reason, export_dir() / name), self._write_rescue)

    def _step_away_from_talks(self) -> None:
        """Quitting in the middle of a talk is stepping away from it: its timer stops until it is opened again.
        What was typed is saved already; a database that refuses this now (a full disk) costs only the pause."""
        from notes.errors import TanxinError
        from notes.talks import step_away, talk_row

        if self._store is None or self._leases is None:
            return
        for talk_id in self.leases.held:
            try:
                if talk_row(self.store, talk_id)["status"] == "in_progress":
                    step_away(self.store, talk_id, token=self.leases.token)
            except TanxinError:
                continue

    def _write_rescue(self, path: Path | None) -> None:
        from notes.errors import TanxinError
        from notes.rescue import write_rescue

        if path is None:
            return
        changes: dict[tuple[str, int], dict[str, object]] = {}
        versions: dict[int, int] = {}
        for saver in self.keeping:
            changes.update(saver.unsaved())
            versions.update(saver.versions())
        try:
            write_rescue(path, self.store.key, changes, versions)
        except TanxinError as error:
            self.notify(visible(error.message), title="救援副本未写成", severity="error", timeout=15, markup=False)
            return
        for saver in list(self.keeping):
            saver.discard()
        self.exit(message=f"未保存的内容已写入加密救援副本 {path}。用 tanxin talk rescue \"{path}\" 放回记录。")

    # -- small things every screen shares ------------------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Snapshots need a still cursor: without blinking, a screenshot is the same at every instant."""
        if not self.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def action_command_palette(self) -> None:
        self.open_palette()

    def open_palette(self, typed: str = "") -> None:
        """The command palette; `typed` is what the user began typing on a page without a text field (a name,
        pinyin or initials), which becomes the palette's search instead of being lost."""
        from textual.command import CommandInput, CommandPalette

        shown = self.screen
        if isinstance(shown, CommandPalette):
            palette = shown
        else:
            palette = CommandPalette(placeholder="搜索命令或人员（可用拼音或首字母）…", id="--command-palette")
            self.push_screen(palette)
        # A burst of keys (fast typing, an IME committing 张三) reaches the page before the palette's search box
        # has the focus: each character is queued behind the palette's mounting, in the order typed.
        if typed:
            palette.call_after_refresh(lambda: palette.query_one(CommandInput).insert_text_at_cursor(typed))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands, in Chinese; its SVG screenshot is left out (it would write records to disk)."""
        yield SystemCommand("切换配色", "更换界面配色主题", self.action_change_theme)
        yield SystemCommand("按键一览", "显示当前可用的按键", self.action_show_help_panel)
        yield SystemCommand("退出", "退出谈心（先保存全部内容）", self.action_quit)

    @on(WorkerFailed)
    def report_failure(self, message: WorkerFailed) -> None:
        """Every worker's failure ends here, once: a Chinese message, never a crash or a traceback on screen."""
        from notes.errors import TanxinError

        error = message.error
        if isinstance(error, TanxinError):
            # Messages may quote user text (a name that was not found): shown literally, like all stored text.
            self.notify(visible(error.message), title="未能完成", severity="error", timeout=10, markup=False)
            return
        from tui.cli import log_unexpected

        log_path = log_unexpected(error)
        self.notify(
            f"内部错误：{type(error).__name__}。界面中的内容未丢失；详情已写入 {log_path}，请把该文件交给维护人员。",
            title="出错了",
            severity="error",
            timeout=15,
            markup=False,
        )


async def _finished(future: Future[Prefetched], timeout: float) -> None:
    """Wait until a thread's future is done (its result or its failure, left for its owner to take), or
    `timeout` seconds have passed, without holding up the event loop."""
    done = asyncio.Event()
    loop = asyncio.get_running_loop()

    def wake(_: Future[Prefetched]) -> None:
        with suppress(RuntimeError):  # the app ended first and its loop is closed: nobody waits any more
            loop.call_soon_threadsafe(done.set)

    future.add_done_callback(wake)
    with suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), timeout)


def run_app(
    store: Store | None,
    *,
    demo: bool = False,
    db_path: Path | None = None,
    clock: Clock | None = None,
) -> None:
    """Run the app until the user quits. Without a store, it unlocks `db_path` (or creates it on first run)."""
    app = TanxinApp(store, demo=demo, db_path=db_path, clock=clock)
    try:
        app.run()
    finally:
        if app._store is not None:
            app._store.close()
