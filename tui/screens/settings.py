"""设置: one field per setting of the registry (notes/settings.py), all saved together with ctrl+s.

The fields, their labels, help and checks all come from the registry, so 设置, `tanxin config` and the
documents cannot disagree about what a setting is. The help of the field being edited is shown under the list
(and as each field's tooltip); an emptied field goes back to its default. Only the settings that apply to the
organisation are listed (prep.wording.settings_shown: a 民进 database has no 《党员手册》 template to choose); the
others keep their stored value. 本人 is a person's number, as
`tanxin config` takes it, with the person's name beside it and 选择… to pick them by name from the roster (the
picker of tui/screens/owner.py).
"""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Label, Static

from notes.errors import InvalidInput
from notes.settings import KEYMAP, OWNER, SETTINGS, Setting, Settings, format_value, parse_keymap
from tui.safe import safe
from tui.screens.base import TanxinModalScreen
from tui.screens.keymap import KeymapScreen
from tui.screens.owner import OwnerChoice, OwnerScreen
from tui.widgets.footer import TanxinFooter
from tui.widgets.safe_input import SafeInput

# The list of fields shows at most 12 rows (6 settings) and at least 4; the rest of the card (title, help of
# up to 4 lines, message, button, borders) and the footer take about 14 rows.
FIELDS_MAX_ROWS = 12
FIELDS_MIN_ROWS = 4
AROUND_FIELDS_ROWS = 14
GENERAL_HINT = "清空一项即恢复默认。要更改按键，按“自定义按键”一行的“按键一览…”，选中功能后按下新的按键。"


def field_id(key: str) -> str:
    """The input's id for a setting key (a widget id cannot hold the dot of templates.record)."""
    return "setting-" + key.replace(".", "-")


