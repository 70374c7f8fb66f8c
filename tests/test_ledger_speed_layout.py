"""The 台账 laid out a column at a time (issue #9: each text measured once, a column looked at text by text only
when the whole of it has something to clean, cut, wrap or keep from being a formula) gives what laying it out
cell by cell gives: the same texts written, the same lines per row, the same formula guard."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from notes.documents.ledger import (
    CELL_CHARS,
    COLUMN_PADDING,
    COVERAGE_COLUMNS,
    LEDGER_COLUMNS,
    _cut,
    _line_count,
    display_width,
    lay_out,
)
from notes.documents.text import clean_text

PIECES = ["谈话", "思想稳定，工作积极。", "abc", " ", "、", "\n", "\r\n", "\r", "\x07", "\u202e", "=", "阿依古丽·买买提",
          "=SUM(A1:A2)", "长" * 40, "Mixed 中英 text"]


def _text(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return ""
    if rng.random() < 0.02:
        return "长" * (CELL_CHARS + 10)
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))


def _value(rng: random.Random, column: int) -> Any:
    if column == 0:
        return rng.randint(1, 20_000)
    if column == 1:
        return rng.choice([datetime(2026, rng.randint(1, 12), rng.randint(1, 28), 9, 30), None])
    return rng.choice([_text(rng), _text(rng), _text(rng), 0.5, 7, None])


def _by_cell(
    widths: list[float], rows: list[tuple[Any, ...]], formatted: set[int],
) -> tuple[list[list[Any]], list[int], set[tuple[int, int]]]:
    """Cell by cell, as the 台账 was written before it was laid out a column at a time."""
    written: list[list[Any]] = [[] for _ in widths]
    lines: list[int] = []
    as_text: set[tuple[int, int]] = set()
    for number, row in enumerate(rows):
        needed = 1
        for index, (width, value) in enumerate(zip(widths, row, strict=True)):
            if type(value) is str:
                value = _cut(clean_text(value), CELL_CHARS)
                if display_width(value) > width - COLUMN_PADDING or "\n" in value:
                    needed = max(needed, _line_count(value, width))
                if value[:1] == "=":
                    as_text.add((number, index))
            written[index].append(None if value == "" and index not in formatted else value)
        lines.append(needed)
    return written, lines, as_text


def test_column_layout_matches_cell_by_cell() -> None:
    rng = random.Random(9)
    for columns in (LEDGER_COLUMNS, COVERAGE_COLUMNS):
        for count in (0, 1, 7, 300):
            rows = [tuple(_value(rng, column) for column in range(len(columns))) for _ in range(count)]
            layout = lay_out(columns, rows, {columns[1][0]})  # the second column keeps its empty texts
            written, lines, as_text = _by_cell(layout.widths, rows, {1})
            assert layout.columns == written
            assert layout.lines == lines
            assert {(row, index) for row, indexes in layout.as_text.items() for index in indexes} == as_text
            assert len(layout.widths) == len(columns) and all(width >= COLUMN_PADDING for width in layout.widths)


def test_a_column_with_nothing_to_clean_is_written_as_read() -> None:
    rows = [(1, None, "王书记", "李明")]
    columns = LEDGER_COLUMNS[:4]
    layout = lay_out(columns, rows, ())
    assert layout.columns == [[1], [None], ["王书记"], ["李明"]] and layout.lines == [1] and not layout.as_text
