"""Issue 11's leftovers: the brief names, per duty, who must talk and who holds that role now; the packs say
which talks a method suits (and never), and the brief chooses from that; a 民进 database reads its own words in
follow-ups, principles and settings, while the stored values stay the Party's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from brief_unit_helpers import Unit, minjin_unit, party_unit
from document_helpers import paragraphs

from notes import talks
from notes.followups import create_followup
from notes.settings import template_key
from notes.store import Store
from prep.active import active_policy, wording
from prep.brief import Brief, build_brief, choose_method, methods_for, render_markdown, why_lines
from prep.brief_document import render_brief_docx
from prep.events import record_event
from prep.packs import DEFAULT_PACKS, PackError, Policy, describe_policy, load_policy
from prep.profile import profile_summary
from prep.wording import followup_kind_choices, settings_shown, stored_followup_kind

AS_OF = date(2026, 11, 22)


@pytest.fixture
def party(store: Store) -> Unit:
    """机关第二党支部 under a 机关党委 whose 班子成员 (the 党委委员 of 000 二(二)6) is 王明, with a 部门负责人."""
    unit = party_unit(store)
    with store.transaction():
        committee = store.insert("units", {"name": "市直机关党委"})
        store.execute("UPDATE units SET parent_id = ? WHERE id = ?", [committee, unit.unit])
        wang = store.insert("people", {"name": "王明", "unit_id": committee, "position": "专职副书记",
                                       "membership": "正式党员"})
        store.insert("roles", {"person_id": wang, "unit_id": committee, "role": "班子成员",
                               "start_date": "2025-01-01"})
        chen = store.insert("people", {"name": "陈科长", "unit_id": unit.unit, "position": "科长",
                                       "membership": "正式党员"})
        store.insert("roles", {"person_id": chen, "unit_id": unit.unit, "role": "部门负责人",
                               "start_date": "2025-01-01"})
    return unit


@pytest.fixture
def minjin(tmp_path: Path) -> Iterator[Unit]:
    yield from minjin_unit(tmp_path)


def _brief(unit: Unit, talk_type: str) -> Brief:
    return build_brief(unit.store, active_policy(unit.store), unit.member, talk_type, AS_OF)


def _why(brief: Brief) -> str:
    text = render_markdown(brief)
    return text[text.index("## 为什么谈、由谁谈"):text.index("## 一、")]


# -- who must talk, per duty ---------------------------------------------------------------------------------


def test_000_2_2_6_before_approval_names_the_committee_members_and_after_the_branch(party: Unit) -> None:
    record_event(party.store, active_policy(party.store), party.member, "审批预备党员", "2026-11-01")
    brief = _brief(party, "入党前后谈话")
    before = next(r for r in brief.reasons if "前 30 天内" in r.text)
    after = next(r for r in brief.reasons if "后 30 天内" in r.text)
    # 审批前: the committee's 党委委员 (its 班子成员, one unit up) — by name; never the branch's own 书记.
    assert before.interviewer == "机关党委指派的专人（党委委员或组织员）（班子成员：王明）"
    assert before.overdue and before.days_overdue == 21
    assert after.interviewer == "支部书记或委员" and not after.overdue  # 000 三(六)1, in its words
    why = _why(brief)
    assert "谈话人：机关党委指派的专人（党委委员或组织员）（班子成员：王明）" in why
    assert "谈话人：支部书记或委员" in why
    # Not the type's whole text ("支部书记或支委；审批预备党员前由…"): each duty says its own.
    assert "本类谈话应由" not in why and "直属总支" not in why


def test_000_3_6_2_separate_talks_name_each_role_and_who_holds_it(party: Unit) -> None:
    record_event(party.store, active_policy(party.store), party.member, "调入（借调）", "2026-11-15")
    (reason,) = [r for r in _brief(party, "新进党员谈话").reasons if r.kind == "event"]
    assert reason.interviewer == "支委、部门负责人分别谈（支委：周建国、吴丽；部门负责人：陈科长）"


def test_000_3_6_3_a_role_nobody_holds_is_said(party: Unit) -> None:
    record_event(party.store, active_policy(party.store), party.member, "岗位调整", "2026-11-15")
    (reason,) = [r for r in _brief(party, "岗位调整谈话").reasons if r.kind == "event"]
    assert reason.interviewer == "支委、分管分别谈（支委：周建国、吴丽；分管：未登记）"


def test_004_2_2_cadre_duties_name_the_district_leaders_as_written(party: Unit) -> None:
    record_event(party.store, active_policy(party.store), party.member, "免职决定", "2026-11-02")
    brief = _brief(party, "免职谈话")
    reason = brief.reasons[0]
    assert reason.interviewer == "区委或区委组织部的负责人（也可委托干部所在党委（党组、总支、支部）主要负责人）"
    lines = why_lines(brief)
    assert lines[0] == (
        "免职决定（2026-11-02）后 7 天内进行免职谈话（期限 2026-11-09，已逾期 13 天）〔004 三.2〕；谈话人：区委或区委组织部"
        "的负责人（也可委托干部所在党委（党组、总支、支部）主要负责人）")
    assert not any(line.startswith("本类谈话应由") for line in lines)


def test_a_talk_no_event_calls_for_names_the_types_interviewer(party: Unit) -> None:
    brief = _brief(party, "诫勉谈话")
    assert not [r for r in brief.reasons if r.kind == "event"]
    # The frequency rules it also counts for name their own interviewers; the type says who holds a 诫勉.
    assert all(r.interviewer.startswith("支") for r in brief.reasons)
    assert why_lines(brief)[-1] == "本类谈话应由区委或区委组织部的负责人谈〔004 三.6；004 五〕"


def test_packs_show_who_talks_on_each_deadline() -> None:
    text = describe_policy(load_policy([]))
    assert "审批预备党员前 30 天内进行入党前后谈话，由机关党委指派的专人（党委委员或组织员）（本包设定）〔000 二(二)6〕" in text
    assert "调入（借调）后 30 天内进行新进党员谈话，由支委、部门负责人分别谈" in text


# -- which talks a method suits ------------------------------------------------------------------------------

UNIT_PACK = """\
[pack]
id = "unit-methods"
name = "本单位谈话方式"
sources = [{{ id = "000", file = "000_71cbc938210be538.txt", title = "测试依据" }}]

