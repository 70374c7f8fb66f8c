"""How long a talk has lasted: its time from start to end (or now), without the time the interviewer was away.

esc 暂离 on 谈话中 steps away from a talk in progress (notes/talks.py `step_away`); opening it again comes back
(`come_back`). The talk's row keeps the moment of stepping away (`away_since`, NULL when not away) and the time
away already closed (`paused_seconds`): schema.sql version 8. This module is the one place that turns those
columns into a duration, for the timer on screen, the entries' minute in the talk and the command line. The time
away is informative: the sealed record keeps the start and end times only (docs/talk-time.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from notes.checks import instant_value


def seconds_between(start: datetime, end: datetime) -> int:
    """Whole seconds from start to end; never negative (a clock moved back, an end typed before the start)."""
    return max(int((end - start).total_seconds()), 0)


def away_note(paused_seconds: int) -> str:
    """其间暂离 12 分钟: the time away, rounded to the minute people speak in ("" when there was none)."""
    if paused_seconds <= 0:
        return ""
    minutes = (paused_seconds + 30) // 60
    return f"其间暂离 {minutes} 分钟" if minutes else "其间暂离不到 1 分钟"


@dataclass(frozen=True, slots=True)
class TalkTime:
    """The times of a talk that make its duration."""

    started_at: datetime | None
    ended_at: datetime | None
    paused_seconds: int
    away_since: datetime | None

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> TalkTime:
        """From a talks row. A date without a time (a talk written up by day) has no duration: no start."""

        def moment(value: str | None) -> datetime | None:
            return instant_value(value) if value and len(value) > 10 else None

        # A database not yet at version 8 (the migration tests write those) has no time away.
        return cls(moment(row["started_at"]), moment(row["ended_at"]), int(row.get("paused_seconds") or 0),
                   moment(row.get("away_since")))

    @property
    def away(self) -> bool:
        return self.away_since is not None

    def paused_until(self, moment: datetime) -> int:
        """The seconds away up to `moment`: those already closed and the time away still open."""
        open_away = 0 if self.away_since is None else seconds_between(self.away_since, moment)
        return self.paused_seconds + open_away

    def net_seconds(self, now: datetime) -> int:
        """The talk's time: to its end (while away: to the moment of stepping away; else now), without the time
        away. Zero before it starts."""
        if self.started_at is None:
            return 0
        # Away, the talk stands still at the moment of stepping away; the time away closed before is subtracted.
        end = self.ended_at or self.away_since or now
        return max(seconds_between(self.started_at, end) - self.paused_seconds, 0)
