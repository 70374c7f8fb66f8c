"""Dates and times as people type them: 2026-12-01, 2026/12/1, 2026.12.01, 2026年12月1日, 12月1日 (this year),
20261201, with full-width digits and punctuation too, and a time as 14:30, 14：30 or 14时30分.

Stored values stay ISO (schema.sql); this module only reads what a user typed on the command line or in a form.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

_DAY = re.compile(
    r"(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    r"|(?:(?P<cn_year>\d{4})年)?(?P<cn_month>\d{1,2})月(?P<cn_day>\d{1,2})[日号]?"
    r"|(?P<packed_year>\d{4})(?P<packed_month>\d{2})(?P<packed_day>\d{2})"
)
_TIME = re.compile(r"(?P<hour>\d{1,2})(?::|时|点)(?P<minute>\d{1,2})(?:(?::(?P<second>\d{1,2}))|分)?")

DAY_EXAMPLE = "2026-03-12（也可写 2026/3/12、2026.3.12 或 2026年3月12日）"
MOMENT_EXAMPLE = "2026-03-12 14:30（也可写 2026年3月12日 14时30分）"


def _normalised(text: str) -> str:
    # NFKC turns full-width digits, colons and slashes into ASCII; an IME often types them.
    return unicodedata.normalize("NFKC", text).strip()


def _day_from(match: re.Match[str], this_year: int | None) -> date | None:
    parts = match.groupdict()
    year = parts["year"] or parts["cn_year"] or parts["packed_year"] or this_year
    month = parts["month"] or parts["cn_month"] or parts["packed_month"]
    day = parts["day"] or parts["cn_day"] or parts["packed_day"]
    if year is None:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def read_day(text: str, today: date | None = None) -> date | None:
    """The day written in `text`, or None when it is not a real date in one of the accepted forms. "12月1日"
    without a year is in `today`'s year (and refused when `today` is not given)."""
    match = _DAY.fullmatch(_normalised(text))
    return _day_from(match, today.year if today else None) if match else None


def read_moment(text: str, today: date | None = None) -> datetime | None:
    """A day and a time of day ("2026-03-12 14:30", "2026-03-12T14:30:00", "2026年3月12日14时30分"), or None.
    The day may leave out the year as in `read_day`."""
    value = _normalised(text)
    day_match = _DAY.match(value)
    if day_match is None:
        return None
    day = _day_from(day_match, today.year if today else None)
    rest = value[day_match.end():].lstrip(" T")
    time_match = _TIME.fullmatch(rest)
    if day is None or time_match is None:
        return None
    try:
        moment = time(int(time_match["hour"]), int(time_match["minute"]), int(time_match["second"] or 0))
    except ValueError:
        return None
    return datetime.combine(day, moment)
