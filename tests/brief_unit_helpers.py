"""Two small units shaped like real ones, for the tests of the brief: a Party branch under the default packs and a
民进 基层组织 under minjin-cq-2023 (with practice and cadre-talks, the combination its pack allows)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conftest import PASSPHRASE

from notes.store import Store
from notes.unlock import init_database

MINJIN_PACKS = ["minjin-cq-2023", "cadre-talks", "practice"]


@dataclass(frozen=True)
class Unit:
    store: Store
    unit: int
    head: int  # 书记 / 主委: the interviewer
    deputy: int  # a 班子成员 or 支委
    member: int  # an ordinary 党员 / 会员, the interviewee of most tests


def _person(store: Store, unit: int, name: str, position: str, membership: str, roles: tuple[str, ...]) -> int:
    person = store.insert("people", {"name": name, "unit_id": unit, "position": position, "membership": membership,
                                     "birth_date": "1984-05", "joined_date": "2010-07"})
    for role in roles:
        store.insert("roles", {"person_id": person, "unit_id": unit, "role": role, "start_date": "2024-01-01"})
    return person


def party_unit(store: Store) -> Unit:
    """机关第二党支部: 书记, 组织委员, a 科员 (the store fixture's packs: suzhou-2018, cadre-talks, practice)."""
    with store.transaction():
        unit = store.insert("units", {"name": "机关第二党支部"})
        head = _person(store, unit, "周建国", "处长", "正式党员", ("支部书记", "支委", "党员"))
        deputy = _person(store, unit, "吴丽", "副处长", "正式党员", ("支委", "党员"))
        member = _person(store, unit, "郑小川", "科员", "正式党员", ("党员",))
    return Unit(store, unit, head, deputy, member)


def minjin_unit(directory: Path) -> Iterator[Unit]:
    """民进某区基层组织 in a database of its own: 主委, a 副主委 (班子成员), a 会员."""
    store = init_database(directory / "minjin.db", PASSPHRASE, MINJIN_PACKS).store
    try:
        with store.transaction():
            unit = store.insert("units", {"name": "民进沙坪坝区第三支部"})
            head = _person(store, unit, "何文", "主委", "会员", ("主委", "班子成员", "会员"))
            deputy = _person(store, unit, "罗敏", "副主委", "会员", ("副主委", "班子成员", "会员"))
            member = _person(store, unit, "邓洁", "中学教师", "会员", ("会员",))
        yield Unit(store, unit, head, deputy, member)
    finally:
        store.close()
