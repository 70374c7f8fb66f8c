"""How long a talk has lasted: its time from start to end (or now), without the time the interviewer was away.

esc 暂离 on 谈话中 steps away from a talk in progress (notes/talks.py `step_away`); opening it again comes back
(`come_back`). The talk's row keeps the moment of stepping away (`away_since`, NULL when not away) and each time
away already closed is a row of talk_away (since, until): schema.sql version 8. This module is the one place that
turns those into a duration, for the timer on screen, the entries' minute in the talk and the command line. The
closed times away are kept as periods, not as one total, because an end typed later (`talk end --at 09:20` from
paper notes, after a time away from 09:10 to 09:40) must count only the part of each that lies inside the talk.
The time away is informative: the sealed record keeps the start and end times only (docs/talk-time.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from notes.checks import instant_value

MINUTE = 60


def seconds_between(start: datetime, end: datetime) -> int:
    """Whole seconds from start to end; never negative (a clock moved back, an end typed before the start)."""
    return max(int((end - start).total_seconds()), 0)


def away_note(paused_seconds: int) -> str:
    """其间暂离 12 分钟: the time away, rounded to the minute people speak in ("" under a minute: a short esc to
    look something up is not worth a word)."""
    if paused_seconds < MINUTE:
        return ""
    return f"其间暂离 {(paused_seconds + 30) // MINUTE} 分钟"


def away_moment_text(away_since: datetime, today: date) -> str:
    """When the interviewer stepped away, with as much of the day as is needed: 09:10 today, 11-20 09:10 another
    day of this year, 2025-11-20 09:10 another year (a talk left days ago must not read as left this morning)."""
    if away_since.date() == today:
        return f"{away_since:%H:%M}"
    if away_since.year == today.year:
        return f"{away_since:%m-%d %H:%M}"
    return f"{away_since:%Y-%m-%d %H:%M}"


def _moment(value: str | None) -> datetime | None:
    """A moment of the record; a date without a time (a talk written up by day) is none."""
    return instant_value(value) if value and len(value) > 10 else None


@dataclass(frozen=True, slots=True)
class TalkTime:
    """The times of a talk that make its duration."""

    started_at: datetime | None
    ended_at: datetime | None
    away_periods: tuple[tuple[datetime, datetime], ...]  # each time away already closed: (since, until)
    away_since: datetime | None  # away now, since this moment

    @classmethod
    def of_row(cls, row: Mapping[str, Any], periods: Iterable[tuple[str, str]] = ()) -> TalkTime:
        """From a talks row and its talk_away rows. A database not yet at version 8 (the migration tests write
        those) has no time away."""
        return cls(_moment(row["started_at"]), _moment(row["ended_at"]),
                   tuple((instant_value(since), instant_value(until)) for since, until in periods),
                   _moment(row.get("away_since")))

    @property
    def away(self) -> bool:
        return self.away_since is not None

    @property
    def paused_seconds(self) -> int:
        """The closed time away that lies inside the talk: between its start and its end (or the moment of
        stepping away). A time away after an end typed later counts for nothing, one across it only in part."""
        if self.started_at is None:
            return 0
        limit = self.ended_at or self.away_since
        return sum(seconds_between(max(since, self.started_at), until if limit is None else min(until, limit))
                   for since, until in self.away_periods)

    def net_seconds(self, now: datetime) -> int:
        """The talk's time: to its end (while away: to the moment of stepping away; else now), without the time
        away. Zero before it starts."""
        if self.started_at is None:
            return 0
        # Away, the talk stands still at the moment of stepping away.
        end = self.ended_at or self.away_since or now
        return max(seconds_between(self.started_at, end) - self.paused_seconds, 0)
