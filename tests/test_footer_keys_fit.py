"""The footer shows the keys that fit whole beside ^p 命令, in their order, and always f1 帮助 (which lists the
rest): no key cut in the middle, no character of ^p 命令 lost (tui/widgets/footer.py)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.pilot import Pilot
from textual.widgets._footer import FooterKey
from tui_talk_helpers import dashboard_ready, drive, make_app, make_org, wait_for

from notes.store import Store
from tui.app import TanxinApp
from tui.screens.people import PeopleScreen
from tui.widgets.footer import fitted, key_width


def key(display: str, description: str, action: str = "app.bell", palette: bool = False) -> FooterKey:
    return FooterKey(display, display, description, action, classes="-command-palette" if palette else "")


def shown(keys: Iterable[object]) -> list[str]:
    return [f"{k.key_display} {k.description}" for k in keys if isinstance(k, FooterKey)]


def test_a_key_takes_its_cells_by_textuals_footer_styles() -> None:
    assert key_width(key("^f", "筛选")) == 9  # " ^f " and "筛选 "
    assert key_width(key("f12", "隐藏")) == 10
    assert key_width(key("←", "")) == 1  # a key without a description is drawn bare


def test_the_keys_that_fit_are_kept_in_order_and_f1_always() -> None:
    screen_keys = [key("^t", "准备谈话"), key("^a", "本人/全部"), key("^u", "本人")]
    help_key = key("f1", "帮助", "app.help")
    app_keys = [key("^q", "退出"), help_key, key("f2", "工作台"), key("f3", "人员")]
    palette = key("^p", "命令", palette=True)
    everything = [*screen_keys, *app_keys, palette]
    assert fitted(everything, 200) == everything
    # 80 columns: 71 beside the palette key; f2 工作台 ends at 65, f3 人员 would end at 74.
    assert shown(fitted(everything, 80)) == ["^t 准备谈话", "^a 本人/全部", "^u 本人", "^q 退出", "f1 帮助", "f2 工作台",
                                             "^p 命令"]
    # So narrow that f1 would fall off: the keys before it give way, f1 stays.
    assert shown(fitted(everything, 45)) == ["^t 准备谈话", "^a 本人/全部", "f1 帮助", "^p 命令"]
    assert shown(fitted(everything, 44)) == ["^t 准备谈话", "f1 帮助", "^p 命令"]
    assert fitted(everything, 0) == everything  # not laid out yet: nothing to fit


@drive
async def test_the_footer_follows_the_width_of_the_terminal(store: Store) -> None:
    """On 工作台 (whose secondary keys leave first, tui/screens/footer_fit.py) and on 人员 (a plain screen)."""
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, dashboard_ready(app))
        await pilot.pause()
        await fits_each_width(pilot, app)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, PeopleScreen))
        await pilot.pause()
        await fits_each_width(pilot, app)


async def fits_each_width(pilot: Pilot[None], app: TanxinApp) -> None:
    def keys() -> list[str]:
        return shown(list(app.screen.query(FooterKey)))

    wide = keys()
    assert wide[-1] == "^p 命令"
    await pilot.resize_terminal(80, 24)
    await wait_for(pilot, lambda: len(keys()) < len(wide))
    narrow = keys()
    assert "f1 帮助" in narrow and narrow[-1] == "^p 命令" and narrow[:-1] == [k for k in wide if k in narrow[:-1]]
    assert sum(key_width(k) or 0 for k in app.screen.query(FooterKey)) <= 80
    await pilot.resize_terminal(120, 36)
    await wait_for(pilot, lambda: keys() == wide)
