"""The 谈话提纲: follow-ups first, required points, profile gaps as questions, earlier talks, method, cautions, plan."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli

from notes.store import Store
from prep.brief import build_brief, choose_method, render_markdown
from prep.events import record_event
from prep.packs import Policy, load_policy
from prep.profile import add_profile_entry, flag_person, profile_summary

AS_OF = date(2026, 6, 1)


@pytest.fixture
def policy() -> Policy:
    return load_policy(["suzhou-2018", "cadre-talks", "practice"])


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    unit = store.insert("units", {"name": "机关第一党支部"})
    ids = {}
    for name, roles in (("书记", ("支部书记", "支委", "党员")), ("张三", ("党员",)), ("流动者", ("党员", "流动党员")),
                        ("病号", ("党员", "生病住院"))):
        ids[name] = store.insert("people", {"name": name, "unit_id": unit, "position": "科员", "membership": "正式党员",
                                            "birth_date": "1985-03"})
        for role in roles:
            store.insert("roles", {"person_id": ids[name], "unit_id": unit, "role": role})
    return ids


def held_talk(store: Store, interviewer: int, interviewee: int, day: str, talk_type: str, summary: str) -> int:
    from notes.talks import create_talk, finish_talk, set_outcome

    talk = create_talk(store, talk_type=talk_type, interviewers=[interviewer], interviewees=[interviewee],
                       planned_at=f"{day}T09:00:00")
    finish_talk(store, talk, at=f"{day}T10:00:00")
    set_outcome(store, talk, summary=summary, statement="表示认真对待。", confirmed=True)
    return talk


def test_brief_orders_followups_first_and_turns_gaps_into_questions(
    store: Store, policy: Policy, people: dict[str, int]
) -> None:
    from notes.followups import create_followup

    secretary, person = people["书记"], people["张三"]
    earlier = held_talk(store, secretary, person, "2026-01-10", "routine", "反映工作压力大 [/]x")
    later = held_talk(store, secretary, person, "2026-03-10", "reminder", "提醒按时报销")
    create_followup(store, talk_id=earlier, kind="帮扶", title="协调调整工作量", due_on="2026-05-20")
    create_followup(store, talk_id=later, kind="整改", title="规范报销手续", due_on="2026-04-10")
    add_profile_entry(store, policy, person, "basic", "1985年生。", "2026-01-01", "档案")
    add_profile_entry(store, policy, person, "performance", "表现一般。", "2025-06-01", "支部书记反映")
    record_event(store, policy, person, "任职决定", "2026-05-28")

    brief = build_brief(store, policy, person, "任职谈话", AS_OF)
    assert (brief.talk_type, brief.type_name, brief.category, brief.source) == (
        "appointment", "任职谈话", "职务任免类", "004 三.1")
    # 整改 overdue 52 days comes before 帮扶 overdue 12 days.
    assert [(f.title, f.days_overdue) for f in brief.open_followups] == [("规范报销手续", 52), ("协调调整工作量", 12)]
    assert brief.open_followups[0].next_step is not None
    assert [p.text for p in brief.points][:1] == ["组织决定及任职的主要理由"]
    assert brief.points[-1].condition == "交流任职"
    questions = {q.dimension: q for q in brief.questions}
    assert "基本情况" not in questions and questions["政治思想"].state == "empty"
    assert questions["现实表现"].state == "stale" and questions["现实表现"].known == "表现一般。"
    assert questions["政治思想"].questions[0] == "在增强“四个意识”方面表现如何？"
    assert [t.summary for t in brief.earlier_talks] == ["提醒按时报销", "反映工作压力大 [/]x"]
    assert brief.earlier_total == 2 and brief.earlier_talks[0].interviewers == ("书记",)
    assert brief.method is not None and brief.method.name == "征求意见式" and "正式严肃" in brief.method.reason
    assert brief.plan.due_by == "2026-06-04" and brief.plan.talk_id is None
    assert brief.due[0].type == "appointment"
    assert "保密" in {c.name for c in brief.cautions}

    text = render_markdown(brief)
    order = [text.index(marker) for marker in ("规范报销手续", "协调调整工作量", "组织决定及任职的主要理由", "在增强“四个意识”",
                                                "提醒按时报销", "建议方式：**征求意见式**", "保密", "## 七、谈话安排")]
    assert order == sorted(order)
    assert "反映工作压力大 [/]x" in text and "应在 2026-06-04 前" in text


def test_informant_protection_for_reports_and_warnings(store: Store, policy: Policy, people: dict[str, int]) -> None:
    person = people["张三"]
    reminder = build_brief(store, policy, person, "提醒谈话", AS_OF)
    names = {c.name for c in reminder.cautions}
    assert {"保护举报人", "不得打击报复"} <= names
    routine = build_brief(store, policy, person, "routine", AS_OF)
    assert "保护举报人" not in {c.name for c in routine.cautions}
    record_event(store, policy, person, "信访举报反映问题", "2026-05-01")
    after_report = build_brief(store, policy, person, "routine", AS_OF)
    assert {"保护举报人", "不得打击报复"} <= {c.name for c in after_report.cautions}
    admonition = build_brief(store, policy, person, "诫勉谈话", AS_OF)
    assert {"下达《诫勉通知书》", "明确整改时限"} <= {c.name for c in admonition.cautions}
    assert "不得向谈话对象泄露举报人的单位、姓名" in render_markdown(admonition)


def test_method_follows_simple_explained_rules(store: Store, policy: Policy, people: dict[str, int]) -> None:
    person = people["张三"]

    def method(talk_type: str) -> tuple[str, str]:
        profile = profile_summary(store, policy, person, AS_OF)
        chosen = choose_method(policy, policy.talk_type(talk_type), profile, ("党员（机关第一党支部）",))
        assert chosen is not None
        return chosen.name, chosen.reason

    assert method("关心关爱谈心谈话")[0] == "家常式"
    assert method("警示督促谈心谈话")[0] == "自叙式" and "〔003 二〕" in method("警示督促谈心谈话")[1]
    assert method("矛盾化解谈话")[0] == "调和式"
    assert method("成绩突出谈话")[0] == "表扬式"
    assert method("入党前后谈话")[0] == "自叙式"
    assert method("日常谈话")[0] == "家常式"
    flag_person(store, person, "与同事关系紧张", "2026-05-01")
    # Being watched is said, but does not turn a routine talk into a warning one.
    name, reason = method("日常谈话")
    assert name == "家常式" and "重点人员" in reason and "与同事关系紧张" in reason
    assert method("关心关爱谈心谈话")[0] == "家常式" and "重点人员" in method("关心关爱谈心谈话")[1]
    minjin = load_policy(["minjin-cq-2023"])
    profile = profile_summary(store, minjin, person, AS_OF)
    assert not minjin.methods  # the 民进 pack names no methods: the talk follows its own points, nothing invented
    own = choose_method(minjin, minjin.talk_type("日常谈心谈话"), profile, ())
    assert own is not None and own.id == "" and own.source == "001 第十条"
    assert own.description.startswith("交流思想、沟通情况、交换意见")


def test_plan_suits_the_person(store: Store, policy: Policy, people: dict[str, int]) -> None:
    from notes.talks import create_talk

    mobile = build_brief(store, policy, people["流动者"], "流动党员定期谈话", AS_OF)
    assert mobile.plan.channel == "电话" and "〔000 二(二)7〕" in mobile.plan.notes[0]  # the pack's type cites it
    sick = build_brief(store, policy, people["病号"], "上门看望谈话", AS_OF)
    assert sick.plan.channel == "上门"
    planned = create_talk(store, talk_type="routine", interviewers=[people["书记"]], interviewees=[people["张三"]],
                          planned_at="2026-06-03T15:00:00", place="三楼小会议室")
    plan = build_brief(store, policy, people["张三"], "routine", AS_OF).plan
    assert (plan.talk_id, plan.planned_at, plan.place) == (planned, "2026-06-03T15:00:00", "三楼小会议室")


def test_user_text_is_kept_in_the_brief_and_made_harmless_in_markdown(
    store: Store, policy: Policy, people: dict[str, int]
) -> None:
    person = people["张三"]
    odd = "情况[@click=app.quit]x[/]\x1b[2J\u202e反\x00"
    add_profile_entry(store, policy, person, "habits", odd, "2026-05-01")
    brief = build_brief(store, policy, person, "routine", AS_OF)
    habits = next(d for d in brief.profile.dimensions if d.id == "habits")
    assert habits.latest is not None and habits.latest.text == odd
    text = render_markdown(brief)
    assert "情况[@click=app.quit]x[/][2J反" in text
    assert not any(c in text for c in "\x1b\x00\u202e")


def test_cli_brief_to_screen_markdown_and_docx(store: Store, db_path: Path, people: dict[str, int],
                                               tmp_path: Path) -> None:
    store.close()
    shown = run_cli(["--db", str(db_path), "brief", "张三", "--type", "日常谈话", "--as-of", "2026-06-01"])
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.startswith("# 谈话提纲：张三 · 日常谈话")
    out = tmp_path / "brief.md"
    written = run_cli(["--db", str(db_path), "brief", str(people["张三"]), "--type", "routine", "--out", str(out)])
    assert written.exit_code == 0 and out.read_text(encoding="utf-8").startswith("# 谈话提纲：张三")
    assert os.stat(out).st_mode & 0o777 == 0o600
    again = run_cli(["--db", str(db_path), "brief", "张三", "--type", "routine", "--out", str(out)])
    assert again.exit_code == 1 and "已存在" in again.stderr
    docx = tmp_path / "brief.docx"
    made = run_cli(["--db", str(db_path), "brief", "张三", "--type", "routine", "--out", str(docx)])
    assert made.exit_code == 0, made.stderr
    from docx import Document

    assert "张三" in "\n".join(p.text for p in Document(str(docx)).paragraphs)
    unknown = run_cli(["--db", str(db_path), "brief", "张三", "--type", "不存在的谈话"])
    assert unknown.exit_code == 1 and "任职谈话" in unknown.stderr
    wrong = run_cli(["--db", str(db_path), "brief", "张三", "--type", "routine", "--out", str(tmp_path / "b.pdf")])
    assert wrong.exit_code == 1 and ".md 或 .docx" in wrong.stderr


def test_cli_packs(db_path: Path, tmp_path: Path) -> None:
    import json

    from conftest import PASSPHRASE

    from notes.unlock import init_database

    missing = run_cli(["--db", str(tmp_path / "none.db"), "packs"])
    assert missing.exit_code == 0 and "默认政策包" in missing.stderr and "suzhou-2018" in missing.stdout
    init_database(db_path, PASSPHRASE, ["minjin-cq-2023"]).store.close()
    listed = run_cli(["--db", str(db_path), "packs", "--json"])
    assert listed.exit_code == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert [p["id"] for p in data if p["kind"] == "pack"] == ["minjin-cq-2023"]
    assert all("id" in entry for entry in data)
    text = run_cli(["--db", str(db_path), "packs"])
    assert "民进" in text.stdout and "001 第十八条" in text.stdout
