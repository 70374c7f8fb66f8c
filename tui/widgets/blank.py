"""The privacy blank: one key and the screen shows nothing, until any key or click brings it back."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.screen import Screen


class BlankScreen(Screen[None]):
    """An empty, opaque screen over everything (no title, no footer, no hint that could be read over a shoulder)."""

    blocks_navigation: ClassVar[bool] = True
    DEFAULT_CSS = """
    BlankScreen { background: $background; }
    """

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.dismiss()
