"""A small organisation and talks in it, for the tests of the record (talks, autosave, follow-ups, seals, CLI)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from notes import talks
from notes.store import Store


@dataclass(frozen=True)
class Org:
    unit: int
    secretary: int  # 张书记, the interviewer
    member: int  # 李明
    other: int  # 王芳
    namesake: int  # a second 李明, in another unit


def make_org(store: Store) -> Org:
    with store.transaction():
        unit = store.insert("units", {"name": "机关党委"})
        branch = store.insert("units", {"name": "第一支部", "parent_id": unit})
        secretary = store.insert("people", {"name": "张书记", "unit_id": unit, "position": "书记"})
        member = store.insert("people", {"name": "李明", "unit_id": unit, "position": "科员"})
        other = store.insert("people", {"name": "王芳", "unit_id": unit, "position": "副科长"})
        namesake = store.insert("people", {"name": "李明", "unit_id": branch, "position": "干事"})
    return Org(unit, secretary, member, other, namesake)


def held_talk(
    store: Store,
    org: Org,
    texts: Sequence[str] = ("工作压力较大，希望多交流。",),
    *,
    talk_type: str = "routine",
    day: str = "2026-03-02",
    interviewee: int | None = None,
    confidential: Sequence[bool] = (),
) -> int:
    """A talk held on `day`, with one entry per text, ready to seal."""
    talk_id = talks.create_talk(
        store,
        talk_type=talk_type,
        interviewers=[org.secretary],
        interviewees=[interviewee or org.member],
        planned_at=f"{day}T09:00",
        place="党建活动室",
        subject="日常谈心",
    )
    talks.start_talk(store, talk_id, at=f"{day}T09:05")
    for index, text in enumerate(texts):
        secret = confidential[index] if index < len(confidential) else False
        talks.add_entry(store, talk_id, text=text, heading="谈思想", kind="事实情况", confidential=secret,
                        offset_seconds=60 * index)
    talks.finish_talk(store, talk_id, at=f"{day}T10:00")
    talks.set_outcome(store, talk_id, summary="思想稳定。", statement="接受组织意见。", confirmed=True)
    return talk_id
