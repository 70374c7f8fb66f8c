"""The due engine: whom must I talk to, about what, by when — and how far along is each rule this year.

From the active packs, the events, the roles (with their history) and the talks held, for one interviewer or
everyone, as of a date:

* event items — a pack deadline counted from an event (004: 任职决定 on 2026-03-02 → 任职谈话 due by 03-09,
  overdue on 03-10 by one day). The window opens on the event (`after`) or `days` before it (`before`: 退休谈话
  in the week before the formalities). A held or sealed talk of that type with that person, by the interviewer
  the rule names, meets it in the window and meets it late after it (or, linked to the event, outside it).
  A deadline that `replaces` another (任前公示期满 replaces 任职决定) wins when the person has both events;
  equivalent events of several packs (`same_as`) make one duty.
* rule items — each frequency rule's pairs (or interviewees) short of their talks this year, due by the end of
  the period (the year, the half-year …), or by the end of the rule's next scheduled month (民进: July or
  December; talks in other months still count), or — for rules about the newly appointed — within
  `new_in_role_days` of the role's start.
* follow-up items — open, in-progress or escalated follow-ups (整改, 帮扶 …) with their deadlines: "谈话热、整改冷".
  A follow-up counts from the day of the talk that found it; its status is the current one.
* coverage — for every rule, talked-to / total per interviewer (per unit for mutual and each-interviewee rules):
  支部书记 with every member 12/40.

Who is in a rule is decided by the roles held on the as-of date; talks count when held or sealed in the
period up to the as-of date, 个别 ones unless the rule lists its forms. What becomes of each duty — met, met
late, missed, waived — follows docs/compliance.md: an event duty stays until held or waived, a frequency duty
missed last year stays ("2026 年未完成") until acknowledged; `judge` is shared with the compliance record
(prep/compliance.py).
Everything comes from a handful of set-based queries — units, people and roles; events; one pass over the talks
since the earliest open window; follow-ups — and Python over their rows, never a query per person: about a
second for everyone at 10,000 people and 200,000 talks, a tenth of that for one interviewer or one person
(tests/bench/bench_prep.py). The same data and date give the same answer.

With an interviewer, the report keeps that person's rule obligations and coverage, the event items of the
people the interviewer is responsible for under any rule (their branch members, their team, the heads of the
units they oversee) or has a talk planned with, and the follow-ups they own or that came from their talks.
"""

from __future__ import annotations

import calendar
import functools
import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from notes.followups import OPEN_STATUSES
from notes.model import UnitTree, json_list, list_people, people_by_id, roles_held_on, unit_tree
from notes.store import Store
from notes.talks import HELD_AT
from notes.vocabulary import FOLLOWUP_STATUS_SHORT_LABELS, OVERDUE_FOLLOWUP_STATUSES
from notes.waivers import ComplianceNotes, compliance_notes, talk_delegates
from prep.packs import Deadline, Policy, Rule

COUNTED_STATUSES = ("held", "sealed")
INDIVIDUAL_ONLY = ("个别",)
# When a talk took place (notes.talks.HELD_AT, the expression of schema.sql's index talks_held_at), as a day.
TALK_DAY = f"substr({HELD_AT}, 1, 10)"
TALK_IN_RANGE = f"{HELD_AT} >= ? AND {HELD_AT} < ?"  # first day, the day after the last


@dataclass(frozen=True, slots=True)
class DueItem:
    """One talk (or follow-up) someone owes. `id` is stable: the same obligation has the same id every day."""

    id: str
    kind: str  # event | rule | followup
    person_id: int
    person: str
    unit: str
    type: str  # talk type id ("followup" for a follow-up)
    type_name: str
    due_by: str | None
    overdue: bool
    days_overdue: int
    rule: str  # rule id, event type id, or "followup"
    rule_name: str
    source: str
    detail: str
    interviewer_ids: tuple[int, ...] = ()
    interviewers: tuple[str, ...] = ()
    done: int = 0
    required: int = 0
    event_id: int | None = None
    followup_id: int | None = None
    planned_talk_id: int | None = None
    coverage_id: str | None = None  # the Coverage row a rule item counts against
    # docs/compliance.md: open | met | met_late | missed | waived. `due` lists the open and the missed.
    status: str = "open"
    talk_ids: tuple[int, ...] = ()  # the talks that met it
    year: int | None = None  # a missed frequency duty: the year it belonged to ("2026 年未完成")

    @property
    def holiday(self) -> str:
        """The statutory holiday a talk's deadline falls on ("国庆节"), if any; "" for a follow-up. Looked up
        when asked: loading the calendar costs more than the whole report of a large organisation, and 工作台
        never shows it."""
        if self.kind == "followup" or self.due_by is None:
            return ""
        return holiday_on(date.fromisoformat(self.due_by))

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "person_id": self.person_id,
            "person": self.person,
            "unit": self.unit,
            "type": self.type,
            "type_name": self.type_name,
            "due_by": self.due_by,
            "overdue": self.overdue,
            "days_overdue": self.days_overdue,
            "rule": self.rule,
            "rule_name": self.rule_name,
            "source": self.source,
            "detail": self.detail,
            "interviewer_ids": list(self.interviewer_ids),
            "interviewers": list(self.interviewers),
            "done": self.done,
            "required": self.required,
            "event_id": self.event_id,
            "followup_id": self.followup_id,
            "planned_talk_id": self.planned_talk_id,
            "coverage_id": self.coverage_id,
            "status": self.status,
            "talk_ids": list(self.talk_ids),
            "year": self.year,
            "holiday": self.holiday,
        }


def holiday_on(day: date) -> str:
    """The name of the Chinese statutory holiday on `day` ("国庆节（补假）"), or "": a deadline on a holiday
    means the talk must be held before it (docs/compliance.md). The calendar is the `holidays` package's."""
    calendar = _HOLIDAYS.get(day.year)
    if calendar is None:
        from holidays import country_holidays

        calendar = _HOLIDAYS[day.year] = dict(country_holidays("CN", years=day.year, language="zh_CN"))
    return str(calendar.get(day, ""))


