"""The organisation as a user edits it: the top organisation's name, its units, people entered by hand, and the
roles people hold (with their unit and dates).

Every write is one transaction with its audit row, and checks everything before it writes: a refusal
(InvalidInput, NotFound, Ambiguous) leaves the database as it was. Reading is notes/model.py's; the words (which
roles, which 身份) are notes/vocabulary.py's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from notes.errors import Ambiguous, InvalidInput, NotFound
from notes.model import Role, UnitTree, find_person, find_role, role_history, unit_tree
from notes.store import Store
from notes.vocabulary import MEMBERSHIPS, ROLE_KINDS, RoleKind

# roles.source and the audit of what was typed in rather than imported.
HAND_SOURCE = "手工录入"
DEFAULT_ORGANISATION = "本组织"  # what a roster import also calls an organisation nobody has named
MAX_NAME_CHARS = 40
MAX_UNIT_CHARS = 60
MAX_TEXT_CHARS = 60
MIDDLE_DOTS = "·•‧・∙⋅．"
# A person's name holds letters, marks and the middle dot; these never belong in one.
NAME_FORBIDDEN = re.compile(r"[0-9０-９:：;；,，()（）\[\]【】<>《》/\\|@#$%^&*=+?？!！\"'“”‘’]")
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIRTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


class PossibleDuplicate(InvalidInput):
    """A person entered by hand looks like one already in the record (same name, same or unknown birth month).
    The caller may confirm and add anyway (`allow_duplicate`)."""


# -- text as stored ----------------------------------------------------------------------------------------


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") or char == "·"


def normalise_name(text: str) -> str:
    """A name as stored: NFC; any middle dot as U+00B7; no whitespace next to Chinese characters ("陈 静",
    "司马　倩" → "陈静", "司马倩"); other whitespace runs (Latin names) kept as one space."""
    name = unicodedata.normalize("NFC", text)
    name = "".join("·" if c in MIDDLE_DOTS else c for c in name).strip()
    parts = name.split()
    if not parts:
        return ""
    joined = parts[0]
    for part in parts[1:]:
        joined += ("" if _is_cjk(joined[-1]) or _is_cjk(part[0]) else " ") + part
    return joined


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf") or c in BIDI_CONTROLS for c in text)


def _checked_text(text: str, what: str, max_chars: int, *, required: bool) -> str:
    cleaned = normalise_name(text)
    if not cleaned:
        if required:
            raise InvalidInput(f"请填写{what}。")
        return ""
    if _has_controls(cleaned):
        raise InvalidInput(f"{what}含有不可见的控制字符，请重新输入。")
    if len(cleaned) > max_chars:
        raise InvalidInput(f"{what}过长（{len(cleaned)} 个字符，最多 {max_chars} 个）。")
    return cleaned


def check_unit_name(text: str, what: str = "单位名称") -> str:
    """A unit's (or the organisation's) name as stored; InvalidInput says why it cannot be one."""
    name = _checked_text(text, what, MAX_UNIT_CHARS, required=True)
    if name.isdigit():
        raise InvalidInput(f"{what}不能只是数字（“{name}”会被当作单位 id）。")
    return name


def check_person_name(text: str) -> str:
    name = _checked_text(text, "姓名", MAX_NAME_CHARS, required=True)
    if NAME_FORBIDDEN.search(name):
        raise InvalidInput(f"姓名“{name}”含有数字或标点，请核对。")
    return name


def _name_key(name: str) -> str:
    """Spaces never tell people apart (notes/people.py finds people the same way)."""
    return "".join(name.split())


# -- the organisation and its units ------------------------------------------------------------------------


def _sibling_named(tree: UnitTree, parent_id: int | None, name: str, besides: int | None = None) -> bool:
    return any(_name_key(unit.name) == _name_key(name) and unit.id != besides for unit in tree.children(parent_id))


def name_organisation(store: Store, name: str) -> int:
    """Name the top organisation: rename it, or create it when the database has none yet. Returns its id."""
    cleaned = check_unit_name(name, "组织名称")
    with store.transaction():
        tree = unit_tree(store)
        top = tree.top
        if top is None:
            unit_id = store.insert("units", {"name": cleaned, "kind": "", "sort_order": 0})
            store.audit("create", "unit", unit_id, name=cleaned, top=True)
            return unit_id
        _rename(store, tree, top.id, cleaned)
        return top.id


def add_unit(store: Store, name: str, parent_id: int | None = None, kind: str = "") -> int:
    """A unit under `parent_id` (None: under the top organisation), after its siblings. Returns its id."""
    cleaned = check_unit_name(name)
    kind = _checked_text(kind, "组织类别", MAX_TEXT_CHARS, required=False)
    with store.transaction():
        tree = unit_tree(store)
        if parent_id is None:
            if tree.top is None:
                raise InvalidInput("还没有设定组织名称：请先用 tanxin org rename 名称（或 tanxin init --org）设定。")
            parent_id = tree.top.id
        elif tree.get(parent_id) is None:
            raise NotFound(f"没有 id 为 {parent_id} 的单位。")
        if _sibling_named(tree, parent_id, cleaned):
            raise InvalidInput(f"“{tree.path(parent_id)}”下已有名为“{cleaned}”的单位，未作改动。")
        order = int(store.scalar("SELECT coalesce(max(sort_order), 0) FROM units WHERE parent_id = ?", [parent_id]))
        unit_id = store.insert("units", {"name": cleaned, "parent_id": parent_id, "kind": kind,
                                         "sort_order": order + 1})
        store.audit("create", "unit", unit_id, name=cleaned, parent_id=parent_id, kind=kind)
    return unit_id


def rename_unit(store: Store, unit_id: int, name: str) -> None:
    cleaned = check_unit_name(name)
    with store.transaction():
        tree = unit_tree(store)
        if tree.get(unit_id) is None:
            raise NotFound(f"没有 id 为 {unit_id} 的单位。")
        _rename(store, tree, unit_id, cleaned)


def _rename(store: Store, tree: UnitTree, unit_id: int, name: str) -> None:
    unit = tree.get(unit_id)
    assert unit is not None
    if unit.name == name:
        raise InvalidInput(f"单位名称已是“{name}”，未作改动。")
    if _sibling_named(tree, unit.parent_id, name, besides=unit_id):
        raise InvalidInput(f"同一级已有名为“{name}”的单位，未作改动。")
    store.execute("UPDATE units SET name = ? WHERE id = ?", [name, unit_id])
    store.audit("rename", "unit", unit_id, old=unit.name, new=name)


# -- people entered by hand --------------------------------------------------------------------------------


def _checked_birth(text: str, today: date) -> str:
    """'' or a birth month (YYYY-MM) or day (YYYY-MM-DD), as the record keeps them."""
    cleaned = text.strip()
    if not cleaned:
        return ""
    match = _BIRTH.fullmatch(cleaned)
    try:
        if match is None:
            raise ValueError
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
        born = date(year, month, day)
    except ValueError:
        raise InvalidInput(f"出生年月“{cleaned}”无效，应写作 1985-03 或 1985-03-12。") from None
    if year < 1900 or born > today:
        raise InvalidInput(f"出生年月“{cleaned}”不在 1900 年至今天之间，请核对。")
    return cleaned


def add_person(
    store: Store,
    name: str,
    *,
    unit_id: int,
    gender: str = "",
    birth_date: str = "",
    membership: str = "",
    position: str = "",
    allow_duplicate: bool = False,
) -> int:
    """A person typed in by hand, in a unit, with their 身份 recorded as a role there (as a roster records it:
    the rules about 党员 or 会员 find members through it). The name is normalised. Someone already recorded with
    the same name and the same (or an unknown) birth month raises PossibleDuplicate unless `allow_duplicate`.
    A later roster import recognises the person by name and birth month (prep/roster). Returns the new id."""
    cleaned = check_person_name(name)
    if gender not in ("", "男", "女"):
        raise InvalidInput(f"性别“{gender}”无效，应为“男”或“女”，或不填。")
    birth = _checked_birth(birth_date, store.clock.today())
    if membership and membership not in MEMBERSHIPS:
        raise InvalidInput(f"身份“{membership}”无效。可选：{'、'.join(MEMBERSHIPS)}，或不填。")
    position = _checked_text(position, "职务", MAX_TEXT_CHARS, required=False)
    with store.transaction():
        if unit_tree(store).get(unit_id) is None:
            raise NotFound(f"没有 id 为 {unit_id} 的单位。")
        if not allow_duplicate:
            _refuse_duplicate(store, cleaned, birth)
        row: dict[str, Any] = {"name": cleaned, "unit_id": unit_id, "gender": gender or None,
                               "birth_date": birth or None, "membership": membership or None,
                               "position": position or None, "status": "active"}
        person_id = store.insert("people", row)
        role = MEMBERSHIPS.get(membership)
        if role is not None:
            store.insert("roles", {"person_id": person_id, "unit_id": unit_id, "role": role, "source": HAND_SOURCE})
        store.audit("create", "person", person_id, source=HAND_SOURCE, unit_id=unit_id)
    return person_id


def _refuse_duplicate(store: Store, name: str, birth: str) -> None:
    rows = store.query(
        "SELECT id, coalesce(birth_date, '') AS birth FROM people "
        "WHERE replace(replace(name, ' ', ''), '\u3000', '') = ? ORDER BY id", [_name_key(name)])
    same = [row for row in rows if not birth or not row["birth"] or row["birth"][:7] == birth[:7]]
    if not same:
        return
    described = []
    for row in same:
        person = find_person(store, row["id"])
        assert person is not None
        where = "·".join(part for part in (person.unit, person.position, row["birth"] and f"出生 {row['birth']}")
                         if part)
        described.append(f"{person.name}（id {person.id}{'，' + where if where else ''}）")
    raise PossibleDuplicate(f"已有同名{'、出生年月相同' if birth else ''}的人员：{'；'.join(described)}。"
                            "如确为另一人，请确认后再添加。")


# -- roles -------------------------------------------------------------------------------------------------


def role_kind(word: str, offered: Sequence[RoleKind] = ROLE_KINDS) -> RoleKind:
    """The role a user named, by the word shown (支部委员, 专职副主委) or the packs' word (支委); NotFound lists
    the roles offered."""
    cleaned = "".join(word.split())
    for kind in offered:
        if kind.word == cleaned:
            return kind
    for kind in offered:
        if kind.role == cleaned and not kind.title:
            return kind
    known = next((kind for kind in ROLE_KINDS if cleaned in (kind.word, kind.role)), None)
    choices = "、".join(kind.word for kind in offered)
    if known is not None:
        raise NotFound(f"当前启用的政策包不使用“{cleaned}”这一职务。可选：{choices}。")
    raise NotFound(f"没有“{cleaned}”这种职务。可选：{choices}。")


def _overlaps(role: Role, start: date | None, end: date | None) -> bool:
    """Whether `role` is held on some day of [start, end) (None: unbounded)."""
    held_from, held_to = role.start_date, role.end_date
    return ((end is None or held_from is None or held_from < end.isoformat())
            and (held_to is None or start is None or start.isoformat() < held_to))


def _held(store: Store, person_id: int, role: str, unit_id: int, start: date | None,
          end: date | None) -> Role | None:
    return next((r for r in role_history(store, person_id)
                 if r.role == role and r.unit_id == unit_id and _overlaps(r, start, end)), None)


def _since(role: Role) -> str:
    return f"自 {role.start_date} 起" if role.start_date else "早已担任"


def add_role(
    store: Store,
    person_id: int,
    kind: RoleKind,
    unit_ids: Sequence[int],
    *,
    start: date | None = None,
    end: date | None = None,
    title: str = "",
    source: str = HAND_SOURCE,
) -> list[Role]:
    """Record that the person holds `kind` in each of `unit_ids` from `start` (None: since before the record
    began) until `end` (None: still holds it), and the role it implies (notes/vocabulary.py) where not already
    held. For 分管 each unit is one overseen unit. A role already held in the unit on any of those days is
    refused. Returns the rows written, the asked-for ones first."""
    title = _checked_text(title, "具体职务（分工）", MAX_TEXT_CHARS, required=False) or kind.title
    if not unit_ids:
        raise InvalidInput("分管须给出所分管的单位。" if kind.oversees else "请给出单位。")
    if start is not None and end is not None and end < start:
        raise InvalidInput(f"任职止日 {end} 早于起日 {start}。")
    with store.transaction():
        person = find_person(store, person_id)
        if person is None:
            raise NotFound(f"没有 id 为 {person_id} 的人员。")
        if not person.active:
            raise InvalidInput(f"{person.name} 已不在册，不能再登记职务。")
        tree = unit_tree(store)
        wanted: list[tuple[str, str, int]] = []
        for unit_id in dict.fromkeys(unit_ids):
            if tree.get(unit_id) is None:
                raise NotFound(f"没有 id 为 {unit_id} 的单位。")
            found = _held(store, person_id, kind.role, unit_id, start, end)
            if found is not None:
                raise InvalidInput(f"{person.name} 已是{tree.path(unit_id)}的{kind.role}（{_since(found)}），未作改动。")
            wanted.append((kind.role, title, unit_id))
        implied = [(kind.implies, "", unit_id) for _, _, unit_id in wanted
                   if kind.implies and _held(store, person_id, kind.implies, unit_id, start, end) is None]
        written: list[Role] = []
        for role, role_title, unit_id in wanted + implied:
            role_id = store.insert("roles", {
                "person_id": person_id, "unit_id": unit_id, "role": role, "title": role_title,
                "start_date": start.isoformat() if start else None, "end_date": end.isoformat() if end else None,
                "source": source,
            })
            store.audit("create", "role", role_id, person_id=person_id, role=role, unit_id=unit_id,
                        start_date=start.isoformat() if start else None, end_date=end.isoformat() if end else None)
            found_role = find_role(store, role_id)
            assert found_role is not None
            written.append(found_role)
    return written


def end_role(store: Store, role_id: int, day: date) -> Role:
    """The role is no longer held from `day` on (held [start, end), notes/model.py). Returns it as ended."""
    with store.transaction():
        role = find_role(store, role_id)
        if role is None:
            raise NotFound(f"没有 id 为 {role_id} 的职务记录。")
        if role.end_date is not None:
            raise InvalidInput(f"“{role.label}”已于 {role.end_date} 免去，未作改动。")
        if role.start_date is not None and day.isoformat() < role.start_date:
            raise InvalidInput(f"免职日期 {day} 早于任职日期 {role.start_date}，请核对。")
        store.execute("UPDATE roles SET end_date = ? WHERE id = ?", [day.isoformat(), role_id])
        store.audit("end", "role", role_id, person_id=role.person_id, role=role.role, end_date=day.isoformat())
        ended = find_role(store, role_id)
        assert ended is not None
    return ended


def open_role(store: Store, person_id: int, kind: RoleKind, unit_id: int | None = None) -> Role:
    """The one role of `kind` the person still holds (in `unit_id`, when given). None held raises NotFound;
    several (分管 of two units) raise Ambiguous listing them with their units."""
    person = find_person(store, person_id)
    if person is None:
        raise NotFound(f"没有 id 为 {person_id} 的人员。")
    found = [r for r in sorted(role_history(store, person_id), key=lambda r: r.id)
             if r.end_date is None and r.role == kind.role and (not kind.title or r.title == kind.title)
             and (unit_id is None or r.unit_id == unit_id)]
    if not found:
        where = f"在“{unit_tree(store).path(unit_id)}”" if unit_id is not None else ""
        raise NotFound(f"{person.name} {where}没有在任的“{kind.word}”。")
    if len(found) > 1:
        listed = "；".join(f"{r.label}（单位 id {r.unit_id}，{_since(r)}）" for r in found)
        raise Ambiguous(f"{person.name} 有 {len(found)} 项在任的“{kind.word}”：{listed}。请指明单位。")
    return found[0]

