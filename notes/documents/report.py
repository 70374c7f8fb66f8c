"""The year-end report ("每年底结合工作总结要专门汇报谈心谈话落实情况", the 苏州 实施意见 五(三)) and the
《党员手册》 lines.

The report goes up the hierarchy, so it holds counts only: by type, category, form and channel; coverage per
frequency rule; follow-ups opened, closed and overdue. No names, no content, nothing 保密.

The 《党员手册》"其他情况记录" lines (实施意见 五(一)) name each member and the talks they had, so they are a separate
document (`tanxin export handbook`), handed to whoever keeps the handbooks, rather than an appendix that would
put personal details into the report. A talk whose record is kept out of the personal dossier (诫勉, 004 五)
appears there only as an organisational talk whose record the organisation department keeps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from notes.documents.citations import official_source
from notes.documents.coverage import coverage_by_rule
from notes.documents.docxfile import choose_template, demo_mark, document_fonts, render_template
from notes.documents.ledger import LEDGER_WHERE
from notes.documents.policyfacts import PolicyFacts, TalkTypeInfo, Wording
from notes.documents.text import chinese_date, lines
from notes.documents.units import UnitScope, root_unit_name, unit_scope
from notes.errors import InvalidInput
from notes.followups import is_open
from notes.store import Store
from notes.vocabulary import OVERDUE_FOLLOWUP_STATUSES

NEXT_STEPS_PLACEHOLDER = "（请结合本单位实际，写明存在的不足和下一步打算。）"
DOSSIER_EXCLUDED_LINE = "组织谈话（记录由组织部门留存）"


def _talks(store: Store, year: int, scope: UnitScope | None) -> list[dict[str, Any]]:
    unit_filter = "" if scope is None else " AND t.unit_id IN (SELECT value FROM json_each(?))"
    params: list[Any] = [f"{year:04d}", f"{year + 1:04d}"] + ([] if scope is None else [scope.ids_json])
    return store.query(
        "SELECT t.id, t.talk_type, t.category, t.form, t.channel, t.status, t.refused, t.unit_id, "
        "coalesce(t.started_at, t.planned_at) AS held_at, "
        "(SELECT json_group_array(person_id) FROM talk_participants p "
        " WHERE p.talk_id = t.id AND p.role = 'interviewee') AS interviewees "
        f"FROM talks t WHERE {LEDGER_WHERE}{unit_filter} ORDER BY held_at, t.id",
        params,
    )


def _counted(talks: Iterable[dict[str, Any]], key: str, names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Talks and distinct people per value of `key`, in order of the number of talks."""
    import json

    talk_counts: Counter[str] = Counter()
    people: dict[str, set[int]] = {}
    for talk in talks:
        value = talk[key] or "未分类"
        talk_counts[value] += 1
        people.setdefault(value, set()).update(json.loads(talk["interviewees"]))
    return [
        {"name": (names or {}).get(value, value), "talks": count, "people": len(people[value])}
        for value, count in talk_counts.most_common()
    ]


def _followup_counts(store: Store, year: int, scope: UnitScope | None, as_of: date,
                     terms: Wording) -> list[dict[str, Any]]:
    """Follow-ups raised in talks held in `year`, per kind in the organisation's words: a follow-up belongs to
    its talk's day, not to the day it was typed in (a December talk written up in January counts for December's
    year)."""
    unit_filter = "" if scope is None else " AND t.unit_id IN (SELECT value FROM json_each(?))"
    params: list[Any] = [f"{year:04d}", f"{year + 1:04d}"] + ([] if scope is None else [scope.ids_json])
    rows = store.query(
        "SELECT f.kind, f.status, f.due_on FROM followups f JOIN talks t ON t.id = f.talk_id "
        "WHERE coalesce(t.started_at, t.planned_at) >= ? AND coalesce(t.started_at, t.planned_at) < ?"
        f"{unit_filter}",
        params,
    )
    kinds: dict[str, dict[str, Any]] = {}
    for row in rows:
        word = terms.followup_kind(row["kind"])
        counts = kinds.setdefault(word, {"kind": word, "opened": 0, "closed": 0, "open": 0, "overdue": 0})
        counts["opened"] += 1
        if is_open(row["status"]):
            counts["open"] += 1
        else:
            counts["closed"] += 1
        if row["due_on"] and row["due_on"] < as_of.isoformat() and row["status"] in OVERDUE_FOLLOWUP_STATUSES:
            counts["overdue"] += 1
    return sorted(kinds.values(), key=lambda counts: -int(counts["opened"]))


