"""The 台账 (the 苏州 实施意见 五(一), the 民进 办法 第二十条): one XLSX per unit and year, a row per talk, and a
coverage sheet.

It is read by inspectors, so 保密 entries never reach it (谈话内容保密; informants are never revealed): they are
left out in the SQL, and follow-ups raised from them show a placeholder instead of their title. Twenty thousand
talks must export in seconds: the rows come from one query (no query per talk) and are streamed through openpyxl's
write-only mode (notes/documents/ledger_sheet.py). Column widths follow the content (Chinese counted double), so
the rows are read before the first one is written, and laid out a column at a time.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

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


def _display_widths(values: Sequence[Any]) -> list[int]:
    """display_width of each text in a column (0 for other values), inlined rather than called per text: a
    column of the 台账 is measured once, for its width and for its rows' heights."""
    return [(len(v.encode()) + len(v)) // 2 if type(v) is str else 0 for v in values]


def _lines(text_width: int, width: float) -> int:
    """Lines a line of text `text_width` wide (display_width) needs in a wrapped cell of `width`."""
    return max(1, -(-text_width // int(max(width - COLUMN_PADDING, 1.0))))


def _line_count(text: str, width: float) -> int:
    """Lines a wrapped cell of `width` needs."""
    return sum(_lines(display_width(part), width) for part in text.split("\n"))


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


def fitted_width(name: str, limit: float | None, values: Sequence[Any], widths: Sequence[int]) -> float:
    """A column as wide as its header and its longest value need, up to its `limit` where its text wraps
    instead — but never narrower than its longest name or single value that cannot wrap. A text is measured
    whole (`widths`: display_width of each of `values`), not line by line: a line is never wider than its text,
    and a text longer than the limit wraps anyway."""
    whole = max(display_width(name), max(widths, default=0)) + COLUMN_PADDING
    if limit is not None and whole > limit:
        if name not in NAME_COLUMNS:
            return float(limit)
        return float(max([limit, *(_widest(v, True) + COLUMN_PADDING for v in values if type(v) is str)]))
    return float(max([whole - COLUMN_PADDING, *(_widest(v, False) for v in values if type(v) is not str)])
                 + COLUMN_PADDING)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(CUT_NOTE)] + CUT_NOTE


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """A sheet's rows as they are written, column by column: texts cleaned and cut to what a cell holds, an
    empty text left out (except in a column with a format of its own); each column's width; each row's lines,
    for its height (viewers do not grow a row for wrapped text by themselves: LibreOffice keeps one line); and
    where a text starts with "=" (`as_text`: a record, never a formula to run)."""

    columns: list[list[Any]]
    widths: list[float]
    lines: list[int]
    as_text: dict[int, list[int]]  # row → its columns


def lay_out(columns: Sequence[tuple[str, float | None]], rows: Sequence[Sequence[Any]],
            formatted: Collection[str]) -> SheetLayout:
    """`rows` laid out in `columns`; the column names in `formatted` keep their empty texts. The work is done a
    column at a time, at C speed where it can be (the 台账 has 20,000 rows): each text is measured once, for its
    column's width and its row's height, and a column is looked at text by text only when the whole of it has
    something to clean, to cut, to wrap or to keep from being a formula."""
    values_by_column = [list(column) for column in zip(*rows, strict=True)] or [[] for _ in columns]
    widths: list[float] = []
    lines = [1] * len(rows)
    as_text: dict[int, list[int]] = {}
    for index, ((name, limit), values) in enumerate(zip(columns, values_by_column, strict=True)):
        measured = _display_widths(values)
        # The width follows the text as stored; the height, the text as written.
        width = fitted_width(name, limit, values, measured)
        texts = [value for value in values if type(value) is str]
        joined = "".join(texts)
        if clean_text(joined) != joined or max(map(len, texts), default=0) > CELL_CHARS:
            values = [_cut(clean_text(value), CELL_CHARS) if type(value) is str else value for value in values]
            measured = _display_widths(values)
            joined = "".join(value for value in values if type(value) is str)
        usable = width - COLUMN_PADDING
        wrapped = [row for row, text_width in enumerate(measured) if text_width > usable]
        if "\n" in joined:
            wrapped += [row for row, value in enumerate(values) if type(value) is str and "\n" in value]
        for row in wrapped:
            text = values[row]
            # A text on one line was measured already; one with line breaks is measured line by line.
            needed = _line_count(text, width) if "\n" in text else _lines(measured[row], width)
            if needed > lines[row]:
                lines[row] = needed
        if "=" in joined:
            for row, value in enumerate(values):
                if type(value) is str and value[:1] == "=":
                    as_text.setdefault(row, []).append(index)
        widths.append(width)
        values_by_column[index] = values if name in formatted else [None if value == "" else value for value in values]
    return SheetLayout(values_by_column, widths, lines, as_text)


class LedgerRow(NamedTuple):
    """A row of the 台账, its values in the columns' order (LEDGER_COLUMNS)."""

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


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value) if len(value) > 10 else datetime.fromisoformat(value + "T00:00:00")


def _followup_text(followup: Sequence[Any], terms: Wording) -> str:
    """A follow-up of the query below (kind, title, status, due date, raised from a 保密 entry) as the 台账 words
    it."""
    kind, title, status, due_on, confidential = followup
    shown = f"{terms.followup_kind(kind)}事项{CONFIDENTIAL_FOLLOWUP}" if confidential else title
    due = f"，时限{chinese_date(due_on)}" if due_on else ""
    return f"{shown}（{FOLLOWUP_STATUS_LABELS[status]}{due}）"


def _names_sql(role: str) -> str:
    """The names of a talk's people in `role`, in their order (by name within one position), joined; NULL for
    nobody."""
    return (
        f"(SELECT group_concat(n.name, '{NAME_SEPARATOR}' ORDER BY p.position, n.name) FROM talk_participants p "
        f"JOIN people n ON n.id = p.person_id WHERE p.talk_id = t.id AND p.role = '{role}')"
    )


# One query, each talk's people, entries and follow-ups gathered by subqueries on their talk_id indexes: the
# database joins the texts, so a talk costs no Python beyond its row. 保密 entries are left out here; the
# summary falls back to the facts only for a talk without one. Follow-ups come as JSON, since their wording
# (the organisation's words, Chinese dates) is Python's.
LEDGER_SQL = (
    "SELECT t.code, t.talk_type, t.form, t.channel, t.status, t.place, t.subject, "
    "coalesce(nullif(t.summary, ''), (SELECT group_concat(e.text, '；' ORDER BY e.position, e.id) FROM entries e "
    "WHERE e.talk_id = t.id AND e.confidential = 0 AND e.kind IN ('事实情况', '困难诉求')), ''), "
    "(SELECT group_concat(e.kind || '：' || e.text, char(10) ORDER BY e.position, e.id) FROM entries e "
    "WHERE e.talk_id = t.id AND e.confidential = 0 AND e.kind IN ('发现问题', '意见建议')), "
    "(SELECT json_group_array(json_array(f.kind, f.title, f.status, f.due_on, coalesce(e.confidential, 0)) "
    "ORDER BY f.due_on IS NULL, f.due_on, f.id) FROM followups f LEFT JOIN entries e ON e.id = f.entry_id "
    "WHERE f.talk_id = t.id), "
    f"{_names_sql('interviewer')}, {_names_sql('interviewee')}, {_names_sql('note_taker')}, "
    "t.cancel_reason, coalesce(t.started_at, t.planned_at) AS held_at FROM talks t "
    f"WHERE {LEDGER_WHERE}"
)


def ledger_rows(
    store: Store, year: int, type_names: dict[str, str], terms: Wording, scope: UnitScope | None = None,
) -> Iterator[LedgerRow]:
    """The year's talks in the order they were held, without any 保密 content; types by their names, follow-up
    kinds in the organisation's words (`terms`)."""
    sql, params = LEDGER_SQL, [f"{year:04d}", f"{year + 1:04d}"]
    if scope is not None:
        sql += " AND t.unit_id IN (SELECT value FROM json_each(?))"
        params.append(scope.ids_json)
    talks = store.rows(f"{sql} ORDER BY held_at, t.id", params)
    for number, talk in enumerate(talks, start=1):
        (code, talk_type, form, channel, status, place, subject, summary, findings, followups, interviewers,
         interviewees, note_taker, cancel_reason, held_at) = talk
        remarks = f"谈话对象无故拒绝谈话：{cancel_reason}" if status == "cancelled" else (
            "已封存" if status == "sealed" else "未封存")
        raised = json.loads(followups) if followups != "[]" else ()  # most talks have none: no parsing
        yield LedgerRow(
            number=number,
            held_at=_instant(held_at),
            interviewers=interviewers or "",
            interviewees=interviewees or "",
            talk_type=type_names.get(talk_type, talk_type),
            form=f"{form}·{channel}",
            place=place,
            subject=subject,
            summary=_cut(summary, SUMMARY_CHARS),
            findings=findings or "",
            followups="\n".join(_followup_text(followup, terms) for followup in raised),
            note_taker=note_taker or "",
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

    from notes.documents.ledger_sheet import write_sheet

    scope = unit_scope(store, unit)
    title = f"{scope.name if scope else root_unit_name(store)}{year}年度谈心谈话台账"
    mark = demo_mark(store)
    workbook = Workbook(write_only=True)
    _use_chinese_defaults(workbook)
    # Widths come from the content, so the rows are read before the first is written.
    talks = list(ledger_rows(store, year, facts.talk_type_names(), facts.wording(), scope))
    formats = {"谈话时间": DATE_FORMAT}
    write_sheet(workbook, "台账", LEDGER_COLUMNS, lay_out(LEDGER_COLUMNS, talks, formats), title, formats, mark)
    rules = facts.coverage(year, scope, with_names=True, today=store.clock.today())
    titles = facts.source_titles()
    coverage_rows = [_coverage_values(number, rule, titles) for number, rule in enumerate(rules, start=1)]
    formats = {"覆盖率": PERCENT_FORMAT}
    write_sheet(workbook, "覆盖情况", COVERAGE_COLUMNS, lay_out(COVERAGE_COLUMNS, coverage_rows, formats),
                f"{title}·覆盖情况", formats, mark)
    workbook.properties.title = title
    workbook.properties.creator = "tanxin"
    written = write_atomically(out, lambda path: workbook.save(str(path)), replace=replace)
    store.audit("export", "ledger", scope.unit_id if scope else None, year=year, talks=len(talks),
                file=written.name)
    return written
