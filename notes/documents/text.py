"""Text as it goes onto paper: control characters removed, dates and people written the Chinese way.

Stored text is never changed; only the copy placed in a document is cleaned. A document keeps letters, tabs and
line breaks. C0 controls (NUL, ESC, BEL …), DEL and C1 controls have no meaning on paper, and docxtpl would even
act on some (BEL starts a new paragraph, FF a new page); bidi embeddings and overrides would reorder a line so
that a reader sees something else than what was recorded; U+FFFE/U+FFFF are not allowed in XML. A lone
surrogate cannot be written as UTF-8 and is replaced by U+FFFD, so the rest of the text survives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

_REMOVED = (
    [code for code in range(0x20) if code not in (0x09, 0x0A)]
    + [0x7F]
    + list(range(0x80, 0xA0))
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
    + [0xFFFE, 0xFFFF]
)
_TRANSLATION: dict[int, str | None] = {code: None for code in _REMOVED}
_TRANSLATION.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
_LINE_ENDINGS = re.compile(r"\r\n?")
# Any character clean_text would change: most text has none, and a search is much cheaper than a translation.
_NEEDS_CLEANING = re.compile("[" + "".join(re.escape(chr(c)) for c in [*_REMOVED, 0x0D]) + "\ud800-\udfff]")


def clean_text(value: object) -> str:
    """The text a document may show: line endings as \\n, no control or reordering characters."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not _NEEDS_CLEANING.search(text):
        return text
    if "\r" in text:
        text = _LINE_ENDINGS.sub("\n", text)
    return text.translate(_TRANSLATION)


def clean_context(value: Any) -> Any:
    """Every string in a (nested) template context cleaned; other values kept."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: clean_context(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_context(item) for item in value]
    return value


def _as_datetime(value: date | datetime | str) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = value.strip()
    return datetime.fromisoformat(text) if len(text) > 10 else datetime.combine(date.fromisoformat(text), datetime.min.time())


def chinese_date(value: date | datetime | str | None) -> str:
    """2026年3月12日 (GB/T 9704: Arabic numerals, no leading zeros); '' for no date."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return f"{int(value[:4])}年{int(value[5:7])}月{int(value[8:10])}日"  # ISO text: no parsing needed
    moment = _as_datetime(value)
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _has_time(value: date | datetime | str) -> bool:
    return isinstance(value, datetime) or (isinstance(value, str) and len(value.strip()) > 10)


def chinese_clock(moment: datetime) -> str:
    return f"{moment.hour}时{moment.minute:02d}分"


def chinese_time_span(start: date | datetime | str | None, end: date | datetime | str | None) -> str:
    """2026年3月12日14时30分至15时20分; the date is repeated only when the talk ran past midnight."""
    if start is None or start == "":
        return chinese_date(end)
    first = _as_datetime(start)
    text = chinese_date(first) + (chinese_clock(first) if _has_time(start) else "")
    if end is None or end == "" or not _has_time(end) or not _has_time(start):
        return text
    last = _as_datetime(end)
    if last.date() != first.date():
        return f"{text}至{chinese_date(last)}{chinese_clock(last)}"
    return f"{text}至{chinese_clock(last)}"


def person_label(unit: str | None, position: str | None, name: str) -> str:
    """单位·职务·姓名, leaving out what is unknown."""
    return "·".join(part for part in (unit, position, name) if part)


def numbered(items: Iterable[str]) -> list[str]:
    """'1. …', '2. …' when there are several items; a single item stays as it is."""
    texts = [item for item in items if item]
    if len(texts) < 2:
        return texts
    return [f"{index}. {text}" for index, text in enumerate(texts, start=1)]


def lines(items: Iterable[str]) -> str:
    """Items one per line: docxtpl turns a line break inside a value into a break in the same paragraph."""
    return "\n".join(item for item in items if item)
