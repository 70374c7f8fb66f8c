"""The documents of one talk: the record for signature (谈心谈话记录表 / 提醒 / 诫勉), the 诫勉通知书 and the 函询.

A document is a pure function of the database: the talk, its entries and follow-ups, the chain head written
into it, whether it is the internal copy, and the template. notes/docverify.py relies on that: it renders the
same document again and compares, field by field.

保密 entries (002: contents are never shown to unrelated people; 004 四.2⑷: never reveal an informant) are left
out of every copy except the internal archive copy, which says so in its header (内部存档·保密) and next to each
such entry. They are removed here, before the template sees the context, so no template can print them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notes.documents.docxfile import (
    TemplateChoice,
    choose_template,
    demo_mark,
    document_fonts,
    render_template,
    template_digest,
)
from notes.documents.policyfacts import PolicyFacts, TalkTypeInfo, Wording
from notes.documents.text import chinese_date, chinese_time_span, lines, numbered, person_label
from notes.documents.units import root_unit_name
from notes.errors import InvalidInput
from notes.model import Amendment, Entry, Followup, Person, SealInfo, TalkRecord
from notes.procedure import Procedure, load_procedure, require_procedure
from notes.store import Store

INTERNAL_MARK = "内部存档·保密"
CONFIDENTIAL_MARK = "【保密】"
RETENTION_NOTE = "由组织部门留存，不归入本人档案"
CONFIDENTIAL_FOLLOWUP = "（涉及保密内容，详见内部存档件）"
RECORD_DOCUMENTS = ("record", "reminder", "admonition")
# 主要内容 holds these, grouped by heading; 本人表态, 意见建议 and 谈话人要求 have rows of their own.
FACT_KINDS = ("事实情况", "困难诉求")
PROBLEM_KIND = "发现问题"
NO_HEADING = "其他"
CHECK_CODE_PREFIX = "校验码："
HASH_CHARS = 16
NOT_DISCUSSED = "未谈及"
# The interviewee's side of a talk: what they explained, asked for and suggested, and their 表态. The
# interviewer's side is the problems pointed out, the requirements and the 信息汇总.
EXPLANATION_KINDS = ("事实情况", "困难诉求")
# 004 三.6: an admonition talk helps the person 分析原因; entries under a heading that names it fill that row.
CAUSE_HEADING_WORD = "原因"


@dataclass(frozen=True, slots=True)
class ChainPoint:
    """A point of the seal chain: a document shows the record as it stood then (the amendments sealed by it)."""

    seq: int
    chain_hash: str


def check_code(talk_id: int, seal: SealInfo) -> str:
    """The 校验码 line: record id, the record's content hash, and its own link of the seal chain (position and
    chain hash, prefixes). It is fixed when the record is sealed, so every export of the record carries the same
    code, whatever was sealed after it. What the link on paper can show: that the chain up to the record's seal
    is still there and unchanged (a database cut off before it, or rewritten up to it, fails `verify FILE.docx`).
    What it cannot show: links sealed after the record (its later amendments, other records) being cut off; a
    chain head kept outside the database (`tanxin chain-head`, checked with `verify --head`) covers those."""
    return (
        f"{CHECK_CODE_PREFIX}{talk_id}-{seal.content_hash[:HASH_CHARS]}-{seal.seq}-"
        f"{seal.chain_hash[:HASH_CHARS]}"
    )


CHECK_CODE_PATTERN = re.compile(
    re.escape(CHECK_CODE_PREFIX) + rf"(\d+)-([0-9a-f]{{{HASH_CHARS}}})-(\d+)-([0-9a-f]{{{HASH_CHARS}}})"
)


@dataclass(frozen=True, slots=True)
class CheckCode:
    line: str
    talk_id: int
    content_prefix: str
    head_seq: int  # the record's own seal (documents exported before the code was fixed: the head at export)
    head_prefix: str


def find_check_code(lines: Sequence[str]) -> CheckCode | None:
    """The first 校验码 in a document's lines."""
    for line in lines:
        match = CHECK_CODE_PATTERN.search(line)
        if match:
            return CheckCode(match.group(0), int(match.group(1)), match.group(2), int(match.group(3)),
                             match.group(4))
    return None


def current_head(store: Store) -> ChainPoint:
    from notes.seal import chain_head, parse_head

    seq, chain_hash = parse_head(chain_head(store))
    return ChainPoint(seq, chain_hash)


