"""f1 帮助 where Textual hides the app's keys (dialogs and 选择本人 are modal screens), what help says about the keys
that are no binding (enter, tab, ↑ ↓), and a 谈后 footer that keeps f1 帮助 in sight at 80 columns."""

from __future__ import annotations

from tui_talk_helpers import TALK_DAY, drive, make_app, make_org, screen_text, started_talk, wait_for

from notes import talks
from notes.store import Store
from tui.screens.dashboard import DashboardScreen
from tui.screens.help import EVERYWHERE, HelpScreen
from tui.screens.live import LiveScreen
from tui.screens.owner import OwnerScreen
from tui.screens.review import ReviewScreen
from tui.widgets.talk_dialogs import ConfirmDialog


def footer(text: str) -> str:
    return text.splitlines()[-1]


@drive
async def test_a_dialog_shows_f1_and_its_help_names_its_keys_as_the_footer_does(store: Store) -> None:
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        app.push_screen(ConfirmDialog("结束这次谈话？", "必谈要点已记录 2/4 项。", "结束谈话"))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog) and "帮助" in screen_text(app))
        dialog = app.screen
        assert footer(screen_text(app)).split() == ["esc", "取消", "f1", "帮助"]
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen) and "关闭" in screen_text(app))
        shown = screen_text(app)
        assert "本界面（确认）的按键" in shown
        assert "esc  取消：关闭对话框" in shown and "escape" not in shown  # the key by the footer's name
        assert "enter 打开选中的一行、选定或按下按钮" in shown.replace("\n", "")  # enter is no binding, but said
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is dialog)


@drive
async def test_choosing_the_owner_has_its_own_help(store: Store) -> None:
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: isinstance(app.screen, OwnerScreen) and "取消" in screen_text(app))
        assert "f1 帮助" in footer(screen_text(app))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen) and "关闭" in screen_text(app))
        shown = screen_text(app).replace("\n", "").replace("│", "").replace(" ", "")
        assert "按enter选定第一个" in shown and EVERYWHERE.replace(" ", "")[:20] in shown


@drive
async def test_the_review_footer_keeps_f1_at_80_columns_and_shows_every_key_when_wide(store: Store) -> None:
    org = make_org(store)
    talk_id = started_talk(store, org, (("谈作风", "发现问题", "办公用房超标", False),))
    talks.finish_talk(store, talk_id, at=f"{TALK_DAY}T09:40:00")
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        app.review_talk(talk_id)
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and "签章封存" in screen_text(app))
        assert app.focused is not None and app.focused.id == "summary"  # what is left to do is typed at once
        narrow = footer(screen_text(app))
        assert "f9 签章封存" in narrow and "f1 帮助" in narrow and "继续记录" not in narrow
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        wide = footer(screen_text(app))
        assert "f8 继续记录" in wide and "^e 记入十个清楚" in wide and "f1 帮助" in wide
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("f8")  # out of the narrow footer, still a key (and in f1 帮助)
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen))
