"""What every screen of the app shares: the running TanxinApp, typed, and one path for a worker's failure.

Textual types `screen.app` as a bare App, and tells only the node that started a worker how it ended. Without
a base, each screen repeated a cast and an `on_worker_state_changed` hook. A screen derives from TanxinScreen
(or TanxinModalScreen) instead; a failed worker becomes a WorkerFailed message that bubbles to the app, which
reports every failure in one place (tui/app.py `report_failure`), once, in Chinese.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from tui.messages import WorkerFailed

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump

    from tui.app import TanxinApp

ResultType = TypeVar("ResultType")


def forward_failure(node: MessagePump, event: Worker.StateChanged) -> bool:
    """When the worker `node` started has raised, post WorkerFailed from `node` (it bubbles to the app, which
    reports it) and say so. Workers run with exit_on_error=False, and Textual tells only their node."""
    if event.state == WorkerState.ERROR and event.worker.error is not None:
        node.post_message(WorkerFailed(event.worker.error))
        return True
    return False


def tanxin_app(node: DOMNode) -> TanxinApp:
    """The running app with its store, policy and today, typed. For widgets; a screen has `self.tanxin`."""
    return cast("TanxinApp", node.app)


class TanxinScreen(Screen[ResultType]):
    """A screen of the app. `ResultType` is what it gives back when dismissed, as with Textual's `Screen`."""

    @property
    def tanxin(self) -> TanxinApp:
        """The running app with its store, policy and today."""
        return tanxin_app(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker this screen started raised: the app reports it."""
        forward_failure(self, event)


class TanxinModalScreen(ModalScreen[ResultType], TanxinScreen[ResultType]):
    """A TanxinScreen shown over the current one (a form, a detail, 设置).

    ModalScreen comes first: Textual takes a screen's CSS type names and default styles along the first base
    only, so in the other order `ModalScreen` styles (the dimmed background) would not apply."""
