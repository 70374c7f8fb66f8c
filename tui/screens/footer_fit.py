"""Which keys leave a crowded footer first.

The footer (tui/widgets/footer.py) shows a screen's keys first and the app's after them, as many as fit whole,
and always f1 帮助: on a small terminal the keys leave from the end of the row (the app's navigation keys first,
then, if f1 帮助 would not fit, the screen's own keys before it). A screen that
derives from FittedFooter names its secondary keys (by binding id) in NARROW_FOOTER_HIDES; below
FULL_FOOTER_WIDTH columns they leave the footer before any other, and only the footer: they still work, and
f1 帮助 lists them (tui/screens/help.py reads every active binding).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual.screen import Screen

if TYPE_CHECKING:
    from textual.binding import ActiveBinding


class FittedFooter(Screen[Any]):
    """Put it before the screen's other base (`class X(FittedFooter, TanxinScreen[None])`)."""

    NARROW_FOOTER_HIDES: ClassVar[frozenset[str]] = frozenset()
    FULL_FOOTER_WIDTH: ClassVar[int] = 110

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The bindings, the secondary ones marked not to show while the screen is narrow."""
        bindings = super().active_bindings
        if self.size.width >= self.FULL_FOOTER_WIDTH:
            return bindings
        return {key: active._replace(binding=replace(active.binding, show=False))
                if active.binding.id in self.NARROW_FOOTER_HIDES else active for key, active in bindings.items()}
