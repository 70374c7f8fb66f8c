"""按键一览 (from 设置): every action a unit may move to another key, with its current key; enter on one, then
press the new key.

A pressed key is checked at once by the same rules `tanxin config set keymap` uses (notes/keymap.py): a key
already used on the same screen, a reserved key (ctrl+q, tab, …) or a letter alone is refused with the reason,
and nothing changes. The result goes back into 设置's field and is saved with the other settings.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from notes.keymap import ACTIONS, KEY_ACTIONS, effective_keys, keymap_problems, normalise_key
from tui.screens.base import TanxinModalScreen
from tui.widgets.footer import TanxinFooter
from tui.widgets.safe_table import SafeTable


def key_shown(key: str) -> str:
    """A key as it is printed on the keyboard ("/" rather than Textual's "slash")."""
    return "/" if key == "slash" else key


IDLE_HINT = "选中一项按 enter，再按下新的按键；delete 恢复该项的默认按键；ctrl+s 确定，esc 取消。"


class KeymapScreen(TanxinModalScreen[dict[str, str] | None]):
    """The actions and their keys; gives back the changed keymap (None when cancelled)."""

    DEFAULT_CSS = """
    KeymapScreen #keymap-message { height: auto; margin-top: 1; }
    """
    AUTO_FOCUS = "#keymap-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Before the table's own enter, so that the footer names what enter does here.
        Binding("enter", "capture", "更改按键", id="keymap.capture", priority=True,
                tooltip="为选中的功能按下新的按键"),
        Binding("delete", "reset", "恢复默认", id="keymap.reset", tooltip="选中的功能改回默认按键"),
        Binding("ctrl+s", "done", "确定", id="keymap.done", tooltip="确定所作的更改（回到设置后按 ctrl+s 保存）"),
        Binding("escape", "dismiss", "取消", id="keymap.cancel", tooltip="不作更改，回到设置"),
    ]

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self.keymap = dict(keymap)
        self.capturing: str | None = None  # the action whose new key is awaited

    @property
    def table(self) -> SafeTable:
        return self.query_one("#keymap-table", SafeTable)

    def compose(self) -> ComposeResult:
        with Vertical(classes="card wide") as card:
            # The list takes the height the title and the message leave (inline: over the stylesheet's cards
            # and tables, which take the height of their content).
            card.styles.height = "1fr"
            yield Static("按键一览", classes="card-title")
            table = SafeTable("界面", "功能", "按键", "编号", id="keymap-table")
            table.styles.height = "1fr"
            yield table
            yield Static(IDLE_HINT, id="keymap-message", classes="hint", markup=False)
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.show_keys()

    def show_keys(self) -> None:
        keys = effective_keys(self.keymap)
        self.table.replace_rows([
            (action.id, (action.scope, action.label, " / ".join(map(key_shown, keys[action.id])), action.id))
            for action in KEY_ACTIONS
        ])

    def say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#keymap-message", Static)
        message.update(Content(text))
        message.set_class(error, "error")

    @on(SafeTable.RowSelected, "#keymap-table")
    def action_capture(self) -> None:
        action_id = self.table.current_key
        if action_id is None:
            return
        self.capturing = action_id
        action = ACTIONS[action_id]
        self.say(f"请按下“{action.scope}：{action.label}”的新按键（esc 不改）……")

    def action_reset(self) -> None:
        action_id = self.table.current_key
        if action_id is not None and self.keymap.pop(action_id, None) is not None:
            self.show_keys()
            self.say(f"“{ACTIONS[action_id].label}”已改回默认按键 {ACTIONS[action_id].default}。")

    def action_done(self) -> None:
        self.dismiss(self.keymap)

    def on_key(self, event: events.Key) -> None:
        """While a new key is awaited, the next key is the answer, whatever it would do otherwise."""
        if self.capturing is None:
            return
        event.stop()
        event.prevent_default()
        action, self.capturing = ACTIONS[self.capturing], None
        if event.key == "escape":
            self.say(IDLE_HINT)
            return
        key = normalise_key(event.key)
        candidate = {**self.keymap, action.id: key}
        if key == action.default:
            del candidate[action.id]
        problems = keymap_problems(candidate)
        if problems:
            self.say("未更改：" + "；".join(problems) + "。", error=True)
            return
        self.keymap = candidate
        self.show_keys()
        self.say(f"“{action.scope}：{action.label}”改为 {key}。按 ctrl+s 确定，回到设置后再按 ctrl+s 保存。")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a key is awaited, the footer shows nothing that the key would do instead.
        return self.capturing is None
