"""The plan of a talk, revised just before it starts: when, where, who talks and who records. A planned talk is
often held on another day, in another room or by a 支委 standing in; the record must name the people who were
there, so they can be put right before the talk starts (notes/talks.py update_talk keeps the time and place;
this adds the people). Once a talk has started its participants are part of what is recorded and sealed."""

from __future__ import annotations

import json
from collections.abc import Sequence

from notes.errors import InvalidInput, NotFound
from notes.store import Store
from notes.talks import check_recorder, talk_row, update_talk


def revise_plan(
    store: Store,
    talk_id: int,
    *,
    planned_at: str | None,
    place: str,
    interviewers: Sequence[int],
    note_taker: int | None,
) -> None:
    """Set a planned talk's time, place, 谈话人 (in order) and 记录人 (None: nobody records), all or nothing."""
    wanted = list(dict.fromkeys(interviewers))
    if not wanted:
        raise InvalidInput("至少需要一名谈话人。")
    with store.transaction():
        row = talk_row(store, talk_id)
        if row["status"] != "planned":
            raise InvalidInput(f"谈话 {row['code']} 已经开始，谈话人和记录人已记入谈话记录，不能再改。")
        interviewees = [int(r["person_id"]) for r in store.query(
            "SELECT person_id FROM talk_participants WHERE talk_id = ? AND role = 'interviewee'", [talk_id])]
        if set(wanted) & set(interviewees):
            raise InvalidInput("谈话对象不能同时是谈话人。请另选谈话人。")
        check_recorder(interviewees, [] if note_taker is None else [note_taker])
        if note_taker is not None and note_taker in wanted:
            raise InvalidInput("记录人不能同时是谈话人。请另选一名记录人，或不设记录人。")
        everyone = [*wanted, *([] if note_taker is None else [note_taker])]
        known = {int(r["id"]) for r in store.query(
            "SELECT id FROM people WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(everyone)])}
        if missing := [str(i) for i in everyone if i not in known]:
            raise NotFound(f"人员 id {'、'.join(missing)} 不存在。")
        update_talk(store, talk_id, planned_at=planned_at, place=place)
        store.execute("DELETE FROM talk_participants WHERE talk_id = ? AND role IN ('interviewer', 'note_taker')",
                      [talk_id])
        for role, ids in (("interviewer", wanted), ("note_taker", [] if note_taker is None else [note_taker])):
            for position, person_id in enumerate(ids):
                store.insert("talk_participants",
                             {"talk_id": talk_id, "person_id": person_id, "role": role, "position": position})
        store.audit("update", "talk_plan", talk_id, interviewers=wanted, note_taker=note_taker)
