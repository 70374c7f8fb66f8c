"""Input checks shared by the record modules: text that can be stored exactly, dates and instants.

Stored text is never altered. What SQLite cannot hold exactly (a lone surrogate has no UTF-8 form) is refused
with a message that says where it is; everything else — markup, escape sequences, NUL, bidi controls, very long
text — is kept as typed and made harmless only where it is shown.
"""

from __future__ import annotations

from datetime import date, datetime

from notes.errors import InvalidInput

# Generous: a 200,000-character paste must be kept; the TUI caps its editors far lower (tui/safe.py).
MAX_TEXT_CHARS = 500_000


def check_text(value: object, label: str, *, required: bool = False, max_chars: int = MAX_TEXT_CHARS) -> str:
    """The text itself, unchanged, or InvalidInput naming the field and the problem."""
    if not isinstance(value, str):
        raise InvalidInput(f"{label}应为文本，收到的是 {type(value).__name__}。")
    if required and not value.strip():
        raise InvalidInput(f"{label}不能为空。请填写后重试。")
    if len(value) > max_chars:
        raise InvalidInput(f"{label}太长：{len(value)} 个字符，最多 {max_chars} 个。请分成几条记录。")
    try:
        value.encode("utf-8")  # the only text SQLite cannot hold exactly; C speed, also for 200,000 characters
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        raise InvalidInput(
            f"{label}第 {exc.start + 1} 个字符（U+{code:04X}）是不完整的字符，无法保存，"
            "通常来自损坏的复制粘贴。请删除该字符后重试；其余内容未受影响。"
        ) from None
    return value


def check_choice(value: object, label: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise InvalidInput(f"{label}“{value}”无效，应为以下之一：{'、'.join(choices)}。")
    return str(value)


def parse_date(value: date | str, label: str) -> str:
    """YYYY-MM-DD, from a date or from text (an instant's date part is accepted)."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = check_text(value, label, required=True, max_chars=40).strip()
    try:
        return (date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()).isoformat()
    except ValueError:
        raise InvalidInput(f"{label}“{text}”不是有效日期，应写作 2026-03-12。") from None


def parse_instant(value: datetime | date | str, label: str) -> str:
    """A date (YYYY-MM-DD) stays a date; a time is kept to the second in local time (YYYY-MM-DDTHH:MM:SS)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value.isoformat()
    else:
        text = check_text(value, label, required=True, max_chars=40).strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(f"{label}“{text}”不是有效时间，应写作 2026-03-12T09:30 或 2026-03-12。") from None
        if len(text) == 10:
            return moment.date().isoformat()
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat()


def instant_value(text: str) -> datetime:
    """A stored date or instant as a datetime (a bare date is midnight), for ordering and offsets."""
    return datetime.fromisoformat(text)
