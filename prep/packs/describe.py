"""Presenting a policy: readable Chinese text for `tanxin packs`, and JSON-ready dicts for `--json`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prep.packs.model import FLAGS, TERMS, Deadline, EscalationStep, Method, Policy, Rule

_WHEN_WORDS = {"before": "前", "after": "后"}
_SCOPE_WORDS = {"same_unit": "本单位", "overseen_units": "所分管单位", "child_units": "下一级组织"}
_DOCUMENT_WORDS = {"record": "谈话记录", "reminder": "提醒谈话记录（含函询）", "admonition": "诫勉谈话记录"}
_TALKS_OF_DOCUMENT = {"record": "用谈话记录表的谈话", "reminder": "提醒谈话（含函询）", "admonition": "诫勉谈话"}
_FLAG_WORDS = {
    "followup_deadline_required": "整改须明确时限",
    "notice_required": "须一并下达《诫勉通知书》",
    "dossier_excluded": "记录由组织部门留存，不归入本人档案",
    "informant_caution": "涉及信访举报时注意保护举报人",
}
_CHOICE = "（本包设定）"


def _deadline_text(policy: Policy, deadline: Deadline, subject: str) -> str:
    event = policy.events[deadline.event].name
    text = f"{event}{_WHEN_WORDS[deadline.when]} {deadline.days} 天内{subject}"
    if deadline.replaces:
        text += f"（有此事件时取代按“{policy.events[deadline.replaces].name}”计算的时限）"
    who = f"，由{deadline.who}" if deadline.who else ""
    return text + who + (_CHOICE if deadline.pack_choice else "") + f"〔{deadline.source}〕"


def _method_use(policy: Policy, method: Method) -> list[str]:
    """When the brief proposes the method (each fit with its reason) and what it is never used for."""
    lines = []
    for fit in method.fits:
        talks = [*(policy.talk_types[t].name for t in fit.talk_types), *(f"{c}谈话" for c in fit.categories)]
        roles = f"（对象为{'或'.join(fit.roles)}）" if fit.roles else ""
        lines.append(f"提纲建议用于{'、'.join(talks) or '一般谈话'}{roles}：{fit.reason}")
    unfit = [*(_TALKS_OF_DOCUMENT[d] for d in method.not_for_documents),
             *(policy.talk_types[t].name for t in method.not_for_types)]
    if unfit:
        lines.append("不用于" + "、".join(unfit))
    return lines


def _rule_text(rule: Rule) -> str:
    parts = [f"{rule.interviewer_role} → {'、'.join(rule.interviewee_roles)}（{_SCOPE_WORDS[rule.scope]}）"]
    if rule.mutual:
        parts.append("相互谈心，每两人之间")
    if rule.coverage == "each_interviewee":
        parts.append("每名谈话对象由其中任一人谈")
    if rule.period_months == 12:
        parts.append(f"每年至少 {rule.min_per_year} 次")
    else:
        parts.append(f"每 {rule.period_months} 个月至少 {rule.per_period} 次")
    if rule.new_in_role_days:
        parts.append(f"仅任职未满 {rule.new_in_role_days} 天者")
    if rule.months:
        parts.append("一般在 " + "、".join(str(month) for month in rule.months) + " 月")
    if rule.forms:
        parts.append("形式：" + "、".join(rule.forms))
    if rule.counts_types:
        parts.append("计入类型：" + "、".join(rule.counts_types))
    if rule.in_principle:
        parts.append("原则上")
    return "，".join(parts) + (_CHOICE if rule.pack_choice else "")


def describe_policy(policy: Policy) -> str:
    """The active packs and every rule with its source, as readable Chinese text (for `tanxin packs`)."""
    out = ["已启用的政策包（按合并顺序）："]
    for info in policy.packs:
        origin = "内置" if info.builtin else f"单位文件 {info.path}"
        out.append(f"  {info.id}  {info.name}（{origin}）")
        if info.description:
            out.append(f"    {info.description}")
        for cited in info.sources:
            out.append(f"    依据 {cited.id}：{cited.title}" + (f"（{cited.file}）" if cited.file else ""))
    out.append("  标有“本包设定”的天数、次数或释义由政策包规定，原文没有规定。")

    out += ["", "【谈话类型】"]
    for t in policy.talk_types.values():
        out.append(f"{t.name}（{t.id}）· {t.category}〔{t.source}〕〈{t.pack}〉")
        out.append(f"  基调：{t.tone}")
        if t.description:
            out.append(f"  适用：{t.description}")
        if t.interviewer:
            out.append(f"  谈话人：{t.interviewer}")
        out.append(f"  形式：{'、'.join(t.forms)}；方式：{'、'.join(t.channels)}；记录：{_DOCUMENT_WORDS[t.document]}")
        for deadline in t.deadlines:
            out.append("  时限：" + _deadline_text(policy, deadline, ""))
        flags = [_FLAG_WORDS[flag] for flag in FLAGS if t.has_flag(flag)]
        if flags:
            out.append("  要求：" + "；".join(flags))
        out.append("  要点：")
        for number, point in enumerate(t.points, start=1):
            condition = f"（{point.condition}时）" if point.condition else ""
            out.append(f"    {number}. {condition}{point.text}〔{point.source}〕")

    out += ["", "【触发事件】"]
    for e in policy.events.values():
        out.append(f"{e.name}（{e.id}）〔{e.source}〕〈{e.pack}〉")
        if e.description:
            out.append(f"  {e.description}")
        if e.same_as:
            out.append("  同一事实：" + "、".join(policy.events[o].name for o in e.same_as) + "（只记一次，应谈合为一项）")
        for deadline in e.due:
            name = policy.talk_types[deadline.talk_type].name
            out.append("  应谈：" + _deadline_text(policy, deadline, f"进行{name}"))

    out += ["", "【频次规则】"]
    for r in policy.rules.values():
        out.append(f"{r.name}（{r.id}）〔{r.source}〕〈{r.pack}〉")
        out.append(f"  {_rule_text(r)}")
        if r.note:
            out.append(f"  说明：{r.note}")

    def overdue(step: EscalationStep) -> str:
        if step.trigger != "overdue":
            return ""
        # No source gives a number of days: a threshold is always the pack's.
        return "整改逾期即提示" if not step.after_days else f"整改逾期 {step.after_days} 天起提示{_CHOICE}"

    # (title, rows of (name, text, source, pack, details))
    sections: list[tuple[str, list[tuple[str, str, str, str, list[str]]]]] = [
        ("原则", [(p.name, p.text, p.source, p.pack, list(p.details) + (
            ["方式：" + "、".join(policy.methods[m].name for m in p.methods)] if p.methods else []))
            for p in policy.principles.values()]),
        ("谈话方式", [(m.name, m.description + (_CHOICE if m.pack_choice else ""), m.source, m.pack,
                    [f"适用：{m.suits}", *_method_use(policy, m)]) for m in policy.methods.values()]),
        ("十个清楚（了解维度）", [(d.name, f"{d.text}超过 {d.stale_days} 天未更新即提示重新了解{_CHOICE}",
                              d.source, d.pack, list(d.prompts)) for d in policy.dimensions.values()]),
        ("用词", [(TERMS[t.id], f"改称“{t.text}”", t.source, t.pack, []) for t in policy.terms.values()]),
        ("记录标题", [(h.name, h.prompt, h.source, h.pack, []) for h in policy.headings]),
        ("谈话类别", [(c.name, c.text, c.source, c.pack, [f"基调：{c.tone}"]) for c in policy.categories.values()]),
        ("谈话环节", [(s.name, s.text, s.source, s.pack, []) for s in policy.stages]),
        ("工作提示", [(f"{a.kind}·{a.name}", a.text, a.source, a.pack, list(a.items))
                   for a in policy.advice.values()]),
        ("注意事项", [(c.name, c.text, c.source, c.pack, []) for c in policy.cautions.values()]),
        ("整改督促", [(f"{'整改逾期' if s.trigger == 'overdue' else '发现违规违纪违法'}·第 {s.level} 步 {s.name}",
                    s.text, s.source, s.pack, [overdue(s)] if overdue(s) else []) for s in policy.escalation]),
    ]
    for title, rows in sections:
        if rows:
            out += ["", f"【{title}】"]
        for name, text, source, pack, details in rows:
            # An entry no source says (pack_choice without a source) is the pack's own and cites nothing.
            out.append(f"{name}：{text}{f'〔{source}〕' if source else _CHOICE}〈{pack}〉")
            out += [f"  · {detail}" for detail in details]
    return "\n".join(out) + "\n"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def policy_as_json(policy: Policy) -> list[dict[str, Any]]:
    """Every pack and rule as a JSON-ready dict with `kind` and `id` (English snake_case keys)."""
    groups: list[tuple[str, Iterable[Any]]] = [
        ("pack", policy.packs), ("talk_type", policy.talk_types.values()), ("event", policy.events.values()),
        ("rule", policy.rules.values()), ("principle", policy.principles.values()),
        ("method", policy.methods.values()), ("dimension", policy.dimensions.values()),
        ("term", policy.terms.values()), ("heading", policy.headings),
        ("category", policy.categories.values()), ("stage", policy.stages), ("advice", policy.advice.values()),
        ("caution", policy.cautions.values()), ("escalation", policy.escalation),
    ]
    return [{"kind": kind, **_plain(item)} for kind, items in groups for item in items]
