"""The procedure of a talk as one form (the app's 程序信息 dialog): what it shows, and saving what was typed.

`procedure_view` reads what the dialog shows (which parts the talk's type and channel need, the values so
far); `apply_procedure_form` writes what the user gave, all or nothing, through notes/procedure.py and
notes/inquiry.py, so the app checks exactly what the command line checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from notes.inquiry import reply_received, send_inquiry, set_inquiry
from notes.procedure import (
    BY_LETTER,
    Procedure,
    load_procedure,
    needs_decision,
    needs_reason,
    procedure_gaps,
    set_procedure,
)
from notes.store import Store
from notes.talks import get_talk

if TYPE_CHECKING:
    from notes.documents.policyfacts import PolicyFacts
    from notes.model import Inquiry

__all__ = ["ProcedureForm", "ProcedureView", "apply_procedure_form", "procedure_view"]


@dataclass(frozen=True, slots=True)
class ProcedureView:
    """What the dialog shows for one talk."""

    code: str
    type_name: str
    asks_reason: bool
    asks_decision: bool
    by_letter: bool  # a 函询: its letter and reply are asked too
    procedure: Procedure
    inquiry: Inquiry | None
    missing: tuple[str, ...]  # what export and seal still lack


@dataclass(frozen=True, slots=True)
class ProcedureForm:
    """What the user gave; None where the dialog did not ask or the field was left empty (kept as it was)."""

    reason: str | None = None
    decided_on: str | None = None
    decided_by: str | None = None
    decision_number: str | None = None
    questions: str | None = None
    sent_on: str | None = None
    reply_due_on: str | None = None
    received_on: str | None = None
    reply: str | None = None


def procedure_view(store: Store, talk_id: int, facts: PolicyFacts) -> ProcedureView:
    talk = get_talk(store, talk_id)
    info = facts.talk_type(talk.talk_type)
    procedure = load_procedure(store, talk, info)
    return ProcedureView(
        code=talk.code or str(talk.id),
        type_name=info.name,
        asks_reason=needs_reason(info, talk.channel),
        asks_decision=needs_decision(info),
        by_letter=talk.channel == BY_LETTER,
        procedure=procedure,
        inquiry=talk.inquiry,
        missing=tuple(procedure_gaps(talk, info, procedure)),
    )


def apply_procedure_form(store: Store, talk_id: int, form: ProcedureForm) -> None:
    """Save the form in one transaction: the 事由 and 诫勉决定, then the 函询's letter (sent when a day is given)
    and its reply (when both its day and text are given)."""
    with store.transaction():
        if any(v is not None for v in (form.reason, form.decided_on, form.decided_by, form.decision_number)):
            set_procedure(store, talk_id, reason=form.reason, decided_on=form.decided_on, decided_by=form.decided_by,
                          decision_number=form.decision_number)
        if form.sent_on is not None:
            send_inquiry(store, talk_id, sent_on=form.sent_on, questions=form.questions,
                         reply_due_on=form.reply_due_on)
        elif form.questions is not None:
            set_inquiry(store, talk_id, questions=form.questions)
        if form.received_on is not None and form.reply is not None:
            reply_received(store, talk_id, received_on=form.received_on, reply=form.reply)
