"""Files to tables: XLSX sheets (as Excel displays their numbers) and CSV (UTF-8 or GBK/GB18030, any delimiter)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notes.errors import InvalidInput


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
