"""Issue #13 item 3: a record names each required point of its talk type (from the packs, through PolicyFacts)
with what was said under it, or 未谈及; never a point left out silently."""

from __future__ import annotations

from pathlib import Path

from document_helpers import make_org, paragraphs

from notes import talks
from notes.documents import render_record
from notes.store import Store
from prep.active import policy_facts

POINTS = ("组织决定及任职的主要理由", "组织对谈话对象的基本评价和群众的反映", "新任职岗位的基本要求",
          "贯彻执行民主集中制、廉政勤政方面的要求及需要注意的问题", "听取干部本人的意见和建议")


def _appointment(store: Store) -> int:
    org = make_org(store)
    talk_id = talks.create_talk(store, talk_type="appointment", interviewers=[org.secretary],
                                interviewees=[org.member], planned_at="2026-06-03T09:00", place="党委会议室")
    talks.start_talk(store, talk_id, at="2026-06-03T09:00")
    add = talks.add_entry
    add(store, talk_id, heading=POINTS[0], text="经党委会研究，任命为综合规划处副处长，主要考虑其熟悉规划业务。")
    add(store, talk_id, heading=POINTS[1], text="民主推荐中得票靠前，反映其工作细致。", confidential=True)
    add(store, talk_id, heading=POINTS[4], kind="本人表态", text="感谢组织信任，尽快熟悉新岗位。")
    add(store, talk_id, heading="谈生活", kind="困难诉求", text="孩子今年中考，希望上半年少安排出差。")
    talks.finish_talk(store, talk_id, at="2026-06-03T09:40")
    return talk_id


def _content(out: Path) -> list[str]:
    texts = [text for text in paragraphs(out) if text.strip()]
    return texts[texts.index("主要内容") + 1:texts.index("谈话对象表态")]


def test_each_required_point_with_what_was_said_or_not_discussed(store: Store, tmp_path: Path) -> None:
    talk_id = _appointment(store)
    public = _content(render_record(store, talk_id, tmp_path / "r.docx", facts=policy_facts(store)))
    assert public == [
        POINTS[0], "经党委会研究，任命为综合规划处副处长，主要考虑其熟悉规划业务。",
        POINTS[1], "（涉及保密内容，详见内部存档件）",
        POINTS[2], "未谈及",
        POINTS[3], "未谈及",
        POINTS[4], "（见“谈话对象表态”栏）",
        "谈生活", "（困难诉求）孩子今年中考，希望上半年少安排出差。",
    ]
    internal = _content(render_record(store, talk_id, tmp_path / "i.docx", facts=policy_facts(store), internal=True))
    assert internal[2:4] == [POINTS[1], "【保密】民主推荐中得票靠前，反映其工作细致。"]


def test_a_point_for_a_case_is_printed_only_when_it_was_discussed(store: Store, tmp_path: Path) -> None:
    talk_id = _appointment(store)
    out = render_record(store, talk_id, tmp_path / "r.docx", facts=policy_facts(store))
    assert "介绍任职单位及其领导班子的主要情况" not in _content(out)
