"""Questions about the talks as a whole that the faces ask: which years hold talks, how many talks a year (and
part of the organisation) holds in each state, who held the latest talk, which talks are planned or under way.

A talk belongs to the year it was held in, or planned for when it has not started (as `list_talks` counts it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from notes.model import json_list
from notes.store import Store
from notes.talks import HELD_AT


@dataclass(frozen=True, slots=True)
class TalkCounts:
    held: int  # held or sealed
    sealed: int
    open: int  # planned or in progress


def talk_years(store: Store) -> list[int]:
    """The years that hold at least one talk, latest first."""
    rows = store.query(
        f"SELECT DISTINCT substr({HELD_AT}, 1, 4) AS year FROM talks t WHERE {HELD_AT} IS NOT NULL ORDER BY year DESC"
    )
    return [int(row["year"]) for row in rows]


def count_talks(store: Store, year: int, unit_ids: Iterable[int] | None = None) -> TalkCounts:
    """The talks of a year (of the whole organisation, or of the talks filed under `unit_ids`) by state."""
    where = f"{HELD_AT} >= ? AND {HELD_AT} < ?"
    params: list[object] = [f"{year:04d}", f"{year + 1:04d}"]
    if unit_ids is not None:
        where += " AND t.unit_id IN (SELECT value FROM json_each(?))"
        params.append(json_list(unit_ids))
    row = store.query_one(
        "SELECT count(*) FILTER (WHERE t.status IN ('held', 'sealed')) AS held, "
        "count(*) FILTER (WHERE t.status = 'sealed') AS sealed, "
        f"count(*) FILTER (WHERE t.status IN ('planned', 'in_progress')) AS open FROM talks t WHERE {where}",
        params,
    )
    assert row is not None  # an aggregate always gives one row
    return TalkCounts(int(row["held"]), int(row["sealed"]), int(row["open"]))


def latest_interviewer(store: Store) -> int | None:
    """Who interviewed in the talk recorded last, if still active: the likely interviewer of the next one."""
    found = store.scalar(
        "SELECT tp.person_id FROM talk_participants tp JOIN people p ON p.id = tp.person_id AND p.status = 'active' "
        "WHERE tp.role = 'interviewer' ORDER BY tp.talk_id DESC LIMIT 1"
    )
    return None if found is None else int(found)


@dataclass(frozen=True, slots=True)
class OpenTalk:
    """A talk planned or in progress (an in-progress talk not on screen is one the interviewer stepped away
    from: 暂离), with its people: what 工作台 shows on the due row of its pair instead of a second plan."""

    id: int
    status: str  # planned | in_progress
    talk_type: str
    planned_at: str | None
    started_at: str | None
    interviewer_ids: tuple[int, ...]
    interviewee_ids: tuple[int, ...]
    away_since: str | None = None  # in progress and stepped away from (暂离) at this moment: its timer stands still


def open_talks(store: Store) -> list[OpenTalk]:
    """Every planned or in-progress talk, soonest first (a talk without a time last). There are few of them
    whatever the size of the record: the partial index talks_open (schema.sql v9) holds every column read, and
    one pass brings their people."""
    rows = store.execute(
        "SELECT t.id, t.status, t.talk_type, t.planned_at, t.started_at, t.away_since, tp.role, tp.person_id "
        "FROM talks t CROSS JOIN talk_participants tp ON tp.talk_id = t.id "
        "WHERE t.status IN ('planned', 'in_progress') AND tp.role <> 'note_taker' "
        f"ORDER BY {HELD_AT} IS NULL, {HELD_AT}, t.id, tp.role, tp.position, tp.person_id"
    ).fetchall()
    found: list[OpenTalk] = []
    for talk_id, group in groupby(rows, key=itemgetter(0)):  # a talk's rows come together
        part = list(group)
        _, status, talk_type, planned_at, started_at, away_since, _, _ = part[0]
        found.append(OpenTalk(int(talk_id), str(status), str(talk_type), planned_at, started_at,
                              tuple(int(p[7]) for p in part if p[6] == "interviewer"),
                              tuple(int(p[7]) for p in part if p[6] == "interviewee"), away_since))
    return found
