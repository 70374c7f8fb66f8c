"""One cell at a time: a cell's text, a header compared loosely, a name as stored (and why a text is no name), a
date as typed in a roster (its text read by notes/dates.py, as every date typed in tanxin), a gender."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from notes.dates import read_written_date

# What a name is, as stored, is the record's rule (a name typed in by hand follows the same one).
from notes.organisation import BIDI_CONTROLS, MAX_NAME_CHARS, NAME_FORBIDDEN

EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST_YEAR = 1900


def cell_text(value: Any) -> str:
    """A cell as the text the user sees: numbers without a spurious '.0', dates as ISO, never None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def normalise_header(text: str) -> str:
    """Header cells compared without spaces, full-width forms, stars, colons or a parenthesised hint."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", folded)
    return re.sub(r"[\s*:：]", "", folded)


def control_problem(text: str) -> str | None:
    """Why a cell cannot be stored as it is: an invisible control (a bidi override reverses text on screen).
    Line breaks and tabs, which Excel cells hold, are text."""
    if any((unicodedata.category(c) in ("Cc", "Cf") or c in BIDI_CONTROLS) and c not in "\n\r\t" for c in text):
        return "含有不可见的控制字符（如文字方向控制符），请在表格中重新输入这一格"
    return None


def name_problem(name: str) -> str | None:
    """Why this (normalised) text cannot be a person's name, or None."""
    if not name:
        return "姓名为空"
    if control_problem(name):
        return "姓名含有不可见的控制字符（如文字方向控制符），请在表格中重新输入"
    if len(name) > MAX_NAME_CHARS:
        return f"姓名过长（{len(name)} 个字符），可能是说明文字而不是姓名"
    if NAME_FORBIDDEN.search(name):
        return f"姓名「{name}」含有数字或标点，可能填错了列"
    return None


_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
DATE_HINT = "请写成 1985-03-01、1985.03 或 1985年3月"


def _within(year: int, month: int, day: int | None, today: date) -> str:
    """A roster date that exists (notes/dates.py checked the month and day) as stored, if it is one a person's
    dates can be: not before 1900, not after today."""
    if (year, month, day or 1) > (today.year, today.month, today.day):
        raise ValueError("日期在今天之后")
    if year < EARLIEST_YEAR:
        raise ValueError(f"年份 {year} 不合理")
    return f"{year:04d}-{month:02d}" if day is None else date(year, month, day).isoformat()


def parse_roster_date(value: Any, today: date) -> str | None:
    """A roster date as 'YYYY-MM-DD', or 'YYYY-MM' when only the month is known; None for a blank cell.

    Text is read by notes/dates.py read_written_date, the reader of every date typed in tanxin, so a cell
    reads as the command line and the app's date fields read the same text; a time of day after the date (a
    spreadsheet's date-time cell saved as text) is dropped. What only a cell can hold is handled here: date and
    date-time cell values, 5-digit numbers as Excel serial dates, and numbers read as Excel shows them (1985.03
    is year.month, so a cell that displays 1985.1 is January; 198503 and 19850301 are compact forms). A roster
    date must name its year ("3月1日" is refused: it cannot be this year's).

    Raises ValueError with a Chinese reason.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _within(value.year, value.month, value.day, today)
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
    if _SERIAL.fullmatch(text):
        day = EXCEL_EPOCH + timedelta(days=int(float(text)))
        return _within(day.year, day.month, day.day, today)
    written = read_written_date(text)
    if written.year is None:
        raise ValueError(f"「{text}」缺少年份")
    return _within(written.year, written.month, written.day, today)


def parse_gender(text: str) -> str | None:
    folded = text.strip()
    if not folded:
        return None
    if folded in ("男", "男性", "M", "m"):
        return "男"
    if folded in ("女", "女性", "F", "f"):
        return "女"
    raise ValueError(f"性别「{folded}」应为 男 或 女")