# What each context variable is called on paper (verify names the field that differs).
FIELD_LABELS = {
    "title": "标题",
    "demo_mark": "演示数据标识",
    "reason": "事由",
    "decision": "诫勉决定",
    "explanations": "谈话对象说明",
    "causes": "分析原因",
    "code": "编号",
    "talk_type": "谈话类型",
    "category": "谈话类别",
    "form": "谈话形式",
    "channel": "谈话方式",
    "time": "谈话时间",
    "date": "谈话日期",
    "place": "谈话地点",
    "subject": "事由/主题",
    "summary": "信息汇总",
    "interviewers": "谈话人",
    "interviewees": "谈话对象",
    "note_taker": "记录人",
    "interviewee_name": "谈话对象姓名",
    "interviewee_post": "谈话对象单位职务",
    "content": "主要内容",
    "facts": "说明情况",
    "problems": "发现问题",
    "statements": "谈话对象表态",
    "suggestions": "意见建议",
    "requirements": "整改要求",
    "deadlines": "整改时限",
    "deadline": "整改期限",
    "tracking": "跟踪落实情况",
    "remarks": "备注",
    "internal_mark": "内部存档标识",
    "retention_note": "留存说明",
    "check_code": "校验码",
    "notice_number": "文号",
    "opening": "通知正文",
    "problem_items": "需要整改的问题",
    "requirement_items": "整改要求",
    "deadline_items": "整改时限",
    "deadline_sentence": "整改时限",
    "issuer": "落款",
    "issue_date": "成文日期",
    "questions": "函询事项",
    "question_items": "函询事项",
    "reply": "本人说明",
    "sent_date": "发函日期",
    "received_date": "收到回复日期",
    "reply_due_date": "回复期限",
    "reply_request": "回复要求",
}

# -- the context ---------------------------------------------------------------------------------------


def _visible(entries: Sequence[Entry], internal: bool) -> list[Entry]:
    return [entry for entry in entries if internal or not entry.confidential]


def _entry_text(entry: Entry, show_kind: bool) -> str:
    mark = CONFIDENTIAL_MARK if entry.confidential else ""
    kind = f"（{entry.kind}）" if show_kind and entry.kind != "事实情况" else ""
    return f"{mark}{kind}{entry.text}"


def _grouped(entries: Sequence[Entry], kinds: Sequence[str]) -> list[dict[str, str]]:
    """Entries under their headings, headings in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for entry in entries:
        if entry.kind in kinds:
            groups.setdefault(entry.heading or NO_HEADING, []).append(_entry_text(entry, show_kind=True))
    return [{"heading": heading, "text": lines(numbered(texts))} for heading, texts in groups.items()]


# Where an entry of the interviewee's 表态 or the interviewer's requirements is printed instead of under its point.
OWN_ROWS = {"本人表态": "谈话对象表态", "意见建议": "意见建议", "谈话人要求": "整改要求与时限"}


def _content(entries: Sequence[Entry], all_entries: Sequence[Entry], points: Sequence[str]) -> list[dict[str, str]]:
    """主要内容: each required point of the talk type first, with what was said under it, or 未谈及, or where
    it is printed (an entry of a kind with its own row, a 保密 entry on the internal copy only); then the other
    headings as they came."""
    groups = {group["heading"]: group for group in _grouped(entries, (*FACT_KINDS, PROBLEM_KIND))}
    content = []
    for point in points:
        group = groups.pop(point, None)
        if group is not None:
            content.append(group)
            continue
        said = [e for e in all_entries if e.heading == point and e.text.strip()]
        references = _row_references([e for e in said if e.kind in OWN_ROWS and e in entries], entries)
        if references:
            text = f"（见{'；'.join(references)}）"
        elif said:
            text = CONFIDENTIAL_FOLLOWUP
        else:
            text = NOT_DISCUSSED
        content.append({"heading": point, "text": text})
    return content + list(groups.values())


def _row_references(said: Sequence[Entry], entries: Sequence[Entry]) -> list[str]:
    """“整改要求与时限”栏第2项: where entries with rows of their own are printed (a numbered row: which of its
    items), so two points referring to one row do not print the same words."""
    references = []
    for kind in dict.fromkeys(e.kind for e in said):
        printed = [e for e in entries if e.kind == kind]
        items = "、".join(str(printed.index(e) + 1) for e in said if e.kind == kind)
        numbered_row = len(printed) > 1 and kind != "本人表态"  # the 表态 row gathers its texts unnumbered
        references.append(f"“{OWN_ROWS[kind]}”栏" + (f"第{items}项" if numbered_row else ""))
    return references


def _of_kind(entries: Sequence[Entry], kind: str) -> list[str]:
    return [_entry_text(entry, show_kind=False) for entry in entries if entry.kind == kind]


def _people(people: Sequence[Person]) -> str:
    return lines(person_label(p.unit, p.position, p.name) for p in people)


@dataclass(frozen=True, slots=True)
class _FollowupNaming:
    """What naming a follow-up on paper depends on: which entries are 保密 (and whether this copy shows them),
    the problems the form already prints (entry id → 指出的问题 / 指出的第2个问题) and the organisation's words
    for the kinds (向民进组织汇报)."""

    confidential_entries: set[int]
    internal: bool
    named: Mapping[int, str]
    terms: Wording

    def title(self, followup: Followup) -> str:
        """A placeholder for a follow-up raised from a 保密 entry, a reference for one raised from a printed
        problem, so the problem's words are not printed twice; otherwise its title."""
        if not self.internal and followup.entry_id in self.confidential_entries:
            return f"{self.terms.followup_kind(followup.kind)}事项{CONFIDENTIAL_FOLLOWUP}"
        return self.named.get(followup.entry_id or 0, followup.title)


