"""Dates and times as users type them (notes/dates.py), and the CLI's date options that read them."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import run_cli

from notes.dates import parse_day, parse_moment, read_day, read_moment
from tui.commands.common import MOMENT


@pytest.mark.parametrize(
    "text",
    ["2026-12-01", "2026-12-1", "2026/12/01", "2026/12/1", "2026.12.01", "2026年12月1日", "2026年12月1号",
     "20261201", " 2026-12-01 ", "２０２６－１２－０１", "2026年12月01日", "2026 年 12 月 1 日", "2026 / 12 / 1",
     "2026.12.1.", "２０２６年１２月１日"],
)
def test_every_common_way_of_writing_a_day_is_read(text: str) -> None:
    assert read_day(text) == date(2026, 12, 1)


@pytest.mark.parametrize("text", ["", "2026-13-01", "2026-02-30", "2026-12", "12/01/2026", "明天", "2026年12月", "2026年13月1日", "202612月1日", "2026-12-"])
def test_what_is_not_a_real_day_is_refused(text: str) -> None:
    assert read_day(text) is None


# Separators mixed within one date are how rosters write them (1985年03-01), and one reader gives one answer:
# typed, they name the same day too. Which separator is where never changes which number is the month.
@pytest.mark.parametrize("text", ["2026-12/01", "2026年12-01", "2026.12-1日", "2026/12.01号", "2026-12月1日", "2026 12 01"])
def test_mixed_separators_name_the_day(text: str) -> None:
    assert read_day(text) == date(2026, 12, 1)


def test_month_and_day_alone_are_this_year() -> None:
    assert read_day("12月1日", today=date(2026, 11, 22)) == date(2026, 12, 1)
    assert read_day("１２月１日", today=date(2027, 1, 3)) == date(2027, 12, 1)
    assert read_day("12月1日") is None  # no year to assume
    assert read_moment("3月12日 14:30", today=date(2026, 5, 1)) == datetime(2026, 3, 12, 14, 30)


@pytest.mark.parametrize(("text", "today", "meant"), [
    ("1月5日 9:00", date(2026, 12, 28), datetime(2027, 1, 5, 9)),  # planned for next week
    ("12月28日 15:00", date(2027, 1, 3), datetime(2026, 12, 28, 15)),  # held last week, typed up now
    ("3月12日 14:30", date(2026, 5, 1), datetime(2026, 3, 12, 14, 30)),
    ("6月30日 9:00", date(2026, 1, 2), datetime(2026, 6, 30, 9)),  # ahead within the year
    ("2月29日 9:00", date(2027, 12, 20), datetime(2028, 2, 29, 9)),  # next year has it
    ("2026年1月5日 9:00", date(2026, 12, 28), datetime(2026, 1, 5, 9)),  # a written year is kept
])
def test_a_talks_time_without_its_year_is_the_nearest_such_day(text: str, today: date, meant: datetime) -> None:
    assert parse_moment(text, today) == meant


@pytest.mark.parametrize(("text", "meant"), [
    ("2026-12-1 9点", datetime(2026, 12, 1, 9)),
    ("2026-12-1 14时", datetime(2026, 12, 1, 14)),
    ("2026-12-1 上午9时", datetime(2026, 12, 1, 9)),
    ("2026-12-1 下午3点半", datetime(2026, 12, 1, 15, 30)),
    ("2026-12-1下午3点半", datetime(2026, 12, 1, 15, 30)),
    ("2026年12月1日晚上8点", datetime(2026, 12, 1, 20)),
    ("2026年12月1日 早上8点30分", datetime(2026, 12, 1, 8, 30)),
    ("2026-12-1 中午12点", datetime(2026, 12, 1, 12)),
    ("2026-12-1 中午1点半", datetime(2026, 12, 1, 13, 30)),
    ("2026-12-1 下午15:00", datetime(2026, 12, 1, 15)),  # the 24-hour hour as written
    ("2026-12-1 晚上20点", datetime(2026, 12, 1, 20)),
    ("2026-12-1 9点半", datetime(2026, 12, 1, 9, 30)),
    ("2026-12-1 下午3:30", datetime(2026, 12, 1, 15, 30)),
    ("２０２６年１２月１日　下午３点", datetime(2026, 12, 1, 15)),
    ("12月1日下午3点", datetime(2026, 12, 1, 15)),
])
def test_times_as_people_say_them(text: str, meant: datetime) -> None:
    assert parse_moment(text, date(2026, 11, 22)) == meant


@pytest.mark.parametrize(("text", "reason"), [
    ("2026-12-1 晚上12点", "说不清是中午还是半夜"),
    ("2026-12-1 上午12点", "说不清是中午还是半夜"),
    ("2026-12-1 下午12点", "说不清是中午还是半夜"),
    ("2026-12-1 上午15点", "上午没有 15 点"),
    ("2026-12-1 晚上3点", "晚上没有 3 点"),
    ("2026-12-1 下午0点", "下午没有 0 点"),
    ("2026-12-1 25点", "时刻 25:00 不存在"),
    ("2026-12-1 9点61分", "时刻 9:61 不存在"),
    ("2026-12-1 下午", "无法识别的日期"),
    ("2026-3-14:30", "无法识别的日期"),  # not the 1st at 4:30: a time is set off from a day in digits
])
def test_a_time_that_names_no_moment_or_two_is_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_moment(text, date(2026, 11, 22))


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
    ambiguous = run_cli(["talk", "new", "张三", "--type", "routine", "--interviewer", "李四", "--at",
                         "2026-11-01 晚上12点"])
    assert ambiguous.exit_code == 2 and "说不清是中午还是半夜" in ambiguous.stderr


def test_a_time_option_takes_the_time_as_people_say_it(demo_db: Path) -> None:
    """`--at` reads 下午3点半 and takes a day without its year as the nearest such day, as the app's time fields
    do (the clock is pinned to 2026-11-22: "1月5日" is next January's, not a day ten months gone)."""
    assert MOMENT.convert("1月5日 下午3点半", None, None) == datetime(2027, 1, 5, 15, 30)
    people = json.loads(run_cli(["--db", str(demo_db), "people", "--json"]).stdout)
    first, second = (person["name"] for person in people[:2])
    result = run_cli(["--db", str(demo_db), "talk", "new", first, "--type", "routine", "--interviewer", second,
                      "--at", "12月1日 下午3点半"])
    assert result.exit_code == 0, result.output
    assert "2026-12-01 15:30" in result.stdout
