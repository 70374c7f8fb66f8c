"""Text fields that never pass a control character to the terminal, whatever is typed, pasted or loaded.

Input and TextArea render their value as it is: ESC, C1 controls, NUL and bidi overrides would reach the
terminal (docs/pitfalls.md: an Input value set the pane title). So a value loaded from the database shows each
control character as its visible placeholder (␛, ⟨U+202E⟩), and pasted text is cleaned (controls dropped,
NFC) and capped, with a message saying so. An Input also keeps every line of a multi-line paste (joined by
spaces) instead of silently keeping only the first.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input, TextArea

from tui.safe import MAX_PASTE_CHARS, cap_paste, visible


def _cut_notice(kept: int) -> str:
    return f"粘贴的内容过长，只保留了前 {kept} 个字符。"


def editable(text: str) -> str:
    """Text as an editor may show it: newlines and tabs kept, every other control made visible."""
    return "\n".join(visible(line.replace("\t", "    ")) for line in text.replace("\r\n", "\n").split("\n"))


class SafeInput(Input):
    """An Input whose value never holds a control character: typed, pasted or set from stored text."""

    _typed: str | None = None  # typed elsewhere, meant for this field (see start_typing)

    def validate_value(self, value: str) -> str:
        return visible(value)

    def start_typing(self, text: str) -> None:
        """Take the focus with `text` as the new value: a character typed while the focus was elsewhere (a
        name typed over a list is a search). Focusing selects the old value, so the text is put in after it."""
        self._typed = text
        if self.has_focus:
            self._take_typed()
        else:
            self.focus()

    def _on_focus(self, event: events.Focus) -> None:
        if self._typed is not None:
            self.call_later(self._take_typed)  # after Input's own focus handling, which selects everything

    def _take_typed(self) -> None:
        if self._typed is not None:
            self.value, self._typed = self._typed, None
            self.cursor_position = len(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        room = self.max_length - len(self.value) + len(self.selected_text) if self.max_length else None
        limit = MAX_PASTE_CHARS if room is None else max(min(room, MAX_PASTE_CHARS), 0)
        text, cut = cap_paste(" ".join(event.text.splitlines()), limit)
        if cut:
            self.notify(_cut_notice(limit), severity="warning")
        if not text:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)


class SafeTextArea(TextArea):
    """A TextArea that shows loaded text's controls visibly and cleans pastes."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(editable(text), **kwargs)

    def load_text(self, text: str) -> None:
        super().load_text(editable(text))

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        if self.read_only:
            return
        text, cut = cap_paste(event.text.replace("\r\n", "\n").replace("\r", "\n"))
        if cut:
            self.notify(_cut_notice(MAX_PASTE_CHARS), severity="warning")
        if text and (result := self._replace_via_keyboard(text, *self.selection)):
            self.move_cursor(result.end_location)
            self.focus()
