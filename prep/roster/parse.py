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
from notes.organisation import normalise_name
from prep.roster.cells import (
    DATE_HINT,
    cell_text,
    control_problem,
    name_problem,
    normalise_header,
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
    LEADERSHIP_ROLE_NAMES,
    ORG_PLACEHOLDER,
    PARTY_TERMS,
    SAMPLE_MARK,
    SKIP_PREFIXES,
    TEXT_FIELDS,
    UNUSED,
    UNUSED_HEADERS,
    RoleClaim,
    RosterTerms,
    category,
    field_for,
    office_claims,
    oversees_claims,
)

BLANK_ROW = "空行"
# An unknown header maps to a field the user names: normalised header → field (or UNUSED).
ColumnMap = dict[str, str]


@dataclass(frozen=True, slots=True)
class RosterProblem:
    """One thing wrong with the file: where (sheet, row as Excel numbers it, column as headed) and why."""

    sheet: str
    row: int
    column: str
    reason: str

    def location(self) -> str:
        """工作表「…」第 N 行 ('' for the whole file)."""
        where = f"工作表「{self.sheet}」" if self.sheet else ""
        return where + (f"第 {self.row} 行" if self.row else "")

    def describe(self) -> str:
        where = self.location() + (f"「{self.column}」列" if self.column else "")
        return f"{where}：{self.reason}" if where else self.reason


class RosterInvalid(InvalidInput):
    """The file has problems; nothing was written. `problems` lists every one; `unknown_columns` the headers
    (as written) no field was found for, which the user can map (CLI --map, the app's mapping step)."""

    def __init__(
        self,
        file_name: str,
        problems: Sequence[RosterProblem],
        unknown_columns: Sequence[str] = (),
        terms: RosterTerms = PARTY_TERMS,
    ) -> None:
        self.problems = list(problems)
        self.unknown_columns = list(unknown_columns)
        lines = "\n".join(f"  {p.describe()}" for p in self.problems)
        mapping = ""
        if self.unknown_columns:
            example = self.unknown_columns[0]
            mapping = (
                f"\n不认识的列不会被悄悄丢掉：请用 --map 列名=字段 说明它是哪一项（可重复），例如 --map {example}=备注；"
                f"不需要的列写 --map {example}=忽略。可用的字段：{mappable_fields(terms)}。"
            )
        super().__init__(
            f"花名册 {file_name} 有 {len(self.problems)} 处问题，未导入任何数据（导入要么全部成功，要么不做改动）：\n"
            f"{lines}{mapping}\n请在表格中改正以上各处后重新导入。"
        )


def mappable_fields(terms: RosterTerms) -> str:
    """The fields a column can be mapped to, as a roster of this kind heads them."""
    return "、".join(terms.label(field) for field in FIELD_HEADERS)


@dataclass(slots=True)
class RosterRow:
    sheet: str
    row: int
    name: str
    unit: str | None
    identity_key: str
    values: dict[str, str]  # people columns with a value in this row
    membership: str | None  # None: the 人员类别 cell is blank or absent (keep what the database knows)
    member_roles: list[RoleClaim]  # membership, status and leadership roles stated by 人员类别
    offices: list[RoleClaim]  # roles stated by 党内职务, 班子职务 and 分管单位 (blank: none)
    birth_month: str | None
    headers: dict[str, str]  # field → header as written, for messages


@dataclass(slots=True)
class ParsedRoster:
    file_name: str
    terms: RosterTerms = PARTY_TERMS
    rows: list[RosterRow] = field(default_factory=list)
    title: str = ""
    unused_columns: list[tuple[str, str]] = field(default_factory=list)  # header, why it is not imported
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # sheet, row, why
    has_offices: bool = False  # a 党内职务 or 班子职务 column: the branch offices are the file's to state
    states_leadership: bool = False  # a column names leadership roles: they are the file's to state


def header_field(text: str, mapping: ColumnMap) -> str | None:
    """The field a header names (UNUSED for a column not imported), or None when it is unknown."""
    folded = normalise_header(text)
    return mapping.get(folded) or HEADER_TO_FIELD.get(folded) or (UNUSED if folded in UNUSED_HEADERS else None)


def _header_fields(cells: list[Any], mapping: ColumnMap) -> dict[int, str]:
    found: dict[int, str] = {}
    for index, value in enumerate(cells):
        text = cell_text(value)
        name = header_field(text, mapping) if text else None
        if name is not None:
            found[index] = name
    return found


