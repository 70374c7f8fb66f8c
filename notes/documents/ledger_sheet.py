"""The 台账's sheets written with openpyxl's write-only mode (notes/documents/ledger.py decides what they hold and
how they are laid out). Imported only when a 台账 is exported: openpyxl is slow to import.

Every row is written out as soon as it is appended, so the cells that carry a style are made once per column and
reused, and a row height is one object shared by all the rows of that height.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from notes.documents.ledger import (
    BODY_FONT,
    FONT_POINTS,
    HEADING_FONT,
    LINE_POINTS,
    MAX_ROW_POINTS,
    SheetLayout,
)


class RowHeight(RowDimension):  # type: ignore[misc]  # openpyxl has no type hints
    """A row height shared by every row that needs it (the writer only reads it; one per row would cost more
    than writing the row). openpyxl reads a row dimension's attributes for every row it writes, working out
    its style each time; this one is never changed once made, so it gives the attributes it worked out then.

    This relies on how openpyxl's writer (openpyxl/worksheet/_writer.py, write_row) reads a row dimension: by
    iterating over it. tests/test_documents_ledger.py reads the heights back, so a change there is caught."""

    def __init__(self, sheet: Any, lines: int) -> None:
        super().__init__(sheet, index=0, ht=min(lines * LINE_POINTS, MAX_ROW_POINTS))
        self.attributes = tuple(super().__iter__())

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.attributes)


def _new_sheet(workbook: Any, title: str, columns: Sequence[tuple[str, float | None]], widths: Sequence[float],
               print_title: str, mark: str) -> Any:
    """A sheet set up for A4 landscape printing, with its columns' widths and its styled header row. Grid lines
    are printed rather than drawn as borders on every cell."""
    sheet = workbook.create_sheet(title)
    # A column's own format is what LibreOffice shows in its cells that have none: the default one.
    wrapped = Alignment(vertical="top", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        column = sheet.column_dimensions[get_column_letter(index)]
        column.width = width
        column.alignment = wrapped
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
    font = Font(name=HEADING_FONT, size=FONT_POINTS, bold=True)
    fill = PatternFill("solid", fgColor="D9D9D9")
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = font
        cell.fill = fill
        cell.alignment = centred
        cell.border = border
        header.append(cell)
    sheet.append(header)
    return sheet


def write_sheet(workbook: Any, title: str, columns: Sequence[tuple[str, float | None]], layout: SheetLayout,
                print_title: str, formats: Mapping[str, str], mark: str) -> None:
    """A sheet of `layout`'s rows under a header of `columns`; a column named in `formats` has its number format.
    Unstyled cells take the workbook's default (宋体, top, wrapped)."""
    sheet = _new_sheet(workbook, title, columns, layout.widths, print_title, mark)
    top = Alignment(vertical="top", horizontal="left")
    styled: list[Any] = []
    for name, _ in columns:
        cell = None
        if name in formats:
            cell = WriteOnlyCell(sheet)
            cell.number_format = formats[name]
            cell.alignment = top
        styled.append(cell)
    reused = [(index, cell) for index, cell in enumerate(styled) if cell is not None]
    # A date as its serial number: cheaper for openpyxl to write than a datetime.
    values_by_column = [[to_excel(value) if type(value) is datetime else value for value in values]
                        for values in layout.columns]
    heights: dict[int, RowHeight] = {}
    for number, row in enumerate(zip(*values_by_column, strict=True)):
        values = list(row)
        for index, cell in reused:
            cell.value = values[index]
            values[index] = cell
        for index in layout.as_text.get(number, ()):
            cell = styled[index] or WriteOnlyCell(sheet)
            cell.value = layout.columns[index][number]
            cell.data_type = "s"
            values[index] = cell
        lines = layout.lines[number]
        if lines > 1:
            if lines not in heights:
                heights[lines] = RowHeight(sheet, lines)
            sheet.row_dimensions[number + 2] = heights[lines]
        sheet.append(values)
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{len(layout.lines) + 1}"
    # Text running over into the empty columns on the right must not widen the printed page.
    sheet.print_area = f"A1:{last}{len(layout.lines) + 1}"
