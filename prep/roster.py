"""Importing the rosters units already keep (党员花名册, 会员名册) from XLSX or CSV.

Real rosters are untidy: Chinese headers in any order and wording (姓名 / 姓 名, 出生年月 / 出生日期 …), a merged
title row above the header, blank rows, a 合计 line, dates typed every way (1985.03, 1985年3月, 1985-03-01,
1985/3/1, Excel dates and serial numbers), names with spaces or a middle dot, CSV saved by Chinese Excel in GBK.
The header row is found by its content, not its position.

The import is all-or-nothing: the whole file is checked first, every problem is reported with its row (as Excel
numbers it), its column (the header as written) and a reason, and nothing is written unless there is none. Then
one transaction writes everything.

Identity (people.identity_key) — how a re-import finds the person it already holds:
  "姓名|出生年月" (name with whitespace removed, birth year-month: "张三|1985-03"). Rosters almost always keep the
  birth month, and the month survives the many ways it is typed (1985.03 and 1985-03-01 give the same key). Without
  a birth date: "姓名|电话…", else "姓名|所在组织". Two rows of one file with the same key are reported, not merged.
  A person entered by hand (or keyed another way) is matched by the same name and birth month, and then gets
  the key; several such people are reported, not guessed between.

What a re-import changes: the columns the file has, where the cell is filled (a blank cell never erases what the
database knows); the person's unit; and the roles the roster speaks for — membership roles (党员, 预备党员, 发展对象,
流动党员, 离退休, 生病住院, 会员, 拟入会) always, branch offices (支部书记, 支委; 主委, 副主委, 常委, 委员) when the file
has a 党内职务 column (a 支部书记 is recorded as 支委 too, a 主委 or 副主委 as 班子成员 too: the packs' convention). A
role that changes is ended on the effective date and the new one starts on it, so the history stays. Other
leadership roles (主要负责同志, 班子成员, 部门负责人, 分管) are never touched by a roster. People absent from the file
are left as they are (a roster is often one branch's).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes.errors import InvalidInput
from notes.model import Person, Role, list_people, open_roles, unit_tree
from notes.store import Store

if TYPE_CHECKING:
    from prep.packs import Policy

# The fields tanxin keeps, each with the header words rosters use for it (compared after normalise_header).
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "党员姓名", "会员姓名"),
    "gender": ("性别",),
    "birth_date": ("出生年月", "出生日期", "出生年月日", "出生时间", "生日"),
    "ethnicity": ("民族",),
    "native_place": ("籍贯",),
    "education": ("学历", "文化程度", "最高学历", "全日制学历", "学历学位"),
    "joined_date": ("入党时间", "入党日期", "入党年月", "入会时间", "入会日期", "入会年月"),
    "work_start_date": ("参加工作时间", "参加工作日期", "参加工作年月", "工作时间"),
    "unit": (
        "所在党支部", "党支部", "所在支部", "支部", "所属支部", "所属党支部", "所在党组织", "所属党组织",
        "所在组织", "所属组织", "基层组织", "所在基层组织", "所属基层组织",
    ),
    "position": ("职务", "行政职务", "现任职务", "职务职级", "工作单位及职务", "单位及职务"),
    "offices": ("党内职务", "支部职务", "党内职务支部职务", "会内职务"),
    "category": ("人员类别", "党员类别", "党员身份", "党员状态", "会员类别", "类别", "身份"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "note": ("备注",),
}
HEADER_TO_FIELD = {alias: name for name, aliases in FIELD_HEADERS.items() for alias in aliases}
FIELD_LABELS = {name: aliases[0] for name, aliases in FIELD_HEADERS.items()}
DATE_FIELDS = ("birth_date", "joined_date", "work_start_date")
# Columns copied to the people table as they are (after trimming).
TEXT_FIELDS = ("ethnicity", "native_place", "education", "position", "phone", "note")
HEADER_SEARCH_ROWS = 30

# Lines that are not people: totals, repeated headers, and the notes at the foot of a printed form.
SKIP_PREFIXES = ("合计", "总计", "小计", "共计", "制表", "填表", "审核", "注：", "注:", "说明")

# 人员类别 words → (membership, role). None for membership: keep the default membership; None for role: no role.
CATEGORY_WORDS: dict[str, tuple[str | None, str | None]] = {
    "正式党员": ("正式党员", "党员"),
    "党员": ("正式党员", "党员"),
    "中共党员": ("正式党员", "党员"),
    "在职党员": (None, None),
    "在职": (None, None),
    "预备党员": ("预备党员", "预备党员"),
    "中共预备党员": ("预备党员", "预备党员"),
    "发展对象": ("发展对象", "发展对象"),
    "入党积极分子": ("入党积极分子", None),
    "积极分子": ("入党积极分子", None),
    "流动党员": (None, "流动党员"),
    "外出流动党员": (None, "流动党员"),
    "流动": (None, "流动党员"),
    "离退休": (None, "离退休"),
    "离退休党员": (None, "离退休"),
    "离退休干部": (None, "离退休"),
    "退休": (None, "离退休"),
    "退休党员": (None, "离退休"),
    "退休干部": (None, "离退休"),
    "离休": (None, "离退休"),
    "离休党员": (None, "离退休"),
    "生病住院": (None, "生病住院"),
    "会员": ("会员", "会员"),
    "拟入会": ("拟入会", "拟入会"),
    "拟入会人员": ("拟入会", "拟入会"),
}
MEMBERSHIP_ROLES = {"正式党员": "党员", "预备党员": "预备党员", "发展对象": "发展对象", "会员": "会员",
                    "拟入会": "拟入会"}
# The roles a roster speaks for: membership roles always, branch offices when the file has a 党内职务 column.
MEMBERSHIP_ROLE_NAMES = frozenset({"党员", "预备党员", "发展对象", "流动党员", "离退休", "生病住院", "会员", "拟入会"})
OFFICE_ROLE_NAMES = frozenset({"支部书记", "支委", "主委", "副主委", "常委", "委员"})

# The packs' registration convention (headers of suzhou-2018 and minjin-cq-2023): a 支部书记 is also a 支委, a 主委
# or 副主委 also a 班子成员, so the frequency rules count them. A roster that names the office records both.
IMPLIED_ROLES = {"支部书记": "支委", "主委": "班子成员", "副主委": "班子成员"}
ROSTER_SOURCE = "花名册"  # roles.source of what a roster recorded: "花名册 <file>"
NO_OFFICE_WORDS = frozenset({"无", "暂无", "-", "—", "--", "/", "／", "党员", "会员", "普通党员", "普通会员"})
SECRETARY_WORDS = frozenset({"书记", "支部书记", "党支部书记", "总支书记", "党总支书记"})
DEPUTY_SECRETARY_WORDS = frozenset({"副书记", "支部副书记", "党支部副书记", "总支副书记", "党总支副书记"})
MINJIN_OFFICE_WORDS = {"主委": "主委", "副主委": "副主委", "专职副主委": "副主委", "常委": "常委"}
LIST_SEPARATORS = re.compile(r"[、，,;；/／()\s]+")  # after NFKC: （） are ()

# A name holds letters, marks and the middle dot; these never belong in one (a footer line, a pasted cell).
NAME_FORBIDDEN = re.compile(r"[0-9０-９:：;；,，()（）\[\]【】<>《》/\\|@#$%^&*=+?？!！\"'“”‘’]")
MAX_NAME_CHARS = 40
MIDDLE_DOTS = "·•‧・∙⋅．"
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

EXCEL_EPOCH = date(1899, 12, 30)
EARLIEST_YEAR = 1900


# -- cells, headers, names, dates --------------------------------------------------------------------------


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


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") or char == "·"


def normalise_name(text: str) -> str:
    """A roster name as stored: NFC; any middle dot as U+00B7; no whitespace between Chinese characters
    ("张 三", "司马　倩" → "张三", "司马倩"); other whitespace runs (Latin names) kept as one space."""
    name = unicodedata.normalize("NFC", text)
    name = "".join("·" if c in MIDDLE_DOTS else c for c in name).strip()
    parts = name.split()
    if not parts:
        return ""
    joined = parts[0]
    for part in parts[1:]:
        glue = "" if _is_cjk(joined[-1]) or _is_cjk(part[0]) else " "
        joined += glue + part
    return joined


def name_problem(name: str) -> str | None:
    """Why this (normalised) text cannot be a person's name, or None."""
    if not name:
        return "姓名为空"
    if any(unicodedata.category(c) in ("Cc", "Cf") or c in BIDI_CONTROLS for c in name):
        return "姓名含有不可见的控制字符，请在表格中重新输入"
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