def _problem_names(problems: Sequence[Entry]) -> dict[int, str]:
    if len(problems) == 1:
        return {problems[0].id: "指出的问题"}
    return {entry.id: f"指出的第{index}个问题" for index, entry in enumerate(problems, start=1)}


def _deadlines(talk: TalkRecord, naming: _FollowupNaming) -> list[str]:
    return [
        f"{naming.title(f).rstrip('。；;.')}（时限：{chinese_date(f.due_on)}前）"
        for f in talk.followups
        if f.kind == "整改" and f.due_on
    ]


def _tracking(talk: TalkRecord, naming: _FollowupNaming) -> list[str]:
    tracked = []
    for followup in talk.followups:
        title = naming.title(followup)
        tracked.append(f"{title.rstrip('。；;.')}：{followup.status_label}（{chinese_date(followup.updated_at)}）")
    return tracked


def _amendment_line(amendment: Amendment, confidential_entries: set[int], internal: bool) -> str:
    """A sealed correction: its date and reason, and the corrected text unless it concerns a 保密 entry."""
    line = f"{chinese_date(amendment.created_at)}更正：{amendment.reason}"
    text = amendment.change.get("text")
    hidden = amendment.change.get("entry_id") in confidential_entries and not internal
    if isinstance(text, str) and text and not hidden:
        line += f"（更正后内容：{text}）"
    return line


def _remarks(
    talk: TalkRecord, internal: bool, confidential_count: int, head: ChainPoint | None, confidential_entries: set[int]
) -> list[str]:
    remarks: list[str] = []
    if talk.refused:
        remarks.append("谈话对象无故拒绝谈话。")
    if talk.status == "cancelled":
        remarks.append(f"谈话已取消：{talk.cancel_reason}")
    if talk.confirmed:
        remarks.append("记录内容已经谈话对象确认。")
    held_on, typed_on = (talk.held_at or "")[:10], talk.created_at[:10]
    if held_on and typed_on > held_on:
        remarks.append(f"本记录系谈话后补录，录入于{chinese_date(typed_on)}。")
    # Corrections sealed by the time of the chain head written into the document: a document verified later
    # is compared with the record as it was when it was exported.
    remarks.extend(
        _amendment_line(a, confidential_entries, internal)
        for a in talk.amendments
        if a.seal and (head is None or a.seal.seq <= head.seq)
    )
    if talk.status != "sealed":
        remarks.append("本记录尚未封存。")
    if internal and confidential_count:
        remarks.append(f"本件为内部存档件，含保密内容 {confidential_count} 条，不得提供给无关人员。")
    return remarks


