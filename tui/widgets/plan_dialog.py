"""Before a planned talk starts: its plan, editable — time, place, 谈话人 and 记录人. A talk planned last week
is often held at another hour, in another room or by someone standing in; what is confirmed here is what the
record will say."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from tui.messages import RosterLoaded
from tui.safe import safe
from tui.screens.base import TanxinModalScreen
from tui.widgets.footer import TanxinFooter
from tui.widgets.person_picker import PersonPicker
from tui.widgets.safe_input import SafeInput
from tui.widgets.talk_dialogs import DIALOG_BINDINGS, DIALOG_CSS

if TYPE_CHECKING:
    from notes.model import TalkRecord


@dataclass(frozen=True)
class PlanRequest:
    planned_at: str | None  # ISO, as read from what was typed
    place: str
    interviewers: tuple[int, ...]
    note_taker: int | None


class PlanDialog(TanxinModalScreen[PlanRequest | None]):
    """The plan of `record`, field by field; 开始谈话 returns it as confirmed, 返回 (esc) returns None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PlanDialog") + """
    PlanDialog > Vertical { width: 70; }
    PlanDialog .plan-row { height: 1; align-horizontal: left; margin-bottom: 1; }
    PlanDialog .field-label { text-style: bold; width: 8; }
    PlanDialog .plan-row SafeInput { width: 1fr; margin-bottom: 0; }
    PlanDialog PersonPicker .picker-search { margin: 0 1 0 1; }
    """
    TITLE = "核对安排"
    BINDINGS: ClassVar[list[BindingType]] = DIALOG_BINDINGS

    def __init__(self, record: TalkRecord) -> None:
        super().__init__()
        self.record = record

    @property
    def time_field(self) -> SafeInput:
        return self.query_one("#plan-time", SafeInput)

    @property
    def place_field(self) -> SafeInput:
        return self.query_one("#plan-place", SafeInput)

    @property
    def interviewer_picker(self) -> PersonPicker:
        return self.query_one("#plan-interviewer", PersonPicker)

    @property
    def recorder_picker(self) -> PersonPicker:
        return self.query_one("#plan-recorder", PersonPicker)

    def compose(self) -> ComposeResult:
        record = self.record
        planned = (record.planned_at or "")[:16].replace("T", " ")
        with Vertical():
            yield Static(Content.assemble(("开始谈话前请核对安排：", "bold"), safe(record.person)),
                         classes="dialog-title")
            with Horizontal(classes="plan-row"):
                yield Static("时间", classes="field-label", markup=False)
                yield SafeInput(planned, placeholder="如 2026-03-12 14:30", id="plan-time", compact=True)
            with Horizontal(classes="plan-row"):
                yield Static("地点", classes="field-label", markup=False)
                yield SafeInput(record.place, placeholder="如 党建活动室", id="plan-place", compact=True)
            yield PersonPicker("谈话人", id="plan-interviewer")
            if len(record.interviewers) > 1:
                others = "、".join(p.name for p in record.interviewers[1:])
                yield Static(Content.assemble(("另有谈话人：", "dim"), safe(others)), classes="dialog-note")
            yield PersonPicker("记录人", id="plan-recorder", optional=True)
            yield Static("", classes="dialog-error", id="error", markup=False)
            yield Horizontal(Button("开始谈话", variant="primary", id="ok", compact=True),
                             Button("返回", id="cancel", compact=True))
        yield TanxinFooter()

    def on_mount(self) -> None:
        record = self.record
        self.interviewer_picker.chosen = record.interviewers[0].id if record.interviewers else None
        self.recorder_picker.chosen = record.note_taker.id if record.note_taker else None
        self.query_one("#ok", Button).focus()  # most plans hold: enter starts the talk
        self.load_people()

    @work(thread=True, exclusive=True, exit_on_error=False, group="plan-people")
    def load_people(self) -> None:
        from tui.screens.people import load_roster

        with self.tanxin.thread_store() as store:
            self.post_message(RosterLoaded(load_roster(store)))

    @on(RosterLoaded)
    def offer_people(self, message: RosterLoaded) -> None:
        keep = {p.id for p in self.record.interviewers} | ({self.record.note_taker.id} if self.record.note_taker
                                                            else set())
        people = {pid: p for pid, p in message.roster.people.items() if p.active or pid in keep}
        for picker in (self.interviewer_picker, self.recorder_picker):
            picker.set_people(message.roster.index, people)

    @on(Button.Pressed, "#ok")
    def confirm(self) -> None:
        from notes.dates import MOMENT_EXAMPLE, read_moment

        error = self.query_one("#error", Static)
        typed = self.time_field.value.strip()
        moment = read_moment(typed, self.tanxin.today) if typed else None
        if typed and moment is None:
            error.update(safe(f"时间“{typed}”看不懂，应写作 {MOMENT_EXAMPLE}。"))
            return
        first = self.interviewer_picker.chosen
        if first is None:
            error.update("请选择谈话人。")
            return
        others = [p.id for p in self.record.interviewers[1:] if p.id != first]
        self.dismiss(PlanRequest(moment.isoformat(timespec="minutes") if moment else None,
                                 self.place_field.value.strip(), (first, *others), self.recorder_picker.chosen))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
