"""Coverage per frequency rule, for the 台账's second sheet and the year-end report, from the due engine.

prep/due.py decides who owes whom a talk (roles on the day, scopes, mutual pairs, periods); this module only
lays its answer out for paper. A year is looked at as of its last day (or today, for the current year): rules
counted per half-year or quarter then show their last period, as the engine defines it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from notes.documents.packinfo import active_policy
from notes.documents.units import UnitScope
from notes.store import Store

UNIT_GROUP = "（本单位）"


@dataclass(frozen=True, slots=True)
class CoverageRow:
    rule: str  # the rule's name
    interviewer: str  # the interviewer, or （本单位） for mutual and each-interviewee rules
    interviewees: str  # the unit the rule looks at
    min_per_year: int
    required: int  # people or pairs in scope
    done: int  # of them, talked with as often as the rule asks
    rate: str
    missing: str  # who has not been talked with yet ('' when not asked for)
    source: str


def _rate(done: int, total: int) -> str:
    return f"{round(100 * done / total)}%" if total else "—"


def coverage_as_of(year: int, today: date) -> date:
    return min(today, date(year, 12, 31))


def _role_units(store: Store, as_of: date) -> dict[tuple[int, str], set[int]]:
    """(person, role) → the units where the person holds the role on `as_of`."""
    day = as_of.isoformat()
    held: dict[tuple[int, str], set[int]] = defaultdict(set)
    for row in store.query(
        "SELECT person_id, role, unit_id FROM roles WHERE (start_date IS NULL OR start_date <= ?) "
        "AND (end_date IS NULL OR end_date >= ?)",
        [day, day],
    ):
        held[(row["person_id"], row["role"])].add(row["unit_id"])
    return held


def coverage_rows(
    store: Store, year: int, scope: UnitScope | None, *, with_names: bool = True, today: date | None = None
) -> list[CoverageRow]:
    """One row per rule and interviewer (or unit), in the packs' order; with names of those not yet reached."""
    from prep.due import due_report

    policy = active_policy(store)
    as_of = coverage_as_of(year, today or store.clock.today())
    report = due_report(store, policy, as_of)
    missing: dict[tuple[str, int | None, int | None], list[str]] = defaultdict(list)
    if with_names:
        role_units = _role_units(store, as_of)
        for item in report.items:
            if item.kind != "rule":
                continue
            rule = policy.rules[item.rule]
            name = f"{item.person}—{'、'.join(item.interviewers)}" if rule.mutual else item.person
            for interviewer in item.interviewer_ids:
                missing[(item.rule, interviewer, None)].append(name)
                # mutual and each-interviewee rules are counted per unit: the unit of the interviewers' role
                for unit in role_units.get((interviewer, rule.interviewer_role), ()):
                    missing[(item.rule, None, unit)].append(name)
    rows = []
    for coverage in report.coverage:
        if scope is not None and coverage.unit_id not in scope.ids:
            continue
        key = (coverage.rule, coverage.interviewer_id, None if coverage.interviewer_id is not None else coverage.unit_id)
        rule = policy.rules[coverage.rule]
        rows.append(CoverageRow(
            rule=coverage.rule_name + ("（原则上）" if coverage.in_principle else ""),
            interviewer=coverage.interviewer or UNIT_GROUP,
            interviewees=coverage.unit,
            min_per_year=rule.min_per_year,
            required=coverage.total,
            done=coverage.done,
            rate=_rate(coverage.done, coverage.total),
            missing="、".join(dict.fromkeys(missing.get(key, []))),
            source=coverage.source,
        ))
    return rows


def coverage_by_rule(rows: list[CoverageRow]) -> list[CoverageRow]:
    """The rows of each rule added up (the report shows a rule once, without names)."""
    merged: dict[str, list[CoverageRow]] = {}
    for row in rows:
        merged.setdefault(row.rule, []).append(row)
    result = []
    for rule, group in merged.items():
        required = sum(r.required for r in group)
        done = sum(r.done for r in group)
        result.append(CoverageRow(rule, "", "", group[0].min_per_year, required, done, _rate(done, required), "",
                                  group[0].source))
    return result
