"""User text on screen in Textual: shown literally, able to do nothing.

In Textual 8.2.8 markup in user text crashes the app (`x[/]`) or runs actions (`[@click=app.quit]`), so stored
text is never put into markup: widgets get `Content` objects built here, from text whose control characters
`tui.text.visible` has already made visible.
"""

from __future__ import annotations

from textual.content import Content

from tui.text import MAX_PASTE_CHARS, cap_paste, clean_input, visible

__all__ = ["MAX_PASTE_CHARS", "cap_paste", "clean_input", "labelled", "safe", "visible"]


def safe(text: str, style: str = "") -> Content:
    """Literal, inert content for any widget that renders text: no markup is parsed, no control passes."""
    return Content.styled(visible(text), style) if style else Content(visible(text))


def labelled(label: str, value: str, label_style: str = "bold") -> Content:
    """`label` is the app's own text; `value` is user text and is shown literally."""
    return Content.assemble((label, label_style), visible(value))
