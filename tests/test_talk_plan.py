"""The plan revised before a talk starts: time, place, 谈话人 and 记录人, all or nothing, and never after."""

from __future__ import annotations

import pytest
from talk_helpers import Org, make_org

from notes import talks
from notes.errors import InvalidInput, NotFound
from notes.store import Store
from notes.talk_plan import revise_plan


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


def planned(store: Store, org: Org) -> int:
    return talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member],
                             planned_at="2026-12-01T09:00", place="党建活动室")


def test_a_stand_in_and_a_recorder_are_set_before_the_talk(store: Store, org: Org) -> None:
    talk_id = planned(store, org)
    revise_plan(store, talk_id, planned_at="2026-12-02T14:30", place="三楼会议室", interviewers=[org.other],
                note_taker=org.namesake)
    record = talks.get_talk(store, talk_id)
    assert (record.planned_at, record.place) == ("2026-12-02T14:30:00", "三楼会议室")
    assert [p.id for p in record.interviewers] == [org.other]
    assert record.note_taker is not None and record.note_taker.id == org.namesake
    revise_plan(store, talk_id, planned_at=None, place="", interviewers=[org.secretary, org.other], note_taker=None)
    record = talks.get_talk(store, talk_id)
    assert [p.id for p in record.interviewers] == [org.secretary, org.other] and record.note_taker is None


@pytest.mark.parametrize(("interviewers", "recorder", "message"), [
    ([], None, "至少需要一名谈话人"),
    (["member"], None, "谈话对象不能同时是谈话人"),
    (["secretary"], "member", "不能同时是谈话对象"),
    (["secretary"], "secretary", "记录人不能同时是谈话人"),
])
def test_refusals_change_nothing(store: Store, org: Org, interviewers: list[str], recorder: str | None,
                                 message: str) -> None:
    talk_id = planned(store, org)
    with pytest.raises(InvalidInput, match=message):
        revise_plan(store, talk_id, planned_at="2026-12-05T09:00", place="别处",
                    interviewers=[getattr(org, name) for name in interviewers],
                    note_taker=None if recorder is None else getattr(org, recorder))
    record = talks.get_talk(store, talk_id)
    assert (record.place, [p.id for p in record.interviewers]) == ("党建活动室", [org.secretary])


def test_an_unknown_person_is_refused(store: Store, org: Org) -> None:
    with pytest.raises(NotFound):
        revise_plan(store, planned(store, org), planned_at=None, place="", interviewers=[999], note_taker=None)


def test_a_started_talk_keeps_its_people(store: Store, org: Org) -> None:
    talk_id = planned(store, org)
    talks.start_talk(store, talk_id)
    with pytest.raises(InvalidInput, match="已经开始"):
        revise_plan(store, talk_id, planned_at=None, place="", interviewers=[org.other], note_taker=None)
