"""A DataTable for stored text: every cell is inert Rich Text, one line, cut to a sane width.

DataTable parses string cells as markup (`x[/]` crashes the app, docs/pitfalls.md) and sizes a column to its widest
cell (a 200,000-character name would make a 200,000-cell column). So string cells become plain `Text` with
every control character made visible (never markup; Textual's Content would be inert too, but DataTable cannot
measure it and would squeeze its column), newlines inside a cell become ⏎, and long text ends in "…". The
stored text itself is untouched.

Columns are widened as each row goes in, not later. DataTable measures new rows only when its message queue
is idle and keys every render cache on a counter that this measuring does not advance; a screen painted
between `add_row` and that idle moment (a busy machine, a worker's rows arriving) kept the header at the
width of its labels while the rows below were drawn wide. Widening first, before `add_row` advances the
counter, means nothing is ever painted with widths that later change.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from tui.safe import visible

MAX_CELL_CHARS = 48
# Cell tones in terminal colours, which stay readable under every theme.
ERROR = "red"
WARNING = "yellow"
SUCCESS = "green"
MUTED = "dim"


def shorten(text: str, max_chars: int = MAX_CELL_CHARS) -> str:
    """One line of at most `max_chars` characters (newlines shown as ⏎, the cut marked with …)."""
    line = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    return line if len(line) <= max_chars else line[: max_chars - 1] + "…"


def cell(text: str | None, style: str = "", max_chars: int = MAX_CELL_CHARS) -> Text:
    """A table cell showing `text` literally (None shows as empty)."""
    return Text(visible(shorten(text or "", max_chars)), style=style, no_wrap=True, end="")


class SafeTable(DataTable[Text]):
    """Rows of user text, chosen with the cursor (a whole row at a time) and opened with enter."""

    def __init__(self, *columns: str, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.add_columns(*columns)

    def add_safe_row(self, *cells: str | Text | None, key: str | None = None) -> RowKey:
        """Add a row; plain strings are user text and shown literally."""
        return self._add(cells, key, self.app.console.width)

    def replace_rows(self, rows: Sequence[tuple[str, Sequence[str | Text | None]]]) -> None:
        """Refill the table with (key, cells) rows, the cursor staying on its line (the last, if fewer now)."""
        cursor = self.cursor_row
        self.clear()
        # The console asks the terminal for its size each time it is asked: once per refill, not once per row.
        limit = self.app.console.width
        for key, cells in rows:
            self._add(cells, key, limit)
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1))

    def _add(self, cells: Sequence[str | Text | None], key: str | None, limit: int) -> RowKey:
        texts = [c if isinstance(c, Text) else cell(c) for c in cells]
        self._widen_columns(texts, limit)
        return self.add_row(*texts, key=key)

    def _widen_columns(self, texts: list[Text], limit: int) -> None:
        """Give each column the width DataTable's idle measuring would give it: a Text's widest line in cells,
        at most `limit`, the console's width (what rich's measure() returns for it, without building its render
        options for every cell of every refill)."""
        for column, text in zip(self.ordered_columns, texts, strict=False):
            widest = max((cell_len(line) for line in text.plain.splitlines()), default=0)
            column.content_width = max(column.content_width, min(widest, limit))

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, or None when the table is empty."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value
