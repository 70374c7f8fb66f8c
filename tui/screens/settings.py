"""设置: one field per setting of tui/settings.py, each saved when the form is saved (ctrl+s)."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from tui.messages import forward_worker_failure
from tui.safe import safe
from tui.settings import Settings, setting_label
from tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from tui.app import TanxinApp


def keymap_text(keymap: dict[str, str]) -> str:
    return ", ".join(f"{binding_id}={keys}" for binding_id, keys in keymap.items())


def parse_keymap(text: str) -> dict[str, str]:
    """"tanxin.lock=ctrl+k, tanxin.blank=f9" → {"tanxin.lock": "ctrl+k", "tanxin.blank": "f9"}."""
    from notes.errors import InvalidInput

    keymap: dict[str, str] = {}
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            continue
        binding_id, sep, keys = (s.strip() for s in part.partition("="))
        if not sep or not binding_id or not keys:
            raise InvalidInput(f"按键设置“{part}”看不懂：应写成“按键编号=按键”，如 tanxin.lock=ctrl+k。")
        keymap[binding_id] = keys
    return keymap


class SettingsScreen(ModalScreen[None]):
    """The settings form. Values are checked before anything is saved; a wrong one is named in the message."""

    on_worker_state_changed = forward_worker_failure

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="settings.save"),
        Binding("escape", "dismiss", "取消", id="settings.cancel"),
    ]

    @property
    def tanxin(self) -> TanxinApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        current = self.tanxin.settings
        with Vertical(classes="card wide form"):
            yield Static("设置", classes="card-title")
            with VerticalScroll(id="settings-fields"):
                for item in fields(Settings):
                    value = getattr(current, item.name)
                    shown = keymap_text(value) if isinstance(value, dict) else str(value)
                    with Horizontal(classes="pair"):
                        yield Label(setting_label(item.name), classes="setting-label")
                        yield SafeInput(shown, id=f"setting-{item.name}", compact=True,
                                        type="integer" if isinstance(value, int) else "text")
            yield Static("按键编号见各按键的提示，如 tanxin.lock=ctrl+k；多个用逗号分开。", classes="hint")
            yield Static("", id="message")
            with Horizontal(classes="buttons"):
                yield Button("保存", id="save", variant="primary", compact=True)
        yield Footer()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from notes.errors import InvalidInput

        values: dict[str, Any] = {}
        try:
            for item in fields(Settings):
                text = self.query_one(f"#setting-{item.name}", SafeInput).value.strip()
                default = getattr(Settings(), item.name)
                if isinstance(default, dict):
                    values[item.name] = parse_keymap(text)
                elif isinstance(default, int):
                    values[item.name] = int(text) if text.isdigit() else -1
                else:
                    values[item.name] = text
        except InvalidInput as exc:
            self.query_one("#message", Static).update(safe(exc.message))
            return
        self.save(values)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def save(self, values: dict[str, Any]) -> None:
        from notes.errors import InvalidInput
        from tui.settings import save_settings

        current = self.tanxin.settings
        changes = {name: value for name, value in values.items() if getattr(current, name) != value}
        try:
            with self.tanxin.thread_store() as store:
                current = save_settings(store, current, changes)
        except InvalidInput as exc:
            self.app.call_from_thread(self.query_one("#message", Static).update, safe(exc.message))
            return
        self.app.call_from_thread(self._saved, current)

    def _saved(self, settings: Settings) -> None:
        self.tanxin.settings_changed(settings)
        self.notify("设置已保存。")
        self.dismiss()