def report_context(store: Store, year: int, scope: UnitScope | None, today: date, facts: PolicyFacts) -> dict[str, Any]:
    """The report's variables; the rules' citations are printed as document names and clauses."""
    import json

    names = facts.talk_type_names()
    organisation = scope.name if scope else root_unit_name(store)
    parent = None
    if scope is not None:
        parent = store.scalar("SELECT p.name FROM units u JOIN units p ON p.id = u.parent_id WHERE u.id = ?",
                              [scope.unit_id])
    talks = _talks(store, year, scope)
    for talk in talks:  # a talk recorded without a category has its type's
        talk["category"] = talk["category"] or facts.talk_type(talk["talk_type"]).category
    held = [t for t in talks if t["status"] != "cancelled"]
    refused = len(talks) - len(held)
    people = {person for t in held for person in json.loads(t["interviewees"])}
    person_talks = sum(len(json.loads(t["interviewees"])) for t in held)
    forms = Counter(t["form"] for t in held)
    as_of = min(today, date(year, 12, 31))
    followups = _followup_counts(store, year, scope, as_of, facts.wording())
    rules = coverage_by_rule(facts.coverage(year, scope, with_names=False, today=today))
    titles = facts.source_titles()
    coverage: list[dict[str, Any]] = [
        {"rule": row.rule, "source": official_source(row.source, titles), "required": row.required,
         "done": row.done, "rate": row.rate}
        for row in rules
    ]
    complete = sum(1 for row in rules if row.required and row.done >= row.required)
    opened = sum(int(f["opened"]) for f in followups)
    closed = sum(int(f["closed"]) for f in followups)
    overdue = sum(int(f["overdue"]) for f in followups)
    overview = (
        f"{year}年，共开展谈心谈话{len(held)}次，其中个别谈话{forms.get('个别', 0)}次、集体谈话{forms.get('集体', 0)}次；"
        f"谈话对象{person_talks}人次，涉及{len(people)}人；已封存谈话记录{sum(1 for t in held if t['status'] == 'sealed')}份。"
    )
    if refused:
        overview += f"谈话对象无故拒绝谈话{refused}次。"
    return {
        "title": f"{organisation}{year}年度谈心谈话工作情况报告",
        "addressee": f"{parent or facts.wording().upper_organisation}：",
        "opening": f"现将{organisation}{year}年度落实谈心谈话制度的情况报告如下。",
        "overview": overview,
        "by_type": _counted(held, "talk_type", names),
        "by_category": _counted(held, "category"),
        "by_form": _counted(held, "form"),
        "by_channel": _counted(held, "channel"),
        "coverage_summary": (
            f"对照{len(coverage)}项谈心谈话频次规定，已全部达到的{complete}项。" if coverage
            else "本单位启用的政策包未规定谈心谈话频次。"
        ),
        "coverage": coverage,
        "followup_summary": (
            f"谈话中提出的整改、帮扶等跟踪事项共{opened}项，已核实办结{closed}项，未办结{opened - closed}项，"
            f"其中逾期{overdue}项（截至{chinese_date(as_of)}）。"
        ),
        "followups": followups,
        "next_steps": NEXT_STEPS_PLACEHOLDER,
        "issuer": organisation,
        "issue_date": chinese_date(today),
        "year": year,
        "internal_mark": "",
        "demo_mark": demo_mark(store),
    }


