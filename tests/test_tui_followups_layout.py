"""跟踪 with a long list, as a unit's year makes it: the list scrolls within the screen, the highlighted
follow-up's detail stays under it and the footer stays whole (the list once took the whole screen's height:
the detail went under the footer and the screen itself scrolled)."""

from __future__ import annotations

from textual.widgets import Static
from tui_talk_helpers import drive, make_app, make_org, started_talk, wait_for

from notes import talks
from notes.followups import create_followup
from notes.store import Store
from tui.widgets.footer import TanxinFooter
from tui.widgets.safe_table import SafeTable


@drive
async def test_a_long_list_of_follow_ups_scrolls_inside_the_screen(store: Store) -> None:
    org = make_org(store)
    talk_id = started_talk(store, org)
    talks.finish_talk(store, talk_id)
    for number in range(40):
        create_followup(store, talk_id=talk_id, kind="帮扶", title=f"第 {number + 1} 项：协调解决家庭困难",
                        due_on=f"2026-{number % 12 + 1:02d}-15")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.show_followups()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FollowupsScreen"
                       and app.screen.query_one("#followups-table", SafeTable).row_count == 40)
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#followups-table", SafeTable)
        detail = screen.query_one("#followup-detail", Static)
        footer = screen.query_one(TanxinFooter)
        assert table.region.bottom <= detail.region.y  # the list ends above the detail …
        assert detail.region.bottom <= footer.region.y  # … which ends above the footer
        assert "第 1 项" in str(detail.content)
        assert footer.region.width == 80 and screen.max_scroll_y == 0  # the screen itself does not scroll
