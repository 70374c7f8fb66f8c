"""Small modal dialogs of the talk screens: pick one of a list, confirm, turn an entry into a follow-up,
move a follow-up on, give the reason of an amendment.

Each is keyboard-first (enter confirms, escape cancels), works with the mouse, fits in 80×24, and shows
every piece of stored text literally (tui/safe.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from tui.messages import RosterLoaded
from tui.safe import safe
from tui.screens.base import HELP_BINDING, TanxinModalScreen
from tui.widgets.footer import TanxinFooter
from tui.widgets.person_picker import PersonPicker
from tui.widgets.safe_input import SafeInput, SafeTextArea

DIALOG_CSS = """
{name} {{ align: center middle; background: $background 60%; }}
{name} > Vertical {{
    width: 64; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; background: $surface; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; color: $text-primary; margin-bottom: 1; }}
{name} .dialog-note {{ color: $text-muted; height: auto; }}
{name} .dialog-error {{ color: $text-error; height: auto; }}
{name} .field-label {{ text-style: bold; height: 1; }}
{name} OptionList {{ height: auto; max-height: 12; margin-bottom: 1; }}
{name} SafeTextArea {{ height: 5; margin-bottom: 1; }}
{name} SafeInput {{ margin-bottom: 1; }}
{name} Horizontal {{ height: 1; align-horizontal: right; margin-bottom: 1; }}
{name} Button {{ margin-left: 2; min-width: 8; }}
"""

CANCEL_BINDING = Binding("escape", "cancel", "取消", id="tanxin.dialog.cancel", tooltip="关闭对话框，不作改动")
# A dialog's footer shows esc and f1 帮助 like every screen (a modal screen hides the app's own f1).
DIALOG_BINDINGS: list[BindingType] = [CANCEL_BINDING, HELP_BINDING]


def _buttons(ok_label: str = "确定", cancel_label: str = "取消") -> Horizontal:
    return Horizontal(Button(ok_label, variant="primary", id="ok", compact=True),
                      Button(cancel_label, id="cancel", compact=True))


class ChoiceDialog(ModalScreen[str | None]):
    """Choose one of a list; returns the chosen value, or None when cancelled."""

    TITLE = "选择"
    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog")
    BINDINGS: ClassVar[list[BindingType]] = DIALOG_BINDINGS

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], current: str | None = None) -> None:
        """`choices` are (value, label) pairs; labels may be user text (a pack's point) and are shown literally."""
        super().__init__()
        self.title_text = title
        self.values = [value for value, _ in choices]
        self.labels = [label for _, label in choices]
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*(Option(safe(label), id=f"choice-{i}") for i, label in enumerate(self.labels)))
            yield Static("↑↓ 选择，回车确定，Esc 取消", classes="dialog-note", markup=False)
        yield TanxinFooter()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.values:
            options.highlighted = self.values.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question about the app's own action (never about user text)."""

    TITLE = "确认"
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS: ClassVar[list[BindingType]] = DIALOG_BINDINGS

    def __init__(self, question: str, detail: Content | str = "", ok_label: str = "确定", *,
                 cancel_label: str = "取消", cancel_first: bool = False) -> None:
        """`cancel_first`: the focus starts on the cancel button, for a question whose safe answer is no."""
        super().__init__()
        self.question = question
        self.detail = detail
        self.ok_label = ok_label
        self.cancel_label = cancel_label
        self.cancel_first = cancel_first

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="dialog-title", markup=False)
            if self.detail:
                yield Static(self.detail, classes="dialog-note", markup=False)
            yield _buttons(self.ok_label, self.cancel_label)
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.query_one("#cancel" if self.cancel_first else "#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


@dataclass(frozen=True)
class FollowupRequest:
    kind: str
    due_on: str | None
    title: str = ""  # asked only when the follow-up does not come from an entry
    owner_id: int | None = None  # 责任人: who sees it through


class FollowupDialog(TanxinModalScreen[FollowupRequest | None]):
    """A follow-up, field by field with labels: 事项 (the entry's first line, or typed when it does not come
    from an entry: `ask_title`), 类别, 责任人 (the talk's interviewer unless another is picked) and 完成期限
    (required for 整改). The deadline is read from the text when it states one ("两周内" → two weeks from today),
    else DEFAULT_DAYS from today; either way it is shown, said where it came from, and can be edited."""

    TITLE = "跟踪事项"
    DEFAULT_CSS = DIALOG_CSS.format(name="FollowupDialog") + """
    FollowupDialog > Vertical { width: 70; }
    FollowupDialog OptionList { max-height: 6; }
    FollowupDialog PersonPicker .picker-search { margin: 0 1 0 1; }
    FollowupDialog #due-row { height: 1; align-horizontal: left; margin-bottom: 0; }
    FollowupDialog #due-row .field-label { width: 10; }
    FollowupDialog #due { width: 20; margin-bottom: 0; }
    FollowupDialog #due-source { width: 1fr; color: $text-muted; margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = DIALOG_BINDINGS
    DEFAULT_DAYS = 30

    def __init__(
        self, kinds: Sequence[str], today: date, entry_preview: str, default_kind: str, *, ask_title: bool = False,
        owner_id: int | None = None, due_hint: str = "",
    ) -> None:
        """`entry_preview`: the entry's first line as shown; `due_hint`: the text a deadline is read from (the
        whole entry; empty for a confidential one, whose content stays out of the dialog); `owner_id`: the 责任人
        proposed (the talk's interviewer)."""
        super().__init__()
        self.kinds = list(kinds)
        self.today = today
        self.entry_preview = entry_preview
        self.default_kind = default_kind
        self.ask_title = ask_title
        self.owner_id = owner_id
        self.due_hint = due_hint
        self.proposed_due = ""  # the deadline last proposed; typing another one stops the proposals

    @property
    def kinds_list(self) -> OptionList:
        return self.query_one("#kinds", OptionList)

    @property
    def title_field(self) -> SafeInput:
        """What is to be done; only there when `ask_title`."""
        return self.query_one("#title", SafeInput)

    @property
    def due_field(self) -> SafeInput:
        return self.query_one("#due", SafeInput)

    @property
    def owner_picker(self) -> PersonPicker:
        return self.query_one("#owner", PersonPicker)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("添加跟踪事项" if self.ask_title else "转为跟踪事项", classes="dialog-title", markup=False)
            yield Static("事项", classes="field-label", markup=False)
            if self.ask_title:
                yield SafeInput("", placeholder="如：两周内报送整改情况", id="title", max_length=1000, compact=True)
            else:
                yield Static(safe(self.entry_preview), classes="dialog-note")
            yield Static("类别", classes="field-label", markup=False)
            yield OptionList(*(Option(kind, id=f"kind-{i}") for i, kind in enumerate(self.kinds)), id="kinds")
            yield PersonPicker("责任人", id="owner", optional=True)
            with Horizontal(id="due-row"):
                yield Static("完成期限", classes="field-label", markup=False)
                yield SafeInput("", placeholder="如 2026-06-30", id="due", max_length=20, compact=True)
                yield Static("", id="due-source", markup=False)
            yield Static("", classes="dialog-error", id="error", markup=False)
            yield _buttons("创建")
        yield TanxinFooter()

    def on_mount(self) -> None:
        kinds = self.kinds_list
        kinds.highlighted = self.kinds.index(self.default_kind) if self.default_kind in self.kinds else 0
        self.owner_picker.chosen = self.owner_id
        self.propose_due(self.due_hint)
        (self.title_field if self.ask_title else kinds).focus()
        self.load_people()

    @work(thread=True, exclusive=True, exit_on_error=False, group="followup-people")
    def load_people(self) -> None:
        from tui.screens.people import load_roster

        with self.tanxin.thread_store() as store:
            self.post_message(RosterLoaded(load_roster(store)))

    @on(RosterLoaded)
    def offer_people(self, message: RosterLoaded) -> None:
        people = {pid: p for pid, p in message.roster.people.items() if p.active or pid == self.owner_id}
        self.owner_picker.set_people(message.roster.index, people)

    def propose_due(self, text: str) -> None:
        """The deadline the text states, else the default; left alone once the user typed a date of their own."""
        from notes.duetext import due_from_text

        if self.due_field.value.strip() != self.proposed_due:
            return
        stated = due_from_text(text, self.today)
        due = stated or self.today + timedelta(days=self.DEFAULT_DAYS)
        self.proposed_due = due.isoformat()
        self.due_field.value = self.proposed_due
        source = "按事项中写的期限" if stated else f"默认 {self.DEFAULT_DAYS} 天后，可修改"
        self.query_one("#due-source", Static).update(f"（{source}）")

    @on(SafeInput.Changed, "#title")
    def title_changed(self, event: SafeInput.Changed) -> None:
        self.propose_due(event.value)

    @on(SafeInput.Changed, "#due")
    def due_changed(self, event: SafeInput.Changed) -> None:
        if event.value.strip() != self.proposed_due:
            self.query_one("#due-source", Static).update("")

    @on(SafeInput.Submitted, "#title")
    def title_given(self) -> None:
        self.kinds_list.focus()

    @on(OptionList.OptionSelected, "#kinds")
    def kind_chosen(self) -> None:
        # the 责任人 is already proposed: enter, enter creates; tab back to pick another
        self.due_field.focus()

    @on(PersonPicker.Chosen, "#owner")
    def owner_chosen(self) -> None:
        self.due_field.focus()

    @on(SafeInput.Submitted, "#due")
    @on(Button.Pressed, "#ok")
    def create(self) -> None:
        from notes.dates import DAY_EXAMPLE, read_day

        kind = self.kinds[self.kinds_list.highlighted or 0]
        typed = self.due_field.value.strip()
        error = self.query_one("#error", Static)
        day = read_day(typed, self.today) if typed else None
        if typed and day is None:
            error.update(safe(f"期限“{typed}”不是有效日期，应写作 {DAY_EXAMPLE}。"))
            return
        if kind == "整改" and day is None:
            error.update("整改事项必须有完成期限。")
            return
        title = self.title_field.value.strip() if self.ask_title else ""
        if self.ask_title and not title:
            error.update("请填写事项内容。")
            return
        self.dismiss(FollowupRequest(kind, day.isoformat() if day else None, title, self.owner_picker.chosen))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class StatusChange:
    status: str
    note: str
    evidence: str


class StatusDialog(ModalScreen[StatusChange | None]):
    """Move a follow-up on: the next status (only those allowed from here), a note, and the evidence."""

    TITLE = "变更状态"
    DEFAULT_CSS = DIALOG_CSS.format(name="StatusDialog")
    BINDINGS: ClassVar[list[BindingType]] = DIALOG_BINDINGS

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], evidence: str, hint: str = "", *,
                 escalate_to: str = "") -> None:
        """`escalate_to`: the rung of the escalation ladder an overdue 整改 has reached (跟进提醒 …). It is not a
        status, so it is never offered as one: 已升级处理 is chosen and the note says the step, both editable."""
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.evidence = evidence
        self.hint = hint
        self.escalate_to = escalate_to

    @property
    def statuses_list(self) -> OptionList:
        return self.query_one("#statuses", OptionList)

    @property
    def note_field(self) -> SafeInput:
        return self.query_one("#note", SafeInput)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("变更状态：", "bold"), safe(self.title_text)), classes="dialog-title")
            if self.hint:
                yield Static(safe(self.hint), classes="dialog-note")
            yield Static("新的状态", classes="field-label", markup=False)
            yield OptionList(*(Option(label, id=f"status-{value}") for value, label in self.choices), id="statuses")
            yield Static("说明", classes="field-label", markup=False)
            yield SafeInput(self.escalate_to, placeholder="如：已提交整改报告、已升级为警示谈话", id="note", compact=True)
            yield Static("整改佐证、办理结果", classes="field-label", markup=False)
            yield SafeTextArea(self.evidence, language=None, id="evidence", placeholder="整改佐证、办理结果")
            yield Static("", classes="dialog-error", id="error", markup=False)
            yield _buttons()
        yield TanxinFooter()

    def on_mount(self) -> None:
        values = [value for value, _ in self.choices]
        if self.escalate_to and "escalated" in values:
            self.statuses_list.highlighted = values.index("escalated")
        self.statuses_list.focus()

    @on(OptionList.OptionSelected, "#statuses")
    def status_chosen(self) -> None:
        self.note_field.focus()

    @on(SafeInput.Submitted, "#note")
    @on(Button.Pressed, "#ok")
    def save(self) -> None:
        highlighted = self.statuses_list.highlighted
        if highlighted is None:
            self.query_one("#error", Static).update("请选择新的状态。")
            return
        status = self.choices[highlighted][0]
        self.dismiss(StatusChange(status, self.note_field.value, self.query_one("#evidence", SafeTextArea).text))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class AmendmentRequest:
    reason: str
    correction: str


