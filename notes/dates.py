"""Dates and times as people write them, read by one reader for every place a date is typed: the command line,
the app's date fields and the cells of a roster (prep/roster/cells.py).

`read_written_date` is that reader. It accepts 2026-12-01, 2026/12/1, 2026.12.01, 2026年12月1日 (or 1号),
20261201, the separators mixed as rosters mix them (1985年03-01, 1985.3.1日, 1985 03), a month alone (2026.12,
2026年12月, 1985.3月, 202612), a month and day without the year (12月1日), full-width digits and punctuation and
spaces around the separators, and a time of day after a day (14:30, 14：30, 14时30分, 14点30, 9点, 3点半, 下午3点,
14:30:00.000, after a space, a T or 上午/下午/晚上/中午). It returns the parts as written (the year None when the text
names none, so a caller can say which year it took) and refuses, with the reason in Chinese, a month, a day or a
time of day that does not exist or that says two things (晚上12点). What is enough is the caller's to say: a day
(`read_day`) needs the day and takes a missing year as this year; a talk's time (`read_moment`) takes the nearest
such day; a birth date in a roster is enough to the month but must name the year. So a form and a roster cell
read the same text as the same day.

Stored values stay ISO (schema.sql); this module only reads what a user typed.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import MINYEAR, date, datetime, time

# A year and a month apart, then a day: the separators are those people mix within one date ("1985年03-01",
# "1985.3.1日", "1985-03.01" all occur in rosters), spaces alone included ("1985 03"); a month may end in 月 and a
# day in 日 or 号. "1985年3" (no 月) is how some rosters write a month.
_SEPARATED = (
    r"(?P<year>\d{4})(?:\s*[-/.年]\s*|\s+)(?P<month>\d{1,2})"
    r"(?:(?:\s*[-/.月]\s*|\s+)(?P<day>\d{1,2})\s*[日号]?|\s*[-/.月])?"
)
_NO_YEAR = r"(?P<md_month>\d{1,2})\s*月\s*(?P<md_day>\d{1,2})\s*[日号]?"
_PACKED = r"(?P<packed_year>\d{4})(?P<packed_month>\d{2})(?P<packed_day>\d{2})?"
# 14:30 (with seconds, as spreadsheets write it), 14时30分, 14点30, 9点, 3点半, with 上午/下午/晚上/中午 before it.
_TIME = (
    r"(?P<part_of_day>上午|早上|中午|下午|晚上)?\s*(?P<hour>\d{1,2})\s*"
    r"(?::\s*(?P<minute>\d{1,2})(?:\s*:\s*(?P<second>\d{1,2})(?:\.(?P<fraction>\d+))?|\s*分)?"
    r"|[时点](?:\s*(?P<half>半)|\s*(?P<cn_minute>\d{1,2})\s*分?)?)"
)
# A time after a day written in digits is set off by a space, a T or its part of the day, so that "2026-3-14:30"
# is not read as the 1st at 4:30.
_TIME_APART = r"(?:\s+|\s*T\s*|(?<=\D)|(?=上午|早上|中午|下午|晚上))"
# A trailing full stop ("1985.03.") is common in typed rosters.
_WRITTEN = re.compile(rf"(?:{_SEPARATED}|{_NO_YEAR}|{_PACKED})\.?(?:{_TIME_APART}{_TIME})?")
_YEAR_ONLY = re.compile(r"\d{4}\s*年?")

DAY_EXAMPLE = "2026-03-12（也可写 2026/3/12、2026.3.12 或 2026年3月12日）"
MOMENT_EXAMPLE = "2026-03-12 14:30（也可写 2026年3月12日 14时30分 或 下午2点半）"

# A leap year, for checking a day written without its year: 2月29日 exists in some years.
_LEAP_YEAR = 2000


class NotADate(ValueError):
    """The text is in none of the accepted forms (as against a form that names a month or day that does not
    exist, which is a plain ValueError naming it)."""


@dataclass(frozen=True)
class WrittenDate:
    """A date as written, its month and day known to exist (in some year, when it names none)."""

    # None for 12月1日: which year is meant is the reader's to decide.
    year: int | None
    month: int
    # None for a month alone (1985年3月).
    day: int | None
    # The time of day written after the day, if any.
    at: time | None = None

    def on_year(self, year: int) -> date:
        """The day in `year` (the written year, or the one a reader supplies); ValueError when it has no such
        day (2月29日 in 2027) or the text named only a month."""
        if self.day is None:
            raise ValueError("只写到月份，缺少日")
        return _real_day(year, self.month, self.day)

    def nearest(self, today: date | None) -> date:
        """The written day; when it names no year, the one of last, this or next year nearest `today`. For a
        talk's time: on 28 December "1月5日" is a plan for next week, not a day eleven months gone, and on 3
        January "12月28日" a talk held last week and typed up now. ValueError as `on_year`, and when there is
        neither a year nor a `today`."""
        if self.year is not None:
            return self.on_year(self.year)
        if today is None:
            raise ValueError("缺少年份")

        # Which year is nearest is judged on the 28th for 2月29日, which is then refused in a year without it.
        def distance(year: int) -> int:
            last = calendar.monthrange(year, self.month)[1]
            return abs((date(year, self.month, min(self.day or 1, last)) - today).days)

        return self.on_year(min((today.year, today.year + 1, today.year - 1), key=distance))


def _real_day(year: int, month: int, day: int) -> date:
    if year < MINYEAR:
        raise ValueError(f"年份 {year} 不存在")
    if not 1 <= month <= 12:
        raise ValueError(f"月份 {month} 不存在")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"{year}年{month}月没有{day}日")
    return date(year, month, day)


def _normalised(text: str) -> str:
    # NFKC turns full-width digits, colons, slashes and spaces into ASCII; an IME often types them.
    return unicodedata.normalize("NFKC", text).strip()


def _number(text: str | None) -> int | None:
    return None if text is None else int(text)


# The hours said with a part of the day, on a 24-hour clock: 下午3点 is 15:00, 中午1点 13:00; 下午15点 is as written.
_HOURS = {
    "上午": {hour: hour for hour in range(1, 12)},
    "早上": {hour: hour for hour in range(4, 12)},
    "中午": {11: 11, 12: 12, 1: 13, 2: 14},
    "下午": {hour: hour + 12 for hour in range(1, 12)} | {hour: hour for hour in range(13, 19)},
    "晚上": {hour: hour + 12 for hour in range(6, 12)} | {hour: hour for hour in range(18, 24)},
}


def _hour(part_of_day: str | None, hour: int) -> int:
    """`hour` on a 24-hour clock, said in `part_of_day` if any. An hour not in that part is refused, and so is
    上午/下午/晚上12点, which some mean as noon and some as midnight (and then of which day)."""
    if part_of_day is None:
        return hour
    if hour in _HOURS[part_of_day]:
        return _HOURS[part_of_day][hour]
    if hour == 12:
        raise ValueError(f"“{part_of_day}12点”说不清是中午还是半夜，中午请写 12:00，半夜请写明日期和 0:00")
    raise ValueError(f"{part_of_day}没有 {hour} 点，请写 24 小时制的时刻，如 15:00")


def _time_of_day(parts: dict[str, str | None]) -> time:
    hour = _hour(parts["part_of_day"], int(parts["hour"] or 0))
    minute = 30 if parts["half"] else int(parts["minute"] or parts["cn_minute"] or 0)
    # Fractions of a second come from spreadsheets' date-time cells; a microsecond is the finest a time holds.
    fraction = int((parts["fraction"] or "0")[:6].ljust(6, "0"))
    try:
        return time(hour, minute, int(parts["second"] or 0), fraction)
    except ValueError:
        raise ValueError(f"时刻 {parts['hour']}:{minute:02d} 不存在") from None


def read_written_date(text: str) -> WrittenDate:
    """The date written in `text` as its parts. Raises NotADate when the text is in no accepted form, and
    ValueError naming the problem when it names a month, a day or a time of day that does not exist."""
    value = _normalised(text)
    match = _WRITTEN.fullmatch(value)
    if match is None:
        if _YEAR_ONLY.fullmatch(value):
            raise NotADate(f"「{value}」只有年份，缺少月份")
        raise NotADate(f"无法识别的日期「{value}」")
    parts = match.groupdict()
    year = _number(parts["year"] or parts["packed_year"])
    month = int(parts["month"] or parts["md_month"] or parts["packed_month"])
    day = _number(parts["day"] or parts["md_day"] or parts["packed_day"])
    if day is None and parts["hour"] is not None:
        raise NotADate(f"无法识别的日期「{value}」")
    if not 1 <= month <= 12:
        raise ValueError(f"月份 {month} 不存在")
    if day is not None and year is not None:
        _real_day(year, month, day)
    elif day is not None and not 1 <= day <= calendar.monthrange(_LEAP_YEAR, month)[1]:
        raise ValueError(f"{month}月没有{day}日")
    at = None if parts["hour"] is None else _time_of_day(parts)
    return WrittenDate(year, month, day, at)


def _year_for(written: WrittenDate, today: date | None) -> int:
    if written.year is not None:
        return written.year
    if today is None:
        raise ValueError("缺少年份")
    return today.year


def parse_day(text: str, today: date | None = None) -> date:
    """The day written in `text`; ValueError with the reason in Chinese when it is none. "12月1日" without a
    year is in `today`'s year (and refused when `today` is not given); a month alone or a time is refused."""
    written = read_written_date(text)
    if written.at is not None:
        raise ValueError("这里只写日期，不带时刻")
    return written.on_year(_year_for(written, today))


def parse_moment(text: str, today: date | None = None) -> datetime:
    """A day and a time of day ("2026-03-12 14:30", "2026-03-12T14:30:00", "2026年3月12日14时30分",
    "12月1日下午3点半"). A moment is a talk's time, so a day without its year is the nearest such day
    (`WrittenDate.nearest`; refused when `today` is not given). ValueError with the reason in Chinese when it is
    none."""
    written = read_written_date(text)
    if written.at is None:
        raise ValueError("缺少时刻")
    return datetime.combine(written.nearest(today), written.at)


def read_day(text: str, today: date | None = None) -> date | None:
    """`parse_day`, or None when the text is not a day."""
    try:
        return parse_day(text, today)
    except ValueError:
        return None


def read_moment(text: str, today: date | None = None) -> datetime | None:
    """`parse_moment`, or None when the text is not a moment."""
    try:
        return parse_moment(text, today)
    except ValueError:
        return None
