"""What the talk screens (谈前准备, 谈话中, 谈后, 跟踪, 台账) share: the talk's type, quick writes that report a
refusal instead of crashing, where exports go, and the autosave indicator.

Threads never touch widgets: the Autosaver's thread posts SaveStateChanged (post_message is thread-safe) and
the screen's handler, on the main thread, updates what is shown. A worker's unexpected failure is reported
once, by the app (tui/app.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget

from tui.safe import clean_input, visible
from tui.screens.base import tanxin_app

if TYPE_CHECKING:
    from notes.autosave import Autosaver, SaveState

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


def start_autosaver(node: Widget) -> Autosaver:
    """An Autosaver on the app's database whose state changes arrive at `node` as SaveStateChanged."""
    from notes.autosave import Autosaver

    def post(state: SaveState) -> None:
        node.post_message(SaveStateChanged(state))

    return Autosaver(tanxin_app(node).store, on_state=post)


def save_state_content(state: SaveState) -> Content:
    """The quiet saved-state line: 已保存 hh:mm:ss / 保存中… / 保存失败：why."""
    if state.status == "saved":
        return Content.styled(state.message, "$text-success")
    if state.status == "pending":
        return Content.styled("保存中…", "$text-muted")
    failed = state.message if state.message.startswith("保存失败") else f"保存失败：{state.message}"
    return Content.styled(visible(failed), "bold $text-error")