class AmendDialog(ModalScreen[AmendmentRequest | None]):
    """A correction to a sealed record: why, and what the record should say. Both are required."""

    TITLE = "更正记录"
    DEFAULT_CSS = DIALOG_CSS.format(name="AmendDialog")
    BINDINGS: ClassVar[list[BindingType]] = DIALOG_BINDINGS

    @property
    def reason_field(self) -> SafeInput:
        return self.query_one("#reason", SafeInput)

    @property
    def correction_area(self) -> SafeTextArea:
        return self.query_one("#correction", SafeTextArea)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("添加更正记录", classes="dialog-title", markup=False)
            yield Static("原记录保持不变；更正记录单独封存，与原记录一并保存。", classes="dialog-note", markup=False)
            yield Static("更正原因（必填）", classes="field-label", markup=False)
            yield SafeInput("", placeholder="如：谈话对象核对时指出第 3 条记错", id="reason", compact=True)
            yield Static("更正内容（必填）", classes="field-label", markup=False)
            yield SafeTextArea("", language=None, id="correction", placeholder="应如何记载")
            yield Static("", classes="dialog-error", id="error", markup=False)
            yield _buttons("封存更正")
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.reason_field.focus()

    @on(SafeInput.Submitted, "#reason")
    def next_field(self) -> None:
        self.correction_area.focus()

    @on(Button.Pressed, "#ok")
    def save(self) -> None:
        reason = self.reason_field.value.strip()
        correction = self.correction_area.text.strip()
        if not reason or not correction:
            self.query_one("#error", Static).update("更正原因和更正内容都必须填写。")
            return
        self.dismiss(AmendmentRequest(reason, correction))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class RescueDialog(ModalScreen[Path | None]):
    """Saving failed at quit: say why, and offer to write the unsaved text to an encrypted rescue copy (on
    another disk if this one is full). Returns the path to write to, or None to go back to the app."""

    TITLE = "保存失败"
    DEFAULT_CSS = DIALOG_CSS.format(name="RescueDialog")
    BINDINGS: ClassVar[list[BindingType]] = DIALOG_BINDINGS

    def __init__(self, reason: str, suggested: Path) -> None:
        super().__init__()
        self.reason = reason
        self.suggested = suggested

    @property
    def path_field(self) -> SafeInput:
        return self.query_one("#rescue-path", SafeInput)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("内容尚未保存，暂不能退出", classes="dialog-title", markup=False)
            yield Static(self.reason, classes="dialog-error", markup=False)
            yield Static("可以把未保存的内容写成加密的救援副本（只有本数据库能打开；磁盘已满时请写到 U 盘等其他位置），"
                         "写好后退出，以后用 tanxin talk rescue 文件 放回记录。也可以返回，等保存成功后再退出。",
                         classes="dialog-note", markup=False)
            yield SafeInput(str(self.suggested), id="rescue-path", compact=True)
            yield Static("", classes="dialog-error", id="error", markup=False)
            yield _buttons("写出救援副本并退出", "返回")
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.path_field.focus()

    @on(SafeInput.Submitted, "#rescue-path")
    @on(Button.Pressed, "#ok")
    def save(self) -> None:
        text = self.path_field.value.strip()
        if not text:
            self.query_one("#error", Static).update("请填写救援副本的文件路径。")
            return
        self.dismiss(Path(text).expanduser())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
