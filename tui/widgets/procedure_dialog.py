"""程序信息: the 事由 of a 提醒, 诫勉 or 函询, a 诫勉's decision, and a 函询's letter and reply, in one dialog.

Opened from the 谈后 screen: `ProcedureDialog(view, today)` with `view` from notes.procedure_form.procedure_view;
it dismisses with a `ProcedureForm` (save it with notes.procedure_form.apply_procedure_form, in a worker) or
None when cancelled. Only the parts the talk needs are shown; a field left empty keeps what was there. Dates are
typed as people write them (2026-03-12, 2026年3月12日, 3月12日) and checked before the dialog closes.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from notes.procedure_form import ProcedureForm, ProcedureView
from tui.screens.base import HELP_BINDING
from tui.widgets.safe_input import SafeInput, SafeTextArea
from tui.widgets.talk_dialogs import CANCEL_BINDING, DIALOG_CSS

DATE_PLACEHOLDER = "如 2026-03-12"
SAVE_BINDING = Binding("ctrl+s", "save", "保存", id="tanxin.procedure.save", tooltip="保存程序信息")


class ProcedureDialog(ModalScreen[ProcedureForm | None]):
    """The talk's procedure data, field by field with labels; ctrl+s or 保存 returns what was typed."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ProcedureDialog") + """
    ProcedureDialog > Vertical { width: 76; max-height: 100%; }
    ProcedureDialog VerticalScroll { height: auto; max-height: 13; }
    ProcedureDialog .field-label { text-style: bold; height: 1; }
    ProcedureDialog SafeTextArea { height: 4; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [CANCEL_BINDING, SAVE_BINDING, HELP_BINDING]

    # field id → what it is called in an error message
    DATE_FIELDS: ClassVar[dict[str, str]] = {
        "decided-on": "诫勉决定日期", "sent-on": "发函日期", "reply-due-on": "回复期限", "received-on": "收到回复日期",
    }

    def __init__(self, view: ProcedureView, today: date) -> None:
        """`today`: the year of a date typed without one (the app's clock)."""
        super().__init__()
        self.view = view
        self.today = today

    def compose(self) -> ComposeResult:
        view, procedure, inquiry = self.view, self.view.procedure, self.view.inquiry
        with Vertical():
            yield Static(f"程序信息　{view.code}　{view.type_name}", classes="dialog-title", markup=False)
            missing = f"导出、封存前还缺少：{'、'.join(view.missing)}" if view.missing else "程序信息已齐全。"
            yield Static(missing, classes="dialog-note", id="missing", markup=False)
            with VerticalScroll():
                if view.asks_reason:
                    yield from self._area("reason", "事由（谈话所针对的问题，用自己的话写明）", procedure.reason)
                if view.asks_decision:
                    yield from self._field("decided-on", "诫勉决定日期", procedure.decided_on or "", DATE_PLACEHOLDER)
                    yield from self._field("decided-by", "决定机关", procedure.decided_by, "如：中共××委员会")
                    yield from self._field("decision-number", "文号（没有可不填）", procedure.decision_number,
                                           "如：××发〔2026〕7号")
                if view.by_letter:
                    yield from self._area("questions", "函询问题（每行一个）", inquiry.questions if inquiry else "")
                    yield from self._field("sent-on", "发函日期", (inquiry.sent_on if inquiry else None) or "",
                                           DATE_PLACEHOLDER)
                    yield from self._field("reply-due-on", "回复期限", procedure.reply_due_on or "", DATE_PLACEHOLDER)
                    yield from self._field("received-on", "收到回复日期",
                                           (inquiry.received_on if inquiry else None) or "", DATE_PLACEHOLDER)
                    yield from self._area("reply", "书面回复", inquiry.reply if inquiry else "")
            yield Static("", classes="dialog-error", id="error", markup=False)
            yield Horizontal(Button("保存", variant="primary", id="ok", compact=True),
                             Button("取消", id="cancel", compact=True))

    @staticmethod
    def _field(field_id: str, label: str, value: str, placeholder: str) -> ComposeResult:
        yield Static(label, classes="field-label", markup=False)
        yield SafeInput(value, placeholder=placeholder, id=field_id, max_length=100, compact=True)

    @staticmethod
    def _area(field_id: str, label: str, value: str) -> ComposeResult:
        yield Static(label, classes="field-label", markup=False)
        yield SafeTextArea(value, id=field_id, language=None, soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        fields = self.query("SafeInput, SafeTextArea")
        if fields:
            fields.first().focus()

    def _text(self, field_id: str) -> str | None:
        """The field's text, or None when the dialog does not show it or it was left empty."""
        found = self.query(f"#{field_id}")
        if not found:
            return None
        widget = found.first()
        text = widget.text if isinstance(widget, SafeTextArea) else widget.value if isinstance(widget, SafeInput) else ""
        return text.strip() or None

    def _day(self, field_id: str) -> str | None:
        from notes.dates import read_day
        from notes.errors import InvalidInput

        text = self._text(field_id)
        if text is None:
            return None
        day = read_day(text, self.today)
        if day is None:
            raise InvalidInput(f"{self.DATE_FIELDS[field_id]}“{text}”不是有效日期，应写作 2026-03-12 或 2026年3月12日。")
        return day.isoformat()

    @on(Button.Pressed, "#ok")
    def action_save(self) -> None:
        from notes.errors import InvalidInput

        try:
            form = ProcedureForm(
                reason=self._text("reason"),
                decided_on=self._day("decided-on"),
                decided_by=self._text("decided-by"),
                decision_number=self._text("decision-number"),
                questions=self._text("questions"),
                sent_on=self._day("sent-on"),
                reply_due_on=self._day("reply-due-on"),
                received_on=self._day("received-on"),
                reply=self._text("reply"),
            )
        except InvalidInput as error:
            self.query_one("#error", Static).update(str(error))
            return
        if (form.received_on is None) != (form.reply is None):
            self.query_one("#error", Static).update("收到回复日期和书面回复要一起填写。")
            return
        self.dismiss(form)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
