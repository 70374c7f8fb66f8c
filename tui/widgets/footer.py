"""The footer of the app's screens: Textual's, showing only the keys that fit, rebuilt once per burst of binding
changes, and only when what it shows changed.

Keys that fit: Textual's Footer lays every key out in a row that scrolls sideways and docks the palette key (^p 命令)
over its right end. On a small terminal the row runs under the palette key: the last key shown is cut in the
middle ("f3 人▏^p 命令"), and where a key's edge falls under a wide character of the palette key, Textual's
compositor drops that character ("▏^p 命"). So the footer shows the keys, in their order, that fit whole
beside the palette key, and always f1 帮助, which lists every key the screen offers now (tui/screens/help.py).
Keys left out still work. A screen may choose which keys leave first (tui/screens/footer_fit.py).

Once per burst: Textual's Footer rebuilds every key (a widget each, styled anew) after each change of the
bindings, one rebuild per change even when several come together. They do come together: a screen showing its
first data changes focus, shows or hides lists and enables keys in the same moment, and 工作台 rebuilt its
fourteen keys four times over on the way to its first drawing (about 40 ms of a start of 0.8 s). The last rebuild
reads the bindings as they are then, so one rebuild per burst shows exactly what the four did. Many changes change
nothing shown (a screen's first resize asks again for the keys its first data just settled): the keys are
compared with those of the last rebuild and the rebuild is skipped when they are the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.widgets import Footer

from tui.screens.base import HELP_BINDING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual import events
    from textual.app import ComposeResult
    from textual.screen import Screen
    from textual.widget import Widget


def key_width(key: Widget) -> int | None:
    """Cells a key takes in the footer, by the styles of Textual's FooterKey (whose module is private: it is
    read through its public fields): the key with a space either side, then the description and a space; a key
    without a description is drawn bare. None for anything but a key."""
    display, description = getattr(key, "key_display", None), getattr(key, "description", None)
    if not isinstance(display, str) or not isinstance(description, str):
        return None
    return cell_len(display) + 2 + cell_len(description) + 1 if description else cell_len(display)


def fitted(keys: Sequence[Widget], width: int) -> list[Widget]:
    """The keys, in order, that fit whole in `width` cells beside the palette key, f1 帮助 always among them."""
    widths = {key: key_width(key) for key in keys}
    if width <= 0 or None in widths.values():
        return list(keys)
    palette = [key for key in keys if key.has_class("-command-palette")]
    # The palette key is drawn compact (no space round its key) but with a border and a space on its right: the
    # same cells as a plain key.
    room = width - sum(widths[key] or 0 for key in palette)
    plain = [key for key in keys if key not in palette]
    helper = next((key for key in plain if getattr(key, "action", None) == HELP_BINDING.action), None)
    kept: list[Widget] = []
    used = 0
    for key in plain:
        reserved = 0 if helper is None or helper in kept or key is helper else widths[helper] or 0
        if used + (widths[key] or 0) + reserved > room:
            break
        kept.append(key)
        used += widths[key] or 0
    if helper is not None and helper not in kept:
        kept.append(helper)
    return kept + palette


class TanxinFooter(Footer):
    """A Footer showing the keys that fit, whose rebuilds, asked for while one is already waiting, are that one."""

    _rebuild_waiting = False
    _shown: tuple[object, ...] | None = None  # what the last rebuild showed (None: nothing built yet)

    def compose(self) -> ComposeResult:
        keys = super().compose()
        if any(active.binding.group is not None for active in self.screen.active_bindings.values()):
            # Textual builds a group of keys inside a `with` block, seen only by its own compose loop: a footer
            # with groups is laid out as Textual lays it out (the app binds no groups).
            yield from keys
            return
        yield from fitted(list(keys), self.size.width)

    def on_resize(self, event: events.Resize) -> None:
        if self._shown is not None and self._keys_shown() != self._shown:
            self.bindings_changed(self.screen)  # another width fits other keys

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._rebuild_waiting:
            return
        super().bindings_changed(screen)
        # Textual's Footer schedules its rebuild only for its own, attached screen while the app has the focus.
        self._rebuild_waiting = self.is_attached and screen is self.screen and screen.app.app_focus

    async def recompose(self) -> None:
        # Cleared before composing: a change from now on is not in this rebuild and waits for a new one.
        self._rebuild_waiting = False
        shown = self._keys_shown()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()

    def _keys_shown(self) -> tuple[object, ...]:
        """Everything compose() reads: the screen's active bindings (each key with its binding, whether it is
        enabled, its tooltip), the footer's own switches and the width the keys must fit in."""
        if not self.is_attached:
            return ()
        keys = tuple((key, active.binding, active.enabled, active.tooltip)
                     for key, active in self.screen.active_bindings.items())
        return (self._bindings_ready, self.show_command_palette, keys, self.size.width)
