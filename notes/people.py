"""Finding a person from what a user typed: an id or a name. Nothing is guessed."""

from __future__ import annotations

import unicodedata
from typing import Any

from notes.errors import Ambiguous, InvalidInput, NotFound
from notes.store import Store

MAX_CANDIDATES_SHOWN = 10


def _describe(row: dict[str, Any]) -> str:
    where = "·".join(part for part in (row["unit"], row["position"]) if part)
    return f"{row['name']}（id {row['id']}{'，' + where if where else ''}）"


def _candidates(store: Store, where: str, params: list[Any]) -> list[dict[str, Any]]:
    return store.query(
        "SELECT p.id, p.name, coalesce(u.name, '') AS unit, coalesce(p.position, '') AS position "
        f"FROM people p LEFT JOIN units u ON u.id = p.unit_id WHERE {where} "
        "ORDER BY p.status <> 'active', p.name, p.id LIMIT ?",
        [*params, MAX_CANDIDATES_SHOWN + 1],
    )


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Rosters write the same name as "司马 倩", "司马倩" or with a full-width space: spaces never tell people apart.
_NAME_WITHOUT_SPACES = "replace(replace(p.name, ' ', ''), '\u3000', '')"


def _without_spaces(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def _listing(rows: list[dict[str, Any]]) -> str:
    shown = "；".join(_describe(row) for row in rows[:MAX_CANDIDATES_SHOWN])
    return shown + ("……" if len(rows) > MAX_CANDIDATES_SHOWN else "")


def resolve_person(store: Store, text: str) -> int:
    """A person's id from an id or a full name (spaces ignored). Nothing is guessed: several people with the
    name raise Ambiguous listing them; a partial name is never taken, only offered in the NotFound message."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("请给出人员的 id 或姓名。")
    if cleaned.isdigit():
        if store.scalar("SELECT 1 FROM people WHERE id = ?", [int(cleaned)]) is None:
            raise NotFound(f"没有 id 为 {cleaned} 的人员。")
        return int(cleaned)
    name = _without_spaces(cleaned)
    found = _candidates(store, f"{_NAME_WITHOUT_SPACES} = ?", [name])
    if len(found) > 1:
        raise Ambiguous(f"“{cleaned}”对应多名人员：{_listing(found)}。请改用人员 id。")
    if found:
        return int(found[0]["id"])
    similar = _candidates(store, f"{_NAME_WITHOUT_SPACES} LIKE ? ESCAPE '\\'", [_like_pattern(name)])
    hint = f"姓名相近的有：{_listing(similar)}。请给出完整姓名或人员 id。" if similar else "请核对姓名，或用人员 id。"
    raise NotFound(f"名册中没有“{cleaned}”。{hint}")
