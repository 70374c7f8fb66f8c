"""Coverage per frequency rule for a year, from the due engine, as rows the 台账 and the year-end report print
(notes/documents/coverage.py defines the rows; documents get them through prep.active.policy_facts)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from notes.documents.coverage import UNIT_GROUP, CoverageRow, coverage_as_of, coverage_rate
from notes.documents.units import UnitScope
from notes.model import roles_held_on
from notes.store import Store
from prep.due import due_report
from prep.packs import Policy


def _role_units(store: Store, as_of: date) -> dict[tuple[int, str], set[int]]:
    """(person, role) → the units where the person holds the role on `as_of`."""
    held: dict[tuple[int, str], set[int]] = defaultdict(set)
    for role in roles_held_on(store, as_of):
        held[(role.person_id, role.role)].add(role.unit_id)
    return held


def coverage_rows(
    store: Store,
    policy: Policy,
    year: int,
    scope: UnitScope | None,
    *,
    with_names: bool = True,
    today: date | None = None,
) -> list[CoverageRow]:
    """One row per rule and interviewer (or unit), in the packs' order; with names of those not yet reached."""
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
            rate=coverage_rate(coverage.done, coverage.total),
            missing="、".join(dict.fromkeys(missing.get(key, []))),
            source=coverage.source,
        ))
    return rows
