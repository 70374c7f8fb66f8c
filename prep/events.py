"""Trigger events (任职决定, 免职决定, 退休, 十个必谈 …): the facts that make a talk due.

An event is a person, an event type of the active packs and a date (the decision, the retirement formalities,
the family event). The due engine (prep/due.py) turns events into talks due by a deadline; recording one is all
a user does here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from notes.checks import check_text, parse_date
from notes.errors import NotFound
from notes.store import Store
from prep.packs import Event, Policy

MAX_NOTE_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    id: int
    person_id: int
    event_type: str
    name: str  # the pack's Chinese name, or the stored id when the active packs no longer define it
    occurred_on: str
    note: str


def record_event(
    store: Store, policy: Policy, person_id: int, event: str, occurred_on: date | str, note: str = ""
) -> RecordedEvent:
    """Record that `event` (id or Chinese name of a pack event) happened to the person on a date."""
    found: Event = policy.event(event)
    if store.scalar("SELECT 1 FROM people WHERE id = ?", [person_id]) is None:
        raise NotFound(f"没有编号为 {person_id} 的人员。可用 tanxin people 查看全部人员及其编号。")
    day = parse_date(occurred_on, "事件日期")
    check_text(note, "说明", max_chars=MAX_NOTE_CHARS)
    with store.transaction():
        event_id = store.insert("events", {"person_id": person_id, "event_type": found.id, "occurred_on": day,
                                           "note": note})
        store.audit("create", "event", event_id, person_id=person_id, event_type=found.id, occurred_on=day)
    return RecordedEvent(event_id, person_id, found.id, found.name, day, note)


def person_events(store: Store, policy: Policy, person_id: int) -> list[RecordedEvent]:
    """A person's events, newest first."""
    rows = store.query(
        "SELECT id, person_id, event_type, occurred_on, note FROM events WHERE person_id = ? "
        "ORDER BY occurred_on DESC, id DESC",
        [person_id],
    )
    return [
        RecordedEvent(int(r["id"]), int(r["person_id"]), str(r["event_type"]),
                      policy.events[r["event_type"]].name if r["event_type"] in policy.events else str(r["event_type"]),
                      str(r["occurred_on"]), str(r["note"]))
        for r in rows
    ]
