"""The questions the 台账 and 谈前准备 screens ask about the talks as a whole (notes/talk_queries.py)."""

from __future__ import annotations

from talk_helpers import make_org

from notes import seal, talks
from notes.model import unit_tree
from notes.store import Store
from notes.talk_queries import TalkCounts, count_talks, latest_interviewer, talk_years


def test_years_counts_by_state_and_by_part_of_the_organisation(store: Store) -> None:
    org = make_org(store)  # 李明 (member) is filed under 机关党委, the namesake under its 第一支部
    assert talk_years(store) == [] and count_talks(store, 2026) == TalkCounts(0, 0, 0)
    assert latest_interviewer(store) is None

    def talk(interviewee: int, planned: str) -> int:
        return talks.create_talk(store, talk_type="routine", interviewers=[org.secretary],
                                 interviewees=[interviewee], planned_at=planned)

    held = talk(org.member, "2026-03-02T09:00")
    talks.finish_talk(store, held, at="2026-03-02T10:00")
    sealed = talk(org.namesake, "2026-04-01T09:00")
    talks.finish_talk(store, sealed, at="2026-04-01T10:00")
    talks.set_outcome(store, sealed, summary="思想稳定。", statement="接受。", confirmed=True)
    seal.seal_talk(store, sealed, at="2026-04-01T11:00")
    talk(org.other, "2026-12-31T23:30")  # planned, on the year's last evening
    talk(org.other, "2025-06-01T09:00")  # planned in an earlier year
    talks.cancel_talk(store, talk(org.member, "2026-05-01T09:00"), "对象出差")

    assert talk_years(store) == [2026, 2025]
    assert count_talks(store, 2026) == TalkCounts(held=2, sealed=1, open=1)
    assert count_talks(store, 2025) == TalkCounts(held=0, sealed=0, open=1)
    branch = next(u.id for u in unit_tree(store).units if u.name == "第一支部")
    assert count_talks(store, 2026, unit_tree(store).below(branch)) == TalkCounts(held=1, sealed=1, open=0)
    assert count_talks(store, 2026, unit_tree(store).below(org.unit)) == count_talks(store, 2026)


def test_the_latest_talk_names_the_likely_interviewer(store: Store) -> None:
    org = make_org(store)
    talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
    assert latest_interviewer(store) == org.secretary
    talks.create_talk(store, talk_type="routine", interviewers=[org.other], interviewees=[org.member])
    assert latest_interviewer(store) == org.other
