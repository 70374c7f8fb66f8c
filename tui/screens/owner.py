"""选择本人: who uses this database, picked by name, pinyin or initials from the people on the roster.

Opened from 工作台 (which offers it while nobody is set) and from 设置. It only picks: the caller saves the
choice through the settings registry (notes/owner.py), so 工作台, 设置 and `tanxin me` keep one value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from tui.messages import RosterLoaded
from tui.screens.base import HELP_BINDING, TanxinModalScreen
from tui.widgets.footer import TanxinFooter
from tui.widgets.person_picker import PersonPicker

OWNER_HINT = ("本人是使用这个数据库的人。设定后，工作台先列出本人作为谈话人要谈的，以及本人负责安排的谈话"
              "（如支部书记之于本支部的谈话）；按 ctrl+a 可看全部。")


@dataclass(frozen=True)
class OwnerChoice:
    """What was picked: a person, or nobody (`clearable` pickers offer 不指定)."""

    person_id: int | None


class OwnerScreen(TanxinModalScreen[OwnerChoice | None]):
    """A person picker for 本人; escape gives None (nothing chosen, nothing changes)."""

    TITLE = "选择本人"
    HELP_TEXT = ("选择你自己：输入姓名、拼音或拼音首字母，下方列出找到的人；按 enter 选定第一个，"
                 "或按 ↓ 进入列表、用 ↑ ↓ 移动后按 enter 选定。")
    AUTO_FOCUS = ".picker-search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "取消", id="owner.cancel", tooltip="不更改本人"),
        HELP_BINDING,
    ]

    def __init__(self, current: int | None = None, *, clearable: bool = False) -> None:
        super().__init__()
        self.current = current
        self.clearable = clearable

    def compose(self) -> ComposeResult:
        with Vertical(classes="card wide form"):
            yield Static("选择本人", classes="card-title")
            yield Static(OWNER_HINT, id="owner-hint", classes="hint")
            yield PersonPicker("本人：你是谁？", id="owner-picker", optional=self.clearable)
        yield TanxinFooter()

    @property
    def picker(self) -> PersonPicker:
        return self.query_one("#owner-picker", PersonPicker)

    def on_mount(self) -> None:
        self.load_roster()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_roster(self) -> None:
        from tui.screens.people import load_roster

        with self.tanxin.thread_store() as store:
            self.post_message(RosterLoaded(load_roster(store)))

    @on(RosterLoaded)
    def offer_people(self, message: RosterLoaded) -> None:
        # Only those on the roster can be 本人 (the registry refuses anyone who has left).
        people = {pid: p for pid, p in message.roster.people.items() if p.active}
        if not people:
            self.query_one("#owner-hint", Static).update(
                "名册中还没有人员：请先导入花名册（tanxin import-roster），再选择本人。")
        if self.current in people:
            self.picker.chosen = self.current  # shown as 已选 by set_people; choosing again confirms it
        self.picker.set_people(message.roster.index, people)

    @on(PersonPicker.Chosen, "#owner-picker")
    def chosen(self, message: PersonPicker.Chosen) -> None:
        self.dismiss(OwnerChoice(message.person_id))
