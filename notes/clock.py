"""The one clock of the product: every stamp (talk start and end, entries, follow-ups and their history, seals,
the audit log) and every "today" a rule is judged on comes from a `Clock`. This is the only module that reads
the wall clock.

A face builds the clock once and hands it in: the CLI and the app take `process_clock()` (the wall clock, or the
moment named by the environment variable TANXIN_NOW), the demo and the tests pass their own. A store stamps
with the clock it was given (`Store.clock`), and a reopened store shares it, so a pinned day and the record's
times can never disagree (docs/clock.md).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from datetime import date, datetime, time, timedelta
from time import monotonic

from notes.errors import InvalidInput

# A moment for the whole process, as YYYY-MM-DDTHH:MM[:SS] or YYYY-MM-DD (09:00 that day). Scripts use it to
# produce a database "as of" a day; tests use it so that nothing depends on the day they run.
NOW_VARIABLE = "TANXIN_NOW"
# The time of day a clock pinned to a bare date starts at: within office hours, far from midnight.
DEFAULT_TIME_OF_DAY = time(9, 0)


class Clock(ABC):
    """Now and today. Stamps are local time to the second, as the record stores them."""

    @abstractmethod
    def now(self) -> datetime: ...

    def today(self) -> date:
        return self.now().date()

    def stamp(self) -> str:
        """The current moment as the record stores it: YYYY-MM-DDTHH:MM:SS."""
        return self.now().replace(microsecond=0).isoformat()


class WallClock(Clock):
    """The computer's clock: the product's clock unless something else was asked for."""

    def now(self) -> datetime:
        return datetime.now()


class FixedClock(Clock):
    """A clock that stands still until it is moved: tests, and the demo while it writes a year of records."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    @classmethod
    def on(cls, day: date, at: time = DEFAULT_TIME_OF_DAY) -> FixedClock:
        return cls(datetime.combine(day, at))

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at

    def advance(self, **delta: float) -> datetime:
        """Move on by a timedelta's keywords (seconds=…, minutes=…, days=…); returns the new moment."""
        self.at += timedelta(**delta)
        return self.at


class RunningClock(Clock):
    """Starts at a chosen moment and runs at the real pace: a whole process "on" another day that still ticks,
    so a talk started and ended a minute later is a minute long."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._origin = monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=monotonic() - self._origin)


def parse_moment(text: str) -> datetime:
    """YYYY-MM-DD (at 09:00) or an ISO date-time; anything else is refused with a message saying how to write it."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), DEFAULT_TIME_OF_DAY)
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise InvalidInput(f"环境变量 {NOW_VARIABLE} 的值“{text}”不是有效时间，应写作 2026-12-31 或 2026-12-31T09:30。") from None


_process: tuple[str | None, Clock] | None = None


def process_clock() -> Clock:
    """The clock of this process: the wall clock, or one running from TANXIN_NOW. The same object for every
    caller while the variable keeps its value, so every store of the process stamps with one clock."""
    global _process
    pinned = os.environ.get(NOW_VARIABLE) or None
    if _process is None or _process[0] != pinned:
        _process = (pinned, WallClock() if pinned is None else RunningClock(parse_moment(pinned)))
    return _process[1]
