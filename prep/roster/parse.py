"""Tables to rows and problems: the header found by its content, each data row read into a RosterRow (name,
dates, unit, 人员类别, 党内职务, identity key), lines that are not people skipped, every problem named by row and
column."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from notes.errors import InvalidInput
from prep.roster.cells import (
    DATE_HINT,
    cell_text,
    name_problem,
    normalise_header,
    normalise_name,
    parse_gender,
    parse_roster_date,
)
from prep.roster.read import Table, read_tables
from prep.roster.terms import (
    DATE_FIELDS,
    FIELD_HEADERS,
    FIELD_LABELS,
    HEADER_SEARCH_ROWS,
    HEADER_TO_FIELD,
    IMPLIED_ROLES,
    PARTY_TERMS,
    SKIP_PREFIXES,
    TEXT_FIELDS,
    RoleClaim,
    RosterTerms,
    category,
    office_claims,
)


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


def identity_key(name: str, birth_month: str | None, phone: str, unit: str | None) -> str:
    """See the package docstring (prep.roster): name and birth month; else name and phone; else name and unit."""
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
    membership, member_roles, why = category(cell_text(raw("category")), terms)
    if why:
        problem("category", why)
    if membership is not None:
        values["membership"] = membership
    offices, why = office_claims(cell_text(raw("offices")), terms)
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
