"""Questions about the talks as a whole that the faces ask: which years hold talks, how many talks a year (and
part of the organisation) holds in each state, who held the latest talk.

A talk belongs to the year it was held in, or planned for when it has not started (as `list_talks` counts it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