_HOLIDAYS: dict[int, dict[date, str]] = {}


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of one rule one interviewer (or one unit) has done this period: `done` of `total` satisfied."""

    id: str
    rule: str
    rule_name: str
    source: str
    interviewer_id: int | None
    interviewer: str
    unit_id: int
    unit: str
    done: int
    total: int
    required: int  # talks each pair (or interviewee) needs in the period
    period_end: str
    in_principle: bool

    @property
    def ratio(self) -> float:
        return self.done / self.total if self.total else 1.0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "rule_name": self.rule_name,
            "source": self.source,
            "interviewer_id": self.interviewer_id,
            "interviewer": self.interviewer,
            "unit_id": self.unit_id,
            "unit": self.unit,
            "done": self.done,
            "total": self.total,
            "required": self.required,
            "period_end": self.period_end,
            "in_principle": self.in_principle,
        }


@dataclass(frozen=True, slots=True)
class DueReport:
    as_of: date
    interviewer_id: int | None
    items: tuple[DueItem, ...]
    coverage: tuple[Coverage, ...]

    @property
    def overdue(self) -> list[DueItem]:
        return [item for item in self.items if item.overdue]

    def for_person(self, person_id: int) -> list[DueItem]:
        return [item for item in self.items if item.person_id == person_id]


# -- the organisation on a date ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Org:
    """Active people, and who holds which role where, on the as-of date."""

    names: dict[int, str] = field(default_factory=dict)
    units_of: dict[int, str] = field(default_factory=dict)  # person → unit name
    unit_ids: dict[int, int] = field(default_factory=dict)  # person → unit
    units: UnitTree = field(default_factory=lambda: UnitTree(()))
    holders: dict[str, list[tuple[int, int, str | None]]] = field(default_factory=lambda: defaultdict(list))
    by_unit_role: dict[tuple[int, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    oversees: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    role_start: dict[tuple[int, int, str], str | None] = field(default_factory=dict)

    alone_sets: dict[int, frozenset[int]] = field(default_factory=dict)

    def alone(self, person: int) -> frozenset[int]:
        """{person}, made once: a pair rule asks for it for every pair."""
        found = self.alone_sets.get(person)
        if found is None:
            found = self.alone_sets[person] = frozenset((person,))
        return found

    def holds_over(self, interviewer: int, role: str, person: int) -> bool:
        """Whether the interviewer holds `role` in the person's unit or a unit above it (分管: oversees one)."""
        unit = self.unit_ids.get(person)
        for _ in range(len(self.units.units) + 1):  # a cycle in the tree cannot loop forever
            if unit is None:
                return False
            if role == "分管":
                held = unit in self.oversees.get(interviewer, ())
            else:
                held = interviewer in self.by_unit_role.get((unit, role), ())
            if held:
                return True
            found = self.units.get(unit)
            unit = found.parent_id if found is not None else None
        return False

    def in_units(self, units: Iterable[int], roles: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for unit in units:
            for role in roles:
                found |= self.by_unit_role.get((unit, role), set())
        return found


def _load_org(store: Store, as_of: date) -> _Org:
    org = _Org(units=unit_tree(store))
    for active in list_people(store, active_only=True):
        org.names[active.id] = active.name
        org.units_of[active.id] = active.unit
        if active.unit_id is not None:
            org.unit_ids[active.id] = active.unit_id
    # A person's roles unit by unit: the order in which holders (and so coverage rows) are listed.
    held = sorted(roles_held_on(store, as_of), key=lambda r: (r.person_id, r.unit_id, r.id))
    for role in held:
        if role.person_id not in org.names:  # no longer active: holds nothing the rules ask about
            continue
        person, unit, name = role.person_id, role.unit_id, role.role
        if name == "分管":
            org.oversees[person].add(unit)
            continue
        if person not in org.by_unit_role[(unit, name)]:
            org.holders[name].append((person, unit, role.start_date))
        org.by_unit_role[(unit, name)].add(person)
        key = (person, unit, name)
        start = role.start_date
        # Held twice (a gap in the history): the newest start counts for "newly appointed".
        if key not in org.role_start or (start and (org.role_start[key] or "") < start):
            org.role_start[key] = start
    return org


# -- talks held --------------------------------------------------------------------------------------------

# One row per (talk, interviewee, interviewer) of the talks since a day; a talk's rows come together, so its
# interviewer set is collected in one pass and a talk counts for an interviewee once, however many interviewers
# it had. CROSS JOIN keeps SQLite reading the talks in date order (index talks_due) and the participants by their
# primary key beside them: on an encrypted database every page read from elsewhere costs a decryption. The one
# pass serves both the frequency rules (this year's held talks) and the events (talks of the events' types).
# The instant itself, not its day: SQLite then answers from the index talks_due alone (schema.sql version 3).
_TALK_COLUMNS = ("t.id, e.person_id AS interviewee, i.person_id AS interviewer, t.talk_type, t.form, t.status, "
                 f"t.event_id, {HELD_AT} AS at")
TALKS_SINCE_SQL = f"""
SELECT {_TALK_COLUMNS}
FROM talks t
CROSS JOIN talk_participants e ON e.talk_id = t.id AND e.role = 'interviewee'
CROSS JOIN talk_participants i ON i.talk_id = t.id AND i.role = 'interviewer'
WHERE t.status <> 'cancelled' AND {HELD_AT} >= ?
  AND ({HELD_AT} >= ? OR t.talk_type IN (SELECT value FROM json_each(?)))
"""
# For one interviewer or one person: the talks of the people that matter, found through participants_person.
SOME_PEOPLES_TALKS_SQL = f"""
SELECT {_TALK_COLUMNS}
FROM json_each(?) AS who
CROSS JOIN talk_participants e ON e.person_id = who.value AND e.role = 'interviewee'
CROSS JOIN talks t ON t.id = e.talk_id
CROSS JOIN talk_participants i ON i.talk_id = t.id AND i.role = 'interviewer'
WHERE t.status <> 'cancelled' AND {HELD_AT} >= ?
  AND ({HELD_AT} >= ? OR t.talk_type IN (SELECT value FROM json_each(?)))
ORDER BY t.id
"""
# Above this share of everyone, reading every talk is cheaper than looking them up person by person.
FOCUS_SHARE = 0.25


# Talks one interviewee had this year with one set of interviewers, of one type and form, in one month:
# (interviewers, talk type, form, month, how many). A plain tuple rather than an object: a year of an
# organisation's talks makes thousands of them, made together in one pass (close in memory for the rules).
_Held = tuple[frozenset[int], str, str, int, int]


@dataclass(frozen=True, slots=True)
class _TalkRef:
    """A talk that may answer an event: held or sealed (it does) or planned (it is on its way)."""

    id: int
    talk_type: str
    status: str
    day: str
    event_id: int | None
    interviewers: frozenset[int]
    form: str


@dataclass(slots=True)
class _Talks:
    held: dict[int, list[_Held]] = field(default_factory=lambda: defaultdict(list))  # by interviewee
    of_person: dict[int, list[_TalkRef]] = field(default_factory=lambda: defaultdict(list))


def _read_talks(
    store: Store, as_of: date, since: date, people: set[int] | None, event_people: set[int], event_types: set[str]
) -> _Talks:
    """Every talk since `since` (of `people` as interviewees, or everyone's), in one pass: this year's held ones
    counted for the rules (by interviewee, interviewer set, type, form and month); those of the event people
    and types kept for the events."""
    year_start, day_after = date(as_of.year, 1, 1).isoformat(), (as_of + timedelta(days=1)).isoformat()
    # Before this year only the events' talk types matter.
    window = [since.isoformat(), year_start, json.dumps(sorted(event_types))]
    if people is None:
        sql, params = TALKS_SINCE_SQL, window
    else:
        sql, params = SOME_PEOPLES_TALKS_SQL, [json_list(people), *window]
    counts: dict[tuple[int, frozenset[int], str, str, int], int] = defaultdict(int)
    found = _Talks()
    singles: dict[int, frozenset[int]] = {}  # most talks have one interviewer: share their sets
    rows = store.execute(sql, params).fetchall()  # plain tuples: tens of thousands of rows, no dict per row
    index, total = 0, len(rows)
    while index < total:
        # `at` is never NULL: the query asks for talks since a day.
        talk_id, interviewee, interviewer, talk_type, form, status, event_id, at = rows[index]
        end = index + 1
        while end < total and rows[end][0] == talk_id:  # a talk's rows come together
            end += 1
        if end == index + 1:
            interviewees: Iterable[int] = (interviewee,)
            team = singles.get(interviewer) or singles.setdefault(interviewer, frozenset((interviewer,)))
        else:
            interviewees = {row[1] for row in rows[index:end]}
            team = frozenset(row[2] for row in rows[index:end])
        index = end
        if status in COUNTED_STATUSES and year_start <= at < day_after:
            month = int(at[5:7])
            for person in interviewees:
                counts[(person, team, talk_type, form, month)] += 1
        if talk_type in event_types and not event_people.isdisjoint(interviewees):
            ref = _TalkRef(talk_id, talk_type, status, at[:10], event_id, team, form)
            for person in interviewees:
                if person in event_people:
                    found.of_person[person].append(ref)
    for (interviewee, team, talk_type, form, month), count in counts.items():
        found.held[interviewee].append((team, talk_type, form, month, count))
    return found


def _range(first: date, last: date) -> tuple[str, str]:
    """Parameters of TALK_IN_RANGE for the days first..last (instants compare as text)."""
    return first.isoformat(), (last + timedelta(days=1)).isoformat()


def _interviewer_set(concatenated: Any) -> frozenset[int]:
    return frozenset(int(p) for p in str(concatenated or "").split(",") if p)


def _counts(rule: Rule, talks: Iterable[_Held], interviewers: frozenset[int], months: tuple[int, int]) -> int:
    """Talks with any of the interviewers, of the rule's types and forms, in the period's months. A rule that names
    no forms counts 个别 talks only (000 二: 以个别谈为主; docs/compliance.md)."""
    types, forms = rule.counts_types, rule.forms or INDIVIDUAL_ONLY
    first_month, last_month = months
    total = 0
    for team, talk_type, form, month, count in talks:
        if (first_month <= month <= last_month and not team.isdisjoint(interviewers)
                and (not types or talk_type in types) and form in forms):
            total += count
    return total


# -- dates -------------------------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(rule: Rule, as_of: date) -> tuple[date, date]:
    """The counting period of a rule that contains the as-of date (a year cut into period_months parts)."""
    first_month = (as_of.month - 1) // rule.period_months * rule.period_months + 1
    last_month = first_month + rule.period_months - 1
    return date(as_of.year, first_month, 1), _month_end(as_of.year, last_month)


def rule_due_by(rule: Rule, as_of: date, period_end: date) -> date:
    """The period's end, or the end of the next scheduled month within it (July or December, 001 第十九条)."""
    months = [m for m in sorted(rule.months) if as_of.month <= m <= period_end.month]
    return _month_end(as_of.year, months[0]) if months else period_end


def _lateness(due_by: date | None, as_of: date) -> tuple[bool, int]:
    if due_by is None or as_of <= due_by:
        return False, 0
    return True, (as_of - due_by).days


# -- rule obligations --------------------------------------------------------------------------------------


@dataclass(slots=True)
class RuleDuty:
    rule: Rule
    interviewee: int
    interviewers: frozenset[int]
    group: tuple[int | None, int]  # (interviewer or None, unit): the coverage row it belongs to
    done: int
    required: int
    due_by: date
    since: str | None = None  # new_in_role: talks since this day count


def _scope_units(org: _Org, rule: Rule, interviewer: int, unit: int) -> Iterable[int]:
    if rule.scope == "same_unit":
        return (unit,)
    if rule.scope == "overseen_units":
        return sorted(org.oversees.get(interviewer, ()))
    return [child.id for child in org.units.children(unit)]


Pairs = dict[tuple[int, int], tuple[int, int]]


def _rule_pairs(org: _Org, rule: Rule) -> Pairs:
    """(interviewer, interviewee) → (unit of the interviewer's role, unit of the interviewee's role)."""
    pairs: Pairs = {}
    for interviewer, unit, _ in org.holders.get(rule.interviewer_role, ()):
        if interviewer not in org.names:
            continue
        for scope_unit in _scope_units(org, rule, interviewer, unit):
            for interviewee in org.in_units((scope_unit,), rule.interviewee_roles):
                if interviewee != interviewer:
                    pairs.setdefault((interviewer, interviewee), (unit, scope_unit))
    return pairs


def _focus(rule: Rule, pairs: Pairs, interviewer: int | None, person: int | None) -> Pairs:
    """The pairs that matter for one interviewer (theirs; for a team rule, the whole team of each of their
    interviewees, since any of it may have talked) or about one person (either side of a mutual pair)."""
    if person is not None:
        pairs = {(i, e): u for (i, e), u in pairs.items() if e == person or (rule.mutual and i == person)}
    if interviewer is not None:
        if rule.coverage == "each_interviewee" or rule.new_in_role_days:
            mine = {e for (i, e) in pairs if i == interviewer}
            pairs = {(i, e): u for (i, e), u in pairs.items() if e in mine}
        else:
            pairs = {(i, e): u for (i, e), u in pairs.items() if interviewer in (i, e) and (i == interviewer
                                                                                          or rule.mutual)}
    return pairs


def _new_in_role_start(org: _Org, rule: Rule, interviewee: int, unit: int, as_of: date, tracked: date
                       ) -> str | None:
    """When the interviewee took the rule's role, if fewer than new_in_role_days ago or since the database was
    in use (tracking_start): an unmet duty stays past its deadline, it does not vanish on day 183."""
    starts = [org.role_start.get((interviewee, unit, role)) for role in rule.interviewee_roles]
    known = [s for s in starts if s]
    if not known:
        return None
    start = max(known)
    day = date.fromisoformat(start[:10])
    return start if (as_of - day).days < rule.new_in_role_days or tracked <= day <= as_of else None


def _obligations(
    store: Store, org: _Org, rule: Rule, as_of: date, pairs: Pairs, held: dict[int, list[_Held]], tracked: date
) -> list[RuleDuty]:
    period_start, period_end = period_bounds(rule, as_of)
    first = (period_start.month, period_end.month)
    due_by = rule_due_by(rule, as_of, period_end)
    required = rule.per_period
    if rule.new_in_role_days:
        return _new_in_role_obligations(store, org, rule, as_of, pairs, tracked)
    found: list[RuleDuty] = []
    if rule.mutual:
        seen: set[tuple[int, int]] = set()
        for (a, b), (unit, _) in pairs.items():
            low, high = min(a, b), max(a, b)
            if (low, high) in seen:
                continue
            seen.add((low, high))
            done = (_counts(rule, held.get(high, ()), org.alone(low), first)
                    + _counts(rule, held.get(low, ()), org.alone(high), first))
            found.append(RuleDuty(rule, high, frozenset((low, high)), (None, unit), done, required, due_by))
        return found
    if rule.coverage == "each_interviewee":
        teams: dict[tuple[int, int], set[int]] = defaultdict(set)
        for (interviewer, interviewee), (unit, _) in pairs.items():
            teams[(interviewee, unit)].add(interviewer)
        for (interviewee, unit), team in teams.items():
            done = _counts(rule, held.get(interviewee, ()), frozenset(team), first)
            found.append(RuleDuty(rule, interviewee, frozenset(team), (None, unit), done, required, due_by))
        return found
    # In any order: the report sorts the items and the coverage it makes of them.
    for (interviewer, interviewee), (unit, _) in pairs.items():
        alone = org.alone(interviewer)
        done = _counts(rule, held.get(interviewee, ()), alone, first)
        found.append(RuleDuty(rule, interviewee, alone, (interviewer, unit), done, required, due_by))
    return found


def _new_in_role_obligations(store: Store, org: _Org, rule: Rule, as_of: date, pairs: Pairs, tracked: date
                             ) -> list[RuleDuty]:
    """Newly appointed interviewees: one talk (of the rule's types and forms) since the role started, within
    new_in_role_days of the start, from any holder of the interviewer role (000 二(一)2: 集中谈心谈话). Past the
    deadline only the unmet ones stay (overdue until held), so coverage counts the newly appointed."""
    teams: dict[tuple[int, int], set[int]] = defaultdict(set)
    starts: dict[tuple[int, int], str] = {}
    for (interviewer, interviewee), (unit, scope_unit) in pairs.items():
        start = _new_in_role_start(org, rule, interviewee, scope_unit, as_of, tracked)
        if start is not None:
            teams[(interviewee, unit)].add(interviewer)
            starts[(interviewee, unit)] = start
    if not teams:
        return []
    # One query for all of them; each then counts only the talks since its own start.
    since_talks: dict[int, list[tuple[str, _Held]]] = defaultdict(list)
    for row in store.query(
        f"SELECT e.person_id AS interviewee, t.talk_type, t.form, {TALK_DAY} AS day, "
        "(SELECT group_concat(i.person_id) FROM talk_participants i WHERE i.talk_id = t.id "
        " AND i.role = 'interviewer') AS interviewers "
        "FROM talks t JOIN talk_participants e ON e.talk_id = t.id AND e.role = 'interviewee' "
        "WHERE t.status IN ('held', 'sealed') AND e.person_id IN (SELECT value FROM json_each(?)) "
        f"AND {TALK_IN_RANGE}",
        [json_list({p for p, _ in teams}), *_range(date.fromisoformat(min(starts.values())[:10]), as_of)],
    ):
        since_talks[int(row["interviewee"])].append((str(row["day"]), (
            _interviewer_set(row["interviewers"]), str(row["talk_type"]), str(row["form"]), 0, 1)))
    found: list[RuleDuty] = []
    for (interviewee, unit), team in sorted(teams.items()):
        start = starts[(interviewee, unit)]
        recent = [h for day, h in since_talks.get(interviewee, ()) if day >= start[:10]]
        done = _counts(rule, recent, frozenset(team), (0, 12))
        due_by = date.fromisoformat(start[:10]) + timedelta(days=rule.new_in_role_days)
        if done and due_by < as_of:
            continue
        found.append(RuleDuty(rule, interviewee, frozenset(team), (None, unit), done, 1, due_by, start))
    return found


def _rule_item(
    org: _Org, policy: Policy, ob: RuleDuty, as_of: date, viewer: int | None, subject: int | None,
    status: str = "open",
) -> DueItem:
    """A rule obligation as an item. A mutual pair is shown from one side: the subject's (the person asked
    about), else the viewer's (the interviewer asked for: the other one is whom to talk to), else low → high.
    A missed one (its period ended unmet) says which year it belonged to and has that year in its id."""
    rule = ob.rule
    people = tuple(sorted(ob.interviewers))
    person, interviewers = ob.interviewee, people
    if rule.mutual:
        low, high = people
        if subject in people:
            person = subject
        elif viewer in people:
            person = high if viewer == low else low
        else:
            person = high
        interviewers = (high if person == low else low,)
    overdue, days = _lateness(ob.due_by, as_of)
    type_id = rule.counts_types[0] if rule.counts_types else ""
    type_name = policy.talk_types[type_id].name if type_id else "谈心谈话"
    detail = f"{rule.name}：本期已谈 {ob.done}/{ob.required} 次"
    if ob.since:
        detail = f"{rule.name}：{ob.since[:10]} 任职，本期已谈 {ob.done}/{ob.required} 次"
    if rule.in_principle:
        detail += "（原则上）"
    year = ob.due_by.year if status == "missed" else None
    if year is not None:
        detail = (f"{year} 年未完成：" if ob.due_by.month == 12 else f"{ob.due_by.isoformat()} 前未完成：") + detail
    # Stable ids: a pair by its two people, a team obligation by its unit (the team may change), else
    # interviewer and interviewee.
    if rule.mutual:
        key = f"{people[0]}-{people[1]}"
    elif rule.coverage == "each_interviewee" or rule.new_in_role_days:
        key = f"u{ob.group[1]}:{ob.interviewee}"
    else:
        key = f"{people[0]}:{ob.interviewee}"
    # A missed duty's id says its period: the year ("…:2026"), or the day a shorter period ended ("…:2026-03-31").
    period = "" if year is None else f":{year}" if ob.due_by.month == 12 else f":{ob.due_by.isoformat()}"
    return DueItem(
        id=f"rule:{rule.id}:{key}{period}",
        kind="rule",
        person_id=person,
        person=org.names.get(person, ""),
        unit=org.units_of.get(person, ""),
        type=type_id,
        type_name=type_name,
        due_by=ob.due_by.isoformat(),
        overdue=overdue,
        days_overdue=days,
        rule=rule.id,
        rule_name=rule.name,
        source=rule.source,
        detail=detail,
        interviewer_ids=interviewers,
        interviewers=tuple([org.names.get(i, "") for i in interviewers]),
        done=ob.done,
        required=ob.required,
        coverage_id=_coverage_id(rule.id, ob.group),
        status=status,
        year=year,
    )


def _coverage_id(rule_id: str, group: tuple[int | None, int]) -> str:
    interviewer, unit = group
    return f"coverage:{rule_id}:{interviewer}" if interviewer is not None else f"coverage:{rule_id}:unit{unit}"


def _coverage(org: _Org, obligations: list[RuleDuty], as_of: date) -> list[Coverage]:
    groups: dict[tuple[str, int | None, int], list[RuleDuty]] = defaultdict(list)
    for ob in obligations:
        groups[(ob.rule.id, *ob.group)].append(ob)
    rows: list[Coverage] = []
    for (rule_id, interviewer, unit), members in groups.items():
        rule = members[0].rule
        _, period_end = period_bounds(rule, as_of)
        rows.append(Coverage(
            id=_coverage_id(rule_id, (interviewer, unit)),
            rule=rule_id,
            rule_name=rule.name,
            source=rule.source,
            interviewer_id=interviewer,
            interviewer=org.names.get(interviewer, "") if interviewer is not None else "",
            unit_id=unit,
            unit=org.units.name(unit),
            done=sum(1 for ob in members if ob.done >= ob.required),
            total=len(members),
            required=rule.per_period if not rule.new_in_role_days else 1,
            period_end=period_end.isoformat(),
            in_principle=rule.in_principle,
        ))
    return rows


# -- events ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventDuty:
    """What one fact makes due, once per timing: an event's deadline, with the deadlines of the same timing of
    the events that are the same fact (`same_as`: 000 重要家事 and 002 家庭变故) folded in — one item citing
    every source, due by the strictest deadline, cleared by a talk of any of their types."""

    talk_type: str  # the event's own type: the item's type and id
    talk_types: frozenset[str]
    days: int
    when: str  # "before" | "after"
    source: str
    forms: frozenset[str] = frozenset()  # the forms of its talk types (a 个别 talk type is not met 集体)
    interviewer_roles: tuple[str, ...] = ()  # the event's own deadline's (prep.packs.Deadline)
    each_role: bool = False


@functools.lru_cache(maxsize=8)  # a Policy is hashed by identity: one computation per loaded policy
def event_duties(policy: Policy) -> dict[str, list[EventDuty]]:
    """Event type → the duties recording it makes due (docs/compliance.md, "One fact, one event"). Read only."""
    by_event: dict[str, list[EventDuty]] = {}
    for event in policy.events.values():
        groups: list[list[Deadline]] = [[deadline] for deadline in event.due]
        for other in event.same_as:
            for deadline in policy.events[other].due:
                group = next((g for g in groups if g[0].when == deadline.when), None)
                if group is None:
                    groups.append([deadline])
                else:
                    group.append(deadline)
        by_event[event.id] = [EventDuty(
            talk_type=group[0].talk_type,
            talk_types=frozenset(d.talk_type for d in group),
            days=min(d.days for d in group),
            when=group[0].when,
            source="；".join(dict.fromkeys(d.source for d in group)),
            forms=frozenset(form for d in group for form in policy.talk_types[d.talk_type].forms),
            interviewer_roles=group[0].interviewer_roles,
            each_role=group[0].each_role,
        ) for group in groups]
    return by_event


# Events whose deadline passed within this many days are listed even when it passed before the database was in
# use (tracking_start): a database set up last month still shows last month's unheld 任职谈话.
EVENT_LOOKBACK_DAYS = 365


def tracking_start(store: Store) -> date:
    """The first day whose duties the database answers for: 1 January of the first year it was in use from its
    first half (created by 30 June), so a unit that starts in November is not told its whole year was missed."""
    created = store.scalar("SELECT min(at) FROM audit_log WHERE action = 'create' AND subject = 'database'")
    if not created:
        return date(store.clock.today().year, 1, 1)
    day = date.fromisoformat(str(created)[:10])
    return date(day.year if day.month <= 6 else day.year + 1, 1, 1)


def _load_events(store: Store, policy: Policy, first: date, last: date, person: int | None) -> list[dict[str, Any]]:
    """Events of active people that happened between two days."""
    only = "" if person is None else " AND e.person_id = ?"
    return store.query(
        "SELECT e.id, e.person_id, e.event_type, e.occurred_on, e.note FROM events e "
        "JOIN people p ON p.id = e.person_id AND p.status = 'active' "
        f"WHERE e.event_type IN (SELECT value FROM json_each(?)) AND e.occurred_on BETWEEN ? AND ?{only} "
        "ORDER BY e.occurred_on, e.id",
        [json.dumps(sorted(policy.events)), first.isoformat(), last.isoformat(),
         *([] if person is None else [person])],
    )


def _event_span(policy: Policy, due_from: date, due_until: date) -> tuple[date, date]:
    """The days on which an event must have happened for one of its deadlines to fall between two days."""
    duties = [d for ds in event_duties(policy).values() for d in ds]
    after = max((d.days for d in duties if d.when == "after"), default=0)
    return due_from - timedelta(days=after), due_until


def _window_opens(duty: EventDuty, occurred: date) -> date:
    return occurred - timedelta(days=duty.days) if duty.when == "before" else occurred


def _due_by(duty: EventDuty, occurred: date) -> date:
    return occurred if duty.when == "before" else occurred + timedelta(days=duty.days)


@dataclass(frozen=True, slots=True)
class _Judged:
    status: str  # open | met | met_late
    talk_ids: tuple[int, ...]
    planned: int | None
    planned_with: frozenset[int]
    lacking: tuple[str, ...] = ()  # roles the rule names that no talk held so far had (分别谈, or a stand-in)
    unqualified: bool = False  # a talk of the type was held, but by nobody holding (or standing in for) them


Roles = Callable[[_TalkRef], set[str]]  # the roles of a duty that a talk's interviewers held (or stood in for)


def _judge_event(duty: EventDuty, event_id: int, opens: date, due_by: date, talks: Iterable[_TalkRef],
                 as_of: date, roles: Roles) -> _Judged:
    """A talk of one of the duty's types held in the window (from its opening to the deadline) meets it; held
    after the deadline — a *before* duty held after the event, a 免职谈话 held in the third week — or, when
    linked to the event, outside the window, it is met late (docs/compliance.md). A talk not linked to the event
    counts only from the window's opening: an old talk of the same type is about something else.

    When the rule names who must talk (`interviewer_roles`), a talk counts only if one of its interviewers held
    such a role over the person or stood in for it as a recorded delegate; 分别谈 (`each_role`) is met once every
    role has talked, on the day the last one did."""
    first, last, today = opens.isoformat(), due_by.isoformat(), as_of.isoformat()
    needed = set(duty.interviewer_roles)
    counted: list[tuple[int, bool]] = []  # (talk, held in the window)
    covered: set[str] = set()
    unqualified = False
    planned: int | None = None
    planned_with: frozenset[int] = frozenset()
    for talk in sorted(talks, key=lambda t: (t.day, t.id)):
        if talk.talk_type not in duty.talk_types:
            continue
        linked = talk.event_id == event_id
        if talk.status not in COUNTED_STATUSES:
            if linked or talk.day >= first:
                planned = planned or talk.id
                planned_with |= talk.interviewers
            continue
        if talk.day > today or not (linked or talk.day >= first) or talk.form not in duty.forms:
            continue
        if needed:
            held = roles(talk) & needed
            if not held:
                unqualified = True
                continue
            covered |= held
        counted.append((talk.id, first <= talk.day <= last))
        if needed and duty.each_role and covered != needed:
            continue  # 分别谈: the duty is met when the last of its roles has talked
        if duty.each_role and needed:
            status = "met" if all(in_window for _, in_window in counted) else "met_late"
            return _Judged(status, tuple(t for t, _ in counted), None, planned_with)
    if counted and not (needed and duty.each_role):
        on_time = tuple(t for t, in_window in counted if in_window)
        if on_time:
            return _Judged("met", on_time, None, planned_with)
        return _Judged("met_late", tuple(t for t, _ in counted), None, planned_with)
    lacking = tuple(role for role in duty.interviewer_roles if role not in covered)
    return _Judged("open", (), planned, planned_with, lacking, unqualified)


def _lacking_words(duty: EventDuty, judged: _Judged) -> str:
    """Why the talks held so far do not count: 分别谈 still owed by some roles, or held by someone else."""
    roles = "、".join(judged.lacking)
    if duty.each_role and len(judged.lacking) < len(duty.interviewer_roles):
        return f"（分别谈：尚缺{roles}谈话）"
    if judged.unqualified:
        return f"（已谈的谈话人不是{'或'.join(duty.interviewer_roles)}；受委托谈话的，请记录受托人）"
    return f"（由{'、'.join(duty.interviewer_roles)}{'分别' if duty.each_role else ''}谈）"


def _event_items(
    org: _Org, policy: Policy, as_of: date, events: list[dict[str, Any]], talks: _Talks, waived: set[str],
    delegates: dict[int, set[tuple[int, str]]],
) -> tuple[list[DueItem], dict[int, set[int]]]:
    """Every duty of the events, judged (status, the talks that met it), and who has a talk planned with whom
    (interviewee → interviewers) for the filter. A fact recorded twice as equivalent events on one day (重要家事
    and 家庭变故) is one fact: the second record makes nothing due again."""
    duties = event_duties(policy)
    replacing: dict[str, list[Deadline]] = defaultdict(list)  # event type → the deadlines that replace it
    for event_kind in policy.events.values():
        for deadline in event_kind.due:
            if deadline.replaces:
                replacing[deadline.replaces].append(deadline)
    planned_with: dict[int, set[int]] = defaultdict(set)
    latest: dict[tuple[int, str], str] = {}
    for event in events:
        key = (int(event["person_id"]), str(event["event_type"]))
        latest[key] = max(latest.get(key, ""), str(event["occurred_on"]))
    seen_facts: set[tuple[int, str, str]] = set()
    items: list[DueItem] = []
    for event in events:
        person = int(event["person_id"])
        if person not in org.names:
            continue
        event_type = str(event["event_type"])
        family = sorted((event_type, *policy.events[event_type].same_as))
        fact = (person, family[0], str(event["occurred_on"]))
        if len(family) > 1:
            if fact in seen_facts:
                continue
            seen_facts.add(fact)
        occurred = date.fromisoformat(str(event["occurred_on"])[:10])
        for duty in duties[event_type]:
            opens, due_by = _window_opens(duty, occurred), _due_by(duty, occurred)
            if as_of < opens:
                continue
            # 任前公示期满 replaces 任职决定: a later replacing event takes the talk over.
            if any(d.talk_type in duty.talk_types and latest.get((person, d.event), "") >= str(event["occurred_on"])
                   for d in replacing.get(event_type, ())):
                continue
            def roles(talk: _TalkRef, duty: EventDuty = duty, person: int = person) -> set[str]:
                return {role for role in duty.interviewer_roles for i in talk.interviewers
                        if (i, role) in delegates.get(talk.id, ()) or org.holds_over(i, role, person)}

            judged = _judge_event(duty, int(event["id"]), opens, due_by, talks.of_person.get(person, ()), as_of,
                                  roles)
            planned_with[person] |= judged.planned_with
            item_id = f"event:{event['id']}:{duty.talk_type}:{duty.when}"
            status = "waived" if item_id in waived and judged.status == "open" else judged.status
            overdue, days = _lateness(due_by, as_of) if status == "open" else (False, 0)
            talk_type = policy.talk_types[duty.talk_type]
            event_name = policy.events[event_type].name
            when = "前" if duty.when == "before" else "后"
            detail = f"{event_name}（{event['occurred_on']}）{when} {duty.days} 天内进行{talk_type.name}"
            if event["note"]:
                detail += f"：{event['note']}"
            if judged.status == "open" and judged.lacking:
                detail += _lacking_words(duty, judged)
            items.append(DueItem(
                id=item_id,
                kind="event",
                person_id=person,
                person=org.names[person],
                unit=org.units_of.get(person, ""),
                type=talk_type.id,
                type_name=talk_type.name,
                due_by=due_by.isoformat(),
                overdue=overdue,
                days_overdue=days,
                rule=event_type,
                rule_name=event_name,
                source=duty.source,
                detail=detail,
                event_id=int(event["id"]),
                planned_talk_id=judged.planned,
                status=status,
                talk_ids=judged.talk_ids,
            ))
    return items, planned_with


# -- follow-ups --------------------------------------------------------------------------------------------


def _followup_items(store: Store, as_of: date, interviewer: int | None, person: int | None,
                    policy: Policy, org: _Org) -> list[DueItem]:
    from notes.vocabulary import followup_kind_word
    from prep.active import referral_step

    # As prep.wording.followup_kind_label words them, without the documents' Wording (工作台's first data
    # imports no document module).
    source, organisation, referral = policy.followup_source(), policy.terminology["organisation"], referral_step(policy)
    # Every open follow-up (notes.followups.OPEN_STATUSES: 待核实 included, as the board and the report count
    # them); only those still to be done can be overdue.
    marks = ", ".join("?" for _ in OPEN_STATUSES)
    # A follow-up exists from the day of the talk that raised it, whenever it was typed in (a paper talk is
    # recorded days later): judged on a day, only follow-ups of talks held by then count. A talk recorded with
    # neither a plan nor a start has only the day it was written down (as in briefs). Written down by the day
    # and not raised by one of the few talks after it (index talks_held_at) settles it without the talk's own
    # row: on an encrypted database that row costs a page decrypted per follow-up.
    day = as_of.isoformat()
    where = [f"f.status IN ({marks})", "p.status = 'active'",
             f"(substr(f.created_at, 1, 10) <= ? AND f.talk_id NOT IN (SELECT t.id FROM talks t WHERE {HELD_AT} >= ?)"
             f" OR coalesce((SELECT {TALK_DAY} FROM talks t WHERE t.id = f.talk_id), substr(f.created_at, 1, 10)) <= ?)"]
    params: list[Any] = [*OPEN_STATUSES, day, (as_of + timedelta(days=1)).isoformat(), day]
    if interviewer is not None:
        where.append("(f.owner_id = ? OR EXISTS (SELECT 1 FROM talk_participants i WHERE i.talk_id = f.talk_id "
                     "AND i.role = 'interviewer' AND i.person_id = ?))")
        params += [interviewer, interviewer]
    if person is not None:
        where.append("f.person_id = ?")
        params.append(person)
    rows = store.rows(  # tuples: hundreds of rows, no dict per row
        "SELECT f.id, f.person_id, f.owner_id, f.kind, f.title, f.due_on, f.status "
        f"FROM followups f JOIN people p ON p.id = f.person_id WHERE {' AND '.join(where)} ORDER BY f.id",
        params,
    )
    # The organisation read for the report names the active people; only an owner who has left is looked up (and
    # anyone made active since the organisation was read: another window may import a roster meanwhile).
    names, units = org.names, org.units_of
    unknown = {p for row in rows for p in (row[1], row[2]) if p and p not in names}
    others = people_by_id(store, unknown) if unknown else {}
    items: list[DueItem] = []
    for followup_id, about, owner_id, kind, title, due_on, status in rows:  # `about` is active (the join)
        due_by = date.fromisoformat(str(due_on)[:10]) if due_on else None
        overdue, days = _lateness(due_by, as_of) if status in OVERDUE_FOLLOWUP_STATUSES else (False, 0)
        owner_name = (names[owner_id] if owner_id in names else others[owner_id].name) if owner_id else ""
        owner = f"，责任人 {owner_name}" if owner_name else ""
        items.append(DueItem(
            id=f"followup:{followup_id}",
            kind="followup",
            person_id=int(about),
            person=names[about] if about in names else others[about].name,
            unit=units[about] if about in names else others[about].unit,
            type="followup",
            type_name=followup_kind_word(str(kind), organisation, referral),
            due_by=due_by.isoformat() if due_by else None,
            overdue=overdue,
            days_overdue=days,
            rule="followup",
            rule_name="谈话跟踪事项",
            source=source,
            detail=f"{title}（{FOLLOWUP_STATUS_SHORT_LABELS[str(status)]}{owner}）",
            interviewer_ids=(int(owner_id),) if owner_id else (),
            interviewers=(owner_name,) if owner_id else (),
            followup_id=int(followup_id),
        ))
    return items


# -- the report --------------------------------------------------------------------------------------------


def _order(item: DueItem) -> tuple[Any, ...]:
    return (not item.overdue, -item.days_overdue, item.due_by or "9999-12-31", item.person, item.person_id, item.id)


def due_report(
    store: Store,
    policy: Policy,
    as_of: date,
    interviewer_id: int | None = None,
    person_id: int | None = None,
) -> DueReport:
    """Everything due as of a date: for everyone, for one interviewer, or about one person (for the brief).

    For one interviewer or one person only the talks of the people that matter are read, and coverage counts
    only their pairs."""
    with _without_collection_pauses():
        return _report(store, policy, as_of, interviewer_id, person_id)


@contextmanager
def _without_collection_pauses() -> Iterator[None]:
    """The report allocates a few hundred thousand small objects, none in a cycle; each collection they
    trigger rescans everything alive in the process (a whole TUI). Measured at 10,000 people: 1.6 s instead
    of 3.0 s. The collector's previous state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(slots=True)
class Judgement:
    """Everything judged on one day, for due_report (what is owed) and prep.compliance (what became of it)."""

    as_of: date
    org: _Org
    obligations: list[RuleDuty]  # the frequency duties of the period containing as_of
    earlier: list[RuleDuty]  # those of the year's quarters or half-years that ended before it (met or missed)
    events: list[DueItem]  # every event duty, with its status (open, met, met_late, waived)
    concerned: set[int]
    planned: dict[int, set[int]]

    def rule_item(self, policy: Policy, ob: RuleDuty, status: str = "open", viewer: int | None = None,
                  subject: int | None = None) -> DueItem:
        return _rule_item(self.org, policy, ob, self.as_of, viewer, subject, status)

    def coverage(self) -> list[Coverage]:
        rows = _coverage(self.org, self.obligations, self.as_of)
        order = {rule_id: n for n, rule_id in enumerate(dict.fromkeys(ob.rule.id for ob in self.obligations))}
        rows.sort(key=lambda c: (order[c.rule], c.unit_id, c.interviewer, c.id))
        return rows


def judge(
    store: Store, policy: Policy, as_of: date, *, interviewer_id: int | None = None, person_id: int | None = None,
    events_due: tuple[date, date] | None = None, rules: Iterable[Rule] | None = None,
    notes: ComplianceNotes | None = None,
) -> Judgement:
    """The frequency duties of the period containing `as_of` and the duties of the events whose deadlines fall
    between `events_due` (none: no events), judged on `as_of`."""
    tracked = tracking_start(store)
    notes = notes if notes is not None else compliance_notes(store)
    org = _load_org(store, as_of)
    focused = interviewer_id is not None or person_id is not None
    chosen = list(policy.rules.values()) if rules is None else list(rules)
    pairs = {rule.id: _rule_pairs(org, rule) for rule in chosen}
    if focused:
        pairs = {rule_id: _focus(policy.rules[rule_id], found, interviewer_id, person_id)
                 for rule_id, found in pairs.items()}
    # The people whose obligations are shown (both sides of a mutual pair), and whose talks must be read.
    concerned = {e for found in pairs.values() for (_, e) in found} | {
        i for rule_id, found in pairs.items() if policy.rules[rule_id].mutual for (i, _) in found}
    duties = event_duties(policy)
    events: list[dict[str, Any]] = []
    if events_due is not None:
        events = _load_events(store, policy, *_event_span(policy, *events_due), person_id)
    planned_with = _planned_with(store, interviewer_id) if interviewer_id is not None else set()
    if interviewer_id is not None:
        # The interviewer answers for the events of the people in their rules, and of those they plan to see.
        events = [e for e in events if int(e["person_id"]) != interviewer_id
                  and (int(e["person_id"]) in concerned or int(e["person_id"]) in planned_with)]
    event_people = {int(e["person_id"]) for e in events}
    people = concerned | event_people | ({person_id} if person_id is not None else set())
    read_only = people if focused and len(people) <= FOCUS_SHARE * len(org.names) else None
    opens = [_window_opens(d, date.fromisoformat(str(e["occurred_on"])[:10]))
             for e in events for d in duties[str(e["event_type"])]]
    talks = _read_talks(store, as_of, min([date(as_of.year, 1, 1), *opens]), read_only, event_people,
                        {t for e in events for d in duties[str(e["event_type"])] for t in d.talk_types})
    obligations: list[RuleDuty] = []
    earlier: list[RuleDuty] = []
    for rule in chosen:
        obligations.extend(_obligations(store, org, rule, as_of, pairs[rule.id], talks.held, tracked))
        # From the same talks (counted by month) and the roles on as_of: the shorter periods already over.
        if rule.period_months < 12 and not rule.new_in_role_days:
            for end in _earlier_period_ends(rule, as_of):
                earlier.extend(_obligations(store, org, rule, end, pairs[rule.id], talks.held, tracked))
    if interviewer_id is not None:
        obligations = [o for o in obligations if interviewer_id in o.interviewers]
        earlier = [o for o in earlier if interviewer_id in o.interviewers]
    waived = {o for o in notes.by_obligation if notes.waived(o)}
    event_items, planned = _event_items(org, policy, as_of, events, talks, waived,
                                        talk_delegates(store) if events else {})
    if events_due is not None:
        first, last = events_due[0].isoformat(), events_due[1].isoformat()
        event_items = [i for i in event_items if first <= (i.due_by or "") <= last]
    if interviewer_id is not None:
        event_items = [i for i in event_items if i.person_id in concerned or interviewer_id in planned.get(
            i.person_id, set())]
    return Judgement(as_of, org, obligations, earlier, event_items, concerned, planned)


def _earlier_period_ends(rule: Rule, as_of: date) -> list[date]:
    """The last days of the rule's periods of as_of's year that ended before the one containing as_of."""
    start, _ = period_bounds(rule, as_of)
    return [period_bounds(rule, date(as_of.year, month, 1))[1]
            for month in range(1, start.month, rule.period_months)]


def _report(
    store: Store, policy: Policy, as_of: date, interviewer_id: int | None, person_id: int | None
) -> DueReport:
    notes = compliance_notes(store)
    tracked = tracking_start(store)
    lead = max((d.days for ds in event_duties(policy).values() for d in ds if d.when == "before"), default=0)
    # Event duties never expire (docs/compliance.md): every one since the database was in use, and the recent
    # ones before it.
    since = min(as_of - timedelta(days=EVENT_LOOKBACK_DAYS), tracked)
    judged = judge(store, policy, as_of, interviewer_id=interviewer_id, person_id=person_id,
                   events_due=(since, as_of + timedelta(days=lead)), notes=notes)
    rule_items = [item for item in (judged.rule_item(policy, o, viewer=interviewer_id, subject=person_id)
                                    for o in judged.obligations if o.done < o.required)
                  if not notes.waived(item.id)]
    # A quarter missed earlier this year (000 二(二)7 流动党员) stays until acknowledged, as a missed year does.
    missed_earlier = [item for item in (_rule_item(judged.org, policy, o, as_of, interviewer_id, person_id, "missed")
                                        for o in judged.earlier if o.done < o.required)
                      if as_of.year >= tracked.year and not notes.acknowledged(item.id, as_of.year)]
    items = ([i for i in judged.events if i.status == "open"] + rule_items + missed_earlier
             + missed_last_year(store, policy, as_of, interviewer_id, person_id, tracked, notes)
             + _followup_items(store, as_of, interviewer_id, person_id, policy, judged.org))
    return DueReport(as_of, interviewer_id, tuple(sorted(items, key=_order)), tuple(judged.coverage()))


def missed_last_year(store: Store, policy: Policy, as_of: date, interviewer_id: int | None, person_id: int | None,
                     tracked: date, notes: ComplianceNotes) -> list[DueItem]:
    """The frequency duties of the year before `as_of` that ended unmet and are not acknowledged ("2026 年未完成"):
    a missed duty does not reset on 1 January. Only years the database answers for (tracking_start); the newly
    appointed carry themselves (they stay open until held)."""
    year = as_of.year - 1
    if year < tracked.year or year in notes.years:
        return []
    rules = [rule for rule in policy.rules.values() if not rule.new_in_role_days]
    judged = judge(store, policy, date(year, 12, 31), interviewer_id=interviewer_id, person_id=person_id,
                   rules=rules, notes=notes)
    missed = [_rule_item(judged.org, policy, o, as_of, interviewer_id, person_id, "missed")
              for o in judged.obligations if o.done < o.required]
    return [item for item in missed if not notes.acknowledged(item.id, year)]


def _planned_with(store: Store, interviewer: int) -> set[int]:
    """People the interviewer has a talk planned (or under way) with."""
    rows = store.query(
        "SELECT DISTINCT e.person_id FROM talk_participants i JOIN talks t ON t.id = i.talk_id "
        "JOIN talk_participants e ON e.talk_id = t.id AND e.role = 'interviewee' "
        "WHERE i.person_id = ? AND i.role = 'interviewer' AND t.status IN ('planned', 'in_progress')",
        [interviewer],
    )
    return {int(row["person_id"]) for row in rows}