class SettingsScreen(TanxinModalScreen[None]):
    """The settings form. Every value is checked before anything is saved; each wrong one is named."""

    DEFAULT_CSS = """
    SettingsScreen #owner-name { width: 1fr; height: 1; }
    SettingsScreen #choose-owner { margin-right: 2; }
    """
    # The first field, not the scrolling list around it: what the user types at once must land in a field.
    AUTO_FOCUS = f"#{field_id(OWNER)}"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="settings.save", tooltip="检查并保存全部设置"),
        Binding("escape", "dismiss", "取消", id="settings.cancel", tooltip="不保存，关闭设置"),
    ]

    @cached_property
    def shown(self) -> list[Setting]:
        """The settings that apply to the organisation, in the registry's order."""
        from prep.active import wording
        from prep.wording import settings_shown

        return settings_shown(wording(self.tanxin.policy))

    def compose(self) -> ComposeResult:
        current = self.tanxin.settings
        with Vertical(classes="card wide form"):
            yield Static("设置", classes="card-title")
            with VerticalScroll(id="settings-fields"):
                for setting in self.shown:
                    with Horizontal(classes="pair"):
                        yield Label(setting.label, classes="setting-label")
                        field = SafeInput(
                            format_value(setting, current.value(setting.key)),
                            placeholder=setting.placeholder,
                            id=field_id(setting.key),
                            compact=True,
                            type="integer" if setting.kind in ("minutes", "person") else "text",
                            tooltip=setting.help,
                        )
                        yield field
                        if setting.key == KEYMAP:
                            field.styles.width = "1fr"  # beside it, the button that opens the list
                            keys = Button("按键一览…", id="choose-keys", compact=True,
                                          tooltip="列出各功能的按键，选中一项后按下新的按键")
                            keys.styles.width = "auto"
                            yield keys
                        if setting.key == OWNER:
                            # A number is short: the person's name takes the rest of the line (inline, over
                            # the stylesheet's full-width fields).
                            field.styles.width = 10
                            yield Static("", id="owner-name")
                            choose = Button("选择…", id="choose-owner", compact=True, tooltip="按姓名、拼音或首字母选择本人")
                            choose.styles.width = "auto"
                            choose.styles.min_width = 8
                            yield choose
            yield Static(GENERAL_HINT, id="setting-help", classes="hint")
            yield Static(safe(self._problems(current)), id="message")
            with Horizontal(classes="buttons"):
                yield Button("保存", id="save", variant="primary", compact=True)
        yield TanxinFooter()

    @property
    def owner_field(self) -> SafeInput:
        return self.query_one(f"#{field_id(OWNER)}", SafeInput)

    def on_mount(self) -> None:
        self.name_the_owner()

    def on_resize(self, event: events.Resize) -> None:
        """On a short terminal (80×24) the list of fields gives up rows, not the help or the save button."""
        fields = self.query_one("#settings-fields", VerticalScroll)
        fields.styles.max_height = max(FIELDS_MIN_ROWS, min(FIELDS_MAX_ROWS, event.size.height - AROUND_FIELDS_ROWS))

    @on(SafeInput.Changed, f"#{field_id(OWNER)}")
    def name_the_owner(self) -> None:
        """Beside the number, whose it is (or that nobody has it)."""
        from notes.model import people_by_id

        text = self.owner_field.value.strip()
        name = Content("")  # nobody: the field's placeholder says so
        if text.isdigit():
            person = people_by_id(self.tanxin.store, [int(text)]).get(int(text))
            name = (Content.styled("没有这个编号的人员", "$error") if person is None else Content.assemble(
                safe(person.name, "bold"), ("（已不在册）" if not person.active else "", "$warning")))
        self.query_one("#owner-name", Static).update(name)

    @on(Button.Pressed, "#choose-owner")
    def choose_owner(self) -> None:
        text = self.owner_field.value.strip()
        current = int(text) if text.isdigit() else None
        self.app.push_screen(OwnerScreen(current, clearable=True), self._owner_chosen)

    @on(Button.Pressed, "#choose-keys")
    def choose_keys(self) -> None:
        """The keymap as a list of actions; what was typed in the field (if it can be read) is the start."""
        field = self.query_one(f"#{field_id(KEYMAP)}", SafeInput)
        try:
            keymap = parse_keymap(field.value)
        except InvalidInput:
            keymap = self.tanxin.settings.keymap
        self.app.push_screen(KeymapScreen(keymap), self._keys_chosen)

    def _keys_chosen(self, keymap: dict[str, str] | None) -> None:
        if keymap is not None:
            self.query_one(f"#{field_id(KEYMAP)}", SafeInput).value = format_value(SETTINGS[KEYMAP], keymap)

    def _owner_chosen(self, choice: OwnerChoice | None) -> None:
        if choice is not None:
            self.owner_field.value = "" if choice.person_id is None else str(choice.person_id)

    @staticmethod
    def _problems(current: Settings) -> str:
        """Stored values that were ignored, so the user learns why a setting shows its default."""
        if not current.problems:
            return ""
        return "数据库中有设置值有误，已改用默认值：" + "；".join(
            f"{key}：{why}" for key, why in current.problems.items())

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Under the list, the help of the field being edited."""
        for setting in self.shown:
            if event.widget.id == field_id(setting.key):
                self.query_one("#setting-help", Static).update(safe(setting.help))
                return

    def texts(self) -> dict[str, str]:
        """Each field's text, for the settings whose text was changed."""
        current = self.tanxin.settings
        changed: dict[str, str] = {}
        for setting in self.shown:
            text = self.query_one(f"#{field_id(setting.key)}", SafeInput).value.strip()
            if text != format_value(setting, current.value(setting.key)):
                changed[setting.key] = text
        return changed

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        texts = self.texts()
        if not texts:
            self.notify("设置没有改动。")
            self.dismiss()
            return
        self.save(texts)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def save(self, texts: dict[str, str]) -> None:
        from notes.settings import save_texts

        try:
            with self.tanxin.thread_store() as store:
                saved = save_texts(store, texts)
        except InvalidInput as exc:
            self.app.call_from_thread(self.show_refusal, exc.message)
            return
        self.app.call_from_thread(self._saved, saved)

    def show_refusal(self, message: str) -> None:
        found = self.query_one("#message", Static)
        # One line per wrong setting; paths and names typed by the user are shown literally.
        found.update(Content("\n").join(safe(line) for line in message.split("\n")))
        found.add_class("error")

    def _saved(self, settings: Settings) -> None:
        self.tanxin.settings_changed(settings)
        self.notify("设置已保存。")
        self.dismiss()
