"""The 谈话提纲 (prep/brief.py's `Brief`) as screen text, part by part, for the steps of 谈前准备 and its last
page. Everything from the brief is user or pack text and is shown literally (tui/safe.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from prep.brief import heading_lines, knowledge_heading, why_lines
from tui.safe import safe, visible

if TYPE_CHECKING:
    from prep.brief import Brief

STATE_STYLES = {"empty": "$text-error", "stale": "$text-warning", "current": "$text-success"}


def _lines(lines: list[Content]) -> Content:
    return Content("\n").join(lines)


def why_content(brief: Brief) -> Content:
    """Why the talk is due (the event and its date, or the rule), by when, how late, and who must talk."""
    lines = [Content.styled("为什么谈、由谁谈", "bold")]
    late = [reason.overdue for reason in brief.reasons]  # why_lines gives one line per reason first
    for index, line in enumerate(why_lines(brief)):
        lines.append(safe(line, "$text-error" if index < len(late) and late[index] else ""))
    return _lines(lines)


def followup_lines(brief: Brief) -> Content:
    """The first step of the brief: why the talk is due, then what earlier talks left open."""
    return _lines([why_content(brief), Content(""), _followups(brief)])


def _followups(brief: Brief) -> Content:
    if not brief.open_followups:
        return Content.styled("没有未办结的跟踪事项。", "dim")
    lines = [Content.styled(f"以往谈话中尚未办结的事项 {len(brief.open_followups)} 项，谈话时先问落实情况：", "bold")]
    for f in brief.open_followups:
        late = f"，已逾期 {f.days_overdue} 天" if f.overdue else ""
        lines.append(Content.assemble(
            (f"【{f.kind_label}·{f.status_label}】", "bold $text-error" if f.overdue else "bold"), safe(f.title),
            (f"（{f.talk_code}，期限 {f.due_on or '无'}{late}）", "dim"),
        ))
        if f.next_step:
            lines.append(Content.styled(f"    建议下一步：{f.next_step}", "$text-warning"))
    return _lines(lines)


def profile_lines(brief: Brief) -> Content:
    profile = brief.profile
    lines = [Content.styled(knowledge_heading(brief), "bold")]
    for reason in profile.watch_reasons:
        lines.append(Content.assemble(("重点人员：", "bold $text-error"), safe(reason.reason), (f"（{reason.since}）", "dim")))
    for status in profile.dimensions:
        latest = status.latest
        known = Content.assemble(safe(latest.text), (f"（{latest.observed_on}，", "dim"),
                                 safe(latest.source or "来源未记", "dim"), ("）", "dim")) if latest else Content("—")
        lines.append(Content.assemble((f"{status.name}", "bold"),
                                      (f"【{status.state_label}】", STATE_STYLES.get(status.state, "")), known))
    lines += [safe(line) for line in heading_lines(brief)]
    return _lines(lines)


def points_lines(brief: Brief) -> Content:
    lines = [Content.styled(f"必谈要点（{brief.type_name}，{brief.source}）", "bold")]
    for number, point in enumerate(brief.points, start=1):
        condition = f"（{point.condition}时）" if point.condition else ""
        lines.append(Content.assemble(f"{number}. {condition}", safe(point.text), (f"〔{point.source}〕", "dim")))
    if not brief.points:
        headings = "、".join(h.name for h in brief.headings)
        lines.append(Content.styled("本类谈话没有规定要点" + (f"，可按{headings}准备。" if headings else "。"), "dim"))
    if brief.questions:
        lines.append(Content.styled("要问清楚的（来自重点人员标记和档案缺口）", "bold"))
        for question in brief.questions:
            known = safe(f"：{question.known}") if question.state == "flag" else Content("")
            lines.append(Content.assemble(("· ", ""), (question.dimension, "bold"), known,
                                          safe(f"（{question.reason}）", "dim")))
            lines += [Content.assemble("    ", safe(q)) for q in question.questions]
    if brief.earlier_talks:
        lines.append(Content.styled(f"以往谈话（共 {brief.earlier_total} 次）", "bold"))
        for talk in brief.earlier_talks:
            head = Content.styled(f"{talk.day} {talk.type_name}（{talk.code}）", "")
            if talk.refused:
                lines.append(Content.assemble(head, ("：对象拒绝谈话", "$text-error")))
            else:
                lines.append(Content.assemble(head, "：", safe(talk.summary or "（无汇总）")))
    return _lines(lines)


def approach_lines(brief: Brief) -> Content:
    lines: list[Content] = []
    if brief.tone:
        lines.append(Content.assemble(("基调：", "bold"), safe(brief.tone)))
    for principle in brief.principles:
        lines.append(Content.assemble((f"{principle.name}：", "bold"), safe(principle.text),
                                      (f"〔{principle.source}〕", "dim")))
        lines += [Content.assemble("    ", safe(detail)) for detail in principle.details]
    for caution in brief.cautions:
        lines.append(Content.assemble((f"注意 · {caution.name}：", "bold $text-warning"), safe(caution.text)))
    return _lines(lines)


def plan_lines(brief: Brief) -> Content:
    plan = brief.plan
    due = f"（应在 {plan.due_by} 前）" if plan.due_by else ""
    lines = [
        Content.assemble(("时间：", "bold"), (plan.planned_at.replace("T", " ") or "待定") + due),
        Content.assemble(("地点：", "bold"), safe(plan.place or "待定")),
        Content.assemble(("形式：", "bold"), f"{plan.form}谈话", ("　方式：", "bold"), plan.channel),
    ]
    return _lines([*lines, plan_notes(brief)])


def plan_notes(brief: Brief) -> Content:
    """Why this channel and form, what is still to decide, by when."""
    return _lines([Content.styled(visible(note), "$text-muted") for note in brief.plan.notes])


def brief_content(brief: Brief) -> Content:
    """The whole brief, in the order it is used (the exported documents follow the same order)."""
    person, details = brief.person, brief.person.details
    facts = "；".join(f"{label}：{value}" for label, value in (
        ("单位", person.unit), ("职务", person.position), ("身份", person.membership),
        ("出生年月", details.birth_date if details else ""),
        (brief.wording.joining, details.joined_date if details else ""))
        if value)
    method = brief.method
    sections = [
        Content.assemble(("谈话提纲：", "bold"), safe(person.name, "bold"), (f" · {brief.type_name}", "bold"),
                         (f"  {brief.category} · 准备日期 {brief.as_of.isoformat()}", "dim")),
        safe(facts or "（基本情况未登记）"),
        why_content(brief),
        Content.styled("一、先谈：以往谈话的未办结事项", "bold $text-primary"),
        _followups(brief),
        Content.styled("二、必谈要点与要问清楚的", "bold $text-primary"),
        points_lines(brief),
        Content.styled("三、了解情况", "bold $text-primary"),
        profile_lines(brief),
        Content.styled("四、原则与方法", "bold $text-primary"),
        Content.assemble(("谈话方式：", "bold"), safe(method.name if method else "未选"), "　",
                         safe(method.reason if method else "", "dim")),
        approach_lines(brief),
        Content.styled("五、谈话安排", "bold $text-primary"),
        plan_lines(brief),
    ]
    return _lines(sections)
