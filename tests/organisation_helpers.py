"""A 机关 built by hand the way a user builds it — the organisation named, its offices and branches added, people
entered one by one — for the tests of notes/organisation.py, its commands and its screens."""

from __future__ import annotations

from dataclasses import dataclass

from notes.organisation import add_person, add_unit, name_organisation
from notes.store import Store

ORGANISATION = "市发展改革委机关党委"


@dataclass(frozen=True)
class HandBuilt:
    top: int
    office: int  # 办公室
    planning: int  # 规划发展处
    branch: int  # 机关第一党支部
    director: int  # 王建国, 主任
    deputy: int  # 李红, 副主任
    second_deputy: int  # 赵强, 副主任
    office_head: int  # 陈静, 办公室主任
    clerk: int  # 周磊, 科员


def hand_built(store: Store) -> HandBuilt:
    top = name_organisation(store, ORGANISATION)
    office = add_unit(store, "办公室", kind="处室")
    planning = add_unit(store, "规划发展处", kind="处室")
    branch = add_unit(store, "机关第一党支部", kind="党支部")

    def person(name: str, unit: int, position: str, birth: str, gender: str = "男") -> int:
        return add_person(store, name, unit_id=unit, gender=gender, birth_date=birth, membership="正式党员",
                          position=position)

    return HandBuilt(
        top=top,
        office=office,
        planning=planning,
        branch=branch,
        director=person("王建国", top, "主任", "1968-04"),
        deputy=person("李红", top, "副主任", "1975-09", "女"),
        second_deputy=person("赵强", top, "副主任", "1979-01"),
        office_head=person("陈静", office, "办公室主任", "1983-06", "女"),
        clerk=person("周磊", planning, "科员", "1995-12"),
    )
