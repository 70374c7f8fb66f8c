"""One cell at a time: a cell's text, a header compared loosely, a name as stored (and why a text is no name), a
date as typed in a roster, a gender."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

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


_YMD = re.compile(r"^(\d{4})[年./\-](\d{1,2})(?:[月./\-](?:(\d{1,2})日?)?)?[.]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_WITH_TIME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
DATE_HINT = "请写成 1985-03-01、1985.03 或 1985年3月"


def _from_parts(year: int, month: int, day: int | None, today: date) -> str:
    if year > today.year:
        raise ValueError("日期在今天之后")
    if year < EARLIEST_YEAR:
        raise ValueError(f"年份 {year} 不合理")
    if not 1 <= month <= 12:
        raise ValueError(f"月份 {month} 不存在")
    if day is None:
        if (year, month) > (today.year, today.month):
            raise ValueError("日期在今天之后")
        return f"{year:04d}-{month:02d}"
    try:
        found = date(year, month, day)
    except ValueError:
        raise ValueError(f"{year}年{month}月没有{day}日") from None
    if found > today:
        raise ValueError("日期在今天之后")
    return found.isoformat()


def parse_roster_date(value: Any, today: date) -> str | None:
    """A roster date as 'YYYY-MM-DD', or 'YYYY-MM' when only the month is known; None for a blank cell.

    Raises ValueError with a Chinese reason. Numbers: 1985.03 is year.month (as Excel shows it, so a cell that
    displays 1985.1 is January); 5-digit numbers are Excel serial dates; 198503 and 19850301 are compact forms.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _from_parts(value.year, value.month, value.day, today)
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value))
    else:
        text = str(value)
    text = unicodedata.normalize("NFKC", text).strip()
    timed = _WITH_TIME.match(text)
    if timed:
        text = timed.group(1)
    text = re.sub(r"\s+", "", text)
    if _SERIAL.match(text):
        serial = int(float(text))
        day = EXCEL_EPOCH + timedelta(days=serial)
        return _from_parts(day.year, day.month, day.day, today)
    match = _YMD.match(text) or _COMPACT.match(text)
    if match:
        year, month, day_text = match.group(1), match.group(2), match.group(3)
        return _from_parts(int(year), int(month), int(day_text) if day_text else None, today)
    if re.fullmatch(r"\d{4}年?", text):
        raise ValueError(f"「{text}」只有年份，缺少月份")
    raise ValueError(f"无法识别的日期「{text}」")


def parse_gender(text: str) -> str | None:
    folded = text.strip()
    if not folded:
        return None
    if folded in ("男", "男性", "M", "m"):
        return "男"
    if folded in ("女", "女性", "F", "f"):
        return "女"
    raise ValueError(f"性别「{folded}」应为 男 或 女")
