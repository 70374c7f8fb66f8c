"""The 谈话提纲 (brief): everything an interviewer should have read before one talk with one person.

In the order it is used: what is still open from earlier talks comes first ("谈话热、整改冷", 003 三); then the
points this type of talk must cover; what is not known or no longer current about the person (十个清楚, turned
into questions with the packs' prompts); earlier talks and what they concluded; the principles, and a method
chosen for this person by simple rules that say why; the cautions (保密 always; for talks about petitions, never
reveal the informant, 004 四.2⑷); and the plan (time, place, form, channel).

`build_brief` returns a `Brief` (the TUI wizard and the DOCX exporter use its fields); `render_markdown` writes
it as Markdown. Stored text is never changed; the Markdown copy drops control characters like any document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from notes.errors import NotFound
from notes.model import Person, find_person, json_list
from notes.store import Store
from prep.due import TALK_DAY, DueItem, due_report
from prep.packs import Method, Policy, TalkType
from prep.profile import ProfileSummary, profile_summary

EARLIER_TALKS_SHOWN = 10
# Events whose talks arise from what someone reported: the informant must be protected (004 四.2⑷⑸).
REPORT_WORDS = ("信访", "举报", "反映")
REPORT_EVENT_DAYS = 365
REMOTE_CHANNELS = ("电话", "微信", "邮件", "书面")


@dataclass(frozen=True, slots=True)
class BriefQuestion:
    """An empty or stale 十个清楚 dimension, turned into questions to ask (the dimension's prompts)."""

    dimension_id: str
    dimension: str
    state: str  # empty | stale
    reason: str
    known: str  # what was last known ('' when nothing)
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EarlierTalk:
    id: int
    code: str
    day: str
    type: str
    type_name: str
    status: str
    interviewers: tuple[str, ...]
    subject: str
    summary: str
    statement: str
    refused: bool
    cancel_reason: str


@dataclass(frozen=True, slots=True)
class OpenFollowup:
    id: int
    kind: str
    title: str
    due_on: str | None
    status: str
    status_label: str
    overdue: bool
    days_overdue: int
    owner: str
    talk_code: str
    next_step: str | None  # the escalation rung an overdue 整改 has reached (001 第十七条)


@dataclass(frozen=True, slots=True)
class BriefPoint:
    text: str
    source: str
    condition: str


@dataclass(frozen=True, slots=True)
class BriefPrinciple:
    name: str
    text: str
    details: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class MethodChoice:
    id: str
    name: str
    description: str
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class BriefCaution:
    name: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class BriefPlan:
    planned_at: str
    place: str
    form: str
    channel: str
    talk_id: int | None  # a talk already planned for this
    due_by: str | None
    notes: tuple[str, ...]  # why this channel / form, what is still to decide


@dataclass(frozen=True, slots=True)
class Brief:
    person: Person  # with details, and the roles held on the as-of date
    talk_type: str
    type_name: str
    category: str
    tone: str
    as_of: date
    profile: ProfileSummary
    open_followups: tuple[OpenFollowup, ...]
    points: tuple[BriefPoint, ...]
    questions: tuple[BriefQuestion, ...]
    earlier_talks: tuple[EarlierTalk, ...]
    earlier_total: int
    principles: tuple[BriefPrinciple, ...]
    method: MethodChoice | None
    cautions: tuple[BriefCaution, ...]
    preparation: tuple[BriefCaution, ...]  # the packs' advice on preparing (谈话准备)
    plan: BriefPlan
    due: tuple[DueItem, ...]  # what is due with this person, this type first
    source: str


# -- gathering ---------------------------------------------------------------------------------------------


def _questions(profile: ProfileSummary) -> tuple[BriefQuestion, ...]:
    found: list[BriefQuestion] = []
    for status in profile.dimensions:
        latest = status.latest
        if status.state == "empty":
            found.append(BriefQuestion(status.id, status.name, "empty", "尚未掌握", "", status.prompts))
        elif status.state == "stale" and latest is not None:
            reason = f"上次了解于 {latest.observed_on}（{status.age_days} 天前，超过 {status.stale_days} 天）"
            found.append(BriefQuestion(status.id, status.name, "stale", reason, latest.text, status.prompts))
    return tuple(found)


def _earlier_talks(store: Store, policy: Policy, person_id: int, as_of: date) -> tuple[list[EarlierTalk], int]:
    """The person's talks as interviewee up to the date, newest first: held, sealed, and refusals."""
    rows = store.query(
        "SELECT t.id, coalesce(t.code, '') AS code, t.talk_type, t.status, t.subject, t.summary, t.statement, "
        f"t.refused, t.cancel_reason, coalesce({TALK_DAY}, substr(t.created_at, 1, 10)) AS day, "
        "(SELECT group_concat(p.name, '、') FROM talk_participants i JOIN people p ON p.id = i.person_id "
        " WHERE i.talk_id = t.id AND i.role = 'interviewer') AS interviewers, count(*) OVER () AS total "
        "FROM talk_participants e JOIN talks t ON t.id = e.talk_id "
        "WHERE e.person_id = ? AND e.role = 'interviewee' "
        "AND (t.status IN ('held', 'sealed') OR (t.status = 'cancelled' AND t.refused = 1)) "
        f"AND coalesce({TALK_DAY}, substr(t.created_at, 1, 10)) <= ? "
        "ORDER BY day DESC, t.id DESC LIMIT ?",
        [person_id, as_of.isoformat(), EARLIER_TALKS_SHOWN],
    )
    talks = [
        EarlierTalk(
            id=int(r["id"]), code=str(r["code"]), day=str(r["day"]), type=str(r["talk_type"]),
            type_name=policy.talk_types[r["talk_type"]].name if r["talk_type"] in policy.talk_types else str(
                r["talk_type"]),
            status=str(r["status"]), interviewers=tuple(str(r["interviewers"] or "").split("、")) if r[
                "interviewers"] else (),
            subject=str(r["subject"]), summary=str(r["summary"]), statement=str(r["statement"]),
            refused=bool(r["refused"]), cancel_reason=str(r["cancel_reason"]),
        )
        for r in rows
    ]
    return talks, int(rows[0]["total"]) if rows else 0


def _open_followups(store: Store, policy: Policy, person_id: int, as_of: date) -> list[OpenFollowup]:
    from notes.followups import next_step, open_followups

    ladder = policy.escalation_ladder()
    unfinished = open_followups(store, person_id)
    # A follow-up exists from the day of the talk that found it (as in prep/due.py).
    talk_days = {int(r["id"]): str(r["day"] or "") for r in store.query(
        f"SELECT t.id, {TALK_DAY} AS day FROM talks t WHERE t.id IN (SELECT value FROM json_each(?))",
        [json_list(f.talk_id for f in unfinished)])}
    found: list[OpenFollowup] = []
    for followup in unfinished:
        if (talk_days.get(followup.talk_id) or followup.created_at[:10]) > as_of.isoformat():
            continue
        overdue = followup.is_overdue(as_of)
        days = (as_of - date.fromisoformat(followup.due_on[:10])).days if overdue and followup.due_on else 0
        found.append(OpenFollowup(
            id=followup.id, kind=followup.kind, title=followup.title, due_on=followup.due_on,
            status=followup.status, status_label=followup.status_label, overdue=overdue, days_overdue=days,
            owner=followup.owner.name if followup.owner else "", talk_code=followup.talk_code,
            next_step=next_step(followup, ladder, as_of),
        ))
    # Overdue first, the longest overdue at the top: these are what the talk must not forget.
    found.sort(key=lambda f: (not f.overdue, -f.days_overdue, f.due_on or "9999", f.id))
    return found


def _reported_events(store: Store, policy: Policy, person_id: int, as_of: date) -> list[str]:
    """Names of recent events that arose from someone's report (信访, 举报, 群众反映)."""
    since = date.fromordinal(as_of.toordinal() - REPORT_EVENT_DAYS).isoformat()
    rows = store.query(
        "SELECT DISTINCT event_type FROM events WHERE person_id = ? AND occurred_on BETWEEN ? AND ?",
        [person_id, since, as_of.isoformat()],
    )
    names = [policy.events[r["event_type"]].name for r in rows if r["event_type"] in policy.events]
    return [name for name in names if any(word in name for word in REPORT_WORDS)]


# -- choosing a method -------------------------------------------------------------------------------------


def choose_method(
    policy: Policy, talk_type: TalkType, profile: ProfileSummary, role_names: Iterable[str]
) -> MethodChoice | None:
    """A method from the packs for this talk and this person (who holds `role_names`), with the reason. The first
    rule that applies and names a method the packs define wins; with no rule, the first method of the packs."""
    watched = profile.on_watch_list
    name = talk_type.name
    candidates: list[tuple[str, str]] = []
    if talk_type.category == "关心关爱类":
        reason = "关心关爱类谈话“由情入理、由浅入深”（003 二），从家常谈起，先关心后引导"
        if watched:
            reason += "；对象是重点人员，谈话中留意其思想动态，但不以批评开场"
        candidates.append(("homely", reason))
    if talk_type.category == "警示督促类" or watched:
        why = "警示督促类谈话要“用心问明、细心察明，敢于明断是非，充分讲明利害”（003 二）" \
            if talk_type.category == "警示督促类" else \
            "对象是重点人员（" + "；".join(r.reason for r in profile.watch_reasons[:2]) + "），谈话宜直接、有针对性"
        candidates.append(("self_narrative", why + "：开门见山摆明问题，再请本人说明情况、自我剖析和表态"
                                                   "（004 三.5、三.6 要求本人作出说明和表态）"))
    if "矛盾" in name or talk_type.id == "conflict":
        candidates.append(("mediation", "谈话因矛盾分歧而起：分别倾听各方，再促成双方沟通（000 三(六)6）"))
    if "成绩" in name or "表彰" in name or talk_type.id == "commendation":
        candidates.append(("praise", "谈话因成绩而起：先肯定表扬，再提出希望（000 三(六)4）"))
    if any(word in name for word in ("入党", "入会", "新进")) or talk_type.id in ("joining", "newcomer", "mj_joining"):
        candidates.append(("self_narrative", "新同志、入党（入会）谈话：先请本人谈动机、经历和想法，多听少说"
                                             "（000 三(三)：端正入党动机；001 第十二条：入会动机）"))
    if talk_type.category == "职务任免类":
        candidates.append(("consultation", "职务任免类谈话“正式严肃、有理有据”，并要听取本人的意见和建议"
                                           "（003 二；004 三.1–三.3）"))
    if {"班子成员", "主要负责同志", "主委", "副主委"}.intersection(role_names) and talk_type.category == "日常工作类":
        candidates.append(("consultation", "对象是班子成员：以征求对组织、班子和谈话人本人的意见建议为主"
                                           "（000 三(一)）"))
    candidates.append(("homely", "日常了解情况：从工作、生活谈起，在轻松气氛中转入思想交流（000 四(三)）"))
    for method_id, reason in candidates:
        method = policy.methods.get(method_id)
        if method is not None:
            return _method_choice(method, reason)
    first = next(iter(policy.methods.values()), None)
    return _method_choice(first, "当前政策包只列出了这一种方式") if first is not None else None


def _method_choice(method: Method, reason: str) -> MethodChoice:
    return MethodChoice(method.id, method.name, method.description, reason, method.source)


# -- the plan ----------------------------------------------------------------------------------------------


def _plan(store: Store, talk_type: TalkType, person_id: int, role_names: set[str], due: list[DueItem]) -> BriefPlan:
    planned = store.query_one(
        # From the person's own participations (index participants_person), not from every planned talk.
        "SELECT t.id, coalesce(t.planned_at, '') AS planned_at, t.place, t.form, t.channel "
        "FROM talk_participants e CROSS JOIN talks t ON t.id = e.talk_id "
        "WHERE e.person_id = ? AND e.role = 'interviewee' AND t.talk_type = ? AND t.status = 'planned' "
        "ORDER BY t.planned_at, t.id LIMIT 1",
        [person_id, talk_type.id],
    )
    due_by = next((item.due_by for item in due if item.type == talk_type.id and item.due_by), None)
    if planned is not None:
        return BriefPlan(str(planned["planned_at"]), str(planned["place"]), str(planned["form"]),
                         str(planned["channel"]), int(planned["id"]), due_by, ("已安排，见谈话计划。",))
    notes: list[str] = []
    channel = talk_type.channels[0] if talk_type.channels else "面对面"
    if "流动党员" in role_names:
        remote = next((c for c in talk_type.channels if c in REMOTE_CHANNELS), None)
        if remote:
            channel = remote
            notes.append(f"对象是流动党员，可用{remote}等方式谈（000 二(二)7）。")
        else:
            notes.append("对象是流动党员，本类谈话要求当面进行，请约好回来的时间。")
    elif "生病住院" in role_names:
        if "上门" in talk_type.channels:
            channel = "上门"
        notes.append("对象生病住院或行动不便，宜上门看望谈心（000 二(二)8）。")
    elif "离退休" in role_names and "上门" in talk_type.channels:
        notes.append("对象已离退休，可结合走访慰问上门谈（000 二(二)9）。")
    form = talk_type.forms[0] if talk_type.forms else "个别"
    notes.append("时间和地点待定：选不受打扰、便于保密的场所。")
    return BriefPlan("", "", form, channel, None, due_by, tuple(notes))


# -- the brief ---------------------------------------------------------------------------------------------


def build_brief(store: Store, policy: Policy, person_id: int, talk_type: str, as_of: date) -> Brief:
    """The brief for a talk of `talk_type` (id or Chinese name) with the person, as of a date."""
    kind = policy.talk_type(talk_type)
    person = find_person(store, person_id, details=True, roles_on=as_of)
    if person is None:
        raise NotFound(f"没有编号为 {person_id} 的人员。可用 tanxin people 查看全部人员及其编号。")
    role_names = {role.role for role in person.roles or ()}
    profile = profile_summary(store, policy, person_id, as_of)
    earlier, total = _earlier_talks(store, policy, person_id, as_of)
    report = due_report(store, policy, as_of, person_id=person_id)
    due = sorted(report.items, key=lambda item: item.type != kind.id)
    cautions = list(policy.cautions_for(kind))
    reported = _reported_events(store, policy, person_id, as_of)
    if reported and not kind.informant_caution:
        # A talk that arises from a report protects the informant whatever its type (004 四.2⑷⑸).
        cautions += [c for c in policy.cautions.values() if c.flag == "informant_caution" and c not in cautions]
    category = policy.categories.get(kind.category)
    return Brief(
        person=person,
        talk_type=kind.id,
        type_name=kind.name,
        category=kind.category,
        tone=kind.tone or (category.tone if category else ""),
        as_of=as_of,
        profile=profile,
        open_followups=tuple(_open_followups(store, policy, person_id, as_of)),
        points=tuple(BriefPoint(p.text, p.source, p.condition) for p in kind.points),
        questions=_questions(profile),
        earlier_talks=tuple(earlier),
        earlier_total=total,
        principles=tuple(BriefPrinciple(p.name, p.text, p.details, p.source) for p in policy.principles.values()),
        method=choose_method(policy, kind, profile, role_names),
        cautions=tuple(BriefCaution(c.name, c.text, c.source) for c in cautions),
        preparation=tuple(BriefCaution(a.name, a.text, a.source) for a in policy.advice.values()
                          if a.kind == "谈话准备"),
        plan=_plan(store, kind, person_id, role_names, due),
        due=tuple(due),
        source=kind.source,
    )


# -- Markdown ----------------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """User text for a Markdown line: no control characters, continuation lines indented under their item."""
    from notes.documents.text import clean_text

    return clean_text(text).strip().replace("\n", "\n  ")


def render_markdown(brief: Brief) -> str:
    p = brief.person
    lines = [f"# 谈话提纲：{_md(p.name)} · {brief.type_name}", ""]
    lines.append("；".join(f"{label}：{_md(value)}" for label, value in p.facts()) or "（基本情况未登记）")
    if p.roles:
        lines.append(f"角色：{_md('、'.join(role.label for role in p.roles))}")
    lines += [f"谈话类型：{brief.type_name}（{brief.category}）〔{brief.source}〕", f"基调：{brief.tone}",
              f"准备日期：{brief.as_of.isoformat()}", ""]
    if brief.profile.watch_reasons:
        reasons = "；".join(f"{_md(r.reason)}（{r.since}）" for r in brief.profile.watch_reasons)
        lines += [f"**重点人员**：{reasons}", ""]

    lines += ["## 一、先谈：以往谈话的未办结事项（防止“谈话热、整改冷”，003 三）", ""]
    if brief.open_followups:
        for f in brief.open_followups:
            late = f"，已逾期 {f.days_overdue} 天" if f.overdue else ""
            due = f"，期限 {f.due_on}" if f.due_on else ""
            owner = f"，责任人 {_md(f.owner)}" if f.owner else ""
            step = f"；建议：{f.next_step}" if f.next_step else ""
            lines.append(f"- 【{f.kind}·{f.status_label}】{_md(f.title)}（{f.talk_code}{due}{late}{owner}）{step}")
    else:
        lines.append("- 没有未办结的事项。")

    lines += ["", f"## 二、必谈要点（{brief.type_name}）", ""]
    for number, point in enumerate(brief.points, start=1):
        condition = f"（{point.condition}时）" if point.condition else ""
        lines.append(f"{number}. {condition}{point.text}〔{point.source}〕")
    if not brief.points:
        lines.append("- 本类谈话没有规定要点。")

    profile = brief.profile
    lines += ["", f"## 三、了解情况（十个清楚：已掌握 {profile.filled}/{len(profile.dimensions)}，"
                  f"其中需更新 {len(profile.stale)} 项）", ""]
    for status in profile.dimensions:
        latest = status.latest
        known = f"{_md(latest.text)}（{latest.observed_on}，{_md(latest.source) or '来源未记'}）" if latest else "—"
        lines.append(f"- {status.name}【{status.state_label}】：{known}")
    if brief.questions:
        lines += ["", "要问清楚的："]
        for question in brief.questions:
            lines.append(f"- **{question.dimension}**（{question.reason}）")
            lines += [f"  - {q}" for q in question.questions]

    lines += ["", "## 四、以往谈话", ""]
    if brief.earlier_talks:
        for talk in brief.earlier_talks:
            who = f"，谈话人 {_md('、'.join(talk.interviewers))}" if talk.interviewers else ""
            if talk.refused:
                lines.append(f"- {talk.day} {talk.type_name}（{talk.code}）：对象拒绝谈话。{_md(talk.cancel_reason)}")
                continue
            lines.append(f"- {talk.day} {talk.type_name}（{talk.code}{who}）")
            if talk.summary:
                lines.append(f"  - 汇总：{_md(talk.summary)}")
            if talk.statement:
                lines.append(f"  - 本人表态：{_md(talk.statement)}")
        if brief.earlier_total > len(brief.earlier_talks):
            lines.append(f"- ……共 {brief.earlier_total} 次，以上为最近 {len(brief.earlier_talks)} 次。")
    else:
        lines.append("- 没有以往谈话记录。")

    lines += ["", "## 五、原则与方法", ""]
    if brief.method is not None:
        lines += [f"建议方式：**{brief.method.name}** —— {brief.method.description}",
                  f"理由：{brief.method.reason}", ""]
    for principle in brief.principles:
        lines.append(f"- {principle.name}：{principle.text}〔{principle.source}〕")
        lines += [f"  - {detail}" for detail in principle.details]

    lines += ["", "## 六、注意事项", ""]
    lines += [f"- **{c.name}**：{c.text}〔{c.source}〕" for c in brief.cautions]
    lines += [f"- {c.name}：{c.text}〔{c.source}〕" for c in brief.preparation]

    plan = brief.plan
    lines += ["", "## 七、谈话安排", "",
              f"- 时间：{plan.planned_at or '待定'}" + (f"（应在 {plan.due_by} 前）" if plan.due_by else ""),
              f"- 地点：{_md(plan.place) or '待定'}", f"- 形式：{plan.form}谈话", f"- 方式：{plan.channel}"]
    lines += [f"- {note}" for note in plan.notes]
    others = [item for item in brief.due if item.type != brief.talk_type]
    if others:
        lines += ["", "## 附：与此人有关的其他待办", ""]
        for item in others:
            late = f"，已逾期 {item.days_overdue} 天" if item.overdue else ""
            lines.append(f"- {item.type_name}：{_md(item.detail)}（{item.due_by or '无期限'}{late}）〔{item.source}〕")
    return "\n".join(lines) + "\n"