def talk_context(
    store: Store,
    talk: TalkRecord,
    *,
    internal: bool,
    head: ChainPoint | None,
    kind: TalkTypeInfo,
    terms: Wording,
) -> dict[str, Any]:
    """Every variable a talk's documents may use (README.md in templates/docx lists them); follow-up kinds in
    `terms`, the organisation's words."""
    entries = _visible(talk.entries, internal)
    confidential = {entry.id for entry in talk.entries if entry.confidential}
    confidential_count = sum(1 for entry in entries if entry.confidential)
    interviewee = talk.interviewees[0] if talk.interviewees else None
    problems = _of_kind(entries, PROBLEM_KIND)
    requirements = _of_kind(entries, "谈话人要求")
    procedure = load_procedure(store, talk, kind)
    subject = procedure.reason
    naming = _FollowupNaming(confidential, internal, _problem_names([e for e in entries if e.kind == PROBLEM_KIND]),
                             terms)
    deadlines = _deadlines(talk, naming)
    due_dates = sorted(f.due_on for f in talk.followups if f.kind == "整改" and f.due_on)
    issuer = root_unit_name(store, talk.unit_id)
    inquiry = talk.inquiry
    reply_due = procedure.reply_due_on or (due_dates[0] if due_dates else None)
    questions = [line.strip() for line in (inquiry.questions if inquiry else "").splitlines() if line.strip()]
    causes = [e for e in entries if CAUSE_HEADING_WORD in e.heading]
    return {
        "title": record_title(kind),
        "demo_mark": demo_mark(store),
        "reason": _reason(subject, problems),
        "explanations": lines(numbered(_of_kinds([e for e in entries if e not in causes], EXPLANATION_KINDS))),
        "causes": lines(numbered(_entry_text(e, show_kind=True) for e in causes)) or NOT_DISCUSSED,
        "unit": talk.unit,
        "code": talk.code,
        "talk_type": kind.name,
        "category": talk.category or kind.category,
        "form": talk.form,
        "channel": talk.channel,
        "by_letter": talk.channel == "函询",
        "time": chinese_time_span(talk.held_at, talk.ended_at),
        "date": chinese_date(talk.held_at),
        "place": talk.place,
        "subject": subject,
        "summary": talk.summary,
        "interviewers": _people(talk.interviewers),
        "interviewees": _people(talk.interviewees),
        "note_taker": _people([talk.note_taker] if talk.note_taker else []),
        "interviewee_name": "、".join(p.name for p in talk.interviewees),
        "interviewee_post": "·".join(x for x in (interviewee.unit, interviewee.position) if x) if interviewee else "",
        "content": _content(entries, talk.entries, kind.points),
        "facts": _grouped(entries, FACT_KINDS),
        "problems": lines(numbered(problems)),
        "statements": lines(_statements(talk.statement, _of_kind(entries, "本人表态"))),
        "suggestions": lines(numbered(_of_kind(entries, "意见建议"))),
        "requirements": lines(numbered(requirements)),
        "deadlines": lines(deadlines),
        "deadline": chinese_date(due_dates[-1]) if due_dates else "",
        "tracking": lines(_tracking(talk, naming)),
        "remarks": lines(_remarks(talk, internal, confidential_count, head, confidential)),
        "internal": internal,
        "internal_mark": INTERNAL_MARK if internal else "",
        # 诫勉 records and the material of a 函询 reply are kept by the organisation department, not in the dossier.
        "retention_note": RETENTION_NOTE if kind.dossier_excluded or talk.channel == "函询" else "",
        "check_code": check_code(talk.id, talk.seal) if talk.seal else "",
        # 诫勉通知书 and 函询: a notice carries the decision's 文号 (none when the decision has none), a letter
        # the talk's number, which its reply form repeats.
        "notice_number": _notice_number(kind, talk, procedure),
        "decision": _decision(procedure),
        "opening": _opening(kind, subject, procedure),
        "problem_items": _chinese_numbered(problems),
        "requirement_items": _chinese_numbered(requirements),
        "deadline_items": deadlines,
        "deadline_sentence": (
            f"请于{chinese_date(due_dates[-1])}前将整改情况书面报告组织。" if due_dates
            else "请认真抓好整改，并将整改情况书面报告组织。"
        ),
        "issuer": procedure.decided_by if kind.document == "admonition" and procedure.decided_by else issuer,
        # A letter is dated the day it is sent (004 三.5), a notice the day of the decision it announces.
        "issue_date": chinese_date(_issued_on(kind, talk, procedure)),
        "questions": lines(numbered(questions)),
        "question_items": numbered(questions),
        "reply": inquiry.reply if inquiry else "",
        "sent_date": chinese_date(inquiry.sent_on) if inquiry else "",
        "received_date": chinese_date(inquiry.received_on) if inquiry else "",
        "reply_due_date": chinese_date(reply_due) if reply_due else "",
        "reply_request": (
            f"请于{chinese_date(reply_due)}前将书面说明（本人签名）报送{issuer}。" if reply_due
            else f"请在收到本函后及时将书面说明（本人签名）报送{issuer}。"
        ),
    }


