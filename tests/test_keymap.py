"""The keymap setting (notes/keymap.py, 设置 → 按键一览): the actions a unit may move, the "press the new key"
capture, and the refusals — the same in 设置 and in `tanxin config set keymap`."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from conftest import run_cli
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Button
from tui_talk_helpers import drive, make_app, screen_text, wait_for

import tui.screens
import tui.widgets
from notes.errors import InvalidInput
from notes.keymap import ACTIONS, check_keymap
from notes.settings import load_settings, save_settings
from notes.store import Store
from tui.screens.dashboard import DashboardScreen
from tui.screens.keymap import KeymapScreen
from tui.screens.settings import SettingsScreen, field_id
from tui.screens.unlock import LockScreen
from tui.widgets.safe_input import SafeInput

# Keys that stay where they are: moving and leaving (esc, enter), quitting, and the list's own keys.
FIXED = {"tanxin.quit"}


def app_bindings() -> dict[str, str]:
    """Every binding id of the app's screens and widgets, with its key."""
    modules = ["tui.app"] + [f"{package.__name__}.{module.name}" for package in (tui.screens, tui.widgets)
                             for module in pkgutil.iter_modules(package.__path__)]
    found: dict[str, str] = {}
    for name in modules:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, DOMNode) and cls.__module__ == name:
                for binding in cls.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding) and binding.id:
                        found[binding.id] = binding.key
    return found


def test_the_list_of_actions_is_the_apps_own_bindings() -> None:
    bindings = app_bindings()
    for action in ACTIONS.values():
        assert bindings.get(action.id) == action.default, action.id
    movable = {binding_id for binding_id, key in bindings.items()
               if not {"escape", "enter"} & set(key.split(",")) and binding_id not in FIXED
               and not binding_id.startswith("keymap.")}
    assert movable == set(ACTIONS)


@pytest.mark.parametrize(("keymap", "said"), [
    ({"tanxin.lokc": "ctrl+k"}, "没有编号为“tanxin.lokc”的按键功能"),
    ({"tanxin.lock": "ctrl+q"}, "ctrl+q 是退出键"),
    ({"tanxin.lock": "tab"}, "用于在界面中移动和编辑"),
    ({"person.watch": "w"}, "单独的字母或数字 w"),
    ({"tanxin.blank": "f9"}, "按键 f9 已用于“谈后：签章封存”"),  # global: it would hide 签章封存
    ({"person.watch": "ctrl+n"}, "已用于“人员页面：添加情况”"),
    ({"live.finish": "f10", "live.save": "f10"}, "按键 f10 已用于"),
    ({"tanxin.lock": "hyper+k"}, "看不懂按键"),
])
def test_a_wrong_keymap_is_refused_with_the_reason(keymap: dict[str, str], said: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_keymap(keymap)
    assert said in refused.value.message


def test_keys_may_change_places_and_are_normalised() -> None:
    # Two actions of one screen swapping their keys clash with nothing.
    assert check_keymap({"person.add_role": "ctrl+x", "person.end_role": "Ctrl+R"}) == {
        "person.add_role": "ctrl+x", "person.end_role": "ctrl+r"}
    # The same key on two screens that are never shown together is fine.
    assert check_keymap({"review.seal": "ctrl+k", "person.watch": "ctrl+k"})


def test_config_set_keymap_refuses_what_is_wrong_and_writes_nothing(store: Store, db_path: Path) -> None:
    db = ["--db", str(db_path)]
    for text, said in (("tanxin.lokc=ctrl+k", "没有编号为"), ("tanxin.lock=ctrl+q", "退出键"),
                       ("tanxin.lock=ctrl+t", "已用于“工作台：准备谈话”"), ("dashboard.refresh=x", "单独的字母")):
        result = run_cli([*db, "config", "set", "keymap", text])
        assert result.exit_code == 1, text
        assert said in result.stderr and "Traceback" not in result.stderr
    assert load_settings(store).keymap == {}
    done = run_cli([*db, "config", "set", "keymap", "tanxin.lock=Ctrl+K"])
    assert done.exit_code == 0, done.stderr
    assert load_settings(store).keymap == {"tanxin.lock": "ctrl+k"}


def test_a_stored_keymap_that_clashes_is_named_and_not_used(store: Store) -> None:
    store.set_setting("keymap", {"tanxin.lock": "ctrl+t"})  # a hand edit, or written by an older version
    settings = load_settings(store)
    assert settings.keymap == {}
    assert "已用于" in settings.problems["keymap"]


@drive
async def test_keymap_capture_refuses_taken_and_reserved_keys_and_saves_a_good_one(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        app.push_screen(SettingsScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen) and bool(app.screen.query("#choose-keys")))
        settings = app.screen
        settings.query_one("#choose-keys", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, KeymapScreen) and app.screen.table.row_count > 0)
        keys = app.screen
        assert isinstance(keys, KeymapScreen)
        shown = screen_text(app)
        assert "锁定" in shown and "tanxin.lock" in shown and "ctrl+l" in shown  # the label, the id, the key
        keys.table.move_cursor(row=list(ACTIONS).index("tanxin.lock"))

        await pilot.press("enter")
        await pilot.pause()
        assert "请按下“全局：锁定”的新按键" in screen_text(app)
        await pilot.press("tab")
        await pilot.pause()
        assert "未更改" in screen_text(app) and "用于在界面中移动和编辑" in screen_text(app)
        await pilot.press("enter", "ctrl+t")
        await pilot.pause()
        assert "已用于“工作台：准备谈话”" in screen_text(app)
        await pilot.press("enter", "f12")  # the privacy key is the answer here, not a command
        await pilot.pause()
        assert keys.keymap == {}
        assert isinstance(app.screen, KeymapScreen) and "已用于“全局：隐藏屏幕”" in screen_text(app)

        await pilot.press("enter", "ctrl+k")
        await pilot.pause()
        assert keys.keymap == {"tanxin.lock": "ctrl+k"} and "改为 ctrl+k" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is settings)
        assert settings.query_one(f"#{field_id('keymap')}", SafeInput).value == "tanxin.lock=ctrl+k"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert load_settings(store).keymap == {"tanxin.lock": "ctrl+k"}
        await pilot.press("ctrl+k")  # at once, without restarting
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen))


@drive
async def test_keymap_reset_returns_an_action_to_its_default_key(store: Store) -> None:
    save_settings(store, {"keymap": {"tanxin.lock": "ctrl+k"}})
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        app.push_screen(KeymapScreen(app.settings.keymap), lambda keymap: setattr(app, "chosen", keymap))
        await wait_for(pilot, lambda: isinstance(app.screen, KeymapScreen) and app.screen.table.row_count > 0)
        keys = app.screen
        assert isinstance(keys, KeymapScreen)
        keys.table.move_cursor(row=list(ACTIONS).index("tanxin.lock"))
        await pilot.press("delete")
        await pilot.pause()
        assert keys.keymap == {} and "改回默认按键 ctrl+l" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.chosen == {}  # type: ignore[attr-defined]
