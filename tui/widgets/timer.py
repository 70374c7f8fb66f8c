"""The talk timer: how long the talk has been running, updated once a second."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from notes.clock import Clock


def elapsed_seconds(started_at: datetime, now: datetime) -> int:
    return max(int((now - started_at).total_seconds()), 0)


def format_elapsed(seconds: int) -> str:
    """12:34 under an hour, 1:02:03 from an hour on (talks rarely run that long, but some do)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class TalkTimer(Static):
    """用时 mm:ss since the talk started (stopped at its end, once it has ended), by the app's clock."""

    def __init__(
        self, clock: Clock, started_at: datetime, ended_at: datetime | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id, markup=False)
        self.clock = clock
        self.started_at = started_at
        self.ended_at = ended_at

    def on_mount(self) -> None:
        self.refresh_time()
        if self.ended_at is None:
            self.set_interval(1.0, self.refresh_time)

    @property
    def seconds(self) -> int:
        return elapsed_seconds(self.started_at, self.ended_at or self.clock.now())

    def refresh_time(self) -> None:
        # The screen gives the timer a fixed width: a tick repaints it without a layout pass.
        self.update(Content.assemble(("用时 ", "dim"), (format_elapsed(self.seconds), "bold")), layout=False)
