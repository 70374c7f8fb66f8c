"""The command palette says in Chinese when nothing matches (Textual's own message is English)."""

from __future__ import annotations

from tui_talk_helpers import drive, make_app, make_org, screen_text, wait_for

from notes.store import Store
from tui.screens.dashboard import DashboardScreen


@drive
async def test_no_match_is_said_in_chinese(store: Store) -> None:
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await pilot.press("ctrl+p", *"qqqxyz")
        await wait_for(pilot, lambda: "没有找到" in screen_text(app))
        await pilot.pause(0.8)  # past the moment Textual would add its own "No matches found"
        text = screen_text(app)
        assert "没有找到与“qqqxyz”匹配的命令或人员" in text
        assert "No matches" not in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.is_running
