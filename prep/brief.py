"""The 谈话提纲 (brief): everything an interviewer should have read before one talk with one person.

In the order it is used: why the talk is due (the event and its date, or the frequency rule; the deadline, how
late it is, and who the packs say must talk); what is still open from earlier talks ("谈话热、整改冷", 003 三);
the points this type of talk must cover; what is not known or no longer current about the person (十个清楚, turned
into questions with the packs' prompts) and every open 重点人员 flag, turned into questions too; the 四谈 headings
where a pack has them; earlier talks and what they concluded; the principles, each once, and a way of talking
that fits the type (a 提醒 or 诫勉 follows its own points, never a listening method); the cautions (保密 always;
for talks about petitions, never reveal the informant, 004 四.2⑷); and the plan (time, place, form, channel).

Every citation shown comes from the active packs; the organisation's own words (会员, 入会 …) come from their
terminology (prep.active.wording).

`build_brief` returns a `Brief` (the TUI wizard and the DOCX exporter use its fields); `render_markdown` writes
it as Markdown. Stored text is never changed; the Markdown copy drops control characters like any document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from notes.documents.policyfacts import Wording
from notes.errors import NotFound
from notes.model import Person, find_person, json_list, unit_tree
from notes.store import Store
from prep.active import wording
from prep.due import TALK_DAY, DueItem, due_report
from prep.packs import Deadline, Method, MethodFit, Policy, TalkType
from prep.profile import WATCH_DIMENSION_NAME, ProfileSummary, WatchReason, profile_summary

EARLIER_TALKS_SHOWN = 10
# Events whose talks arise from what someone reported: the informant must be protected (004 四.2⑷⑸).
REPORT_WORDS = ("信访", "举报", "反映")
REPORT_EVENT_DAYS = 365
REMOTE_CHANNELS = ("电话", "微信", "邮件", "书面")


@dataclass(frozen=True, slots=True)
class BriefReason:
    """Why the talk is due: an event with its date or a frequency rule (`text`), the deadline, how late it is,
    and who must talk (the interviewer the rule or the talk type names; with the people who hold that role)."""

    kind: str  # event | rule
    text: str
    due_by: str | None
    overdue: bool
    days_overdue: int
    interviewer: str
    source: str

    @property
    def deadline(self) -> str:
        """"期限 2026-11-20，已逾期 2 天" — the deadline and the lateness, in one phrase."""
        if not self.due_by:
            return "无期限"
        return f"期限 {self.due_by}" + (f"，已逾期 {self.days_overdue} 天" if self.overdue else "")


@dataclass(frozen=True, slots=True)
class BriefHeading:
    """A heading of the talk's content (四谈): what to cover under it."""

    name: str
    prompt: str
    source: str


@dataclass(frozen=True, slots=True)
class BriefQuestion:
    """An empty or stale 十个清楚 dimension, turned into questions to ask (the dimension's prompts)."""

    dimension_id: str
    dimension: str
    state: str  # empty | stale | flag (an open 重点人员 flag: ask how it stands now)
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
    kind: str  # as stored (the Party word: 向党组织汇报, 移送纪检)
    kind_label: str  # as the organisation says it (向民进组织汇报, 移送相关部门查核): what is shown
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
    wording: Wording  # the organisation's words (党员/会员 …)
    interviewer: str  # who the talk type says must talk ('' when the packs do not say)
    reasons: tuple[BriefReason, ...]  # why the talk is due now; empty when nothing requires it
    profile: ProfileSummary
    open_followups: tuple[OpenFollowup, ...]
    points: tuple[BriefPoint, ...]
    questions: tuple[BriefQuestion, ...]
    headings: tuple[BriefHeading, ...]  # 四谈, where a pack has them
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


def _flag_question(reason: WatchReason) -> BriefQuestion:
    """An open 重点人员 flag (a debt, a quarrel …) as what to ask: how it stands now and what would help."""
    source = f"，来源：{reason.source}" if reason.source else ""
    return BriefQuestion("", WATCH_DIMENSION_NAME, "flag", f"{reason.since} 起列为重点人员{source}", reason.reason, (
        f"“{reason.reason}”现在情况怎样？与上次了解时相比有什么变化？",
        "本人怎么看待这件事，打算怎样解决？需要组织提供什么帮助？",
    ))


