"""A person's 谈话 tab says the part they took and with whom, and the page's 十个清楚 count is the brief's."""

from __future__ import annotations

from datetime import date

from talk_helpers import make_org

from notes import talks
from notes.store import Store
from prep.active import active_policy
from prep.brief import knowledge_heading
from prep.profile import profile_summary
from tui.person_data import TALK_COLUMNS, load_person


def test_each_talk_says_the_persons_part_and_the_counterpart(store: Store) -> None:
    org = make_org(store)
    held = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member],
                             note_taker=org.other, planned_at="2026-03-02T09:00", place="会议室")
    policy = active_policy(store)
    day = date(2026, 11, 22)
    part = {who: load_person(store, who, policy, day).talks[0][1][2]
            for who in (org.secretary, org.member, org.other)}
    assert part == {org.secretary: "谈话人 · 李明", org.member: "谈话对象 · 张书记", org.other: "记录人 · 张书记→李明"}
    assert load_person(store, org.member, policy, day).talks[0][0] == str(held)
    assert len(TALK_COLUMNS) == len(load_person(store, org.member, policy, day).talks[0][1])


def test_the_person_page_and_the_brief_count_the_same(store: Store) -> None:
    org = make_org(store)
    store.execute("UPDATE people SET birth_date = '1985-03', education = '大学本科' WHERE id = ?", [org.member])
    policy = active_policy(store)
    day = date(2026, 11, 22)
    page = str(load_person(store, org.member, policy, day).headline())
    summary = profile_summary(store, policy, org.member, day)
    assert summary.counts_text() == "已掌握 1/10" and summary.counts_text() in page
    assert "未掌握 9 项" in page
    assert f"{summary.filled}/{len(summary.dimensions)}" in knowledge_heading_for(store, org.member, day)


def knowledge_heading_for(store: Store, person_id: int, day: date) -> str:
    from prep.brief import build_brief

    return knowledge_heading(build_brief(store, active_policy(store), person_id, "routine", day))
