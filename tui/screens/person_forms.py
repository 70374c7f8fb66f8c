"""Forms on a person's page — a new 十个清楚 entry, a new event, the 重点人员 flag, a role taken up or ended —
and on 人员, a person added by hand. Each is a modal that saves in a thread worker and closes with a
confirmation sentence (None when cancelled); a refusal stays in the form as a message.

A profile entry is never edited in place: what was known on a date stays, and a newer entry supersedes it
(the page shows the newest, the brief shows the history).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Select, SelectionList, Static

from tui.safe import labelled, safe
from tui.screens.base import TanxinModalScreen
from tui.widgets.footer import TanxinFooter
from tui.widgets.safe_input import SafeInput, SafeTextArea

if TYPE_CHECKING:
    from notes.model import Role, UnitTree
    from notes.vocabulary import RoleKind
    from prep.profile import WatchFlag


class _Form(TanxinModalScreen[str | None]):
    """The frame every form here shares: a title, ctrl+s to save, escape to cancel, a refusal shown in place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="form.save"),
        Binding("escape", "cancel", "取消", id="form.cancel"),
    ]
    FORM_TITLE = ""
    # What each form provides: its fields, the values read from them, and the write (run in the worker).
    compose_fields: Callable[[], ComposeResult]
    values: Callable[[], dict[str, Any]]
    write: Callable[[dict[str, Any]], str]

    def heading(self) -> Content:
        return Content.styled(self.FORM_TITLE, "bold")

    def compose(self) -> ComposeResult:
        with Vertical(classes="card wide form"):
            yield Static(self.heading(), classes="card-title")
            yield from self.compose_fields()
            yield Static("", id="message")
            with Horizontal(classes="buttons"):
                yield Button("保存", id="save", variant="primary", compact=True)
                yield Button("取消", id="cancel", compact=True)
        yield TanxinFooter()

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


class _PersonForm(_Form):
    """A form about one person: its title names them."""

    def __init__(self, person_id: int, person_name: str) -> None:
        super().__init__()
        self.person_id = person_id
        self.person_name = person_name

    def heading(self) -> Content:
        return labelled(self.FORM_TITLE, self.person_name)


class _CentredForm(_Form):
    # The app's stylesheet centres the older forms by name; these centre themselves.
    DEFAULT_CSS = """
    _CentredForm {
        align: center middle;
    }
    """


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


class WatchFlagForm(_CentredForm, _PersonForm):
    """重点人员: list the person with a reason, a date and a source; or, when the person is listed, end every open
    flag with a date and a reason. Ending keeps the flags in the history (prep/profile.py end_watch)."""

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


# -- the organisation: roles and people entered by hand --------------------------------------------------


def _day(text: str, label: str) -> date | None:
    """A date field: blank is None; anything else must be YYYY-MM-DD."""
    from notes.errors import InvalidInput

    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{label}“{text}”不是有效日期，应写作 2026-03-12。") from None


def _unit_options(units: UnitTree) -> list[tuple[Content, int]]:
    """Every unit, indented under its parent, for a Select or a SelectionList."""
    return [(Content("　" * depth) + safe(unit.name), unit.id) for unit, depth in units.walk()]


