"""工作台's follow-ups are read without each one's talk row (prep/due.py `_followup_items`: on an encrypted database
that row costs a page decrypted per follow-up) and named from the organisation the report already read. The day a
follow-up counts from is still its talk's day whichever side of the as-of date it was written down on, and an
owner who has left is still named."""

from __future__ import annotations

from datetime import date

import pytest
from test_due import DEFAULT, add_person, add_unit, hold, items

import prep.due
from notes.followups import create_followup
from notes.store import Store
from prep.due import due_report
from prep.packs import Policy, load_policy


@pytest.fixture
def policy() -> Policy:
    return load_policy(DEFAULT)


def test_a_follow_up_written_down_after_its_talk_counts_from_the_talk(store: Store, policy: Policy) -> None:
    unit = add_unit(store, "某处")
    boss, person = add_person(store, "处长", unit), add_person(store, "郑补记", unit, "党员")
    talk = hold(store, boss, person, "2026-05-01")
    followup = create_followup(store, talk_id=talk, kind="帮扶", title="家庭困难帮扶", at="2026-05-20T10:00:00")
    assert [i.id for i in items(due_report(store, policy, date(2026, 5, 10)), "followup")] == [f"followup:{followup}"]
    assert items(due_report(store, policy, date(2026, 4, 30)), "followup") == []


def test_a_follow_up_of_a_later_talk_waits_for_the_talk(store: Store, policy: Policy) -> None:
    """Written down (by its `at`) before the day of its talk: it exists from the talk's day, not from then."""
    unit = add_unit(store, "某处")
    boss, person = add_person(store, "处长", unit), add_person(store, "钱后谈", unit, "党员")
    talk = hold(store, boss, person, "2026-07-01")
    followup = create_followup(store, talk_id=talk, kind="整改", title="按期整改", due_on="2026-08-01",
                               at="2026-06-01T10:00:00")
    assert items(due_report(store, policy, date(2026, 6, 15)), "followup") == []
    assert [i.id for i in items(due_report(store, policy, date(2026, 7, 1)), "followup")] == [f"followup:{followup}"]


def test_an_owner_who_has_left_is_still_named(store: Store, policy: Policy) -> None:
    unit = add_unit(store, "某处")
    boss, person = add_person(store, "赵离任", unit), add_person(store, "孙对象", unit, "党员")
    talk = hold(store, boss, person, "2026-05-01")
    create_followup(store, talk_id=talk, kind="整改", title="按期整改", due_on="2026-06-01")
    store.execute("UPDATE people SET status = 'left' WHERE id = ?", [boss])
    [item] = items(due_report(store, policy, date(2026, 6, 11)), "followup")
    assert (item.person, item.unit, item.interviewer_ids, item.interviewers) == ("孙对象", "某处", (boss,), ("赵离任",))
    assert item.detail == "按期整改（待办，责任人 赵离任）"
    # Whom a follow-up is about must be on the roster: one who has left is no longer listed.
    store.execute("UPDATE people SET status = 'left' WHERE id = ?", [person])
    assert items(due_report(store, policy, date(2026, 6, 11)), "followup") == []


def test_a_person_made_active_while_the_report_runs_is_still_named(
    store: Store, policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another window may import a roster between the report's reading of the organisation and of the
    follow-ups: a follow-up about (or owned by) someone the organisation did not hold yet is named all the same."""
    unit = add_unit(store, "某处")
    boss, person = add_person(store, "处长", unit), add_person(store, "周复职", unit, "党员")
    talk = hold(store, boss, person, "2026-05-01")
    create_followup(store, talk_id=talk, kind="整改", title="按期整改", due_on="2026-06-01", owner_id=person)
    real_load_org = prep.due._load_org

    def read_before_the_import(store: Store, as_of: date) -> prep.due._Org:
        org = real_load_org(store, as_of)
        org.names.pop(person)  # not yet active when the organisation was read
        org.units_of.pop(person)
        return org

    monkeypatch.setattr(prep.due, "_load_org", read_before_the_import)
    [item] = items(due_report(store, policy, date(2026, 6, 11)), "followup")
    assert (item.person, item.unit, item.interviewers) == ("周复职", "某处", ("周复职",))