def _questions(profile: ProfileSummary) -> tuple[BriefQuestion, ...]:
    """Open flags first (they are why the person is watched), then the empty and stale dimensions."""
    found = [_flag_question(reason) for reason in profile.watch_reasons]
    for status in profile.dimensions:
        latest = status.latest
        if status.state == "empty":
            found.append(BriefQuestion(status.id, status.name, "empty", "尚未掌握", "", status.prompts))
        elif status.state == "stale" and latest is not None:
            if any(flag.known == latest.text for flag in found):
                continue  # the stale entry is the flag already asked about
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

    ladder = policy.escalation_rungs()
    terms = wording(policy)
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
            id=followup.id, kind=followup.kind, kind_label=terms.followup_kind(followup.kind),
            title=followup.title, due_on=followup.due_on,
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


def methods_for(policy: Policy, talk_type: TalkType) -> dict[str, Method]:
    """The methods an interviewer may choose for this type: every method of the packs not declared unfit for it
    (none for a 提醒 or 诫勉, which follow their own points)."""
    return {ident: method for ident, method in policy.methods.items() if method.usable_for(talk_type)}


def _tone(policy: Policy, talk_type: TalkType) -> tuple[str, str]:
    """The type's tone and where it is from: its own, else its category's (with the category's source)."""
    if talk_type.tone:
        return talk_type.tone, talk_type.source
    category = policy.categories.get(talk_type.category)
    return (category.tone, category.source) if category is not None else ("", "")


def _own_way(policy: Policy, talk_type: TalkType) -> MethodChoice:
    """The way a talk goes when no conversational method fits it or the packs name none: its points, in order."""
    steps = "；".join(point.text for point in talk_type.points if not point.condition)
    tone, _ = _tone(policy, talk_type)
    why = f"{talk_type.name}按本类谈话的要点依次进行" + (f"，基调是“{tone}”" if tone else "")
    return MethodChoice("", f"按{talk_type.name}的要点谈", steps or talk_type.description, why, talk_type.source)


def choose_method(
    policy: Policy, talk_type: TalkType, profile: ProfileSummary, role_names: Iterable[str]
) -> MethodChoice | None:
    """A way of talking for this talk and this person (who holds `role_names`), with the reason, in the packs'
    words: the method whose declared fit (prep.packs.MethodFit) names this talk most closely, the first pack's on
    a tie. A talk no method fits — a 提醒 or 诫勉, or packs that name no methods — follows the type's own points."""
    roles = tuple(role_names)
    best: tuple[Method, MethodFit] | None = None
    for method in methods_for(policy, talk_type).values():
        fit = method.best_fit(talk_type, roles)
        if fit is not None and (best is None or fit.weight > best[1].weight):
            best = (method, fit)
    if best is None:
        return _own_way(policy, talk_type) if talk_type.points or talk_type.description else None
    method, fit = best
    reason = fit.reason
    tone, tone_source = _tone(policy, talk_type)
    if fit.categories and tone:
        # Chosen for the kind of talk: its tone comes first, as the packs give it.
        reason = f"{talk_type.category}谈话要“{tone}”〔{tone_source}〕，{reason}"
    # Being watched changes what to listen for, not the kind of talk: a 任职谈话 stays a 任职谈话.
    if profile.on_watch_list:
        reason += "；对象是重点人员（" + "；".join(r.reason for r in profile.watch_reasons[:2]) + "），谈话中留意其思想动态"
    return _method_choice(method, reason)


def _method_choice(method: Method, reason: str) -> MethodChoice:
    suits = f"。{method.name}适合：{method.suits}" if method.suits else ""
    return MethodChoice(method.id, method.name, method.description, reason + suits, method.source)


# -- the plan ----------------------------------------------------------------------------------------------


def _role_source(policy: Policy, talk_type: TalkType, role: str) -> str:
    """Where the packs speak of talks with holders of `role` (流动党员 …), cited: this type if it is meant for
    them, else the first type that is."""
    kinds = [talk_type, *policy.talk_types.values()]
    return next((f"〔{kind.source}〕" for kind in kinds if role in kind.audience_roles), "")


