"""One frequency rule's coverage this year as a bar: who has been talked with, out of who should be."""

from __future__ import annotations

from rich.text import Text

from tui.widgets.safe_table import ERROR, MUTED, SUCCESS, WARNING

BAR_CELLS = 16


def coverage_bar(done: int, total: int, *, width: int = BAR_CELLS) -> Text:
    """`███████░░░░░░░░░ 12/40 30%`; a rule with nobody to cover shows as complete."""
    share = 1.0 if total <= 0 else min(done / total, 1.0)
    filled = round(share * width)
    tone = SUCCESS if share >= 1.0 else (WARNING if share >= 0.5 else ERROR)
    return Text.assemble(
        ("█" * filled, tone),
        ("░" * (width - filled), MUTED),
        f" {done}/{total} {round(share * 100)}%",
        no_wrap=True,
        end="",
    )
