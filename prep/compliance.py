"""The compliance record: every duty of a year and what became of it (docs/compliance.md).

One row per obligation — each frequency duty of the year (per pair, or per interviewee) and each duty of an event
whose deadline falls in the year — with its status (open, met, met_late, missed, waived), the talks that met it
and any waiver or acknowledgement. It is judged by the due engine's own code (prep.due.judge), so `due`, the
compliance record, the 台账's coverage sheet and the year-end report (prep/coverage.py) agree.

Frequency duties are judged on the year's last day (or today while the year runs): talks of later years never
count for it. Event duties are judged today: a talk held in January for a December deadline is met late.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from notes.errors import InvalidInput
from notes.store import Store
from notes.talks import HELD_AT
from notes.waivers import ComplianceNote, ComplianceNotes, compliance_notes
from prep.due import (
    COUNTED_STATUSES,
    INDIVIDUAL_ONLY,
    Coverage,
    DueItem,
    Judgement,
    RuleDuty,
    judge,
    period_bounds,
)
from prep.packs import Policy

STATUS_LABELS = {"open": "未谈", "met": "按时", "met_late": "补办", "missed": "未完成", "waived": "免谈"}


@dataclass(frozen=True, slots=True)
class Obligation:
    """One duty of the year, as the record shows it: the due engine's item, its status, and its note."""

    item: DueItem
    note: ComplianceNote | None  # the waiver, or the acknowledgement of a missed duty

    @property
    def status(self) -> str:
        return self.item.status

    def as_json(self) -> dict[str, Any]:
        item = self.item
        return {
            "id": item.id,
            "kind": item.kind,
            "person_id": item.person_id,
            "person": item.person,
            "unit": item.unit,
            "interviewer_id": item.interviewer_ids[0] if item.interviewer_ids else None,
            "interviewer": "、".join(item.interviewers),
            "interviewer_ids": list(item.interviewer_ids),
            "rule": item.rule,
            "rule_name": item.rule_name,
            "type": item.type,
            "type_name": item.type_name,
            "source": item.source,
            "due_by": item.due_by,
            "status": item.status,
            "talk_ids": list(item.talk_ids),
            "done": item.done,
            "required": item.required,
            "detail": item.detail,
            "holiday": item.holiday,
            "acknowledged": self.note is not None and self.note.kind == "acknowledgement",
            "waiver": self.note.reason if self.note is not None and self.note.kind == "waiver" else None,
            "note": self.note.as_json() if self.note is not None else None,
        }


@dataclass(frozen=True, slots=True)
class ComplianceRecord:
    year: int
    as_of: date
    obligations: tuple[Obligation, ...]
    coverage: tuple[Coverage, ...]  # the frequency duties per rule and interviewer (or unit), as `due --coverage`

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(STATUS_LABELS, 0)
        for ob in self.obligations:
            found[ob.status] += 1
        return found


def compliance_record(store: Store, policy: Policy, year: int, as_of: date | None = None) -> ComplianceRecord:
    """Every duty of `year`, judged on `as_of` (default today)."""
    today = as_of or store.clock.today()
    first, last = date(year, 1, 1), date(year, 12, 31)
    if today < first:
        raise InvalidInput(f"{year} 年还没有开始（按 {today.isoformat()} 计算）：没有可列出的义务。")
    notes = compliance_notes(store)
    day = min(today, last)
    if day == today:
        # The running year (the usual case): one judgement, one read of the organisation and of the talks,
        # answers both; the events' people and talk types are read beside the rules' without changing them.
        rules = events = judge(store, policy, today, events_due=(first, last), notes=notes)
    else:
        rules = judge(store, policy, day, notes=notes)
        events = judge(store, policy, today, events_due=(first, last), rules=(), notes=notes)
    obligations = [_with_note(item, notes, year) for item in events.events]
    obligations += _rule_obligations(store, policy, rules, today, notes, year)
    obligations.sort(key=lambda ob: (ob.item.due_by or "", ob.item.person, ob.item.id))
    return ComplianceRecord(year, today, tuple(obligations), tuple(rules.coverage()))