def _plan(store: Store, policy: Policy, talk_type: TalkType, person_id: int, role_names: set[str],
          due: list[DueItem]) -> BriefPlan:
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
            notes.append(f"对象是流动党员，可用{remote}等方式谈{_role_source(policy, talk_type, '流动党员')}。")
        else:
            notes.append("对象是流动党员，本类谈话要求当面进行，请约好回来的时间。")
    elif "生病住院" in role_names:
        if "上门" in talk_type.channels:
            channel = "上门"
        notes.append(f"对象生病住院或行动不便，宜上门看望谈心{_role_source(policy, talk_type, '生病住院')}。")
    elif "离退休" in role_names and "上门" in talk_type.channels:
        notes.append(f"对象已离退休，可结合走访慰问上门谈{_role_source(policy, talk_type, '离退休')}。")
    form = talk_type.forms[0] if talk_type.forms else "个别"
    notes.append("时间和地点待定：选不受打扰、便于保密的场所。")
    return BriefPlan("", "", form, channel, None, due_by, tuple(notes))


# -- the brief ---------------------------------------------------------------------------------------------


def _is_reason(item: DueItem, talk_type: str, person_id: int) -> bool:
    """A due item this talk answers: an event calling for this type, or a frequency rule this talk counts for
    (a rule of this type or of any type), about this person."""
    return item.person_id == person_id and item.kind in ("event", "rule") and item.type in ("", talk_type)


def _deadline_of(policy: Policy, item: DueItem) -> Deadline | None:
    """The pack deadline an event item comes from, of its type and timing (the item id ends in "before" or
    "after", prep.due._event_items)."""
    event = policy.events.get(item.rule)
    if event is None:
        return None
    when = item.id.rsplit(":", 1)[-1]
    # The recorded event's own deadline, else that of an event it is the same fact as (same_as).
    deadlines = [d for ident in (event.id, *event.same_as) for d in policy.events[ident].due]
    return next((d for d in deadlines if d.talk_type == item.type and d.when == when), None)


def _holders(store: Store, person_id: int, roles: tuple[str, ...], as_of: date) -> dict[str, list[str]]:
    """Role → the names of the people holding it over the person on the day, nearest unit first: in the person's
    unit or a unit above it, 分管 by overseeing one (as prep.due counts a talk); never the person."""
    person = store.query_one("SELECT unit_id FROM people WHERE id = ?", [person_id])
    tree = unit_tree(store)
    chain: list[int] = []
    unit = person["unit_id"] if person is not None else None
    while unit is not None and unit not in chain:
        chain.append(int(unit))
        above = tree.get(int(unit))
        unit = above.parent_id if above is not None else None
    rows = store.query(
        "SELECT DISTINCT p.name, r.role, r.unit_id FROM roles r JOIN people p ON p.id = r.person_id "
        "WHERE p.status = 'active' AND p.id != ? AND r.role IN (SELECT value FROM json_each(?)) "
        "AND r.unit_id IN (SELECT value FROM json_each(?)) "
        "AND (r.start_date IS NULL OR r.start_date <= ?) AND (r.end_date IS NULL OR r.end_date > ?) "
        "ORDER BY p.id",
        [person_id, json.dumps(roles), json_list(chain), as_of.isoformat(), as_of.isoformat()],
    )
    found: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda r: chain.index(int(r["unit_id"]))):
        names = found.setdefault(str(row["role"]), [])
        if row["name"] not in names:
            names.append(str(row["name"]))
    return found


def _required_interviewer(store: Store, deadline: Deadline, person_id: int, as_of: date) -> str:
    """Who the deadline says must talk, with who holds its roles over the person now ("未登记" where nobody
    does): "机关党委指派的专人（党委委员或组织员）（班子成员：王明、李华）"."""
    if not deadline.interviewer_roles:
        return deadline.who
    holders = _holders(store, person_id, deadline.interviewer_roles, as_of)
    named = "；".join(f"{role}：{'、'.join(holders.get(role, ())) or '未登记'}" for role in deadline.interviewer_roles)
    return f"{deadline.who}（{named}）"


