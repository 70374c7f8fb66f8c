"""The brief says why and who (issue 11 item 7), fits its method to the talk type, asks about open flags, shows
each principle once, and speaks the organisation's own words — on a Party branch and on a 民进 基层组织."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from brief_unit_helpers import Unit, minjin_unit, party_unit
from document_helpers import paragraphs
from tui_talk_helpers import drive, make_app, screen_text, wait_for

from notes.store import Store
from prep.active import active_policy, policy_facts
from prep.brief import Brief, build_brief, render_markdown
from prep.brief_document import render_brief_docx
from prep.events import record_event
from prep.profile import flag_person

AS_OF = date(2026, 11, 22)


@pytest.fixture
def party(store: Store) -> Unit:
    return party_unit(store)


@pytest.fixture
def minjin(tmp_path: Path) -> Iterator[Unit]:
    yield from minjin_unit(tmp_path)


def _brief(unit: Unit, talk_type: str) -> Brief:
    return build_brief(unit.store, active_policy(unit.store), unit.member, talk_type, AS_OF)


def _docx_text(brief: Brief, unit: Unit, out: Path) -> str:
    return "\n".join(paragraphs(render_brief_docx(brief, out, store=unit.store)))


def test_002_family_misfortune_is_why_the_care_talk_is_due(party: Unit, tmp_path: Path) -> None:
    record_event(party.store, active_policy(party.store), party.member, "家庭变故", "2026-11-10", note="配偶病故")
    brief = _brief(party, "关心关爱谈心谈话")
    event = brief.reasons[0]
    assert event.kind == "event" and event.source.startswith("002 篇6 第三(三)")
    assert "家庭变故（2026-11-10）" in event.text and "配偶病故" in event.text
    assert (event.due_by, event.overdue, event.days_overdue) == ("2026-11-17", True, 5)
    # The frequency rules this talk also counts for, each with who must hold it.
    rules = [r for r in brief.reasons if r.kind == "rule"]
    assert rules and all(r.interviewer for r in rules)
    assert any("周建国" in r.interviewer for r in rules)
    text = render_markdown(brief)
    why = text[text.index("## 为什么谈、由谁谈"):text.index("## 一、")]
    assert "家庭变故（2026-11-10）" in why and "期限 2026-11-17，已逾期 5 天" in why and "〔002 篇6 第三(三)" in why
    assert "附：与此人有关的其他待办" not in text  # the rules are said once, as reasons
    paper = _docx_text(brief, party, tmp_path / "care.docx")
    assert "为什么谈、由谁谈" in paper and "家庭变故（2026-11-10）" in paper and "已逾期 5 天" in paper


def test_000_joining_brief_names_the_interviewer_before_approval(party: Unit) -> None:
    record_event(party.store, active_policy(party.store), party.member, "审批预备党员", "2026-12-10")
    brief = _brief(party, "入党前后谈话")
    assert "党委委员或组织员" in brief.interviewer
    before = brief.reasons[0]
    assert "审批预备党员（2026-12-10）前 30 天内" in before.text and not before.overdue
    # The duty names its own interviewer, not the type's whole text (tests/test_brief_duties_and_methods.py).
    assert before.interviewer == "机关党委指派的专人（党委委员或组织员）（班子成员：未登记）"
    assert "谈话人：机关党委指派的专人（党委委员或组织员）" in render_markdown(brief)


def test_004_cadre_talks_name_the_district_leaders(party: Unit, tmp_path: Path) -> None:
    record_event(party.store, active_policy(party.store), party.member, "免职决定", "2026-11-02")
    brief = _brief(party, "免职谈话")
    assert brief.interviewer == "区委或区委组织部的负责人"
    assert brief.reasons[0].days_overdue == 13
    paper = _docx_text(brief, party, tmp_path / "removal.docx")
    assert "〔004 三.2〕；谈话人：区委或区委组织部的负责人" in paper and "已逾期 13 天" in paper


def test_004_admonition_follows_its_points_never_a_listening_method(party: Unit) -> None:
    brief = _brief(party, "诫勉谈话")
    method = brief.method
    assert method is not None and method.id == "" and method.source == "004 三.6；004 五"
    said = f"{method.name}{method.description}{method.reason}"
    assert "自叙式" not in said and "多听少说" not in said
    assert method.description.startswith("宣布诫勉决定")
    from prep.brief import methods_for

    policy = active_policy(party.store)
    assert methods_for(policy, policy.talk_type("诫勉谈话")) == {}  # the wizard offers none to switch to
    assert methods_for(policy, policy.talk_type("日常谈话")) == policy.methods


def test_004_appointment_of_a_watched_person_has_no_warning_wording(party: Unit) -> None:
    flag_person(party.store, party.member, "向多名同事借款未还", "2026-10-01", "同事反映")
    brief = _brief(party, "任职谈话")
    assert brief.method is not None and brief.method.name == "征求意见式"
    said = f"{brief.method.description}{brief.method.reason}"
    assert "重点人员" in said and not any(word in said for word in ("提醒", "诫勉", "开门见山"))
    text = render_markdown(brief)
    assert "004 三.5" not in text and "004 三.6" not in text


def test_000_a_recorded_debt_becomes_a_question(party: Unit, tmp_path: Path) -> None:
    flag_person(party.store, party.member, "向多名同事借款未还", "2026-10-01", "同事反映")
    brief = _brief(party, "日常谈话")
    flag = brief.questions[0]
    assert (flag.state, flag.dimension, flag.known) == ("flag", "重点人员", "向多名同事借款未还")
    assert "“向多名同事借款未还”现在情况怎样" in flag.questions[0]
    assert flag.reason == "2026-10-01 起列为重点人员，来源：同事反映"
    text = render_markdown(brief)
    assert "- **重点人员**（2026-10-01 起列为重点人员，来源：同事反映）：向多名同事借款未还" in text
    assert "“向多名同事借款未还”现在情况怎样" in _docx_text(brief, party, tmp_path / "debt.docx")


def test_each_principle_once_with_every_source(party: Unit) -> None:
    brief = _brief(party, "日常谈话")
    names = [p.name for p in brief.principles]
    assert len(names) == len(set(names))
    seek_truth = next(p for p in brief.principles if p.name == "实事求是")
    assert seek_truth.source.startswith("000 四(二)") and "004 四.1" in seek_truth.source
    assert render_markdown(brief).count("- 实事求是：") == 1


def test_wording_from_the_active_packs(party: Unit, minjin: Unit) -> None:
    from notes.documents.policyfacts import Wording

    assert policy_facts(party.store).wording() == Wording(
        member="党员", organisation="党组织", upper_organisation="上级党组织", joining="入党", referral="移送纪检",
        handbook="《党员手册》")
    assert policy_facts(minjin.store).wording() == Wording(
        member="会员", organisation="民进组织", upper_organisation="上级组织", joining="入会",
        referral="移送相关部门查核", handbook="")


def test_001_minjin_brief_speaks_minjin_and_carries_the_four_talks(minjin: Unit, tmp_path: Path) -> None:
    policy = active_policy(minjin.store)
    record_event(minjin.store, policy, minjin.member, "遇到困难、思想波动或情绪低落", "2026-11-01", note="母亲住院")
    flag_person(minjin.store, minjin.member, "向会员借款未还", "2026-09-01")
    brief = _brief(minjin, "个别谈心谈话")
    assert brief.reasons[0].source == "001 第七条(六)" and brief.reasons[0].days_overdue == 14
    assert brief.interviewer == "所在组织主委、专职副主委或班子成员"
    assert [h.name for h in brief.headings] == ["谈思想", "谈履职", "谈作风", "谈生活"]
    assert brief.method is not None and brief.method.source.startswith("001 第十五条")
    text = render_markdown(brief)
    paper = _docx_text(brief, minjin, tmp_path / "minjin.docx")
    for said in (text, paper):
        assert "十个清楚" not in said and "0/0" not in said
        assert "入会时间" in said and "入党" not in said
        assert "《党员手册》" not in said and "上级党组织" not in said and "移送纪检" not in said
        assert "了解情况（谈思想、谈履职、谈作风、谈生活）" in said
        assert "谈作风：贯彻落实中共中央八项规定精神" in said
        assert "遇到困难、思想波动或情绪低落（2026-11-01）" in said and "已逾期 14 天" in said
        assert "向会员借款未还" in said


def test_the_screen_says_why_and_speaks_minjin(minjin: Unit) -> None:
    from tui.widgets.brief_view import brief_content, followup_lines, profile_lines

    record_event(minjin.store, active_policy(minjin.store), minjin.member, "会员义务履行不到位", "2026-11-01")
    brief = _brief(minjin, "个别谈心谈话")
    first_step = followup_lines(brief).plain
    assert first_step.startswith("为什么谈、由谁谈") and "会员义务履行不到位（2026-11-01）" in first_step
    assert "已逾期 7 天" in first_step
    assert profile_lines(brief).plain.startswith("了解情况（谈思想、谈履职、谈作风、谈生活）")
    whole = brief_content(brief).plain
    assert "十个清楚" not in whole and "入会：2010-07" in whole and "入党" not in whole


@drive
async def test_004_admonition_in_the_wizard_offers_no_listening_method(store: Store) -> None:
    from textual.widgets import OptionList, Static

    from tui.screens.prepare import PrepareScreen

    unit = party_unit(store)
    record_event(store, active_policy(store), unit.member, "诫勉决定", "2026-11-12")
    app = make_app(store, now=datetime(2026, 11, 22, 10, 0))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.prepare_talk(person_id=unit.member, talk_type="admonition")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.roster is not None)
        prepare = app.screen
        assert isinstance(prepare, PrepareScreen)
        await pilot.press("f8")
        await wait_for(pilot, lambda: prepare.step == 1, timeout=15)
        first_step = screen_text(app)
        assert "诫勉决定（2026-11-12）" in first_step and "已逾期 3 天" in first_step
        assert "谈话人：区委或区委组织部的负责人" in first_step
        for _ in range(3):
            await pilot.press("f8")
        await wait_for(pilot, lambda: prepare.step == 4)
        await pilot.pause()
        assert not prepare.query_one("#methods", OptionList).display
        reason = str(prepare.query_one("#method-reason", Static).render())
        assert "诫勉谈话按本类谈话的要点依次进行" in reason and "多听少说" not in screen_text(app)
        assert prepare.brief is not None and prepare.current_brief().method == prepare.brief.method
