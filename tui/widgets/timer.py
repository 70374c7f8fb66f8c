"""The talk timer: how long the talk has lasted, the time away (暂离) not counted, updated once a second.

A window showing the talk read-only (another window edits it, notes/leases.py) reads the talk's times again
every FOLLOW_SECONDS: the editor may step away, come back or end the talk meanwhile, and the timer says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from notes.errors import TanxinError
from notes.talk_pause import away_note

if TYPE_CHECKING:
    from textual.timer import Timer

    from notes.clock import Clock
    from notes.talk_pause import TalkTime

FOLLOW_SECONDS = 5.0


def format_elapsed(seconds: int) -> str:
    """12:34 under an hour, 1:02:03 from an hour on (talks rarely run that long, but some do)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class TalkTimer(Static):
    """用时 mm:ss: the talk's time by the app's clock, without the time away (notes/talk_pause.py). It stands still
    once the talk has ended, and while the interviewer is away (then it says 暂离: a window showing the talk
    read-only while its editor stepped away).

    `reread` gives the talk's times as stored; while `following` (this window shows the talk read-only) the timer
    takes them from it every FOLLOW_SECONDS."""

    def __init__(self, clock: Clock, time: TalkTime, reread: Callable[[], TalkTime], *, following: bool = False,
                 id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.clock = clock
        self.time = time
        self.reread = reread
        self.following = following
        self._ticks: list[Timer] = []

    @property
    def away(self) -> bool:
        return self.time.away and self.time.ended_at is None

    def on_mount(self) -> None:
        self._show()
        if self.time.ended_at is None:
            # Ticking while away too: a read-only window's timer counts on when the editor comes back.
            self._ticks = [self.set_interval(1.0, self.refresh_time),
                           self.set_interval(FOLLOW_SECONDS, self.follow_editor)]

    @property
    def seconds(self) -> int:
        return self.time.net_seconds(self.clock.now())

    def refresh_time(self) -> None:
        label = "暂离 " if self.away else "用时 "
        # The screen gives the timer a fixed width: a tick repaints it without a layout pass.
        self.update(Content.assemble((label, "dim"), (format_elapsed(self.seconds), "bold")), layout=False)

    def follow_editor(self) -> None:
        """The editor's times, read again (a window showing the talk read-only)."""
        if not self.following:
            return
        try:
            self.time = self.reread()
        except TanxinError:  # the database could not be read just now: the next tick tries again
            return
        self._show()
        if self.time.ended_at is not None:
            for tick in self._ticks:
                tick.stop()

    def _show(self) -> None:
        self.refresh_time()
        note = away_note(self.time.paused_seconds)
        self.tooltip = f"{note}，不计入用时" if note else None
