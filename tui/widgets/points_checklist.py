"""The required points of a talk as a checklist that fills as notes are taken."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.content import Content
from textual.widgets import Static

from tui.safe import safe


def checklist_content(points: Sequence[str], counts: Mapping[str, int]) -> Content:
    """☑/☐ per point with the number of notes under it, and a 已谈 n/m line on top.

    Point texts come from policy packs a unit edits, so they are shown literally like any user text.
    """
    done = sum(1 for point in points if counts.get(point, 0) > 0)
    lines = [Content.styled(f"必谈要点 {done}/{len(points)}", "bold")]
    for point in points:
        count = counts.get(point, 0)
        # No space after the mark and a no-break space before the count: a long point then folds on its own
        # line instead of leaving the mark alone on one (Chinese text has no spaces to wrap at).
        mark = Content.styled("☑", "$text-success") if count else Content.styled("☐", "$text-warning")
        suffix = Content.styled(f"\u00a0({count})", "dim") if count else Content("")
        lines.append(Content.assemble(mark, safe(point), suffix))
    if not points:
        lines.append(Content.styled("此类谈话没有规定要点，按谈思想、谈履职、谈作风、谈生活记录。", "dim"))
    return Content("\n").join(lines)


class PointsChecklist(Static):
    """Shows which required points already have notes; the live screen calls `show` after each change."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.counts: dict[str, int] = {}
        self._shown: tuple[tuple[str, ...], tuple[int, ...]] | None = None

    def show(self, points: Sequence[str], counts: Mapping[str, int]) -> None:
        """Show each point with how many notes it has (only `points` are counted; other headings are not)."""
        self.counts = {point: counts.get(point, 0) for point in points}
        state = (tuple(points), tuple(self.counts.values()))
        if state == self._shown:  # typing inside a covered point changes nothing here: skip the re-render
            return
        self._shown = state
        self.update(checklist_content(points, counts))
