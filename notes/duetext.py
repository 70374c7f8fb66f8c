"""A deadline read from what the interviewer wrote: "两周内整改到位", "本月底前报告", "3个月内完成",
"12月31日前", "年底前", "2027年1月15日前提交". The follow-up dialog proposes it as the due date (editable); when the
text names none, it proposes its default instead. Dates written out go through notes/dates.py read_day, so they
read the same as in every date field.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, timedelta

from notes.dates import read_day

_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER = r"\d{1,3}|[零一二两三四五六七八九十]{1,3}|半"
# "两周内", "10天内", "3个月内", "半年内", "一个半月内", "15个工作日内" (working days read as calendar days: a
# proposal the user can shorten, never a deadline later than meant by more than the weekends).
_SPAN = re.compile(rf"(?<!\d)(?P<count>{_NUMBER})(?P<half>个半)?(?:个)?(?P<unit>天|日|工作日|周|星期|礼拜|月|季度|年)(?:之?内|以内|内)")
# A date written out: 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日, 12月31日 (the next such day).
_WRITTEN_DAY = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]?")
_END_OF = (
    (re.compile(r"下(?:个)?月(?:底|末)"), "next_month"),
    (re.compile(r"(?:本|这个|当)?月(?:底|末)|本月内|当月内"), "month"),
    (re.compile(r"(?:本|这个)?(?:季度)(?:末|底|内)"), "quarter"),
    (re.compile(r"上半年"), "half"),
    (re.compile(r"(?:本|今|当)?年(?:底|末)|年内|本年度内|今年内"), "year"),
    (re.compile(r"下周(?:内|末)?"), "next_week"),
    (re.compile(r"本周(?:内|末)?|这周(?:内|末)?"), "week"),
)


def _number(text: str) -> float:
    """10, 两, 十二, 二十, 半 → the number they write."""
    if text.isdigit():
        return float(text)
    if text == "半":
        return 0.5
    if "十" in text:
        tens, _, ones = text.partition("十")
        return float((_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0))
    return float(_DIGITS[text]) if text in _DIGITS else 0.0


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _span_day(match: re.Match[str], today: date) -> date | None:
    count = _number(match["count"]) + (0.5 if match["half"] else 0)
    if count <= 0:
        return None
    unit = match["unit"]
    if unit in ("天", "日", "工作日"):
        return today + timedelta(days=round(count))
    if unit in ("周", "星期", "礼拜"):
        return today + timedelta(days=round(count * 7))
    months = count * {"月": 1, "季度": 3, "年": 12}[unit]
    whole = int(months)
    day = _add_months(today, whole)
    return day + timedelta(days=15) if months - whole else day  # 半个月 is about 15 days


def _end_day(kind: str, today: date) -> date:
    if kind == "month":
        return _month_end(today.year, today.month)
    if kind == "next_month":
        following = _add_months(today.replace(day=1), 1)
        return _month_end(following.year, following.month)
    if kind == "quarter":
        return _month_end(today.year, (today.month - 1) // 3 * 3 + 3)
    if kind == "half":
        return date(today.year, 6, 30)
    if kind == "year":
        return date(today.year, 12, 31)
    sunday = today + timedelta(days=6 - today.weekday())
    return sunday + timedelta(days=7) if kind == "next_week" else sunday


def _written_day(text: str, today: date) -> date | None:
    match = _WRITTEN_DAY.search(text)
    if match is None:
        return None
    written = match.group()
    day = read_day(written, today)
    if day is not None and day < today and "年" not in written and not written[:4].isdigit():
        # "1月15日前" written in November means next January
        day = read_day(f"{today.year + 1}年{written}", today)
    return day


def due_from_text(text: str, today: date) -> date | None:
    """The deadline `text` states, judged from `today`, or None when it states none. A written date wins over a
    span ("3个月内，最迟2027年1月31日前" → 2027-01-31); a day already past is not proposed."""
    value = unicodedata.normalize("NFKC", text)
    day = _written_day(value, today)
    if day is None and (span := _SPAN.search(value)) is not None:
        day = _span_day(span, today)
    if day is None:
        for pattern, kind in _END_OF:
            if pattern.search(value):
                day = _end_day(kind, today)
                break
    return day if day is not None and day >= today else None
