"""What every screen of the app shares: the running TanxinApp, typed, and one path for a worker's failure.

Textual types `screen.app` as a bare App, and tells only the node that started a worker how it ended. Without
a base, each screen repeated a cast and an `on_worker_state_changed` hook. A screen derives from TanxinScreen
(or TanxinModalScreen) instead; a failed worker becomes a WorkerFailed message that bubbles to the app, which
reports every failure in one place (tui/app.py `report_failure`), once, in Chinese.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual import events
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from tui.messages import WorkerFailed

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump

    from tui.app import TanxinApp

ResultType = TypeVar("ResultType")

# f1 帮助: the app's key, and listed again by modal screens, which hide the app's bindings from Textual
# (tui/screens/help.py).
HELP_BINDING = Binding("f1", "app.help", "帮助", id="tanxin.help", tooltip="本界面的按键和日常用法")


def forward_failure(node: MessagePump, event: Worker.StateChanged) -> bool:
    """When the worker `node` started has raised, post WorkerFailed from `node` (it bubbles to the app, which
    reports it) and say so. Workers run with exit_on_error=False, and Textual tells only their node."""
    if event.state == WorkerState.ERROR and event.worker.error is not None:
        node.post_message(WorkerFailed(event.worker.error))
        return True
    return False


def typed_text(event: events.Key) -> bool:
    """The key is a character being typed (a letter, a digit, a Chinese character from the IME), not a
    command key such as enter, tab or an arrow."""
    return event.is_printable and event.character not in (None, " ")


def tanxin_app(node: DOMNode) -> TanxinApp:
    """The running app with its store, policy and today, typed. For widgets; a screen has `self.tanxin`."""
    return cast("TanxinApp", node.app)


class TanxinScreen(Screen[ResultType]):
    """A screen of the app. `ResultType` is what it gives back when dismissed, as with Textual's `Screen`."""

    TYPING_SEARCHES: ClassVar[bool] = False
    """A page whose keys are all modifier or function keys: what is typed there while no text field has the focus
    (a text field takes its own characters first) is someone looking for a person or a command, so the command
    palette opens with it, instead of a letter doing something unasked. docs/keys.md."""

    @property
    def tanxin(self) -> TanxinApp:
        """The running app with its store, policy and today."""
        return tanxin_app(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker this screen started raised: the app reports it."""
        forward_failure(self, event)

    def on_key(self, event: events.Key) -> None:
        if self.TYPING_SEARCHES and typed_text(event):
            event.stop()
            event.prevent_default()
            self.tanxin.open_palette(event.character or "")


class TanxinModalScreen(ModalScreen[ResultType], TanxinScreen[ResultType]):
    """A TanxinScreen shown over the current one (a form, a detail, 设置).

    ModalScreen comes first: Textual takes a screen's CSS type names and default styles along the first base
    only, so in the other order `ModalScreen` styles (the dimmed background) would not apply."""
