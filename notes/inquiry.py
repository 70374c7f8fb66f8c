"""函询: a talk held in writing — the inquiry sent (date, questions, the day the reply is due) and the written
reply (004 三.5, 五).

It belongs to a talk whose channel is 函询, and becomes part of that talk's sealed record. Its steps: the letter
is sent (`send_inquiry`: the talk begins that day, and the letter is dated it), the reply is received
(`reply_received`: the talk has been held), the organisation assesses it (the talk's 信息汇总), then the record
is sealed. What it asks about, its 事由, is the talk's subject (notes/procedure.py).
"""

from __future__ import annotations

from datetime import date

from notes.checks import check_text, parse_date
from notes.errors import InvalidInput
from notes.model import Inquiry, load_inquiry
from notes.procedure import procedure_row
from notes.store import Store
from notes.talks import finish_talk, set_outcome, start_talk, talk_row

__all__ = ["Inquiry", "assess_reply", "get_inquiry", "record_reply", "reply_received", "send_inquiry", "set_inquiry"]


def _inquiry_talk(store: Store, talk_id: int) -> None:
    row = talk_row(store, talk_id)
    if row["channel"] != "函询":
        raise InvalidInput(f"谈话 {row['code']} 的方式是“{row['channel']}”，不是函询。请先把谈话方式改为函询。")
    if row["status"] in ("sealed", "cancelled"):
        raise InvalidInput(f"谈话 {row['code']} 已{'封存' if row['status'] == 'sealed' else '取消'}，函询内容不能再修改。")


def set_inquiry(
    store: Store,
    talk_id: int,
    *,
    sent_on: date | str | None = None,
    questions: str | None = None,
) -> None:
    """The written inquiry: when it was sent and what it asks. Fields not given stay as they were."""
    sent = None if sent_on is None else parse_date(sent_on, "发函日期")
    if questions is not None:
        check_text(questions, "函询问题")
    with store.transaction():
        _inquiry_talk(store, talk_id)
        store.execute("INSERT INTO inquiries (talk_id) VALUES (?) ON CONFLICT(talk_id) DO NOTHING", [talk_id])
        if sent is not None:
            store.execute("UPDATE inquiries SET sent_on = ? WHERE talk_id = ?", [sent, talk_id])
        if questions is not None:
            store.execute("UPDATE inquiries SET questions = ? WHERE talk_id = ?", [questions, talk_id])
        store.execute("UPDATE talks SET updated_at = ? WHERE id = ?", [store.now(), talk_id])


def record_reply(store: Store, talk_id: int, *, received_on: date | str, reply: str) -> None:
    """The written reply and the day it was received (not before the inquiry was sent)."""
    received = parse_date(received_on, "回复日期")
    check_text(reply, "书面回复", required=True)
    with store.transaction():
        _inquiry_talk(store, talk_id)
        inquiry = load_inquiry(store, talk_id)
        if inquiry is None or inquiry.sent_on is None:
            raise InvalidInput("还没有记录发函日期。请先记录函询（发函日期和问题），再记录回复。")
        if received < inquiry.sent_on:
            raise InvalidInput(f"回复日期 {received} 早于发函日期 {inquiry.sent_on}。请核对日期。")
        store.execute("UPDATE inquiries SET received_on = ?, reply = ? WHERE talk_id = ?", [received, reply, talk_id])
        store.execute("UPDATE talks SET updated_at = ? WHERE id = ?", [store.now(), talk_id])
        store.audit("reply", "talk", talk_id, received_on=received)


def send_inquiry(
    store: Store,
    talk_id: int,
    *,
    sent_on: date | str,
    questions: str | None = None,
    reply_due_on: date | str | None = None,
) -> None:
    """The letter has been sent on `sent_on` with its questions (given now or set before), asking for the reply
    by `reply_due_on`. A planned talk begins that day: the 函询 is under way until the reply arrives."""
    sent = parse_date(sent_on, "发函日期")
    due = None if reply_due_on is None else parse_date(reply_due_on, "回复期限")
    if due is not None and due < sent:
        raise InvalidInput(f"回复期限 {due} 早于发函日期 {sent}。请核对日期。")
    with store.transaction():
        set_inquiry(store, talk_id, sent_on=sent, questions=questions)
        inquiry = load_inquiry(store, talk_id)
        if inquiry is None or not inquiry.questions.strip():
            raise InvalidInput("函询问题为空：请用 --questions 写明要求对方说明的问题（每行一个）。")
        if due is not None:
            procedure_row(store, talk_id)
            store.execute("UPDATE talk_procedures SET reply_due_on = ? WHERE talk_id = ?", [due, talk_id])
        if talk_row(store, talk_id)["status"] == "planned":
            start_talk(store, talk_id, at=sent)
        store.audit("send", "talk", talk_id, sent_on=sent)


def reply_received(store: Store, talk_id: int, *, received_on: date | str, reply: str) -> None:
    """The written reply has arrived: recorded, and a 函询 under way has then been held (on that day)."""
    with store.transaction():
        record_reply(store, talk_id, received_on=received_on, reply=reply)
        if talk_row(store, talk_id)["status"] == "in_progress":
            finish_talk(store, talk_id, at=parse_date(received_on, "回复日期"))


def assess_reply(store: Store, talk_id: int, assessment: str) -> None:
    """The organisation's view of the reply (了结, 提醒, further checks …): the 函询's 信息汇总, sealed with it."""
    check_text(assessment, "组织意见", required=True)
    with store.transaction():
        _inquiry_talk(store, talk_id)
        inquiry = load_inquiry(store, talk_id)
        if inquiry is None or inquiry.received_on is None:
            raise InvalidInput("还没有收到书面回复。请先记录回复（tanxin inquiry reply），再填写组织意见。")
        set_outcome(store, talk_id, summary=assessment)


def get_inquiry(store: Store, talk_id: int) -> Inquiry | None:
    talk_row(store, talk_id)
    return load_inquiry(store, talk_id)
