"""帮助 (tui/screens/help.py): the keys of the screen underneath, from its live bindings, and daily use."""

from __future__ import annotations

from tui_talk_helpers import drive, make_app, make_org, screen_text, wait_for

from notes.store import Store
from tui.screens.dashboard import DashboardScreen
from tui.screens.help import HelpScreen, key_lines


@drive
async def test_help_lists_the_keys_of_the_screen_underneath(store: Store) -> None:
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        dashboard = app.screen
        keys = dict(key_lines(dashboard))
        assert keys["f3"].startswith("人员")
        assert "ctrl+l" in keys and "ctrl+q" in keys
        await pilot.press("f1")
        await wait_for(pilot, lambda: "每天使用" in screen_text(app))
        text = screen_text(app)
        assert "本界面（工作台）的按键" in text
        assert "f12" in text and "隐藏" in text
        assert "Focus" not in text and "Copy" not in text  # Textual's own English bindings are left out
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")  # f1 again closes it, as esc does
        await wait_for(pilot, lambda: app.screen is dashboard)
