"""The procedure of a 提醒, 诫勉 or 函询: its 事由, the 诫勉决定, and the day a 函询's reply is due.

A 提醒 or 诫勉 is about a problem and a 函询 asks about one (004 三.4–三.6): their documents must say which, in
the user's words, not the subject filled in when the talk was planned ("某某同志诫勉谈话"). The 事由 is the
talk's subject, so it is sealed with the talk. A 诫勉 is delivered as a decision: its 通知书 names the day, the
organisation that decided and the 文号 (when the decision has one). Documents of these talks are not exported,
and the talks not sealed, until what the procedure needs is there (`require_procedure` says what is missing
and how to add it).

The decision and the reply's due day are kept in `talk_procedures`; the database refuses to change them once
the talk is sealed, and `verify FILE.docx` compares them as printed with the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from notes.checks import check_text, parse_date
from notes.errors import InvalidInput
from notes.store import Store
from notes.talks import get_talk, talk_row, update_talk

if TYPE_CHECKING:
    from notes.documents.policyfacts import PolicyFacts, TalkTypeInfo
    from notes.model import TalkRecord

__all__ = [
    "Procedure",
    "how_to_add",
    "load_procedure",
    "needs_decision",
    "needs_reason",
    "own_subject",
    "procedure_gaps",
    "procedure_row",
    "require_procedure",
    "require_procedure_before",
    "set_procedure",
]

BY_LETTER = "函询"
REASON_DOCUMENTS = ("reminder", "admonition")
MAX_BODY_CHARS = 100
MAX_NUMBER_CHARS = 60


@dataclass(frozen=True, slots=True)
class Procedure:
    reason: str  # the 事由 in the user's words; '' while only the planned subject is there
    decided_on: str | None  # 诫勉决定
    decided_by: str
    decision_number: str  # 文号, '' when the decision has none
    reply_due_on: str | None  # 函询

    def as_json(self) -> dict[str, str | None]:
        return {
            "reason": self.reason,
            "decided_on": self.decided_on,
            "decided_by": self.decided_by,
            "decision_number": self.decision_number,
            "reply_due_on": self.reply_due_on,
        }


def own_subject(talk: TalkRecord, type_name: str) -> str:
    """The subject as the user wrote it; '' for the one filled in when the talk was planned ("{姓名}同志{类型}"),
    which says nothing a document does not already say elsewhere."""
    names = [p.name for p in talk.interviewees] or [""]
    generated = {f"{name}同志{type_name}" for name in names} | {f"{'、'.join(names)}同志{type_name}", type_name}
    return "" if talk.subject.strip() in generated else talk.subject


def needs_reason(info: TalkTypeInfo, channel: str) -> bool:
    """提醒 and 诫勉 are about a problem, a 函询 asks about one: each states it (004 三.4–三.6)."""
    return info.document in REASON_DOCUMENTS or channel == BY_LETTER


def needs_decision(info: TalkTypeInfo) -> bool:
    """A 诫勉 is delivered with its 通知书, which names the decision (004 三.6)."""
    return info.document == "admonition" or info.notice_required


def load_procedure(store: Store, talk: TalkRecord, info: TalkTypeInfo) -> Procedure:
    row = store.query_one(
        "SELECT decided_on, decided_by, decision_number, reply_due_on FROM talk_procedures WHERE talk_id = ?",
        [talk.id],
    )
    return Procedure(
        reason=own_subject(talk, info.name).strip(),
        decided_on=row["decided_on"] if row else None,
        decided_by=row["decided_by"] if row else "",
        decision_number=row["decision_number"] if row else "",
        reply_due_on=row["reply_due_on"] if row else None,
    )


def procedure_gaps(talk: TalkRecord, info: TalkTypeInfo, procedure: Procedure) -> list[str]:
    """What the talk's procedure still lacks, each named in Chinese ([] when nothing is missing)."""
    gaps: list[str] = []
    if needs_reason(info, talk.channel) and not procedure.reason:
        gaps.append("事由（谈话所针对的问题）")
    if needs_decision(info):
        if not procedure.decided_on:
            gaps.append("诫勉决定日期")
        if not procedure.decided_by.strip():
            gaps.append("作出诫勉决定的机关")
    return gaps