def _notice_number(kind: TalkTypeInfo, talk: TalkRecord, procedure: Procedure) -> str:
    if kind.document == "admonition":
        return procedure.decision_number
    return f"编号：{talk.code}" if talk.code else ""


def _decision(procedure: Procedure) -> str:
    """诫勉决定 as a record prints it: 2026年3月10日 青川市发改委机关党委 决定（文号）."""
    if not procedure.decided_on:
        return ""
    number = f"（{procedure.decision_number}）" if procedure.decision_number else ""
    return f"{chinese_date(procedure.decided_on)}{procedure.decided_by}决定{number}"


def _issued_on(kind: TalkTypeInfo, talk: TalkRecord, procedure: Procedure) -> str | None:
    if talk.inquiry and talk.inquiry.sent_on:
        return talk.inquiry.sent_on
    if kind.document == "admonition" and procedure.decided_on:
        return procedure.decided_on
    return talk.held_at


def _opening(kind: TalkTypeInfo, reason: str, procedure: Procedure) -> str:
    """The notice's or letter's first paragraph: the 事由 in the user's words and, for a 诫勉, who decided it
    and when (the problems and requirements follow as numbered items, so they are not repeated here)."""
    about = f"因{reason.strip().rstrip('。；;.')}，" if reason.strip() else ""
    if kind.document == "admonition":
        who = procedure.decided_by or "组织"
        when = f"于{chinese_date(procedure.decided_on)}" if procedure.decided_on else ""
        return f"{about}经{who}{when}研究，决定对你予以诫勉。现将需要整改的问题和整改要求通知如下："
    return f"{about}根据有关规定，现就有关问题向你函询。请你本着对组织忠诚老实的态度，对下列问题如实作出书面说明："


def _reason(reason: str, problems: Sequence[str]) -> str:
    """事由 of a 提醒/诫勉/函询: the reason the user gave, followed by the problems found that it does not
    already state in the same words."""
    stated = reason.replace(" ", "")
    return lines([reason, *numbered(p for p in problems if p.strip("。；;. ").replace(" ", "") not in stated)])


def record_title(kind: TalkTypeInfo) -> str:
    """The form's title as the sources name it: 提醒谈话记录表, 诫勉谈话记录, 任职谈话记录 … for 职务任免类 talks
    (004 三.1–三.3), 谈心谈话记录表 for the rest."""
    if kind.document == "reminder":
        return "提醒谈话记录表"
    if kind.document == "admonition":
        return "诫勉谈话记录"
    if kind.category == "职务任免类" and kind.name:
        return f"{kind.name}记录"
    return "谈心谈话记录表"


def _of_kinds(entries: Sequence[Entry], kinds: Sequence[str]) -> list[str]:
    return [_entry_text(entry, show_kind=len(kinds) > 1) for entry in entries if entry.kind in kinds]


def _statements(statement: str, entries: Sequence[str]) -> list[str]:
    """The 表态 typed at the end and the 本人表态 entries, each text once: the closing 表态 often repeats or
    gathers what was said during the talk."""
    kept: list[str] = []
    for text in [statement, *entries]:
        text = text.strip()
        if text and not any(text in other for other in kept):
            kept = [other for other in kept if other not in text] + [text]
    return kept


CHINESE_NUMBERS = "一二三四五六七八九十"


def _chinese_numbered(items: Sequence[str]) -> list[str]:
    """（一）（二）… as GB/T 9704 numbers the second level; beyond ten, Arabic numerals."""
    return [
        f"（{CHINESE_NUMBERS[i]}）{item}" if i < len(CHINESE_NUMBERS) else f"{i + 1}. {item}"
        for i, item in enumerate(items)
    ]


# -- rendering -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentIdentity:
    """What a talk document was rendered from, kept in its core properties (identifier) so that verify can
    render the same document again."""

    kind: str
    talk_id: int
    internal: bool
    template: str  # "builtin" or the SHA-256 prefix of a unit's own template

    PREFIX = "tanxin"

    def encode(self) -> str:
        return f"{self.PREFIX}:{self.kind}:{self.talk_id}:{int(self.internal)}:{self.template}"

    @classmethod
    def decode(cls, text: str) -> DocumentIdentity | None:
        parts = (text or "").split(":")
        if len(parts) != 5 or parts[0] != cls.PREFIX or not parts[2].isdigit() or parts[3] not in ("0", "1"):
            return None
        return cls(parts[1], int(parts[2]), parts[3] == "1", parts[4])


