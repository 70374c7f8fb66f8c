"""Forms on a person's page: a new 十个清楚 entry, a new event, the 重点人员 flag. Each is a modal that saves in a
thread worker and closes with a confirmation sentence (None when cancelled); a refusal stays in the form as a
message.

A profile entry is never edited in place: what was known on a date stays, and a newer entry supersedes it
(the page shows the newest, the brief shows the history).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Label, Select, Static

from tui.safe import labelled, safe
from tui.screens.base import TanxinModalScreen
from tui.widgets.safe_input import SafeInput, SafeTextArea

if TYPE_CHECKING:
    from prep.profile import WatchFlag


class _PersonForm(TanxinModalScreen[str | None]):
    """The frame every person form shares: a title naming the person, ctrl+s to save, escape to cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="form.save"),
        Binding("escape", "cancel", "取消", id="form.cancel"),
    ]
    FORM_TITLE = ""
    # What each form provides: its fields, the values read from them, and the write (run in the worker).
    compose_fields: Callable[[], ComposeResult]
    values: Callable[[], dict[str, Any]]
    write: Callable[[dict[str, Any]], str]

    def __init__(self, person_id: int, person_name: str) -> None:
        super().__init__()
        self.person_id = person_id
        self.person_name = person_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="card wide form"):
            yield Static(labelled(self.FORM_TITLE, self.person_name), classes="card-title")
            yield from self.compose_fields()
            yield Static("", id="message")
            with Horizontal(classes="buttons"):
                yield Button("保存", id="save", variant="primary", compact=True)
                yield Button("取消", id="cancel", compact=True)
        yield Footer()

    def show_refusal(self, message: str) -> None:
        found = self.query_one("#message", Static)
        found.update(safe(message))
        found.add_class("error")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.save(self.values())

    @work(thread=True, exclusive=True, exit_on_error=False)
    def save(self, values: dict[str, Any]) -> None:
        from notes.errors import TanxinError

        try:
            confirmation = self.write(values)
        except TanxinError as exc:
            self.app.call_from_thread(self.show_refusal, exc.message)
            return
        self.app.call_from_thread(self.dismiss, confirmation)


class ProfileEntryForm(_PersonForm):
    """添加十个清楚情况: the dimension (with its prompts), the date it was learned, what, and from whom."""

    FORM_TITLE = "添加十个清楚情况："

    def __init__(self, person_id: int, person_name: str, dimension: str | None = None) -> None:
        super().__init__(person_id, person_name)
        self.dimension = dimension

    @property
    def dimension_select(self) -> Select[str]:
        return self.query_one("#dimension", Select)

    @property
    def text_area(self) -> SafeTextArea:
        return self.query_one("#text", SafeTextArea)

    def compose_fields(self) -> ComposeResult:
        dimensions = self.tanxin.policy.dimensions
        first = self.dimension if self.dimension in dimensions else next(iter(dimensions))
        yield Select([(safe(d.name), d.id) for d in dimensions.values()], value=first, allow_blank=False,
                     id="dimension", compact=True)
        yield Static("", id="prompts", classes="hint")
        yield Label("了解到的情况")
        yield SafeTextArea("", id="text", compact=True)
        with Horizontal(classes="pair"):
            yield Label("了解日期")
            yield SafeInput(self.tanxin.today.isoformat(), placeholder="YYYY-MM-DD", id="observed_on", compact=True)
            yield Label("来源")
            yield SafeInput(placeholder="谁反映、如何了解", id="source", compact=True)

    def on_mount(self) -> None:
        self.show_prompts()
        self.text_area.focus()

    @on(Select.Changed, "#dimension")
    def show_prompts(self) -> None:
        dimension = self.tanxin.policy.dimensions[str(self.dimension_select.value)]
        self.query_one("#prompts", Static).update(safe("；".join(dimension.prompts) or dimension.text))

    def values(self) -> dict[str, Any]:
        return {
            "dimension": str(self.dimension_select.value),
            "text": self.text_area.text.strip(),
            "observed_on": self.query_one("#observed_on", SafeInput).value.strip(),
            "source": self.query_one("#source", SafeInput).value.strip(),
        }

    def write(self, values: dict[str, Any]) -> str:
        from prep.profile import add_profile_entry

        policy = self.tanxin.policy
        with self.tanxin.thread_store() as store:
            add_profile_entry(store, policy, self.person_id, values["dimension"], values["text"],
                              values["observed_on"], values["source"])
        return f"已记入“{policy.dimensions[values['dimension']].name}”。"