[[methods]]
id = "walk_and_talk"
name = "散步式"
description = "边走边谈，在轻松的环境中交流。"
suits = "日常谈话。"
source = "000 四(三)"
{extra}
"""


def _unit_policy(folder: Path, extra: str) -> Policy:
    (folder / "unit-methods.toml").write_text(UNIT_PACK.format(extra=extra), encoding="utf-8")
    return load_policy([*DEFAULT_PACKS, "unit-methods"], extra_dirs=[folder])


def test_the_method_a_pack_fits_to_a_talk_type_is_chosen(party: Unit, tmp_path: Path) -> None:
    policy = _unit_policy(tmp_path, 'fits = [{ talk_types = ["routine"], reason = "本单位日常谈话边走边谈" }]\n'
                                    'not_for_types = ["hardship"]')
    profile = profile_summary(party.store, policy, party.member, AS_OF)
    routine = choose_method(policy, policy.talk_type("日常谈话"), profile, ("党员",))
    assert routine is not None and (routine.id, routine.reason) == ("walk_and_talk", "本单位日常谈话边走边谈。散步式适合：日常谈话。")
    # A named type outweighs a category: the 关心关爱 talk stays 家常式; the unfit type is never offered it.
    care = choose_method(policy, policy.talk_type("关心关爱谈心谈话"), profile, ("党员",))
    assert care is not None and care.id == "homely"
    assert "walk_and_talk" not in methods_for(policy, policy.talk_type("困难帮扶谈话"))
    assert "walk_and_talk" in methods_for(policy, policy.talk_type("成绩突出谈话"))
    # Nobody declared it unfit for a 诫勉, so the wizard offers it there; the brief still never proposes it.
    admonition = policy.talk_type("诫勉谈话")
    assert list(methods_for(policy, admonition)) == ["walk_and_talk"]
    chosen = choose_method(policy, admonition, profile, ("党员",))
    assert chosen is not None and chosen.id == ""
    text = describe_policy(policy)
    assert "提纲建议用于日常谈话：本单位日常谈话边走边谈" in text and "不用于困难帮扶谈话" in text


def test_shipped_methods_are_never_for_reminders_or_admonitions() -> None:
    policy = load_policy([])
    for name in ("提醒谈话", "诫勉谈话"):
        assert methods_for(policy, policy.talk_type(name)) == {}
    assert "不用于提醒谈话（含函询）、诫勉谈话" in describe_policy(policy)


def test_a_member_of_the_leadership_is_consulted_in_an_everyday_talk(party: Unit) -> None:
    policy = active_policy(party.store)
    profile = profile_summary(party.store, policy, party.head, AS_OF)
    chosen = choose_method(policy, policy.talk_type("日常谈话"), profile, ("班子成员", "党员"))
    assert chosen is not None and chosen.name == "征求意见式" and "对象是班子成员" in chosen.reason


@pytest.mark.parametrize(("extra", "said"), [
    ('fits = [{ categories = ["闲聊类"], reason = "x" }]', "第 1 个适用情形 的 categories \"闲聊类\" 无效"),
    ('fits = [{ talk_types = ["no_such_type"], reason = "x" }]', "引用了不存在的谈话类型 \"no_such_type\""),
    ('fits = [{ roles = ["局长"], reason = "x" }]', "roles \"局长\" 无效"),
    ('fits = [{ talk_types = ["routine"] }]', "缺少 reason"),
    ('not_for_documents = ["letter"]', "not_for_documents \"letter\" 无效"),
    ('not_for_types = ["no_such_type"]', "引用了不存在的谈话类型 \"no_such_type\""),
])
def test_a_wrong_method_fit_is_refused_with_its_line(tmp_path: Path, extra: str, said: str) -> None:
    with pytest.raises(PackError) as raised:
        _unit_policy(tmp_path, extra)
    message = raised.value.message
    assert "unit-methods.toml 第 12 行" in message and said in message


# -- a 民进 database's own words -----------------------------------------------------------------------------


def _talk_with_followups(unit: Unit) -> None:
    store = unit.store
    policy = active_policy(store)
    talk = talks.create_talk(store, talk_type=policy.talk_type("个别谈心谈话").id, interviewers=[unit.head],
                             interviewees=[unit.member], planned_at="2026-11-02T09:00", place="会议室")
    talks.start_talk(store, talk, at="2026-11-02T09:05")
    talks.add_entry(store, talk, text="反映本人曾收受学生家长礼金。", heading="谈作风", kind="发现问题")
    talks.finish_talk(store, talk, at="2026-11-02T10:00")
    create_followup(store, talk_id=talk, kind="移送纪检", title="收受礼金问题", due_on="2026-11-30")
    create_followup(store, talk_id=talk, kind="向党组织汇报", title="思想动态", due_on="2026-11-30")


def test_001_21_minjin_follow_ups_read_in_its_words_and_keep_their_stored_kind(minjin: Unit, tmp_path: Path) -> None:
    _talk_with_followups(minjin)
    brief = _brief(minjin, "个别谈心谈话")
    shown = {f.kind: f.kind_label for f in brief.open_followups}
    assert shown == {"移送纪检": "移送相关部门查核", "向党组织汇报": "向民进组织汇报"}
    stored = {row["kind"] for row in minjin.store.query("SELECT kind FROM followups")}
    assert stored == {"移送纪检", "向党组织汇报"}  # the record is never rewritten
    text = render_markdown(brief)
    assert "【移送相关部门查核·待办】收受礼金问题" in text and "【向民进组织汇报·待办】思想动态" in text
    assert "- 移送相关部门查核：收受礼金问题" in text and "- 向民进组织汇报：思想动态" in text  # 附：其他待办
    assert "移送纪检" not in text and "党组织" not in text
    paper = "\n".join(paragraphs(render_brief_docx(brief, tmp_path / "brief.docx", store=minjin.store)))
    assert "【移送相关部门查核·待办】收受礼金问题" in paper and "移送纪检" not in paper and "党组织" not in paper


def test_party_follow_ups_keep_the_party_words(party: Unit) -> None:
    terms = wording(active_policy(party.store))
    assert followup_kind_choices(terms) == {kind: kind for kind in ("整改", "帮扶", "转有关部门", "向党组织汇报",
                                                                    "移送纪检")}


def test_a_minjin_user_may_type_either_word_and_the_party_word_is_stored(minjin: Unit) -> None:
    terms = wording(active_policy(minjin.store))
    assert list(followup_kind_choices(terms).values()) == ["整改", "帮扶", "转有关部门", "向民进组织汇报",
                                                           "移送相关部门查核"]
    assert stored_followup_kind(" 移送相关部门查核 ", terms) == "移送纪检"
    assert stored_followup_kind("向民进组织汇报", terms) == "向党组织汇报"
    assert stored_followup_kind("移送纪检", terms) == "移送纪检"
    assert stored_followup_kind("另案处理", terms) == "另案处理"  # left for notes.followups to refuse
    assert terms.followup_kind("整改") == "整改"


def test_004_and_002_principles_speak_minjin_in_a_minjin_brief(minjin: Unit, party: Unit) -> None:
    ours = {p.name: p.text for p in _brief(minjin, "个别谈心谈话").principles}
    assert ours["热情关心"].startswith("体现组织对干部的关心") and "政治原则" in ours and "党性原则" not in ours
    assert not any("党组织" in f"{name}{text}" for name, text in ours.items())
    theirs = {p.name: p.text for p in _brief(party, "日常谈话").principles}
    assert theirs["热情关心"].startswith("体现党组织对干部的关心") and "党性原则" in theirs
    assert "政治原则" not in theirs


def test_minjin_settings_offer_no_party_handbook_template(minjin: Unit, party: Unit) -> None:
    handbook = template_key("handbook")
    assert handbook not in {s.key for s in settings_shown(wording(active_policy(minjin.store)))}
    assert handbook in {s.key for s in settings_shown(wording(active_policy(party.store)))}
