"""What the talk screens (谈前准备, 谈话中, 谈后, 跟踪, 台账) share: the talk's type, quick writes that report a
refusal instead of crashing, where exports go, and the autosave indicator.

Threads never touch widgets: the Autosaver's thread posts SaveStateChanged (post_message is thread-safe) and
the screen's handler, on the main thread, updates what is shown. A worker's unexpected failure is reported
once, by the app (tui/app.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget

from tui.safe import clean_input, visible
from tui.screens.base import tanxin_app

if TYPE_CHECKING:
    from textual.screen import Screen

    from notes.autosave import Autosaver, SaveState
    from notes.leases import Holder
    from notes.store import Store

EXPORT_DIR_NAME = "谈心导出"


@contextmanager
def shown_errors(node: Widget) -> Iterator[None]:
    """A quick write on the main thread: a refusal (TanxinError) becomes a message instead of a crash.
    Put what should happen only on success inside the block too."""
    from notes.errors import TanxinError

    try:
        yield
    except TanxinError as error:
        # The message may quote user text (an entry's title): shown literally.
        node.notify(visible(error.message), title="未能完成", severity="error", timeout=10, markup=False)


@dataclass(frozen=True)
class TalkKind:
    """What the talk screens need of a talk's type."""

    name: str
    points: list[str]  # the required points, in the pack's order
    rectification_required: bool  # sealing needs a 整改 with a deadline (诫勉, 004)


def talk_kind(node: DOMNode, type_id: str) -> TalkKind:
    """The type as the active packs describe it. A type no active pack knows any more (a pack was switched
    off after the talk was planned) is still shown, under its id, without required points."""
    from notes.errors import TanxinError

    try:
        kind = tanxin_app(node).policy.talk_type(type_id)
    except TanxinError:
        return TalkKind(type_id, [], False)
    return TalkKind(kind.name, [point.text for point in kind.points], bool(kind.followup_deadline_required))


def export_dir() -> Path:
    """Where exported documents go unless the user types another path: a folder under the home directory."""
    return Path.home() / EXPORT_DIR_NAME


def file_safe(text: str) -> str:
    """A name (a person's, a code) as part of a file name: control and bidi characters dropped, path
    separators and characters Windows refuses replaced."""
    cleaned = "".join("_" if c in '/\\:*?"<>|\n\t' else c for c in clean_input(text))
    return cleaned.strip(" .") or "未命名"


@dataclass
class SaveStateChanged(Message):
    """The Autosaver's state, posted from whichever thread it changed in (post_message is thread-safe)."""

    state: SaveState


def start_autosaver(node: Widget, hand_over: Callable[[], None]) -> Autosaver:
    """An Autosaver on the app's database whose state changes arrive at `node` as SaveStateChanged. The app
    knows it until `stop_autosaver`, so quitting saves it first; `hand_over` gives the autosaver what is typed
    on screen but not yet handed to it (the last keystrokes before ctrl+q)."""
    from notes.autosave import Autosaver

    def post(state: SaveState) -> None:
        node.post_message(SaveStateChanged(state))

    app = tanxin_app(node)
    saver = Autosaver(app.store, on_state=post)
    app.keeping[saver] = hand_over
    return saver


def stop_autosaver(node: Widget, saver: Autosaver) -> None:
    """Save what is left and stop; the app no longer needs to save it at quit."""
    tanxin_app(node).keeping.pop(saver, None)
    saver.close()


def save_state_content(state: SaveState) -> Content:
    """The quiet saved-state line: 已保存 hh:mm:ss / 保存中… / 保存失败：why."""
    if state.status == "saved":
        return Content.styled(state.message, "$text-success")
    if state.status == "pending":
        return Content.styled("保存中…", "$text-muted")
    failed = state.message if state.message.startswith("保存失败") else f"保存失败：{state.message}"
    return Content.styled(visible(failed), "bold $text-error")


@dataclass
class LeaseLost(Message):
    """Another window took over the editing of this talk (found by the app's heartbeat)."""

    talk_id: int


class TalkLeases:
    """The leases (notes/leases.py) this app window holds on the talks its screens edit. One token for the
    window; counted per screen, because 谈话中 hands a talk to 谈后 (and back) and the lease must not lapse
    between the two screens."""

    def __init__(self) -> None:
        from notes.leases import new_token

        self.token = new_token()
        self._held: Counter[int] = Counter()

    @property
    def held(self) -> list[int]:
        return list(self._held)

    def take(self, store: Store, talk_id: int, *, take_over: bool = False) -> Holder | None:
        """None when this window may edit the talk now; else who is editing it elsewhere."""
        from notes.leases import acquire

        other = acquire(store, talk_id, self.token, take_over=take_over)
        if other is None:
            self._held[talk_id] += 1
        return other

    def take_over(self, store: Store, talk_id: int) -> None:
        """Take the lease from the window holding it (the user said so); the screen that reopens the talk
        counts it with `take`."""
        from notes.leases import acquire

        acquire(store, talk_id, self.token, take_over=True)

    def drop(self, store: Store, talk_id: int) -> None:
        """A screen is done with the talk; the lease goes when no screen of this window needs it."""
        from notes.errors import TanxinError
        from notes.leases import release

        if self._held[talk_id] > 1:
            self._held[talk_id] -= 1
            return
        self._held.pop(talk_id, None)
        with suppress(TanxinError):  # a full disk: the lease lapses by itself once its heartbeat stops
            release(store, talk_id, self.token)

    def lost(self, talk_id: int) -> None:
        self._held.pop(talk_id, None)


def offer_take_over(screen: Screen[Any], holder: Holder, talk_id: int, reopen: Callable[[int], object]) -> None:
    """Ask whether to view a talk being edited elsewhere read-only (the safe answer) or take it over; taking it
    over closes `screen` and reopens the talk with the lease (`reopen`: the app's hold_talk or review_talk)."""
    from tui.widgets.talk_dialogs import ConfirmDialog

    def chosen(confirmed: bool | None) -> None:
        if not confirmed:
            screen.notify("只读查看：本窗口不会修改这次谈话。", markup=False)
            return
        app = tanxin_app(screen)
        with shown_errors(screen):
            app.leases.take_over(app.store, talk_id)
            screen.dismiss()
            reopen(talk_id)

    detail = (f"{holder.describe()}。\n两处同时编辑会互相覆盖，所以本窗口以只读方式打开。"
              "也可以接管编辑：另一窗口将转为只读，它尚未保存的文字另存为新条目，不会丢失。")
    screen.app.push_screen(
        ConfirmDialog("这次谈话正在另一窗口中编辑", detail, "接管编辑", cancel_label="只读查看", cancel_first=True),
        chosen,
    )
