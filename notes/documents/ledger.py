"""The 台账 (the 苏州 实施意见 五(一), the 民进 办法 第二十条): one XLSX per unit and year, a row per talk, and a
coverage sheet.

It is read by inspectors, so 保密 entries never reach it (谈话内容保密; informants are never revealed): they are
left out in the SQL, and follow-ups raised from them show a placeholder instead of their title. Twenty thousand
talks must export in seconds: the rows come from four set queries (no query per talk) and are streamed through
openpyxl's write-only mode; the cells that carry style are made once and reused, since each row is written out
as soon as it is appended. Column widths follow the content (Chinese counted double), so the rows are read
before the first one is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from notes.documents.citations import official_source
from notes.documents.coverage import CoverageRow
from notes.documents.docxfile import demo_mark, write_atomically
from notes.documents.policyfacts import PolicyFacts, Wording
from notes.documents.records import CONFIDENTIAL_FOLLOWUP
from notes.documents.text import chinese_date, clean_text
from notes.documents.units import UnitScope, root_unit_name, unit_scope
from notes.store import Store
from notes.vocabulary import FOLLOWUP_STATUS_LABELS

# (name, widest the column may grow to before its text wraps: None never wraps). Widths follow the content.
LEDGER_COLUMNS: tuple[tuple[str, float | None], ...] = (
    ("序号", None),
    ("谈话时间", None),
    ("谈话人", 24),
    ("谈话对象", 24),
    ("类型", None),
    ("形式", None),
    ("地点", 18),
    ("事由/主题", 26),
    ("主要内容摘要", 44),
    ("发现问题/意见建议", 34),
    ("整改落实情况", 32),
    ("记录人", 16),
    ("备注", 26),
)
COVERAGE_COLUMNS: tuple[tuple[str, float | None], ...] = (
    ("序号", None),
    ("规定", 34),
    ("谈话人", 16),
    ("谈话对象", 20),
    ("每年至少", None),
    ("应谈", None),
    ("已谈", None),
    ("覆盖率", None),
    ("尚未谈到", 50),
    ("依据", 40),
)
# Columns listing people: however narrow the column, one whole name fits on a line ("阿依古丽·买买提").
NAME_COLUMNS = frozenset({"谈话人", "谈话对象", "记录人"})
NAME_SEPARATOR = "、"
DATE_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
DATE_TEXT_WIDTH = 20  # 2026年12月31日 14:30: four Chinese characters, digits, a space and a colon
PERCENT_FORMAT = "0%"
COLUMN_PADDING = 2
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
FONT_POINTS = 11
SUMMARY_CHARS = 300
# Excel keeps at most 32,767 characters in a cell; a longer text is cut with a note where to read it whole.
CELL_CHARS = 32_000
CUT_NOTE = "…（内容过长，已截断，全文见谈话记录）"
# Talks that count for the year: held or sealed; a refusal (the 实施意见 五(一) has it reported) is recorded too.
LEDGER_WHERE = (
    "(t.status IN ('held', 'sealed') OR (t.status = 'cancelled' AND t.refused = 1)) "
    "AND coalesce(t.started_at, t.planned_at) >= ? AND coalesce(t.started_at, t.planned_at) < ?"
)


LINE_POINTS = 16.5  # one line of the default 11 pt font with a Chinese fallback face (taller than Latin)
MAX_ROW_POINTS = 409  # Excel's largest row height


def display_width(text: str) -> int:
    """How wide a line of text is in Excel's units (about one Latin character, half a Chinese one), estimated
    from the UTF-8 length: a Chinese character is 3 bytes and 2 units, a Latin one 1 byte and 1 unit — a
    C-speed count instead of a loop over characters."""
    return (len(text.encode()) + len(text)) // 2


def _line_count(text: str, width: float) -> int:
    """Lines a wrapped cell of `width` needs."""
    usable = max(width - COLUMN_PADDING, 1.0)
    return sum(max(1, -(-display_width(part) // int(usable))) for part in text.split("\n"))


def _widest(value: Any, split_names: bool) -> int:
    """The width a value needs on one line: its longest line, a date as the format shows it; in a column of
    people (`split_names`), its longest name (the list itself may wrap between names)."""
    if type(value) is datetime:
        return DATE_TEXT_WIDTH
    if type(value) is not str:
        return len(str(value)) if value is not None else 0
    if split_names and (NAME_SEPARATOR in value or "\n" in value):
        return max(display_width(part) for part in value.replace("\n", NAME_SEPARATOR).split(NAME_SEPARATOR))
    if "\n" in value:
        return max(display_width(part) for part in value.split("\n"))
    return display_width(value)


def fitted_widths(columns: Sequence[tuple[str, float | None]], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Each column as wide as its header and its longest value need, up to the column's limit where its text
    wraps instead — but never narrower than its longest name or single value that cannot wrap. A text longer
    than the limit is not measured line by line: it wraps anyway (20,000 rows are measured in one pass)."""
    widths: list[float] = []
    for index, (name, limit) in enumerate(columns):
        values = [row[index] for row in rows]
        texts = [value for value in values if type(value) is str]
        # The whole text's width, at C speed: enough wherever it is within the limit.
        whole = max([display_width(name), *((len(t.encode()) + len(t)) // 2 for t in texts)]) + COLUMN_PADDING
        if limit is not None and name not in NAME_COLUMNS and whole > limit:
            widths.append(float(limit))
            continue
        needed: float = max([whole - COLUMN_PADDING, *(_widest(v, False) for v in values if type(v) is not str),
                      *(_widest(t, False) for t in texts if "\n" in t)]) + COLUMN_PADDING
        if name in NAME_COLUMNS and limit is not None and whole > limit:
            needed = max([limit, *(_widest(t, True) + COLUMN_PADDING for t in texts)])
        widths.append(float(needed))
    return widths


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(CUT_NOTE)] + CUT_NOTE


@dataclass(frozen=True, slots=True)
class LedgerRow:
    number: int
    held_at: datetime | None
    interviewers: str
    interviewees: str
    talk_type: str
    form: str
    place: str
    subject: str
    summary: str
    findings: str
    followups: str
    note_taker: str
    remarks: str

    def values(self) -> tuple[Any, ...]:
        return (
            self.number, self.held_at, self.interviewers, self.interviewees, self.talk_type, self.form,
            self.place, self.subject, self.summary, self.findings, self.followups, self.note_taker, self.remarks,
        )


def _selected(scope: UnitScope | None) -> tuple[str, list[Any]]:
    """SQL selecting the ids of the ledger's talks, and where to put the unit ids."""
    if scope is None:
        return f"SELECT t.id FROM talks t WHERE {LEDGER_WHERE}", []
    return (
        f"SELECT t.id FROM talks t WHERE {LEDGER_WHERE} AND t.unit_id IN (SELECT value FROM json_each(?))",
        [scope.ids_json],
    )


def _grouped(store: Store, sql: str, params: Sequence[Any]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows (as tuples: 20,000 talks make 100,000 rows) grouped by their first column, the talk id."""
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    for row in store.execute(sql, params).fetchall():
        grouped.setdefault(row[0], []).append(row)
    return grouped


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value) if len(value) > 10 else datetime.fromisoformat(value + "T00:00:00")


def _names(people: list[tuple[int, str]] | None) -> str:
    if not people:
        return ""
    if len(people) > 1:
        people.sort()
    return "、".join(name for _, name in people)


def _followup_text(row: tuple[Any, ...], terms: Wording) -> str:
    """A follow-up row of the query below (talk id, kind, title, status, due date, raised from a 保密 entry)."""
    _, kind, title, status, due_on, confidential = row
    shown = f"{terms.followup_kind(kind)}事项{CONFIDENTIAL_FOLLOWUP}" if confidential else title
    due = f"，时限{chinese_date(due_on)}" if due_on else ""
    return f"{shown}（{FOLLOWUP_STATUS_LABELS[status]}{due}）"


def ledger_rows(
    store: Store, year: int, type_names: dict[str, str], terms: Wording, scope: UnitScope | None = None,
) -> Iterator[LedgerRow]:
    """The year's talks in the order they were held, without any 保密 content; types by their names, follow-up
    kinds in the organisation's words (`terms`)."""
    selected, unit_params = _selected(scope)
    params = [f"{year:04d}", f"{year + 1:04d}", *unit_params]
    # Participants in primary-key order, names joined in Python: without the join and the sort the
    # query is twice as fast, and only collective talks need their people put back in order.
    people = _grouped(
        store,
        f"SELECT talk_id, role, position, person_id FROM talk_participants WHERE talk_id IN ({selected})",
        params,
    )
    names_of = dict(store.execute(
        "SELECT id, name FROM people WHERE id IN "
        f"(SELECT person_id FROM talk_participants WHERE talk_id IN ({selected}))",
        params,
    ).fetchall())
    entries = _grouped(
        store,
        "SELECT talk_id, kind, text FROM entries WHERE confidential = 0 "
        f"AND kind IN ('事实情况', '困难诉求', '发现问题', '意见建议') AND talk_id IN ({selected}) "
        "ORDER BY talk_id, position, id",
        params,
    )
    followups = _grouped(
        store,
        "SELECT f.talk_id, f.kind, f.title, f.status, f.due_on, coalesce(e.confidential, 0) "
        "FROM followups f LEFT JOIN entries e ON e.id = f.entry_id "
        f"WHERE f.talk_id IN ({selected}) ORDER BY f.talk_id, f.due_on IS NULL, f.due_on, f.id",
        params,
    )
    talks = store.execute(
        "SELECT t.id, t.code, t.talk_type, t.form, t.channel, t.status, t.place, t.subject, t.summary, "
        "t.cancel_reason, coalesce(t.started_at, t.planned_at) AS held_at FROM talks t "
        f"WHERE t.id IN ({selected}) ORDER BY held_at, t.id",
        params,
    ).fetchall()
    for number, talk in enumerate(talks, start=1):
        talk_id, code, talk_type, form, channel, status, place, subject, summary, cancel_reason, held_at = talk
        by_role: dict[str, list[tuple[int, str]]] = {}
        for _, role, position, person_id in people.get(talk_id, ()):
            by_role.setdefault(role, []).append((position, names_of[person_id]))
        said = entries.get(talk_id, ())
        remarks = f"谈话对象无故拒绝谈话：{cancel_reason}" if status == "cancelled" else (
            "已封存" if status == "sealed" else "未封存")
        yield LedgerRow(
            number=number,
            held_at=_instant(held_at),
            interviewers=_names(by_role.get("interviewer")),
            interviewees=_names(by_role.get("interviewee")),
            talk_type=type_names.get(talk_type, talk_type),
            form=f"{form}·{channel}",
            place=place,
            subject=subject,
            summary=_cut(summary or "；".join(text for _, kind, text in said if kind in ("事实情况", "困难诉求")),
                         SUMMARY_CHARS),
            findings="\n".join(f"{kind}：{text}" for _, kind, text in said if kind in ("发现问题", "意见建议")),
            followups="\n".join(_followup_text(row, terms) for row in followups.get(talk_id, ())),
            note_taker=_names(by_role.get("note_taker")),
            remarks=f"{code}；{remarks}" if code else remarks,
        )


# -- the workbook ---------------------------------------------------------------------------------------


def _use_chinese_defaults(workbook: Any) -> None:
    """Every cell without a style of its own in 宋体, wrapped and at the top of its row. openpyxl has no public
    way to change the workbook's default cell format (format 0, which unstyled cells use), so its two lists are
    replaced before any style is added; styling each cell instead would double the export time of a large
    台账."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils.indexed_list import IndexedList

    workbook._fonts = IndexedList([Font(name=BODY_FONT, size=FONT_POINTS)])
    workbook._alignments = IndexedList([Alignment(), Alignment(vertical="top", wrap_text=True)])
    default = StyleArray()
    default.alignmentId = 1
    workbook._cell_styles = IndexedList([default])
    # LibreOffice takes an unstyled cell's format from the Normal cell style rather than from format 0.
    normal = workbook._named_styles["Normal"]
    normal.font = Font(name=BODY_FONT, size=FONT_POINTS)
    normal.alignment = Alignment(vertical="top", wrap_text=True)


class _SheetWriter:
    """One streamed sheet: a styled header, then rows. Unstyled cells take the workbook's default (宋体, top,
    wrapped); only the columns with a number format get a cell object, made once and reused row after row.
    Grid lines are printed rather than drawn as borders on every cell."""

    def __init__(self, workbook: Any, title: str, columns: Sequence[tuple[str, float | None]], widths: Sequence[float],
                 print_title: str, formats: Mapping[str, str] | None = None, mark: str = "") -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.datetime import to_excel
        from openpyxl.worksheet.properties import PageSetupProperties
        from openpyxl.worksheet.worksheet import Worksheet

        self.sheet = workbook.create_sheet(title)
        self.to_excel = to_excel
        self.columns = columns
        self.widths = list(widths)
        self.rows = 0
        sheet = self.sheet
        for index, width in enumerate(widths, start=1):
            column = sheet.column_dimensions[get_column_letter(index)]
            column.width = width
            # A column's own format is what LibreOffice shows in its cells that have none: the default one.
            column.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.print_options.horizontalCentered = True
        sheet.print_options.gridLines = True
        sheet.page_margins.left = sheet.page_margins.right = 0.5
        sheet.page_margins.top = sheet.page_margins.bottom = 0.75
        sheet.oddHeader.center.text = print_title
        sheet.oddHeader.center.font = f"{HEADING_FONT},Regular"
        sheet.oddHeader.center.size = 14
        if mark:
            sheet.oddHeader.right.text = f"【{mark}】"
            sheet.oddHeader.right.font = f"{HEADING_FONT},Bold"
            sheet.oddHeader.right.size = 14
        sheet.oddFooter.center.text = "第 &P 页 共 &N 页"
        sheet.oddFooter.center.font = f"{BODY_FONT},Regular"
        thin = Side(style="thin", color="808080")
        header = []
        for name, _ in columns:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(name=HEADING_FONT, size=FONT_POINTS, bold=True)
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            header.append(cell)
        sheet.append(header)
        self.styled: list[Any] = []
        top = Alignment(vertical="top", horizontal="left")
        for name, _ in columns:
            styled = None
            if formats and name in formats:
                styled = WriteOnlyCell(sheet)
                styled.number_format = formats[name]
                styled.alignment = top
            self.styled.append(styled)
        # Viewers do not grow a row for wrapped text by themselves (LibreOffice keeps one line), so each row
        # gets the height its longest text needs in its column's width.
        self.heights: dict[int, Any] = {}

    def append(self, values: Sequence[Any]) -> None:
        row: list[Any] = []
        lines = 1
        for styled, width, value in zip(self.styled, self.widths, values, strict=True):
            cell = styled
            if type(value) is datetime:
                value = self.to_excel(value)  # the serial number: cheaper for openpyxl than a datetime
            elif type(value) is str:
                value = clean_text(value)
                if len(value) > CELL_CHARS:
                    value = _cut(value, CELL_CHARS)
                # display_width, inlined: this runs for every text cell of the 台账
                if (len(value.encode()) + len(value)) // 2 > width - COLUMN_PADDING or "\n" in value:
                    lines = max(lines, _line_count(value, width))
                if value[:1] == "=":  # text starting with "=" is a record, never a formula to run
                    cell = cell or self._plain_cell()
                    cell.value = value
                    cell.data_type = "s"
                    row.append(cell)
                    continue
            if cell is None:
                row.append(None if value == "" else value)
            else:
                cell.value = value
                row.append(cell)
        if lines > 1:
            self.sheet.row_dimensions[self.rows + 2] = self._height(lines)
        self.sheet.append(row)
        self.rows += 1

    def _height(self, lines: int) -> Any:
        """One row dimension per height, shared by every row that needs it: the writer only reads its height,
        and making one per row would cost more than writing the row."""
        from openpyxl.worksheet.dimensions import RowDimension

        if lines not in self.heights:
            self.heights[lines] = RowDimension(self.sheet, index=0, ht=min(lines * LINE_POINTS, MAX_ROW_POINTS))
        return self.heights[lines]

    def _plain_cell(self) -> Any:
        from openpyxl.cell import WriteOnlyCell

        return WriteOnlyCell(self.sheet)

    def finish(self) -> None:
        from openpyxl.utils import get_column_letter

        last = get_column_letter(len(self.columns))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        # Text running over into the empty columns on the right must not widen the printed page.
        self.sheet.print_area = f"A1:{last}{self.rows + 1}"


def _coverage_values(number: int, row: CoverageRow, titles: Mapping[str, str]) -> tuple[Any, ...]:
    return (
        number, row.rule, row.interviewer, row.interviewees, row.min_per_year, row.required, row.done,
        row.done / row.required if row.required else "—", row.missing, official_source(row.source, titles),
    )


def export_ledger(store: Store, year: int, out: Path, *, facts: PolicyFacts, unit: int | str | None = None,
                  replace: bool = False) -> Path:
    """The 台账 of `unit` (and the units below it; all units when None) for `year`, as an XLSX file, with the
    coverage of the year's frequency rules on its second sheet, each rule's source named as the document and
    clause; an existing `out` is replaced only with `replace`. Returns the file written."""
    from openpyxl import Workbook

    scope = unit_scope(store, unit)
    title = f"{scope.name if scope else root_unit_name(store)}{year}年度谈心谈话台账"
    mark = demo_mark(store)
    workbook = Workbook(write_only=True)
    _use_chinese_defaults(workbook)
    # Widths come from the content, so the rows are read before the first is written.
    talks = [row.values() for row in ledger_rows(store, year, facts.talk_type_names(), facts.wording(), scope)]
    ledger = _SheetWriter(workbook, "台账", LEDGER_COLUMNS, fitted_widths(LEDGER_COLUMNS, talks), title,
                          {"谈话时间": DATE_FORMAT}, mark)
    for values in talks:
        ledger.append(values)
    ledger.finish()
    rules = facts.coverage(year, scope, with_names=True, today=store.clock.today())
    titles = facts.source_titles()
    coverage_rows = [_coverage_values(number, rule, titles) for number, rule in enumerate(rules, start=1)]
    coverage = _SheetWriter(workbook, "覆盖情况", COVERAGE_COLUMNS, fitted_widths(COVERAGE_COLUMNS, coverage_rows),
                            f"{title}·覆盖情况", {"覆盖率": PERCENT_FORMAT}, mark)
    for values in coverage_rows:
        coverage.append(values)
    coverage.finish()
    workbook.properties.title = title
    workbook.properties.creator = "tanxin"
    written = write_atomically(out, lambda path: workbook.save(str(path)), replace=replace)
    store.audit("export", "ledger", scope.unit_id if scope else None, year=year, talks=ledger.rows,
                file=written.name)
    return written