def template_reference(choice: TemplateChoice) -> str:
    return template_digest(choice.path) if choice.user_supplied else "builtin"


def record_kind(info: TalkTypeInfo) -> str:
    return info.document if info.document in RECORD_DOCUMENTS else "record"


def _load(store: Store, talk_id: int, facts: PolicyFacts) -> tuple[TalkRecord, TalkTypeInfo]:
    from notes.talks import get_talk

    talk = get_talk(store, talk_id)
    return talk, facts.talk_type(talk.talk_type)


def _render_talk_document(
    store: Store,
    talk: TalkRecord,
    info: TalkTypeInfo,
    kind: str,
    out: Path,
    *,
    terms: Wording,
    internal: bool,
    template: Path | str | None,
    replace: bool,
) -> Path:
    require_procedure(store, talk, info, "导出")
    choice = choose_template(store, kind, template)
    head = current_head(store) if talk.seal else None
    context = talk_context(store, talk, internal=internal, head=head, kind=info, terms=terms)
    identity = DocumentIdentity(kind, talk.id, internal, template_reference(choice))
    written = render_template(choice, context, out, fonts=document_fonts(store), identifier=identity.encode(),
                              replace=replace)
    store.audit("export", "talk", talk.id, document=kind, internal=internal, file=written.name,
                template="builtin" if not choice.user_supplied else str(choice.path))
    return written


def render_record(
    store: Store,
    talk_id: int,
    out: Path,
    *,
    facts: PolicyFacts,
    internal: bool = False,
    template: Path | str | None = None,
    replace: bool = False,
) -> Path:
    """The record for signature (or, with `internal`, the archive copy with its 保密 entries). Its template
    follows the talk type's `document` in the packs: 谈心谈话记录表, 提醒谈话 or 诫勉谈话记录. An existing `out`
    is replaced only with `replace`; returns the file written."""
    talk, info = _load(store, talk_id, facts)
    if talk.status == "planned":
        raise InvalidInput(f"谈话 {talk.code} 尚未进行，没有可导出的记录。谈话结束后再导出。")
    if talk.status == "cancelled":
        raise InvalidInput(f"谈话 {talk.code} 已取消（{talk.cancel_reason}），没有可导出的记录。")
    return _render_talk_document(store, talk, info, record_kind(info), out, terms=facts.wording(),
                                 internal=internal, template=template, replace=replace)


def render_notice(
    store: Store,
    talk_id: int,
    out: Path,
    *,
    facts: PolicyFacts,
    template: Path | str | None = None,
    replace: bool = False,
) -> Path:
    """The 诫勉通知书 delivered with a 诫勉谈话 (004 三.6). It never carries 保密 entries."""
    talk, info = _load(store, talk_id, facts)
    if not (info.notice_required or info.document == "admonition"):
        raise InvalidInput(f"谈话 {talk.code} 是{info.name}，不需要诫勉通知书；只有诫勉谈话随谈话下达通知书。")
    return _render_talk_document(store, talk, info, "notice", out, terms=facts.wording(), internal=False,
                                 template=template, replace=replace)


def render_inquiry(
    store: Store,
    talk_id: int,
    out: Path,
    *,
    facts: PolicyFacts,
    template: Path | str | None = None,
    replace: bool = False,
) -> Path:
    """The 函询 letter and its reply form (004 三.5); the reply is printed when it has been received."""
    talk, info = _load(store, talk_id, facts)
    if talk.inquiry is None and talk.channel != "函询":
        raise InvalidInput(f"谈话 {talk.code} 不是以函询方式进行的，没有函询函。请先用函询方式登记该谈话。")
    if talk.inquiry is None or not talk.inquiry.sent_on or not talk.inquiry.questions.strip():
        # The letter is dated the day it is sent and lists its questions: both are recorded first.
        raise InvalidInput(f"谈话 {talk.code} 还没有记录发函日期和函询问题。请先用 tanxin inquiry send {talk.code} "
                           "--sent 日期 --questions 问题 [--due 回复期限] 记录，再导出函询通知书。")
    return _render_talk_document(store, talk, info, "inquiry", out, terms=facts.wording(), internal=False,
                                 template=template, replace=replace)