def how_to_add(talk: TalkRecord, info: TalkTypeInfo) -> str:
    """The command (and the place in the app) that adds what a talk's procedure needs."""
    code = talk.code or str(talk.id)
    command = f"tanxin procedure set {code} --reason 事由"
    if needs_decision(info):
        command += " --decision-date 日期 --decided-by 决定机关 [--number 文号]"
    return f"请用 {command} 补充，或在应用的谈后页面按“程序信息”填写。"


def require_procedure(store: Store, talk: TalkRecord, info: TalkTypeInfo, doing: str) -> None:
    """Refuse `doing` (导出、封存) while the talk's procedure lacks what its type requires."""
    gaps = procedure_gaps(talk, info, load_procedure(store, talk, info))
    if gaps:
        kind = f"{info.name}（函询）" if talk.channel == BY_LETTER and info.name != BY_LETTER else info.name
        raise InvalidInput(
            f"谈话 {talk.code or talk.id} 是{kind}，还缺少：{'、'.join(gaps)}，不能{doing}。{how_to_add(talk, info)}"
        )


def require_procedure_before(store: Store, talk_id: int, facts: PolicyFacts, doing: str) -> None:
    """`require_procedure` for a face that holds only the talk's id: call it before sealing (封存)."""
    talk = get_talk(store, talk_id)
    require_procedure(store, talk, facts.talk_type(talk.talk_type), doing)


def procedure_row(store: Store, talk_id: int) -> None:
    """The talk's row of `talk_procedures`, made when first needed (within the caller's transaction)."""
    store.execute("INSERT INTO talk_procedures (talk_id) VALUES (?) ON CONFLICT(talk_id) DO NOTHING", [talk_id])


def set_procedure(
    store: Store,
    talk_id: int,
    *,
    reason: str | None = None,
    decided_on: date | str | None = None,
    decided_by: str | None = None,
    decision_number: str | None = None,
) -> None:
    """The 事由 (written as the talk's subject) and the 诫勉决定. Fields not given stay as they were."""
    values: dict[str, str] = {}
    if decided_on is not None:
        values["decided_on"] = parse_date(decided_on, "诫勉决定日期")
    if decided_by is not None:
        values["decided_by"] = check_text(decided_by, "决定机关", max_chars=MAX_BODY_CHARS).strip()
    if decision_number is not None:
        values["decision_number"] = check_text(decision_number, "文号", max_chars=MAX_NUMBER_CHARS).strip()
    with store.transaction():
        row = talk_row(store, talk_id)
        if row["status"] in ("sealed", "cancelled"):
            what = "封存" if row["status"] == "sealed" else "取消"
            raise InvalidInput(f"谈话 {row['code'] or talk_id} 已{what}，程序信息不能再修改。")
        if "decided_on" in values and row["started_at"] and values["decided_on"] > str(row["started_at"])[:10]:
            raise InvalidInput(
                f"诫勉决定日期 {values['decided_on']} 晚于谈话日期 {str(row['started_at'])[:10]}：诫勉先决定、后谈话。"
                "请核对日期。"
            )
        if reason is not None:
            update_talk(store, talk_id, subject=check_text(reason, "事由", required=True).strip())
        if values:
            procedure_row(store, talk_id)
            assignments = ", ".join(f"{column} = ?" for column in values)
            store.execute(f"UPDATE talk_procedures SET {assignments} WHERE talk_id = ?", [*values.values(), talk_id])
        store.execute("UPDATE talks SET updated_at = ? WHERE id = ?", [store.now(), talk_id])
        store.audit("procedure", "talk", talk_id, fields=sorted([*values, *(["reason"] if reason is not None else [])]))