def _with_note(item: DueItem, notes: ComplianceNotes, year: int) -> Obligation:
    if item.status == "waived":
        return Obligation(item, notes.waived(item.id))
    if item.status == "missed":
        return Obligation(item, notes.acknowledged(item.id, year))
    return Obligation(item, None)


def _rule_obligations(store: Store, policy: Policy, judged: Judgement, today: date, notes: ComplianceNotes,
                      year: int) -> list[Obligation]:
    """The frequency duties of the year so far — the running period's, and the quarters or half-years already over
    (000 二(二)7 流动党员) — met when done, missed once their period ended unmet (the newly appointed stay open:
    they carry themselves until held), waived when someone said why; with the talks that counted."""
    obligations = judged.obligations + judged.earlier
    counted = _year_talks(store, judged.as_of, obligations)
    found: list[Obligation] = []
    for ob in obligations:
        rule = ob.rule
        period_start, period_end = period_bounds(rule, ob.due_by)
        if ob.done >= ob.required:
            status = "met"
        elif period_end < today and not rule.new_in_role_days:
            status = "missed"
        else:
            status = "open"
        item = judged.rule_item(policy, ob, status)
        # The newly appointed count every talk since they took the role (a late one too).
        first_day, last_day = (ob.since[:10], today.isoformat()) if ob.since else (
            period_start.isoformat(), period_end.isoformat())
        forms = rule.forms or INDIVIDUAL_ONLY
        talk_ids = tuple(dict.fromkeys(
            talk for (talk, reverse, interviewers, talk_type, form, day) in counted.get(item.person_id, ())
            if first_day <= day <= last_day and form in forms and (not rule.counts_types or talk_type in rule.counts_types)
            and (rule.mutual or not reverse)
            and not interviewers.isdisjoint(item.interviewer_ids if rule.mutual else ob.interviewers)))
        if status == "open" and notes.waived(item.id):
            status = "waived"
        found.append(_with_note(dataclasses.replace(item, status=status, talk_ids=talk_ids), notes, year))
    return found


_YEAR_TALKS_SQL = f"""
SELECT t.id, e.person_id AS interviewee, t.talk_type, t.form, substr({HELD_AT}, 1, 10) AS day,
       (SELECT group_concat(i.person_id) FROM talk_participants i WHERE i.talk_id = t.id
        AND i.role = 'interviewer') AS interviewers
FROM talks t JOIN talk_participants e ON e.talk_id = t.id AND e.role = 'interviewee'
WHERE t.status IN (SELECT value FROM json_each(?)) AND {HELD_AT} >= ? AND {HELD_AT} < ?
ORDER BY {HELD_AT}, t.id
"""


_Counted = tuple[int, bool, frozenset[int], str, str, str]  # talk, seen from its interviewer, the other side …


def _year_talks(store: Store, as_of: date, obligations: list[RuleDuty]) -> dict[int, list[_Counted]]:
    """The talks held by `as_of` since the earliest period start, by interviewee, and by interviewer
    (`reverse`: a mutual pair counts whoever started the talk)."""
    starts = [ob.since[:10] for ob in obligations if ob.since]
    starts += [period_bounds(ob.rule, ob.due_by)[0].isoformat() for ob in obligations]
    if not starts:
        return {}
    by_person: dict[int, list[_Counted]] = defaultdict(list)
    end = date.fromordinal(as_of.toordinal() + 1).isoformat()
    for row in store.query(_YEAR_TALKS_SQL, [json.dumps(COUNTED_STATUSES), min(starts), end]):
        interviewers = frozenset(int(p) for p in str(row["interviewers"] or "").split(",") if p)
        talk_id, interviewee = int(row["id"]), int(row["interviewee"])
        kind = (str(row["talk_type"]), str(row["form"]), str(row["day"]))
        by_person[interviewee].append((talk_id, False, interviewers, *kind))
        for interviewer in interviewers:
            by_person[interviewer].append((talk_id, True, frozenset((interviewee,)), *kind))
    return by_person
