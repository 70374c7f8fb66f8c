"""A unit shaped like a real 机关: a 机关党委 with its 班子 and one 党支部 with its 支委 and members, with roles
held since the start of the year and an appointment decision that makes a 任职谈话 due — for the tests of the
work list (one row per talk to hold), 本人 and `due --mine`.

As of 2026-11-22 (the suite's pinned day): nobody has talked yet this year, so every frequency rule is open, and
李明's 任职决定 of 2026-11-10 made his 任职谈话 due by 11-17 (overdue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from notes import talks
from notes.store import Store
from prep.active import active_policy
from prep.events import record_event

AS_OF = date(2026, 11, 22)
SINCE = "2026-01-01"


@dataclass(frozen=True)
class Unit:
    party_committee: int  # 机关党委
    branch: int  # 第一党支部
    head: int  # 陈主任: 主要负责同志 and 班子成员 of the 机关党委
    deputy: int  # 刘副主任: 班子成员, oversees the branch
    secretary: int  # 赵书记: 支部书记
    committee: int  # 孙委员: 支委
    member: int  # 李明: 党员, just appointed 科长
    other: int  # 王芳: 党员
    appointment: int  # 李明's 任职决定 (events.id)


def make_unit(store: Store) -> Unit:
    store.set_setting("active_packs", ["suzhou-2018", "cadre-talks", "practice"])
    with store.transaction():
        committee_unit = store.insert("units", {"name": "机关党委", "kind": "机关党委"})
        branch = store.insert("units", {"name": "第一党支部", "kind": "党支部", "parent_id": committee_unit})

        def person(name: str, unit: int, position: str, *roles: tuple[str, int]) -> int:
            found = store.insert("people", {"name": name, "unit_id": unit, "position": position})
            for role, in_unit in roles:
                store.insert("roles", {"person_id": found, "unit_id": in_unit, "role": role, "start_date": SINCE})
            return found

        head = person("陈主任", committee_unit, "主任", ("主要负责同志", committee_unit), ("班子成员", committee_unit))
        deputy = person("刘副主任", committee_unit, "副主任", ("班子成员", committee_unit), ("分管", branch))
        secretary = person("赵书记", branch, "处长", ("支部书记", branch), ("党员", branch))
        committee = person("孙委员", branch, "副处长", ("支委", branch), ("党员", branch))
        member = person("李明", branch, "科长", ("党员", branch))
        other = person("王芳", branch, "科员", ("党员", branch))
    appointment = record_event(store, active_policy(store), member, "任职决定", date(2026, 11, 10), "任科长").id
    return Unit(committee_unit, branch, head, deputy, secretary, committee, member, other, appointment)


def plan_talk(store: Store, interviewer: int, interviewee: int, talk_type: str, at: str = "2026-12-05T09:00") -> int:
    return talks.create_talk(store, talk_type=talk_type, interviewers=[interviewer], interviewees=[interviewee],
                             planned_at=at, place="党建活动室", subject="谈心谈话")


def paused_talk(store: Store, interviewer: int, interviewee: int, talk_type: str) -> int:
    """A talk started this morning, a note taken, then left (暂离): in progress, not on screen."""
    talk_id = plan_talk(store, interviewer, interviewee, talk_type, at="2026-11-22T09:00")
    talks.start_talk(store, talk_id, at="2026-11-22T09:00:00")
    talks.add_entry(store, talk_id, text="谈了新岗位的打算。", heading="谈履职", kind="本人表态", offset_seconds=60)
    return talk_id