class EventForm(_PersonForm):
    """记录事件: an event that may make a talk due (任职决定, 退休 …), its date and a note."""

    FORM_TITLE = "记录事件："

    @property
    def event_select(self) -> Select[str]:
        return self.query_one("#event", Select)

    def compose_fields(self) -> ComposeResult:
        events = self.tanxin.policy.events
        yield Select([(safe(e.name), e.id) for e in events.values()], prompt="选择事件", id="event", compact=True)
        yield Static("", id="event-help", classes="hint")
        with Horizontal(classes="pair"):
            yield Label("日期")
            yield SafeInput(self.tanxin.today.isoformat(), placeholder="YYYY-MM-DD", id="occurred_on", compact=True)
            yield Label("备注")
            yield SafeInput(placeholder="如文号", id="note", compact=True)

    def on_mount(self) -> None:
        self.event_select.focus()

    @on(Select.Changed, "#event")
    def show_event_help(self, event: Select.Changed) -> None:
        found = self.tanxin.policy.events.get(str(event.value))
        self.query_one("#event-help", Static).update(safe(found.description) if found else "")

    def values(self) -> dict[str, Any]:
        chosen = self.event_select.value
        return {
            "event": "" if chosen is Select.NULL else str(chosen),
            "occurred_on": self.query_one("#occurred_on", SafeInput).value.strip(),
            "note": self.query_one("#note", SafeInput).value.strip(),
        }

    def write(self, values: dict[str, Any]) -> str:
        from notes.errors import InvalidInput
        from prep.events import record_event

        if not values["event"]:
            raise InvalidInput("请选择事件。")
        policy = self.tanxin.policy
        with self.tanxin.thread_store() as store:
            record_event(store, policy, self.person_id, values["event"], values["occurred_on"], values["note"])
        return f"已记录事件“{policy.events[values['event']].name}”。"


class WatchFlagForm(_PersonForm):
    """重点人员: list the person with a reason, a date and a source; or, when the person is listed, end every open
    flag with a date and a reason. Ending keeps the flags in the history (prep/profile.py end_watch)."""

    # The app's stylesheet centres the other person forms by name; this one centres itself.
    DEFAULT_CSS = """
    WatchFlagForm {
        align: center middle;
    }
    """

    def __init__(self, person_id: int, person_name: str) -> None:
        super().__init__(person_id, person_name)
        self.open_flags: list[WatchFlag] = []

    @property
    def ending(self) -> bool:
        return bool(self.open_flags)

    @property
    def end_reason_field(self) -> SafeInput:
        return self.query_one("#end_reason", SafeInput)

    @property
    def reason_area(self) -> SafeTextArea:
        return self.query_one("#reason", SafeTextArea)

    def compose(self) -> ComposeResult:
        from prep.profile import list_watch_flags

        # Read before the frame is composed, because the title says which of the two the form does. One
        # indexed query (watch_person) on the main thread's store: too small for a worker.
        self.open_flags = list_watch_flags(self.tanxin.store, self.person_id, open_only=True)
        self.FORM_TITLE = "解除重点人员标记：" if self.ending else "列为重点人员："
        yield from super().compose()

    def compose_fields(self) -> ComposeResult:
        today = self.tanxin.today.isoformat()
        if self.ending:
            listed = [safe("现因以下原因列为重点人员：")]
            for flag in self.open_flags:
                source = f"；{flag.source}" if flag.source else ""
                listed.append(safe(f"· {flag.reason}（自 {flag.since}{source}）"))
            yield Static(Content("\n").join(listed), id="open-flags", classes="hint")
            with Horizontal(classes="pair"):
                yield Label("解除日期")
                yield SafeInput(today, placeholder="YYYY-MM-DD", id="ended_on", compact=True)
            with Horizontal(classes="pair"):
                yield Label("解除原因")
                yield SafeInput(placeholder="如 考察期满，表现良好", id="end_reason", compact=True)
            return
        yield Label("列为重点人员的原因")
        yield SafeTextArea("", id="reason", compact=True)
        with Horizontal(classes="pair"):
            yield Label("列入日期")
            yield SafeInput(today, placeholder="YYYY-MM-DD", id="since", compact=True)
            yield Label("来源")
            yield SafeInput(placeholder="如 支部研究确定", id="source", compact=True)

    def on_mount(self) -> None:
        if self.ending:
            self.end_reason_field.focus()
        else:
            self.reason_area.focus()

    def values(self) -> dict[str, Any]:
        if self.ending:
            return {
                "ended_on": self.query_one("#ended_on", SafeInput).value.strip(),
                "end_reason": self.end_reason_field.value.strip(),
            }
        return {
            "reason": self.reason_area.text.strip(),
            "since": self.query_one("#since", SafeInput).value.strip(),
            "source": self.query_one("#source", SafeInput).value.strip(),
        }

    def write(self, values: dict[str, Any]) -> str:
        from prep.profile import end_watch, flag_person

        with self.tanxin.thread_store() as store:
            if self.ending:
                ended = end_watch(store, self.person_id, values["ended_on"], values["end_reason"],
                                  self.tanxin.policy)
                return f"已解除重点人员标记（{len(ended)} 项）。"
            flag_person(store, self.person_id, values["reason"], values["since"], values["source"])
        return "已列为重点人员。"