class RoleForm(_CentredForm, _PersonForm):
    """登记职务: the role (those the active packs use), its unit (for 分管, the units overseen), the title or 分工,
    the day it was taken up (blank: held since before the record) and on what authority. The role it implies (主要负责同志 → 班子成员 …) is recorded with it (notes/organisation.py)."""

    FORM_TITLE = "登记职务："

    def __init__(self, person_id: int, person_name: str, unit_id: int | None) -> None:
        super().__init__(person_id, person_name)
        self.unit_id = unit_id
        self.kinds: dict[str, RoleKind] = {}  # the roles offered, by the word shown

    @property
    def kind_select(self) -> Select[str]:
        return self.query_one("#role", Select)

    @property
    def oversees_list(self) -> SelectionList[int]:
        return self.query_one("#oversees", SelectionList)

    def compose_fields(self) -> ComposeResult:
        from notes.model import unit_tree
        from notes.vocabulary import role_kinds_for
        from prep.roster.terms import terms_for

        self.kinds = {kind.word: kind for kind in role_kinds_for(terms_for(self.tanxin.policy).is_minjin)}
        # One indexed read of a small table on the main thread's store: too small for a worker.
        options = _unit_options(unit_tree(self.tanxin.store))
        yield Select([(safe(word), word) for word in self.kinds], value=next(iter(self.kinds)), allow_blank=False,
                     id="role", compact=True)
        yield Static("", id="role-help", classes="hint")
        with Horizontal(classes="pair", id="unit-row"):
            yield Label("单位")
            known = {unit_id for _, unit_id in options}
            yield Select(options, value=self.unit_id if self.unit_id in known else Select.NULL, prompt="选择单位",
                         id="unit", compact=True)
        yield Label("所分管的单位（空格选中，可选多个）", id="oversees-label")
        yield SelectionList[int](*options, id="oversees", compact=True)
        with Horizontal(classes="pair"):
            yield Label("具体职务")
            yield SafeInput(placeholder="如 组织委员、办公室主任（可不填）", id="title", compact=True)
        with Horizontal(classes="pair"):
            yield Label("任职日期")
            yield SafeInput(placeholder="YYYY-MM-DD；不填为早已担任", id="start", compact=True)
            yield Label("依据")
            yield SafeInput(placeholder="如 任职文件文号", id="source", compact=True)

    def on_mount(self) -> None:
        self.show_kind()
        self.kind_select.focus()

    @on(Select.Changed, "#role")
    def show_kind(self) -> None:
        kind = self.kinds[str(self.kind_select.value)]
        self.query_one("#role-help", Static).update(safe(kind.hint))
        self.query_one("#unit-row").display = not kind.oversees
        self.query_one("#oversees-label").display = kind.oversees
        self.oversees_list.display = kind.oversees

    def values(self) -> dict[str, Any]:
        unit = self.query_one("#unit", Select).value
        return {
            "kind": str(self.kind_select.value),
            "unit": None if unit is Select.NULL else int(str(unit)),
            "oversees": list(self.oversees_list.selected),
            "title": self.query_one("#title", SafeInput).value.strip(),
            "start": self.query_one("#start", SafeInput).value.strip(),
            "source": self.query_one("#source", SafeInput).value.strip(),
        }

    def write(self, values: dict[str, Any]) -> str:
        from notes.organisation import HAND_SOURCE, add_role

        kind = self.kinds[values["kind"]]
        units = values["oversees"] if kind.oversees else [values["unit"]] if values["unit"] is not None else []
        start = _day(values["start"], "任职日期")
        with self.tanxin.thread_store() as store:
            written = add_role(store, self.person_id, kind, units, start=start, title=values["title"],
                               source=values["source"] or HAND_SOURCE)
        return f"已登记：{'、'.join(role.label for role in written)}。"


class EndRoleForm(_CentredForm, _PersonForm):
    """免去职务: one of the roles the person still holds, and the day from which it is no longer held. The record
    stays in the role history."""

    FORM_TITLE = "免去职务："

    def __init__(self, person_id: int, person_name: str, roles: list[Role], chosen: int | None) -> None:
        super().__init__(person_id, person_name)
        self.roles = roles
        self.chosen = chosen

    def compose_fields(self) -> ComposeResult:
        ids = [role.id for role in self.roles]
        yield Select([(safe(f"{role.label}（{f'{role.start_date} 起' if role.start_date else '早已担任'}）"), role.id)
                      for role in self.roles],
                     value=self.chosen if self.chosen in ids else ids[0], allow_blank=False, id="held", compact=True)
        with Horizontal(classes="pair"):
            yield Label("免职日期")
            yield SafeInput(self.tanxin.today.isoformat(), placeholder="YYYY-MM-DD", id="ended_on", compact=True)

    def on_mount(self) -> None:
        self.query_one("#held", Select).focus()

    def values(self) -> dict[str, Any]:
        return {"role": int(str(self.query_one("#held", Select).value)),
                "ended_on": self.query_one("#ended_on", SafeInput).value.strip()}

    def write(self, values: dict[str, Any]) -> str:
        from notes.errors import InvalidInput
        from notes.organisation import end_role

        day = _day(values["ended_on"], "免职日期")
        if day is None:
            raise InvalidInput("请填写免职日期。")
        with self.tanxin.thread_store() as store:
            ended = end_role(store, values["role"], day)
        return f"已免去“{ended.label}”，自 {ended.end_date} 起不再担任。"


