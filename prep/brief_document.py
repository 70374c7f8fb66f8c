"""The 谈话提纲 (prep/brief.py's `Brief`) as a DOCX the interviewer can print and annotate before the talk.

It lives in prep, beside the brief it prints, and uses notes/documents' template machinery like every
document. The sections follow the brief's own order (why and who first, then open follow-ups: "谈话热、整改冷",
003 三) and share its wording (prep.brief's line helpers), so the paper says what the screen and Markdown say. The
brief holds assessments of the person (十个清楚, the watch list), so every copy is marked as internal material.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from notes.documents.docxfile import choose_template, document_fonts, render_template, write_atomically
from notes.documents.text import chinese_date, chinese_time_span
from notes.store import Store
from prep.brief import Brief, due_name, heading_lines, knowledge_heading, other_due, person_facts, why_lines

BRIEF_MARK = "内部资料·注意保密"


def _section(heading: str, points: list[str], empty: str) -> dict[str, Any]:
    return {"heading": heading, "points": points or [empty]}


def _person_line(brief: Brief) -> str:
    p = brief.person
    line = "；".join(f"{label}：{value}" for label, value in person_facts(brief)) or "基本情况未登记"
    return line + (f"。角色：{'、'.join(role.label for role in p.roles)}" if p.roles else "")


def brief_sections(brief: Brief) -> list[dict[str, Any]]:
    """The brief as headed lists of points, in the order they are used."""
    followups = [
        f"【{f.kind_label}·{f.status_label}】{f.title}（{f.talk_code}"
        + (f"，期限{chinese_date(f.due_on)}" if f.due_on else "")
        + (f"，已逾期{f.days_overdue}天" if f.overdue else "")
        + (f"，责任人{f.owner}" if f.owner else "") + "）"
        + (f"；建议：{f.next_step}" if f.next_step else "")
        for f in brief.open_followups
    ]
    points = [f"{n}. {'（' + p.condition + '时）' if p.condition else ''}{p.text}〔{p.source}〕"
              for n, p in enumerate(brief.points, start=1)]
    profile = brief.profile
    known = []
    for status in profile.dimensions:
        latest = status.latest
        what = f"{latest.text}（{chinese_date(latest.observed_on)}，{latest.source or '来源未记'}）" if latest else "—"
        known.append(f"{status.name}【{status.state_label}】：{what}")
    known += [f"要问清楚：{q.dimension}（{q.reason}）" + (f"：{q.known}" if q.state == "flag" else "")
              + f"——{'；'.join(q.questions)}" for q in brief.questions]
    known += heading_lines(brief)
    if profile.watch_reasons:
        reasons = "；".join(f"{r.reason}（{chinese_date(r.since)}起）" for r in profile.watch_reasons)
        known.insert(0, f"重点人员：{reasons}")
    earlier = []
    for talk in brief.earlier_talks:
        if talk.refused:
            earlier.append(f"{chinese_date(talk.day)} {talk.type_name}（{talk.code}）：对象拒绝谈话。{talk.cancel_reason}")
            continue
        said = "；".join(x for x in (f"汇总：{talk.summary}" if talk.summary else "",
                                     f"本人表态：{talk.statement}" if talk.statement else "") if x)
        earlier.append(f"{chinese_date(talk.day)} {talk.type_name}（{talk.code}）" + (f"：{said}" if said else ""))
    if brief.earlier_total > len(brief.earlier_talks):
        earlier.append(f"……共 {brief.earlier_total} 次，以上为最近 {len(brief.earlier_talks)} 次。")
    method = [f"建议方式：{brief.method.name}——{brief.method.description}（理由：{brief.method.reason}）"] \
        if brief.method else []
    principles = method + [f"{p.name}：{p.text}〔{p.source}〕" for p in brief.principles]
    cautions = [f"{c.name}：{c.text}〔{c.source}〕" for c in (*brief.cautions, *brief.preparation)]
    plan = brief.plan
    arrangements = [
        f"时间：{chinese_time_span(plan.planned_at, None) if plan.planned_at else '待定'}"
        + (f"（应在{chinese_date(plan.due_by)}前）" if plan.due_by else ""),
        f"地点：{plan.place or '待定'}",
        f"形式：{plan.form}谈话；方式：{plan.channel}",
        *plan.notes,
    ]
    others = [f"{due_name(brief, item)}：{item.detail}（{chinese_date(item.due_by) if item.due_by else '无期限'}"
              + (f"，已逾期{item.days_overdue}天" if item.overdue else "") + f"）〔{item.source}〕"
              for item in other_due(brief)]
    sections = [
        _section("为什么谈、由谁谈", why_lines(brief), "—"),
        _section("一、先谈：以往谈话的未办结事项", followups, "没有未办结的事项。"),
        _section(f"二、必谈要点（{brief.type_name}）", points, "本类谈话没有规定要点。"),
        _section(f"三、{knowledge_heading(brief)}", known, "—"),
        _section("四、以往谈话", earlier, "没有以往谈话记录。"),
        _section("五、原则与方法", principles, "—"),
        _section("六、注意事项", cautions, "—"),
        _section("七、谈话安排", arrangements, "—"),
    ]
    if others:
        sections.append(_section("附：与此人有关的其他待办", others, "—"))
    return [{"heading": "基本情况", "points": [_person_line(brief),
                                              f"谈话类型：{brief.type_name}（{brief.category}）〔{brief.source}〕",
                                              f"基调：{brief.tone}"]}, *sections]


def brief_context(brief: Brief) -> dict[str, Any]:
    return {
        "interviewee": brief.person.name,
        "planned": f"准备日期：{chinese_date(brief.as_of)}",
        "sections": brief_sections(brief),
        "internal_mark": BRIEF_MARK,
    }


def _audit_export(store: Store, brief: Brief, out: Path) -> None:
    store.audit("export", "person", brief.person.id, document="brief", talk_type=brief.talk_type, file=out.name)


def render_brief_docx(brief: Brief, out: Path, *, store: Store | None = None,
                      template: Path | str | None = None) -> Path:
    """The brief as DOCX. With `store`, the unit's template setting and fonts apply and the export is audited."""
    render_template(choose_template(store, "brief", template), brief_context(brief), out, fonts=document_fonts(store))
    if store is not None:
        _audit_export(store, brief, out)
    return out


def export_brief_markdown(brief: Brief, out: Path, *, store: Store) -> Path:
    """The brief as Markdown, written like every document (beside the target, renamed into place, readable only
    by the user) and audited like the DOCX: the app and the CLI both export through here."""
    from prep.brief import render_markdown

    markdown = render_markdown(brief)

    def write(temporary: Path) -> None:
        temporary.write_text(markdown, encoding="utf-8")

    write_atomically(out, write)
    _audit_export(store, brief, out)
    return out
