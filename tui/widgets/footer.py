"""The footer of the app's screens: Textual's, rebuilt once per burst of binding changes, and only when what it
shows changed.

Textual's Footer rebuilds every key (a widget each, styled anew) after each change of the bindings, one rebuild
per change even when several come together. They do come together: a screen showing its first data changes
focus, shows or hides lists and enables keys in the same moment, and 工作台 rebuilt its fourteen keys four times
over on the way to its first drawing (about 40 ms of a start of 0.8 s). The last rebuild reads the bindings as
they are then, so one rebuild per burst shows exactly what the four did. Many changes change nothing shown (a
screen's first resize asks again for the keys its first data just settled): the keys are compared with those
of the last rebuild and the rebuild is skipped when they are the same.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class TanxinFooter(Footer):
    """A Footer whose rebuilds, asked for while one is already waiting, are that one."""

    _rebuild_waiting = False
    _shown: tuple[object, ...] | None = None  # what the last rebuild showed (None: nothing built yet)

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
        enabled, its tooltip) and the footer's own switches."""
        if not self.is_attached:
            return ()
        keys = tuple((key, active.binding, active.enabled, active.tooltip)
                     for key, active in self.screen.active_bindings.items())
        return (self._bindings_ready, self.show_command_palette, keys)