def find_header(table: Table, mapping: ColumnMap) -> int | None:
    """Index in table.rows of the header: the first row naming 姓名 and at least one other known field."""
    for index, (_, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        fields = set(_header_fields(cells, mapping).values()) - {UNUSED}
        if "name" in fields and len(fields) >= 2:
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
    name = re.sub(r"[（(]\s*\d{4}\s*年?[^）)]*[）)]|\d{4}\s*年度?", "", normalise_name(title).replace(ORG_PLACEHOLDER, ""))
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
        return BLANK_ROW
    # A total or a footnote starts the row (or fills the name cell); a 备注 that happens to start with 说明 does not.
    name_cells = [texts[i] for i, f in fields.items() if f == "name" and i < len(texts)]
    first = next(t for t in texts if t)
    for text in (first, *name_cells[:1]):
        squeezed = re.sub(r"\s", "", text)
        if squeezed.startswith(SKIP_PREFIXES) and (not name_cells or not name_cells[0] or name_cells[0] == text):
            return f"{squeezed[:2]}行"
    # Pre-numbered blank lines: nothing in any column that is imported (序号 is read but not kept).
    if not any(texts[i] for i, f in fields.items() if f != UNUSED and i < len(texts)):
        return "只有序号的空行"
    if name_cells and normalise_header(name_cells[0]) in FIELD_HEADERS["name"]:
        return "重复的表头"
    if name_cells and name_cells[0].strip().startswith(SAMPLE_MARK):
        return "模板中的示例行"
    return None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _header_problems(
    parsed: ParsedRoster, table: Table, header_index: int, fields: dict[int, str], sheet: str, mapping: ColumnMap
) -> tuple[list[RosterProblem], list[str]]:
    """Columns the import would otherwise drop without a word: unknown headers, data under no header. Also
    notes the columns knowingly not imported (序号, 身份证号, those mapped to 忽略)."""
    number, header_cells = table.rows[header_index]
    problems: list[RosterProblem] = []
    unknown: list[str] = []
    for index, value in enumerate(header_cells):
        text = cell_text(value)
        if not text:
            continue
        folded = normalise_header(text)
        if index not in fields:
            unknown.append(text)
            problems.append(RosterProblem(sheet, number, text, "不认识的列名，不知道这一列是哪一项，因此没有导入"))
        elif fields[index] == UNUSED and text not in (u for u, _ in parsed.unused_columns):
            why = "指定为忽略" if folded in mapping else UNUSED_HEADERS.get(folded, "")
            parsed.unused_columns.append((text, why))
    headed = {i for i, v in enumerate(header_cells) if cell_text(v)}
    reported: set[int] = set()
    for row_number, cells in table.rows[header_index + 1 :]:
        if _skip_reason(cells, fields) is not None:
            continue
        for index, value in enumerate(cells):
            if index not in headed and index not in reported and cell_text(value):
                reported.add(index)
                problems.append(RosterProblem(sheet, row_number, _column_letter(index), (
                    f"这一列没有表头，但有内容「{cell_text(value)[:20]}」：请在表头补上列名，或删去这一列的内容")))
    return problems, unknown


def parse_tables(
    tables: list[Table], file_name: str, terms: RosterTerms, today: date, mapping: ColumnMap | None = None
) -> ParsedRoster:
    """Every data row of every sheet that has a roster header; raises RosterInvalid listing every problem."""
    mapping = mapping or {}
    parsed = ParsedRoster(file_name, terms)
    problems: list[RosterProblem] = []
    unknown: list[str] = []
    seen_keys: dict[str, RosterRow] = {}
    mapped_seen: set[str] = set()
    headed = 0
    for table in tables:
        header_index = find_header(table, mapping)
        if header_index is None:
            continue
        headed += 1
        _, header_cells = table.rows[header_index]
        mapped_seen |= {normalise_header(cell_text(c)) for c in header_cells}
        fields = _header_fields(header_cells, mapping)
        sheet = table.sheet if len(tables) > 1 else ""
        by_field: dict[str, list[int]] = {}
        for index, name in fields.items():
            if name != UNUSED:
                by_field.setdefault(name, []).append(index)
        column_problems, column_unknown = _header_problems(parsed, table, header_index, fields, sheet, mapping)
        problems.extend(column_problems)
        unknown.extend(c for c in column_unknown if c not in unknown)
        headers = {name: cell_text(header_cells[indexes[0]]) for name, indexes in by_field.items()}
        parsed.has_offices = parsed.has_offices or "offices" in by_field or "leadership" in by_field
        parsed.states_leadership = parsed.states_leadership or "leadership" in by_field or "oversees" in by_field
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
            # A 人员类别 column that names leadership (班子成员, 中层正职) speaks for it in every row.
            if any(claim.role in LEADERSHIP_ROLE_NAMES for claim in row.member_roles):
                parsed.states_leadership = True
            earlier = seen_keys.get(row.identity_key)
            if earlier is not None:
                where = f"工作表「{earlier.sheet}」" if earlier.sheet != sheet and earlier.sheet else ""
                problems.append(RosterProblem(sheet, number, headers["name"], (
                    f"「{row.name}」与{where}第 {earlier.row} 行是同一人（姓名和出生年月相同），请删去重复的一行")))
                continue
            seen_keys[row.identity_key] = row
            parsed.rows.append(row)
    if headed == 0:
        wanted = "、".join(("姓名", "性别", "出生年月", "所在党支部"))
        raise RosterInvalid(file_name, [RosterProblem("", 0, "", (
            f"在前 {HEADER_SEARCH_ROWS} 行中找不到表头：需要一行写有“姓名”以及至少一个其他列名（如 {wanted}）；"
            "姓名列另有名称时，请把列名改为“姓名”（命令行也可用 --map 列名=姓名）")
        )])
    for header in mapping:
        if header not in mapped_seen:
            problems.append(RosterProblem("", 0, header, "指定了对应关系，但表头中没有这一列（请核对列名）"))
    if not parsed.rows and not problems:
        problems.append(RosterProblem("", 0, "", "表头下面没有任何人员"))
    if problems:
        raise RosterInvalid(file_name, problems, unknown, terms)
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

    read: dict[str, Any] = {}

    def raw(name: str) -> Any:
        """The cell of a field; with two columns for it (手机 and 联系电话), the filled one — both filled
        differently is a problem to report (once), not a choice to make."""
        if name not in read:
            filled = [cells[i] for i in by_field.get(name, []) if i < len(cells) and cell_text(cells[i])]
            if len({cell_text(c) for c in filled}) > 1:
                problem(name, f"同一项有两列且内容不一致：{'、'.join(cell_text(c) for c in filled)}")
            read[name] = filled[0] if filled else None
        return read[name]

    name = normalise_name(cell_text(raw("name")))
    why = name_problem(name)
    if why:
        problem("name", why)
    # Invisible controls would be stored and later reorder or hide text on screen and paper: named, not kept.
    for text_field in ("unit", "offices", "leadership", "oversees", "category", *TEXT_FIELDS):
        if text_field in by_field and (why := control_problem(cell_text(raw(text_field)))):
            problem(text_field, why)
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
    leadership, why = office_claims(cell_text(raw("leadership")), terms, top=True)
    if why:
        problem("leadership", why)
    offices += [claim for claim in leadership + oversees_claims(cell_text(raw("oversees"))) if claim not in offices]
    member_roles = _with_implied(member_roles)
    offices = _with_implied(offices, also=member_roles)
    if problems:
        return None, problems
    birth_month = values["birth_date"][:7] if "birth_date" in values else None
    key = identity_key(name, birth_month, values.get("phone", ""), unit)
    return RosterRow(sheet, number, name, unit, key, values, membership, member_roles, offices, birth_month,
                     headers), []


def _with_implied(claims: list[RoleClaim], also: Sequence[RoleClaim] = ()) -> list[RoleClaim]:
    """The claims and the roles they imply (a 支部书记 is a 支委 …, in the same place), each once."""
    found = list(claims)
    for claim in claims:
        implied = IMPLIED_ROLES.get(claim.role)
        if implied and all((other.role, other.top) != (implied, claim.top) for other in [*found, *also]):
            found.append(RoleClaim(implied, top=claim.top))
    return found


def read_roster(
    path: Path, today: date, terms: RosterTerms = PARTY_TERMS, mapping: ColumnMap | None = None
) -> ParsedRoster:
    """Read and check a roster file; dates after `today` are refused. `mapping` names the field of columns
    whose header tanxin does not know (see parse_mapping)."""
    return parse_tables(read_tables(path), path.name, terms, today, mapping)


def parse_mapping(pairs: Sequence[str], terms: RosterTerms = PARTY_TERMS) -> ColumnMap:
    """`列名=字段` pairs (CLI --map) as a ColumnMap; 字段 is any header word tanxin knows for a field, or 忽略."""
    mapping: ColumnMap = {}
    for pair in pairs:
        header, sep, word = pair.partition("=")
        if not sep or not header.strip() or not word.strip():
            raise InvalidInput(f"--map 应写成 列名=字段（例如 --map 党员类型=人员类别），而不是「{pair}」。")
        found = field_for(word)
        if found is None:
            raise InvalidInput(
                f"--map {pair}：不认识的字段「{word.strip()}」。可用的字段：{mappable_fields(terms)}；不需要的列写“忽略”。")
        mapping[normalise_header(header)] = found
    return mapping
