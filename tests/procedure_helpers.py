"""Talks whose procedure is complete: a 诫勉 with its decision, a 提醒 or 函询 with its 事由 (notes/procedure.py),
made through the record's own API like document_helpers.rich_talk, then sealed."""

from __future__ import annotations

from typing import Any

from document_helpers import Org, rich_talk

from notes import seal
from notes.procedure import set_procedure
from notes.store import Store

DECIDED_BY = "中共青川市发展和改革委员会机关委员会"
DECISION_NUMBER = "青发改机党〔2026〕7号"
REASON = "群众反映其办理项目审批时作风不实、推诿拖延，经核查属实"


def admonition_talk(store: Store, org: Org, *, day: str = "2026-03-12", sealed: bool = True, **kwargs: Any) -> int:
    """A held 诫勉谈话 with its 事由 and its decision (taken three days before the talk, with a 文号)."""
    talk_id = rich_talk(store, org, talk_type="admonition", day=day, sealed=False, subject=REASON, **kwargs)
    decided = f"{day[:8]}{int(day[8:]) - 3:02d}"
    set_procedure(store, talk_id, decided_on=decided, decided_by=DECIDED_BY, decision_number=DECISION_NUMBER)
    if sealed:
        seal.seal_talk(store, talk_id, at=f"{day}T16:00")
    return talk_id
