"""Which part of the organisation a ledger or report covers: a unit and every unit below it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from notes.errors import Ambiguous, NotFound
from notes.store import Store

# A message names at most this many units (a large organisation has hundreds).
MAX_UNITS_NAMED = 30


@dataclass(frozen=True, slots=True)
class UnitScope:
    unit_id: int
    name: str
    ids: tuple[int, ...]  # the unit and all its descendants

    @property
    def ids_json(self) -> str:
        """For `IN (SELECT value FROM json_each(?))`: any number of ids in one parameter."""
        return json.dumps(list(self.ids))


def _resolve(store: Store, unit: int | str) -> int:
    text = str(unit).strip()
    if text.isdigit():
        if store.scalar("SELECT 1 FROM units WHERE id = ?", [int(text)]) is None:
            raise NotFound(f"没有 id 为 {text} 的单位。{_known_units(store)}")
        return int(text)
    rows = store.query("SELECT id, name FROM units WHERE name = ? ORDER BY id", [text])
    if not rows:
        raise NotFound(f"没有名为“{text}”的单位。{_known_units(store)}")
    if len(rows) > 1:
        ids = "、".join(str(row["id"]) for row in rows)
        raise Ambiguous(f"有 {len(rows)} 个单位名为“{text}”（id {ids}）。请改用单位 id。")
    return int(rows[0]["id"])


def _known_units(store: Store) -> str:
    """The units to choose from, named with their ids: there is no command that lists units on their own."""
    rows = store.query("SELECT id, name FROM units ORDER BY sort_order, id LIMIT ?", [MAX_UNITS_NAMED + 1])
    if not rows:
        return "数据库中还没有单位，可用 tanxin import-roster 导入花名册。"
    named = "、".join(f"{row['name']}（{row['id']}）" for row in rows[:MAX_UNITS_NAMED])
    more = "等" if len(rows) > MAX_UNITS_NAMED else ""
    return f"请用单位名称或 id，现有单位：{named}{more}。"


def unit_scope(store: Store, unit: int | str | None) -> UnitScope | None:
    """The unit (by id or exact name) and everything below it; None stands for the whole organisation."""
    if unit is None:
        return None
    from notes.model import unit_tree

    unit_id = _resolve(store, unit)
    tree = unit_tree(store)
    return UnitScope(unit_id, tree.name(unit_id), tuple(sorted(tree.below(unit_id))))


def root_unit_name(store: Store, unit_id: int | None = None) -> str:
    """The top of the unit tree above `unit_id` (the organisation that signs), or the first top unit."""
    if unit_id is None:
        return str(store.scalar("SELECT name FROM units WHERE parent_id IS NULL ORDER BY sort_order, id LIMIT 1") or "")
    row = store.query_one(
        "WITH RECURSIVE up(id, parent_id, name) AS ("
        " SELECT id, parent_id, name FROM units WHERE id = ?"
        " UNION ALL SELECT u.id, u.parent_id, u.name FROM units u JOIN up ON u.id = up.parent_id)"
        " SELECT name FROM up WHERE parent_id IS NULL",
        [unit_id],
    )
    return "" if row is None else str(row["name"])
