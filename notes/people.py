"""Finding a person from what a user typed: an id or a name. Nothing is guessed."""

from __future__ import annotations

import unicodedata

from notes.errors import Ambiguous, InvalidInput, NotFound
from notes.model import Person, people_by_id
from notes.store import Store

MAX_CANDIDATES_SHOWN = 10


def _describe(person: Person) -> str:
    where = "·".join(part for part in (person.unit, person.position) if part)
    return f"{person.name}（id {person.id}{'，' + where if where else ''}）"


def _candidates(store: Store, name_matches: str, name: str) -> list[Person]:
    """The people whose name matches, those still here first, one more than are shown (to say "……")."""
    ids = [row["id"] for row in store.query(
        f"SELECT p.id FROM people p WHERE {name_matches} ORDER BY p.status <> 'active', p.name, p.id LIMIT ?",
        [name, MAX_CANDIDATES_SHOWN + 1],
    )]
    found = people_by_id(store, ids)
    return [found[person_id] for person_id in ids]


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Rosters write the same name as "司马 倩", "司马倩" or with a full-width space: spaces never tell people apart.
_NAME_WITHOUT_SPACES = "replace(replace(p.name, ' ', ''), '\u3000', '')"


def _without_spaces(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def _listing(people: list[Person]) -> str:
    shown = "；".join(_describe(person) for person in people[:MAX_CANDIDATES_SHOWN])
    return shown + ("……" if len(people) > MAX_CANDIDATES_SHOWN else "")


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
    found = _candidates(store, f"{_NAME_WITHOUT_SPACES} = ?", name)
    if len(found) > 1:
        raise Ambiguous(f"“{cleaned}”对应多名人员：{_listing(found)}。请改用人员 id。")
    if found:
        return found[0].id
    similar = _candidates(store, f"{_NAME_WITHOUT_SPACES} LIKE ? ESCAPE '\\'", _like_pattern(name))
    hint = f"姓名相近的有：{_listing(similar)}。请给出完整姓名或人员 id。" if similar else "请核对姓名，或用人员 id。"
    raise NotFound(f"名册中没有“{cleaned}”。{hint}")