def render_report(store: Store, year: int, out: Path, *, facts: PolicyFacts, unit: int | str | None = None,
                  template: Path | str | None = None, today: date | None = None, replace: bool = False) -> Path:
    """The year-end report as DOCX: counts and coverage only, no personal details. Returns the file written."""
    scope = unit_scope(store, unit)
    context = report_context(store, year, scope, today or store.clock.today(), facts)
    written = render_template(choose_template(store, "report", template), context, out, fonts=document_fonts(store),
                              replace=replace)
    store.audit("export", "report", scope.unit_id if scope else None, year=year, file=written.name)
    return written


# -- 《党员手册》"其他情况记录" --------------------------------------------------------------------------


def handbook_context(store: Store, year: int, scope: UnitScope | None, facts: PolicyFacts) -> dict[str, Any]:
    unit_filter = "" if scope is None else " AND t.unit_id IN (SELECT value FROM json_each(?))"
    params: list[Any] = [f"{year:04d}", f"{year + 1:04d}"] + ([] if scope is None else [scope.ids_json])
    rows = store.query(
        "SELECT p.id AS person_id, p.name, coalesce(u.name, '') AS unit, t.id AS talk_id, t.talk_type, t.form, "
        "t.channel, t.status, coalesce(t.started_at, t.planned_at) AS held_at, "
        "(SELECT group_concat(ip.name, '、') FROM talk_participants x "
        " JOIN people ip ON ip.id = x.person_id WHERE x.talk_id = t.id AND x.role = 'interviewer') AS interviewers "
        "FROM talks t JOIN talk_participants tp ON tp.talk_id = t.id AND tp.role = 'interviewee' "
        "JOIN people p ON p.id = tp.person_id LEFT JOIN units u ON u.id = p.unit_id "
        f"WHERE {LEDGER_WHERE}{unit_filter} AND t.status <> 'cancelled' "
        "AND instr(coalesce(p.membership, ''), ?) > 0 "
        "ORDER BY u.sort_order, u.id, p.name, p.id, held_at, t.id",
        [*params, facts.wording().member],
    )
    types: dict[str, TalkTypeInfo] = {}
    members: dict[int, dict[str, Any]] = {}
    for row in rows:
        kind = types.get(row["talk_type"]) or types.setdefault(row["talk_type"], facts.talk_type(row["talk_type"]))
        member = members.setdefault(row["person_id"], {"name": row["name"], "unit": row["unit"], "lines": []})
        when = chinese_date(row["held_at"])
        if kind.dossier_excluded:
            member["lines"].append(f"{when}，{DOSSIER_EXCLUDED_LINE}。")
        else:
            who = f"{row['interviewers']}同志" if row["interviewers"] else "组织"
            member["lines"].append(f"{when}，{who}与本人进行{kind.name}（{row['form']}，{row['channel']}）。")
    organisation = scope.name if scope else root_unit_name(store)
    return {
        "unit": organisation,
        "year": year,
        "internal_mark": "",
        "demo_mark": demo_mark(store),
        "members": [
            {"number": number, "name": member["name"], "unit": member["unit"], "lines": lines(member["lines"])}
            for number, member in enumerate(members.values(), start=1)
        ],
    }


def export_handbook(store: Store, year: int, out: Path, *, facts: PolicyFacts, unit: int | str | None = None,
                    template: Path | str | None = None, replace: bool = False) -> Path:
    """Each Party member's talks of the year as lines for the 《党员手册》"其他情况记录" page. Refused where the
    active packs keep no such book (a 民进 unit)."""
    if not facts.wording().handbook:
        raise InvalidInput(f"本单位启用的政策包没有规定记录谈心谈话的{facts.wording().member}手册，"
                           "没有可导出的手册记录；谈话情况见台账（tanxin export ledger）。")
    scope = unit_scope(store, unit)
    context = handbook_context(store, year, scope, facts)
    written = render_template(choose_template(store, "handbook", template), context, out,
                              fonts=document_fonts(store), replace=replace)
    store.audit("export", "handbook", scope.unit_id if scope else None, year=year, members=len(context["members"]),
                file=written.name)
    return written