def split_words(text: str) -> list[str]:
    return [word for word in LIST_SEPARATORS.split(unicodedata.normalize("NFKC", text).strip()) if word]


# -- reading files -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet (or the CSV) as rows of cell values, each row with the number Excel shows for it."""

    sheet: str
    rows: list[tuple[int, list[Any]]]


def _displayed_number(value: Any, number_format: str | None) -> Any:
    """A float in a cell formatted with fixed decimals ('0.00') as the text Excel displays: 1985.10 stays
    October instead of becoming the float 1985.1."""
    if isinstance(value, float) and number_format:
        decimals = re.fullmatch(r"0\.(0+)", number_format)
        if decimals:
            return f"{value:.{len(decimals.group(1))}f}"
    return value


def read_xlsx(path: Path) -> list[Table]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(
            f"无法读取 {path.name}：它不是有效的 .xlsx 文件（{type(exc).__name__}）。"
            "请用 Excel 或 WPS 打开后另存为 .xlsx 或 CSV 再导入；加密的工作簿请先取消密码。"
        ) from None
    tables: list[Table] = []
    try:
        for sheet in workbook.worksheets:
            rows: list[tuple[int, list[Any]]] = []
            number = 0
            for cells in sheet.iter_rows():
                # Read-only sheets pad missing rows when they know their size, and skip them when they do not:
                # a row's own number wins over counting.
                numbered = next((c.row for c in cells if getattr(c, "row", None)), None)
                number = numbered if numbered is not None else number + 1
                rows.append((number, [_displayed_number(c.value, getattr(c, "number_format", None)) for c in cells]))
            tables.append(Table(sheet.title, rows))
    finally:
        workbook.close()
    return tables