def _reasons(store: Store, policy: Policy, talk_type: TalkType, person_id: int, as_of: date,
             due: list[DueItem]) -> tuple[BriefReason, ...]:
    """Why this talk is due with the person, each reason with who that duty says must talk: the rule's role and
    its holders, the event deadline's interviewer, else (the deadline names nobody) the type's."""
    found: list[BriefReason] = []
    for item in due:
        if not _is_reason(item, talk_type.id, person_id):
            continue
        if item.kind == "rule" and item.rule in policy.rules:
            role = policy.rules[item.rule].interviewer_role
            names = "、".join(name for name in item.interviewers if name)
            interviewer = f"{role}（{names}）" if names else role
        else:
            deadline = _deadline_of(policy, item)
            named = deadline is not None and (deadline.interviewer or deadline.interviewer_roles)
            interviewer = _required_interviewer(store, deadline, person_id, as_of) if deadline is not None and named \
                else talk_type.interviewer
        found.append(BriefReason(item.kind, item.detail, item.due_by, item.overdue, item.days_overdue, interviewer,
                                 item.source))
    # The most overdue first: it is the one the talk must not miss again.
    found.sort(key=lambda r: (not r.overdue, -r.days_overdue, r.due_by or "9999"))
    return tuple(found)


def _principles(policy: Policy) -> tuple[BriefPrinciple, ...]:
    """Each principle once: packs naming the same principle (实事求是 in three of them) are merged, the first
    pack's wording kept, every pack's source cited and every further detail added."""
    merged: dict[str, BriefPrinciple] = {}
    for p in policy.principles.values():
        seen = merged.get(p.name)
        if seen is None:
            merged[p.name] = BriefPrinciple(p.name, p.text, p.details, p.source)
            continue
        sources = dict.fromkeys(s.strip() for s in f"{seen.source}；{p.source}".split("；") if s.strip())
        details = seen.details + tuple(d for d in p.details if d not in seen.details)
        merged[p.name] = BriefPrinciple(seen.name, seen.text, details, "；".join(sources))
    return tuple(merged.values())


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
    return Brief(
        person=person,
        talk_type=kind.id,
        type_name=kind.name,
        category=kind.category,
        tone=_tone(policy, kind)[0],
        as_of=as_of,
        wording=wording(policy),
        interviewer=kind.interviewer,
        reasons=_reasons(store, policy, kind, person_id, as_of, due),
        profile=profile,
        open_followups=tuple(_open_followups(store, policy, person_id, as_of)),
        points=tuple(BriefPoint(p.text, p.source, p.condition) for p in kind.points),
        questions=_questions(profile),
        headings=tuple(BriefHeading(h.name, h.prompt, h.source) for h in policy.headings),
        earlier_talks=tuple(earlier),
        earlier_total=total,
        principles=_principles(policy),
        method=choose_method(policy, kind, profile, role_names),
        cautions=tuple(BriefCaution(c.name, c.text, c.source) for c in cautions),
        preparation=tuple(BriefCaution(a.name, a.text, a.source) for a in policy.advice.values()
                          if a.kind == "谈话准备"),
        plan=_plan(store, policy, kind, person_id, role_names, due),
        due=tuple(due),
        source=kind.source,
    )


# -- the words every rendering shares (Markdown here, the DOCX, the screen) -----------------------------------


def person_facts(brief: Brief) -> list[tuple[str, str]]:
    """The person's basic facts, the joining date named in the organisation's word (入党时间 / 入会时间)."""
    joined = f"{brief.wording.joining}时间"
    return [(joined if label == "入党（会）时间" else label, value) for label, value in brief.person.facts()]


def why_lines(brief: Brief) -> list[str]:
    """Why the talk is due and who must talk, one line each, with the packs' citations."""
    lines = []
    for reason in brief.reasons:
        who = f"；谈话人：{reason.interviewer}" if reason.interviewer else ""
        lines.append(f"{reason.text}（{reason.deadline}）〔{reason.source}〕{who}")
    if not brief.reasons:
        lines.append("目前没有到期的必谈事项或频次要求，本次为主动安排的谈话。")
    # An event duty names its own interviewer (the deadline's, else the type's); the type's whole text is said
    # only for a talk no event calls for (a frequency rule names the rule's interviewer, not the type's).
    if brief.interviewer and not any(reason.kind == "event" for reason in brief.reasons):
        lines.append(f"本类谈话应由{brief.interviewer}谈〔{brief.source}〕")
    return lines


def due_name(brief: Brief, item: DueItem) -> str:
    """What a due item is called in the brief: its talk type, or a follow-up's kind in the organisation's words."""
    return brief.wording.followup_kind(item.type_name) if item.kind == "followup" else item.type_name


