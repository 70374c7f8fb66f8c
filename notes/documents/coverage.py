"""Coverage per frequency rule as the 台账's second sheet and the year-end report print it.

prep/due.py decides who owes whom a talk (roles on the day, scopes, mutual pairs, periods) and prep/coverage.py
turns its answer into these rows; this module only defines them and adds them up for paper. A year is looked at
as of its last day (or today, for the current year): rules counted per half-year or quarter then show their last
period, as the engine defines it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


def coverage_rate(done: int, total: int) -> str:
    return f"{round(100 * done / total)}%" if total else "—"


def coverage_as_of(year: int, today: date) -> date:
    """The day a year's coverage is judged on: its last day, or today while it is still running."""
    return min(today, date(year, 12, 31))


def coverage_by_rule(rows: list[CoverageRow]) -> list[CoverageRow]:
    """The rows of each rule added up (the report shows a rule once, without names)."""
    merged: dict[str, list[CoverageRow]] = {}
    for row in rows:
        merged.setdefault(row.rule, []).append(row)
    result = []
    for rule, group in merged.items():
        required = sum(r.required for r in group)
        done = sum(r.done for r in group)
        result.append(CoverageRow(rule, "", "", group[0].min_per_year, required, done,
                                  coverage_rate(done, required), "", group[0].source))
    return result