def decode_csv(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Chinese Excel writes for 'CSV (逗号分隔)'."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"无法识别 {name} 的文字编码（不是 UTF-8，也不是 GBK/GB18030）。请另存为 UTF-8 编码的 CSV。")


def read_csv(path: Path) -> list[Table]:
    text = decode_csv(path.read_bytes(), path.name)
    if "\x00" in text:
        raise InvalidInput(f"{path.name} 含有空字符，不像是 CSV 文本文件。请确认选择了正确的文件。")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        rows = [(number, list(row)) for number, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise InvalidInput(f"{path.name} 的 CSV 格式有误（{exc}）。请用 Excel 重新另存为 CSV。") from None
    return [Table(path.stem, rows)]


def read_tables(path: Path) -> list[Table]:
    if not path.exists():
        raise InvalidInput(f"找不到文件 {path}。")
    if path.is_dir():
        raise InvalidInput(f"{path} 是目录，请给出花名册文件（.xlsx 或 .csv）。")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    if suffix in (".xls", ".et", ".wps"):
        raise InvalidInput(f"不支持旧格式 {suffix}。请在 Excel 或 WPS 中把 {path.name} 另存为 .xlsx 或 CSV 后再导入。")
    raise InvalidInput(f"不认识的文件类型 {path.name}：花名册应为 .xlsx 或 .csv 文件。")


# -- parsing rows ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RosterProblem:
    """One thing wrong with the file: where (sheet, row as Excel numbers it, column as headed) and why."""

    sheet: str
    row: int
    column: str
    reason: str

    def describe(self) -> str:
        where = f"工作表「{self.sheet}」" if self.sheet else ""
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」列"
        return f"{where}：{self.reason}" if where else self.reason


class RosterInvalid(InvalidInput):
    """The file has problems; nothing was written. `problems` lists every one."""

    def __init__(self, file_name: str, problems: Sequence[RosterProblem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p.describe()}" for p in self.problems)
        super().__init__(
            f"花名册 {file_name} 有 {len(self.problems)} 处问题，未导入任何数据（导入要么全部成功，要么不做改动）：\n"
            f"{lines}\n请在表格中改正以上各处后重新导入。"
        )


@dataclass(frozen=True, slots=True)
class RosterTerms:
    """What a blank 人员类别 means and how a bare 委员 reads: a Party roster or a 民进 one."""

    member_role: str = "党员"
    default_membership: str = "正式党员"

    @property
    def is_minjin(self) -> bool:
        return self.member_role == "会员"


PARTY_TERMS = RosterTerms()
MINJIN_TERMS = RosterTerms(member_role="会员", default_membership="会员")


def terms_for(policy: Policy | None) -> RosterTerms:
    """The roster vocabulary of the active packs: 会员 terminology means a 民进 roster."""
    if policy is None:
        return PARTY_TERMS
    return MINJIN_TERMS if policy.terminology.get("member") == "会员" else PARTY_TERMS


@dataclass(frozen=True, slots=True)
class RoleClaim:
    """A role a roster row says the person holds in its unit."""

    role: str
    title: str = ""


@dataclass(slots=True)
class RosterRow:
    sheet: str
    row: int
    name: str
    unit: str | None
    identity_key: str
    values: dict[str, str]  # people columns with a value in this row
    membership: str | None  # None: the 人员类别 cell is blank or absent (keep what the database knows)
    member_roles: list[RoleClaim]  # membership and status roles stated by 人员类别
    offices: list[RoleClaim]  # branch offices stated by 党内职务 (blank: none)
    birth_month: str | None
    headers: dict[str, str]  # field → header as written, for messages


@dataclass(slots=True)
class ParsedRoster:
    file_name: str
    terms: RosterTerms = PARTY_TERMS
    rows: list[RosterRow] = field(default_factory=list)
    title: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # sheet, row, why
    has_offices: bool = False


def _header_fields(cells: list[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, value in enumerate(cells):
        if isinstance(value, str):
            name = HEADER_TO_FIELD.get(normalise_header(value))
            if name is not None:
                found[index] = name
    return found


def find_header(table: Table) -> int | None:
    """Index in table.rows of the header: the first row naming 姓名 and at least one other known field."""
    for index, (_, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        fields = _header_fields(cells)
        if "name" in fields.values() and len(set(fields.values())) >= 2:
            return index
    return None


def _title_above(table: Table, header_index: int) -> str:
    for _, cells in table.rows[:header_index]:
        texts = [cell_text(c) for c in cells if cell_text(c)]
        if len(texts) == 1:
            return texts[0]
    return ""


def organisation_name_from_title(title: str) -> str:
    """'XX机关党委党员花名册（2026年）' → 'XX机关党委': the root unit's name when the database has none."""
    name = re.sub(r"[（(]\s*\d{4}\s*年?[^）)]*[）)]|\d{4}\s*年度?", "", normalise_name(title))
    for suffix in ("党员花名册", "会员花名册", "花名册", "会员名册", "党员名册", "名册", "党员信息表", "信息表", "一览表"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name.strip(" -—_")


def _office_claims(text: str, terms: RosterTerms) -> tuple[list[RoleClaim], str | None]:
    words = split_words(text)
    if not words or all(word in NO_OFFICE_WORDS for word in words):
        return [], None
    claims: list[RoleClaim] = []
    for word in words:
        if word in NO_OFFICE_WORDS:
            continue
        if word in SECRETARY_WORDS:
            claims.append(RoleClaim("支部书记", "" if word in ("书记", "支部书记") else word))
        elif word in DEPUTY_SECRETARY_WORDS:
            claims.append(RoleClaim("支委", word))
        elif word in MINJIN_OFFICE_WORDS:
            role = MINJIN_OFFICE_WORDS[word]
            claims.append(RoleClaim(role, "" if word == role else word))
        elif word == "委员" and terms.is_minjin:
            claims.append(RoleClaim("委员"))
        elif word == "支委" or word.endswith("委员"):
            claims.append(RoleClaim("支委", "" if word == "支委" else word))
        else:
            return [], (
                f"不认识的党内职务「{word}」。可填：书记、副书记、组织委员等各类委员、主委、副主委、常委，"
                "没有职务时留空或填“无”"
            )
    return claims, None


def _category(text: str, terms: RosterTerms) -> tuple[str | None, list[str], str | None]:
    """(membership, membership and status roles, problem) from a 人员类别 cell; (None, [], None) when blank."""
    if not split_words(text):
        return None, [], None
    memberships: list[str] = []
    roles: list[str] = []
    for word in split_words(text):
        if word not in CATEGORY_WORDS:
            known = "、".join(w for w in CATEGORY_WORDS if len(w) <= 4)
            return "", [], f"不认识的人员类别「{word}」。可填：{known}"
        membership, role = CATEGORY_WORDS[word]
        if membership is not None and membership not in memberships:
            memberships.append(membership)
        if role is not None and role not in roles and role not in MEMBERSHIP_ROLES.values():
            roles.append(role)
    if len(memberships) > 1:
        return "", [], f"人员类别互相矛盾：{'、'.join(memberships)}"
    membership = memberships[0] if memberships else terms.default_membership
    member_role = MEMBERSHIP_ROLES.get(membership)
    return membership, ([member_role] if member_role else []) + roles, None


def identity_key(name: str, birth_month: str | None, phone: str, unit: str | None) -> str:
    """See the module docstring: name and birth month; else name and phone; else name and unit."""
    if birth_month:
        return f"{name}|{birth_month}"
    if phone:
        return f"{name}|电话{phone}"
    return f"{name}|{unit or ''}"


def _skip_reason(cells: list[Any], fields: dict[int, str]) -> str | None:
    texts = [cell_text(c) for c in cells]
    if not any(texts):
        return "空行"
    # A total or a footnote starts the row (or fills the name cell); a 备注 that happens to start with 说明 does not.
    name_cells = [texts[i] for i, f in fields.items() if f == "name" and i < len(texts)]
    first = next(t for t in texts if t)
    for text in (first, *name_cells[:1]):
        squeezed = re.sub(r"\s", "", text)
        if squeezed.startswith(SKIP_PREFIXES) and (not name_cells or not name_cells[0] or name_cells[0] == text):
            return f"{squeezed[:2]}行"
    if not any(texts[i] for i in fields if i < len(texts)):
        return "只有序号的空行"
    if name_cells and normalise_header(name_cells[0]) in FIELD_HEADERS["name"]:
        return "重复的表头"
    return None


def parse_tables(tables: list[Table], file_name: str, terms: RosterTerms, today: date) -> ParsedRoster:
    """Every data row of every sheet that has a roster header; raises RosterInvalid listing every problem."""
    parsed = ParsedRoster(file_name, terms)
    problems: list[RosterProblem] = []
    seen_keys: dict[str, RosterRow] = {}
    headed = 0
    for table in tables:
        header_index = find_header(table)
        if header_index is None:
            continue
        headed += 1
        _, header_cells = table.rows[header_index]
        fields = _header_fields(header_cells)
        sheet = table.sheet if len(tables) > 1 else ""
        by_field: dict[str, list[int]] = {}
        for index, name in fields.items():
            by_field.setdefault(name, []).append(index)
        for index, value in enumerate(header_cells):
            text = cell_text(value)
            if text and index not in fields and text not in parsed.ignored_columns:
                parsed.ignored_columns.append(text)
        headers = {name: cell_text(header_cells[indexes[0]]) for name, indexes in by_field.items()}
        parsed.has_offices = parsed.has_offices or "offices" in by_field
        parsed.title = parsed.title or _title_above(table, header_index)
        for number, cells in table.rows[header_index + 1 :]:
            skip = _skip_reason(cells, fields)
            if skip is not None:
                parsed.skipped.append((sheet, number, skip))
                continue
            row, row_problems = _parse_row(sheet, number, cells, by_field, headers, terms, today)
            problems.extend(row_problems)
            if row is None:
                continue
            earlier = seen_keys.get(row.identity_key)
            if earlier is not None:
                where = f"工作表「{earlier.sheet}」" if earlier.sheet != sheet and earlier.sheet else ""
                problems.append(RosterProblem(sheet, number, headers["name"],
                                              f"与{where}第 {earlier.row} 行是同一人（姓名和出生年月相同），请删去重复的一行"))
                continue
            seen_keys[row.identity_key] = row
            parsed.rows.append(row)
    if headed == 0:
        wanted = "、".join(("姓名", "性别", "出生年月", "所在党支部"))
        raise RosterInvalid(file_name, [RosterProblem("", 0, "", (
            f"在前 {HEADER_SEARCH_ROWS} 行中找不到表头：需要一行写有“姓名”以及至少一个其他列名（如 {wanted}）")
        )])
    if not parsed.rows and not problems:
        problems.append(RosterProblem("", 0, "", "表头下面没有任何人员"))
    if problems:
        raise RosterInvalid(file_name, problems)
    return parsed


def _parse_row(
    sheet: str,
    number: int,
    cells: list[Any],
    by_field: dict[str, list[int]],
    headers: dict[str, str],
    terms: RosterTerms,
    today: date,
) -> tuple[RosterRow | None, list[RosterProblem]]:
    problems: list[RosterProblem] = []

    def problem(name: str, reason: str) -> None:
        problems.append(RosterProblem(sheet, number, headers.get(name, FIELD_LABELS[name]), reason))

    def raw(name: str) -> Any:
        """The cell of a field; with two columns for it (手机 and 联系电话), the filled one — both filled
        differently is a problem to report, not a choice to make."""
        filled = [cells[i] for i in by_field.get(name, []) if i < len(cells) and cell_text(cells[i])]
        if len({cell_text(c) for c in filled}) > 1:
            problem(name, f"同一项有两列且内容不一致：{'、'.join(cell_text(c) for c in filled)}")
        return filled[0] if filled else None

    name = normalise_name(cell_text(raw("name")))
    why = name_problem(name)
    if why:
        problem("name", why)
    values: dict[str, str] = {}
    for date_field in DATE_FIELDS:
        try:
            parsed_date = parse_roster_date(raw(date_field), today)
        except ValueError as exc:
            problem(date_field, f"{exc}，{DATE_HINT}")
            continue
        if parsed_date is not None:
            values[date_field] = parsed_date
    if "birth_date" in values and "joined_date" in values and values["joined_date"][:7] < values["birth_date"][:7]:
        problem("joined_date", "入党（入会）时间早于出生年月")
    try:
        gender = parse_gender(cell_text(raw("gender")))
    except ValueError as exc:
        problem("gender", str(exc))
    else:
        if gender:
            values["gender"] = gender
    for text_field in TEXT_FIELDS:
        text = cell_text(raw(text_field))
        if text:
            values[text_field] = text
    unit: str | None = None
    if "unit" in by_field:
        unit = normalise_name(cell_text(raw("unit")))
        if not unit:
            problem("unit", "所在党支部（组织）为空")
            unit = None
    membership, member_roles, why = _category(cell_text(raw("category")), terms)
    if why:
        problem("category", why)
    if membership is not None:
        values["membership"] = membership
    offices, why = _office_claims(cell_text(raw("offices")), terms)
    if why:
        problem("offices", why)
    for claim in list(offices):
        implied = IMPLIED_ROLES.get(claim.role)
        if implied and all(other.role != implied for other in offices):
            offices.append(RoleClaim(implied))
    if problems:
        return None, problems
    birth_month = values["birth_date"][:7] if "birth_date" in values else None
    key = identity_key(name, birth_month, values.get("phone", ""), unit)
    claims = [RoleClaim(role) for role in member_roles]
    return RosterRow(sheet, number, name, unit, key, values, membership, claims, offices, birth_month, headers), []


def read_roster(path: Path, today: date, terms: RosterTerms = PARTY_TERMS) -> ParsedRoster:
    """Read and check a roster file; dates after `today` are refused."""
    return parse_tables(read_tables(path), path.name, terms, today)


# -- planning against the database -------------------------------------------------------------------------

PEOPLE_COLUMNS = ("gender", "birth_date", "joined_date", "work_start_date", "ethnicity", "native_place", "education",
                  "position", "phone", "membership", "note")
COLUMN_LABELS = {
    "gender": "性别", "birth_date": "出生年月", "joined_date": "入党时间", "work_start_date": "参加工作时间",
    "ethnicity": "民族", "native_place": "籍贯", "education": "学历", "position": "职务", "phone": "联系电话",
    "membership": "人员类别", "note": "备注", "name": "姓名", "unit": "所在组织",
}


@dataclass(frozen=True, slots=True)
class RoleChange:
    role: str
    title: str
    unit: str

    def describe(self) -> str:
        title = f"（{self.title}）" if self.title else ""
        return f"{self.unit}·{self.role}{title}"


@dataclass(slots=True)
class PersonPlan:
    """What the import does to one person."""

    row: RosterRow
    person_id: int | None  # None: a new person
    changes: dict[str, tuple[str | None, str]]  # column → (before, after)
    unit: str  # the unit's name after the import
    roles_ended: list[tuple[int, RoleChange]] = field(default_factory=list)  # (roles.id, role)
    roles_started: list[RoleChange] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.person_id is None

    @property
    def changed(self) -> bool:
        return self.is_new or bool(self.changes or self.roles_ended or self.roles_started)


@dataclass(slots=True)
class ImportPlan:
    roster: ParsedRoster
    effective: date
    root_name: str
    root_id: int | None  # None: the root unit is created
    new_units: list[str]
    unit_ids: dict[str, int]  # existing units the rows use
    people: list[PersonPlan]
    dry_run: bool = False
    written: bool = False

    @property
    def created(self) -> list[PersonPlan]:
        return [p for p in self.people if p.is_new]

    @property
    def updated(self) -> list[PersonPlan]:
        return [p for p in self.people if not p.is_new and p.changed]

    @property
    def unchanged(self) -> int:
        return sum(1 for p in self.people if not p.changed)

    def describe(self) -> str:
        return describe_plan(self)


def _stored(person: Person, column: str) -> str:
    """What the database holds for one of PEOPLE_COLUMNS ('' for nothing)."""
    if column in ("position", "membership"):
        return str(getattr(person, column))
    return str(getattr(person.details, column))


def _resolve_units(
    store: Store, parsed: ParsedRoster, problems: list[RosterProblem]
) -> tuple[str, int | None, list[str], dict[str, int]]:
    tree = unit_tree(store)
    roots = tree.children(None)
    if roots:
        root_name, root_id = roots[0].name, roots[0].id
    else:
        root_name, root_id = organisation_name_from_title(parsed.title) or "本组织", None
    by_name: dict[str, list[int]] = {}
    for unit in tree.units:
        by_name.setdefault(normalise_name(unit.name), []).append(unit.id)
    new_units: list[str] = []
    unit_ids: dict[str, int] = {}
    reported: set[str] = set()
    for row in parsed.rows:
        if row.unit is None or row.unit == root_name or row.unit in unit_ids or row.unit in new_units:
            continue
        matches = by_name.get(row.unit, [])
        if len(matches) == 1:
            unit_ids[row.unit] = matches[0]
        elif not matches:
            new_units.append(row.unit)
        elif row.unit not in reported:
            reported.add(row.unit)
            problems.append(RosterProblem(row.sheet, row.row, row.headers.get("unit", "所在党支部"), (
                f"数据库中有 {len(matches)} 个名为「{row.unit}」的组织，无法确定是哪一个，请在表格中写全称")))
    if root_id is not None:
        unit_ids[root_name] = root_id
    return root_name, root_id, new_units, unit_ids


def _match_person(
    row: RosterRow, by_key: dict[str, Person], by_name_month: dict[tuple[str, str], list[Person]]
) -> tuple[Person | None, str | None]:
    found = by_key.get(row.identity_key)
    if found is not None:
        return found, None
    if row.birth_month is None:
        return None, None
    # Entered by hand or keyed differently (a name stored with a space): the same name and birth month.
    candidates = by_name_month.get((row.name, row.birth_month), [])
    if len(candidates) > 1:
        ids = "、".join(str(person_id) for person_id in sorted(c.id for c in candidates))
        return None, f"数据库中有多位同名、同出生年月的人员（编号 {ids}），无法确定更新哪一位"
    return (candidates[0] if candidates else None), None


def plan_import(store: Store, parsed: ParsedRoster, effective: date) -> ImportPlan:
    """What importing `parsed` would change, computed from a few reads; raises RosterInvalid on conflicts."""
    problems: list[RosterProblem] = []
    root_name, root_id, new_units, unit_ids = _resolve_units(store, parsed, problems)
    existing = list_people(store, details=True)
    by_key: dict[str, Person] = {}
    by_name_month: dict[tuple[str, str], list[Person]] = {}
    for known in existing:
        assert known.details is not None  # asked for above
        if known.details.identity_key is not None:
            by_key[known.details.identity_key] = known
        if known.details.birth_date:
            by_name_month.setdefault((normalise_name(known.name), known.details.birth_date[:7]), []).append(known)
    open_by_person: dict[int, list[Role]] = {}
    for role in open_roles(store):
        open_by_person.setdefault(role.person_id, []).append(role)
    claimed: dict[int, int] = {}
    plans: list[PersonPlan] = []
    for row in parsed.rows:
        person, why = _match_person(row, by_key, by_name_month)
        if why:
            problems.append(RosterProblem(row.sheet, row.row, row.headers["name"], why))
            continue
        if person is not None:
            earlier = claimed.get(person.id)
            if earlier is not None:
                problems.append(RosterProblem(row.sheet, row.row, row.headers["name"],
                                              f"与第 {earlier} 行对应数据库中的同一人（编号 {person.id}）"))
                continue
            claimed[person.id] = row.row
        plans.append(_plan_person(row, person, open_by_person, parsed, root_name))
    if problems:
        raise RosterInvalid(parsed.file_name, problems)
    return ImportPlan(parsed, effective, root_name, root_id, new_units, unit_ids, plans)


def _plan_person(
    row: RosterRow,
    person: Person | None,
    open_by_person: dict[int, list[Role]],
    parsed: ParsedRoster,
    root_name: str,
) -> PersonPlan:
    if person is None:
        unit = row.unit or root_name
        claims = row.member_roles or [RoleClaim(parsed.terms.member_role)]
        starts = [RoleChange(c.role, c.title, unit) for c in claims + row.offices]
        return PersonPlan(row, None, {}, unit, [], starts)
    changes: dict[str, tuple[str | None, str]] = {}
    for column, value in row.values.items():
        before = _stored(person, column)
        if value != before and not (column in DATE_FIELDS and before and before.startswith(value)):
            changes[column] = (before, value)
    if row.name != person.name:
        changes["name"] = (person.name, row.name)
    unit = row.unit or person.unit or root_name
    if person.unit != unit:
        changes["unit"] = (person.unit, unit)
    # A role is the roster's to end only if the row speaks for it: membership roles when 人员类别 is filled
    # (or the person moved: their membership goes with them), offices when the file has a 党内职务 column.
    moved = "unit" in changes
    managed = (MEMBERSHIP_ROLE_NAMES if row.membership is not None or moved else frozenset()) | (
        OFFICE_ROLE_NAMES if parsed.has_offices else frozenset())
    # An implied 班子成员 is the roster's only if the roster recorded it (a 秘书长 set by hand stays one).
    held = [r for r in open_by_person.get(person.id, []) if r.role in managed or (
        parsed.has_offices and r.role in IMPLIED_ROLES.values() and r.source.startswith(ROSTER_SOURCE))]
    claims = list(row.member_roles)
    if moved and row.membership is None:
        claims = [RoleClaim(r.role, r.title) for r in held if r.role in MEMBERSHIP_ROLE_NAMES]
    wanted = [RoleChange(c.role, c.title, unit) for c in claims + row.offices]
    ended: list[tuple[int, RoleChange]] = []
    kept: set[RoleChange] = set()
    for role in held:
        current = RoleChange(role.role, role.title, role.unit)
        same = next((w for w in wanted if w.role == current.role and w.unit == current.unit
                     and (not w.title or w.title == current.title)), None)
        if same is None:
            ended.append((role.id, current))
        else:
            kept.add(same)
    started = [w for w in wanted if w not in kept]
    return PersonPlan(row, person.id, changes, unit, ended, started)


def describe_plan(plan: ImportPlan) -> str:
    """The plan in Chinese, for the terminal: what was (or would be) created, updated, ended and started."""
    verb = "将" if not plan.written else "已"
    roster = plan.roster
    lines = [f"花名册 {roster.file_name}：共 {len(roster.rows)} 人" + (
        f"（跳过 {len(roster.skipped)} 行：{'、'.join(sorted({s[2] for s in roster.skipped}))}）" if roster.skipped else "")]
    if plan.root_id is None:
        lines.append(f"{verb}新建上级组织「{plan.root_name}」。")
    if plan.new_units:
        lines.append(f"{verb}在「{plan.root_name}」下新建组织 {len(plan.new_units)} 个：{'、'.join(plan.new_units)}。")
    lines.append(f"{verb}新增 {len(plan.created)} 人，更新 {len(plan.updated)} 人，{plan.unchanged} 人无变化。")
    for person in plan.updated:
        where = f"第 {person.row.row} 行"
        details = [f"{COLUMN_LABELS.get(c, c)} {before or '（空）'} → {after}" for c, (before, after) in person.changes.items()]
        details += [f"结束 {r.describe()}" for _, r in person.roles_ended]
        details += [f"开始 {r.describe()}" for r in person.roles_started]
        lines.append(f"  更新 {person.row.name}（{where}）：{'；'.join(details)}")
    if any(p.roles_ended for p in plan.updated):
        lines.append(f"  职务变动记入职务历史：旧职务于 {plan.effective.isoformat()} 结束，新职务同日开始。")
    if roster.ignored_columns:
        lines.append(f"未识别的列（已忽略）：{'、'.join(roster.ignored_columns)}")
    if plan.dry_run:
        lines.append("试运行：没有写入数据库。去掉 --dry-run 即按以上内容导入。")
    return "\n".join(lines)


def _unit_kind(name: str) -> str:
    for suffix, kind in (("党总支", "党总支"), ("总支", "党总支"), ("党支部", "党支部"), ("支部", "党支部"),
                         ("党委", "党委"), ("支社", "基层组织"), ("基层委员会", "基层组织")):
        if name.endswith(suffix):
            return kind
    return ""


def apply_plan(store: Store, plan: ImportPlan) -> None:
    """Write the plan in one transaction: all of it, or (on any error) none of it."""
    effective = plan.effective.isoformat()
    stamp = store.now()
    source = f"{ROSTER_SOURCE} {plan.roster.file_name}"
    with store.transaction():
        unit_ids = dict(plan.unit_ids)
        root_id = plan.root_id
        if root_id is None:
            root_id = store.insert("units", {"name": plan.root_name, "kind": _unit_kind(plan.root_name)})
            unit_ids[plan.root_name] = root_id
        next_order = int(store.scalar("SELECT coalesce(max(sort_order), 0) FROM units WHERE parent_id = ?", [root_id]))
        for offset, name in enumerate(plan.new_units, start=1):
            unit_ids[name] = store.insert(
                "units", {"name": name, "parent_id": root_id, "kind": _unit_kind(name), "sort_order": next_order + offset})
        for person in plan.people:
            if not person.changed:
                continue
            unit_id = unit_ids[person.unit]
            if person.person_id is None:
                person_id = store.insert("people", {
                    "name": person.row.name, "unit_id": unit_id, "identity_key": person.row.identity_key,
                    "membership": plan.roster.terms.default_membership, **person.row.values,
                })
                role_start: str | None = None  # held since before the roster: unknown
            else:
                person_id = person.person_id
                columns: dict[str, Any] = {c: after for c, (_, after) in person.changes.items() if c != "unit"}
                columns.update(unit_id=unit_id, identity_key=person.row.identity_key, updated_at=stamp)
                assignments = ", ".join(f"{c} = ?" for c in columns)
                store.execute(f"UPDATE people SET {assignments} WHERE id = ?", [*columns.values(), person_id])
                role_start = effective
            for role_id, _ in person.roles_ended:
                store.execute(
                    "UPDATE roles SET end_date = max(?, coalesce(start_date, ?)) WHERE id = ?",
                    [effective, effective, role_id],
                )
            for role in person.roles_started:
                store.insert("roles", {
                    "person_id": person_id, "unit_id": unit_ids[role.unit], "role": role.role, "title": role.title,
                    "start_date": role_start, "source": source,
                })
        store.audit(
            "import_roster", "roster", None, file=plan.roster.file_name, created=len(plan.created),
            updated=len(plan.updated), units=len(plan.new_units) + (plan.root_id is None), effective=effective,
        )
    plan.written = True


def import_roster(
    store: Store,
    path: Path,
    *,
    policy: Policy | None = None,
    dry_run: bool = False,
    effective: date | None = None,
) -> ImportPlan:
    """Read, check and (unless dry_run) import a roster file. Raises RosterInvalid, writing nothing, on any problem."""
    today = store.clock.today()
    parsed = read_roster(path, today, terms_for(policy))
    plan = plan_import(store, parsed, effective or today)
    plan.dry_run = dry_run
    if not dry_run:
        apply_plan(store, plan)
    return plan
