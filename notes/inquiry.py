"""函询: a talk held in writing — the inquiry sent (date, questions) and the written reply (004 三.5, 五).

It belongs to a talk whose channel is 函询, and becomes part of that talk's sealed record.
"""

from __future__ import annotations

from datetime import date

from notes.checks import check_text, parse_date
from notes.errors import InvalidInput
from notes.model import Inquiry, load_inquiry
from notes.store import Store
from notes.talks import talk_row

__all__ = ["Inquiry", "get_inquiry", "record_reply", "set_inquiry"]


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


def get_inquiry(store: Store, talk_id: int) -> Inquiry | None:
    talk_row(store, talk_id)
    return load_inquiry(store, talk_id)
