"""Check boxes and radio buttons whose state is a symbol (☑/☐, ●/○), not only a colour: Textual draws both
states as the same ▐X▌ and tells them apart by colour, which a user with a monochrome terminal, a colour-blind
user or a screenshot on paper cannot read (issue #14: "▐X▌ looks ticked when it is not")."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


def _mark(on: bool, marks: tuple[str, str]) -> Content:
    return Content.styled(marks[0], "bold $text-success") if on else Content(marks[1])


class MarkedCheckbox(Checkbox):
    """A Checkbox drawn ☑ when ticked and ☐ when not."""

    MARKS = ("☑", "☐")

    @property
    def _button(self) -> Content:
        return _mark(self.value, self.MARKS)


class MarkedRadioButton(RadioButton):
    """A RadioButton drawn ● when chosen and ○ when not."""

    MARKS = ("●", "○")

    @property
    def _button(self) -> Content:
        return _mark(self.value, self.MARKS)