class AddPersonForm(_CentredForm):
    """添加人员: someone the roster does not (yet) hold — name, gender, birth month, unit, 身份, 职务. The name is
    normalised; a person already recorded with the same name and birth month is named, and saving again adds
    the new person anyway (namesakes exist). A later roster import recognises the person by name and birth month.
    """

    FORM_TITLE = "添加人员"

    def __init__(self, unit_id: int | None) -> None:
        super().__init__()
        self.unit_id = unit_id
        self.duplicate_values: dict[str, Any] | None = None  # what the last duplicate warning was about

    def compose_fields(self) -> ComposeResult:
        from notes.model import unit_tree
        from notes.vocabulary import MINJIN_MEMBERSHIPS, PARTY_MEMBERSHIPS
        from prep.roster.terms import terms_for

        units = unit_tree(self.tanxin.store)
        options = _unit_options(units)
        known = {unit_id for _, unit_id in options}
        top = units.top
        unit = self.unit_id if self.unit_id in known else top.id if top is not None else Select.NULL
        minjin = terms_for(self.tanxin.policy).is_minjin
        memberships = MINJIN_MEMBERSHIPS if minjin else PARTY_MEMBERSHIPS
        with Horizontal(classes="pair"):
            yield Label("姓名")
            yield SafeInput(placeholder="如 陈静", id="name", compact=True)
            yield Label("性别")
            yield Select([("男", "男"), ("女", "女")], prompt="不填", id="gender", compact=True)
        with Horizontal(classes="pair"):
            yield Label("出生年月")
            yield SafeInput(placeholder="如 1985-03 或 1985.03", id="birth", compact=True)
            yield Label("身份")
            yield Select([(word, word) for word in memberships], value=memberships[0], prompt="不填",
                         id="membership", compact=True)
        with Horizontal(classes="pair"):
            yield Label("单位")
            yield Select(options, value=unit, prompt="选择单位", id="unit", compact=True)
        with Horizontal(classes="pair"):
            yield Label("职务")
            yield SafeInput(placeholder="如 办公室副主任（可不填）", id="position", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name", SafeInput).focus()

    def values(self) -> dict[str, Any]:
        def chosen(selector: str) -> str:
            value = self.query_one(selector, Select).value
            return "" if value is Select.NULL else str(value)

        return {
            "name": self.query_one("#name", SafeInput).value,
            "gender": chosen("#gender"),
            "birth": self.query_one("#birth", SafeInput).value.strip(),
            "membership": chosen("#membership"),
            "unit": chosen("#unit"),
            "position": self.query_one("#position", SafeInput).value,
        }

    def write(self, values: dict[str, Any]) -> str:
        from notes.errors import InvalidInput
        from notes.model import find_person
        from notes.organisation import PossibleDuplicate, add_person
        from prep.roster import parse_roster_date

        if not values["unit"]:
            raise InvalidInput("请选择单位。还没有单位时，请先导入花名册或用 tanxin unit add 添加。")
        try:
            birth = parse_roster_date(values["birth"], self.tanxin.today) or ""
        except ValueError as exc:
            raise InvalidInput(f"出生年月：{exc}。") from None
        with self.tanxin.thread_store() as store:
            try:
                person_id = add_person(store, values["name"], unit_id=int(values["unit"]), gender=values["gender"],
                                       birth_date=birth, membership=values["membership"],
                                       position=values["position"], allow_duplicate=values == self.duplicate_values)
            except PossibleDuplicate as exc:
                self.duplicate_values = values
                raise PossibleDuplicate(f"{exc.message}再按 ctrl+s 即添加为另一人。") from None
            added = find_person(store, person_id)
        assert added is not None
        return f"已添加 {added.name}（{added.unit}）。"
