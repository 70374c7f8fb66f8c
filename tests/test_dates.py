"""Dates and times as users type them (notes/dates.py), and the CLI's date options that read them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import run_cli

from notes.dates import parse_day, parse_moment, read_day, read_moment


@pytest.mark.parametrize(
    "text",
    ["2026-12-01", "2026-12-1", "2026/12/01", "2026/12/1", "2026.12.01", "2026年12月1日", "2026年12月1号",
     "20261201", " 2026-12-01 ", "２０２６－１２－０１", "2026年12月01日", "2026 年 12 月 1 日", "2026 / 12 / 1",
     "2026.12.1.", "２０２６年１２月１日"],
)
def test_every_common_way_of_writing_a_day_is_read(text: str) -> None:
    assert read_day(text) == date(2026, 12, 1)


@pytest.mark.parametrize("text", ["", "2026-13-01", "2026-02-30", "2026-12", "12/01/2026", "2026-12/01", "明天", "2026年12月", "2026年13月1日", "202612月1日"])
def test_what_is_not_a_real_day_is_refused(text: str) -> None:
    assert read_day(text) is None


def test_month_and_day_alone_are_this_year() -> None:
    assert read_day("12月1日", today=date(2026, 11, 22)) == date(2026, 12, 1)
    assert read_day("１２月１日", today=date(2027, 1, 3)) == date(2027, 12, 1)
    assert read_day("12月1日") is None  # no year to assume
    assert read_moment("3月12日 14:30", today=date(2026, 5, 1)) == datetime(2026, 3, 12, 14, 30)


def test_29_february_only_in_a_leap_year() -> None:
    assert read_day("2028年2月29日") == date(2028, 2, 29)
    assert read_day("2027/2/29") is None


@pytest.mark.parametrize(
    "text",
    ["2026-03-12 14:30", "2026-03-12T14:30", "2026-03-12T14:30:00", "2026/3/12 14:30", "2026年3月12日 14时30分",
     "2026年3月12日14时30分", "2026年3月12日 14：30", "2026.3.12 14点30", "2026-03-12 14:30:00.000",
     "2026年3月12日 14 时 30 分"],
)
def test_a_moment_is_a_day_and_a_time_of_day(text: str) -> None:
    assert read_moment(text) == datetime(2026, 3, 12, 14, 30)


@pytest.mark.parametrize("text", ["2026-03-12", "2026-03-12 25:00", "2026-03-12 14:61", "14:30", "2026-03-12 下午"])
def test_a_moment_needs_a_real_time(text: str) -> None:
    assert read_moment(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2026-12", "只写到月份，缺少日"), ("2026-12-01 14:30", "只写日期，不带时刻"), ("12月1日", "缺少年份"),
     ("2月30日", "2月没有30日"), ("2026年2月29日", "2026年2月没有29日"), ("0000-01-01", "年份 0 不存在")],
)
def test_a_refused_day_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_day(text)


def test_a_refused_moment_says_why() -> None:
    with pytest.raises(ValueError, match="缺少时刻"):
        parse_moment("2026-03-12")
    with pytest.raises(ValueError, match="时刻 25:00 不存在"):
        parse_moment("2026-03-12 25:00")
    # 2月29日 without a year exists, but not in the year it is read in.
    assert read_moment("2月29日 9:00", today=date(2028, 1, 1)) == datetime(2028, 2, 29, 9, 0)
    with pytest.raises(ValueError, match="2027年2月没有29日"):
        parse_moment("2月29日 9:00", today=date(2027, 1, 1))


def test_a_date_option_takes_the_chinese_form(demo_db: Path) -> None:
    written = run_cli(["--db", str(demo_db), "due", "--as-of", "2026年11月20日", "--json"])
    iso = run_cli(["--db", str(demo_db), "due", "--as-of", "2026-11-20", "--json"])
    assert written.exit_code == 0, written.output
    assert written.stdout == iso.stdout


def test_a_bad_date_option_is_a_usage_error_in_chinese() -> None:
    result = run_cli(["due", "--as-of", "2026-02-30"])
    assert result.exit_code == 2
    assert "不是有效日期" in result.stderr and "2026年3月12日" in result.stderr
    # A form that names no real day says which part is wrong; text in no form gets the example alone.
    assert "（2026年2月没有30日）" in result.stderr
    unknown = run_cli(["due", "--as-of", "明天"])
    assert unknown.exit_code == 2 and "“明天”不是有效日期，应写作 2026-03-12" in unknown.stderr


def test_a_bad_time_option_says_why_and_shows_the_example() -> None:
    result = run_cli(["talk", "new", "张三", "--type", "routine", "--interviewer", "李四", "--at", "2026-11-01 25:00"])
    assert result.exit_code == 2
    assert "“2026-11-01 25:00”不是有效时间（时刻 25:00 不存在），应写作 2026-03-12 14:30" in result.stderr