def other_due(brief: Brief) -> list[DueItem]:
    """What else is due with the person, that this talk does not answer (shown at the end of the brief)."""
    return [item for item in brief.due if not _is_reason(item, brief.talk_type, brief.person.id)]


def knowledge_heading(brief: Brief) -> str:
    """The heading of what to know: the 十个清楚 count where the packs define it, the 四谈 where they only have
    those (a 民进 database), never a count of nothing."""
    profile = brief.profile
    if profile.dimensions:
        return f"了解情况（十个清楚：{profile.counts_text()}）"
    if brief.headings:
        return "了解情况（" + "、".join(h.name for h in brief.headings) + "）"
    return "了解情况"


def heading_lines(brief: Brief) -> list[str]:
    """The content headings (四谈) with what to cover under each."""
    return [f"{h.name}：{h.prompt}〔{h.source}〕" for h in brief.headings]


# -- Markdown ----------------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """User text for a Markdown line: no control characters, continuation lines indented under their item."""
    from notes.documents.text import clean_text

    return clean_text(text).strip().replace("\n", "\n  ")


def render_markdown(brief: Brief) -> str:
    p = brief.person
    lines = [f"# 谈话提纲：{_md(p.name)} · {brief.type_name}", ""]
    lines.append("；".join(f"{label}：{_md(value)}" for label, value in person_facts(brief)) or "（基本情况未登记）")
    if p.roles:
        lines.append(f"角色：{_md('、'.join(role.label for role in p.roles))}")
    lines += [f"谈话类型：{brief.type_name}（{brief.category}）〔{brief.source}〕", f"基调：{brief.tone}",
              f"准备日期：{brief.as_of.isoformat()}", ""]
    if brief.profile.watch_reasons:
        reasons = "；".join(f"{_md(r.reason)}（{r.since}）" for r in brief.profile.watch_reasons)
        lines += [f"**重点人员**：{reasons}", ""]

    lines += ["## 为什么谈、由谁谈", ""]
    lines += [f"- {_md(line)}" for line in why_lines(brief)]
    lines += ["", "## 一、先谈：以往谈话的未办结事项（防止“谈话热、整改冷”）", ""]
    if brief.open_followups:
        for f in brief.open_followups:
            late = f"，已逾期 {f.days_overdue} 天" if f.overdue else ""
            due = f"，期限 {f.due_on}" if f.due_on else ""
            owner = f"，责任人 {_md(f.owner)}" if f.owner else ""
            step = f"；建议：{f.next_step}" if f.next_step else ""
            lines.append(f"- 【{f.kind_label}·{f.status_label}】{_md(f.title)}（{f.talk_code}{due}{late}{owner}）{step}")
    else:
        lines.append("- 没有未办结的事项。")

    lines += ["", f"## 二、必谈要点（{brief.type_name}）", ""]
    for number, point in enumerate(brief.points, start=1):
        condition = f"（{point.condition}时）" if point.condition else ""
        lines.append(f"{number}. {condition}{point.text}〔{point.source}〕")
    if not brief.points:
        lines.append("- 本类谈话没有规定要点。")

    lines += ["", f"## 三、{knowledge_heading(brief)}", ""]
    for status in brief.profile.dimensions:
        latest = status.latest
        known = f"{_md(latest.text)}（{latest.observed_on}，{_md(latest.source) or '来源未记'}）" if latest else "—"
        lines.append(f"- {status.name}【{status.state_label}】：{known}")
    if brief.questions:
        lines += ["", "要问清楚的："]
        for question in brief.questions:
            known = f"：{_md(question.known)}" if question.state == "flag" else ""
            lines.append(f"- **{question.dimension}**（{_md(question.reason)}）{known}")
            lines += [f"  - {_md(q)}" for q in question.questions]
    if brief.headings:
        lines += ["", "谈话内容（" + "、".join(h.name for h in brief.headings) + "）："]
        lines += [f"- {line}" for line in heading_lines(brief)]

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
    others = other_due(brief)
    if others:
        lines += ["", "## 附：与此人有关的其他待办", ""]
        for item in others:
            late = f"，已逾期 {item.days_overdue} 天" if item.overdue else ""
            lines.append(f"- {due_name(brief, item)}：{_md(item.detail)}（{item.due_by or '无期限'}{late}）〔{item.source}〕")
    return "\n".join(lines) + "\n"
