"""A deadline read from what the interviewer wrote, judged from a pinned day (Sunday 2026-11-22)."""

from __future__ import annotations

from datetime import date

import pytest

from notes.duetext import due_from_text

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(("text", "due"), [
    ("两周内整改到位", "2026-12-06"),
    ("2周内", "2026-12-06"),
    ("２周内", "2026-12-06"),  # full-width digit from an IME
    ("一周内", "2026-11-29"),
    ("三天内", "2026-11-25"),
    ("10日内报送书面说明", "2026-12-02"),
    ("二十天内", "2026-12-12"),
    ("十五个工作日内", "2026-12-07"),
    ("3个月内完成", "2027-02-22"),
    ("三个月以内", "2027-02-22"),
    ("一个月之内", "2026-12-22"),
    ("半个月内", "2026-12-07"),
    ("一个半月内", "2027-01-06"),
    ("半年内", "2027-05-22"),
    ("一年内", "2027-11-22"),
    ("一个季度内", "2027-02-22"),
    ("本月底前报告整改情况", "2026-11-30"),
    ("月底前", "2026-11-30"),
    ("下个月底", "2026-12-31"),
    ("本季度内", "2026-12-31"),
    ("年底前", "2026-12-31"),
    ("今年内", "2026-12-31"),
    ("本周内", "2026-11-22"),
    ("下周内", "2026-11-29"),
    ("12月31日前", "2026-12-31"),
    ("于12月1号前", "2026-12-01"),
    ("1月15日前", "2027-01-15"),  # written in November: next January
    ("2027年1月15日前提交", "2027-01-15"),
    ("2027-03-01前", "2027-03-01"),
    ("2027/3/1前", "2027-03-01"),
    ("3个月内，最迟2027年1月31日前", "2027-01-31"),  # a written date wins over a span
])
def test_deadlines_people_write(text: str, due: str) -> None:
    assert due_from_text(text, TODAY) == date.fromisoformat(due)


@pytest.mark.parametrize("text", [
    "加强理论学习，端正工作作风",
    "",
    "2025-01-01前",  # already past: not proposed
    "上半年完成",  # 30 June is past in November
    "2月30日前",  # no such day
    "共3人参加",
])
def test_no_deadline_is_read_where_none_is_written(text: str) -> None:
    assert due_from_text(text, TODAY) is None


def test_month_arithmetic_keeps_to_the_month_end() -> None:
    assert due_from_text("1个月内", date(2027, 1, 31)) == date(2027, 2, 28)
    assert due_from_text("1个月内", date(2028, 1, 31)) == date(2028, 2, 29)
    assert due_from_text("本季度内", date(2027, 2, 3)) == date(2027, 3, 31)
    assert due_from_text("下月底", date(2026, 12, 5)) == date(2027, 1, 31)
