"""Coverage of a year as rows the 台账 and the year-end report print (notes/documents/coverage.py defines the rows;
documents get them through prep.active.policy_facts), built from the compliance record (prep/compliance.py), so
the ledger, the report, `tanxin compliance` and `tanxin due --coverage` agree.

One row per frequency rule and interviewer (or unit), in the packs' order, then one row per event duty (必谈: 任职
谈话 after 任职决定 …) with how many were held on time, late or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from notes.documents.coverage import UNIT_GROUP, CoverageRow, coverage_as_of, coverage_rate
from notes.documents.units import UnitScope
from notes.model import people_by_id, roles_held_on
from notes.store import Store
from prep.compliance import ComplianceRecord, Obligation, compliance_record
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
    """The frequency rules' rows, then the event duties' rows; with names of those not yet reached."""
    today = today or store.clock.today()
    record = compliance_record(store, policy, year, today)
    return _rule_rows(store, policy, record, scope, with_names, coverage_as_of(year, today)) + _event_rows(
        store, record, scope, with_names)


def _rule_rows(store: Store, policy: Policy, record: ComplianceRecord, scope: UnitScope | None, with_names: bool,
               as_of: date) -> list[CoverageRow]:
    missing: dict[tuple[str, int | None, int | None], list[str]] = defaultdict(list)
    if with_names:
        role_units = _role_units(store, as_of)
        for ob in record.obligations:
            item = ob.item
            if item.kind != "rule" or ob.status == "met":
                continue
            rule = policy.rules[item.rule]
            name = f"{item.person}—{'、'.join(item.interviewers)}" if rule.mutual else item.person
            for interviewer in item.interviewer_ids:
                missing[(item.rule, interviewer, None)].append(name)
                # mutual and each-interviewee rules are counted per unit: the unit of the interviewers' role
                for unit in role_units.get((interviewer, rule.interviewer_role), ()):
                    missing[(item.rule, None, unit)].append(name)
    rows = []
    for coverage in record.coverage:
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


def _event_rows(store: Store, record: ComplianceRecord, scope: UnitScope | None,
                with_names: bool) -> list[CoverageRow]:
    """Per event duty (event and talk type): done = held on time or late; the waived are not owed. `missing`
    names who was not talked with, and who only late (补办)."""
    events = [ob for ob in record.obligations if ob.item.kind == "event"]
    if scope is not None:
        units = {p.id: p.unit_id for p in people_by_id(store, {ob.item.person_id for ob in events}).values()}
        events = [ob for ob in events if units.get(ob.item.person_id) in scope.ids]
    groups: dict[tuple[str, str], list[Obligation]] = defaultdict(list)
    for ob in events:
        groups[(ob.item.rule_name, ob.item.type_name)].append(ob)
    rows = []
    for (event, talk_type), members in groups.items():
        owed = [ob for ob in members if ob.status != "waived"]
        done = sum(1 for ob in owed if ob.status in ("met", "met_late"))
        names = ""
        if with_names:
            parts = [f"{label}：{'、'.join(dict.fromkeys(ob.item.person for ob in owed if ob.status == status))}"
                     for status, label in (("open", "未谈"), ("met_late", "补办"))
                     if any(ob.status == status for ob in owed)]
            names = "；".join(parts)
        rows.append(CoverageRow(
            rule=f"{event}：{talk_type}（必谈）",
            interviewer=UNIT_GROUP,
            interviewees="",
            min_per_year=1,
            required=len(owed),
            done=done,
            rate=coverage_rate(done, len(owed)),
            missing=names,
            source=members[0].item.source,
        ))
    return rows
