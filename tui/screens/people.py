"""人员: find anyone by name, pinyin or initials, browse the unit tree, add a person by hand, and open a person's
page.

The list and the pinyin index are built in a thread worker; each keystroke then filters in memory (a few
milliseconds for thousands of names). The person page shows the 十个清楚 profile with empty and stale
dimensions marked, role history, talks, follow-ups and events, and records new profile entries and events and
the roles the person takes up or leaves (the forms are in person_forms.py; they write through
notes/organisation.py and prep).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Header, Static, TabbedContent, TabPane, Tree

from tui.messages import PersonLoaded, RosterLoaded
from tui.person_data import TALK_COLUMNS, dimension_row
from tui.safe import visible
from tui.screens.base import TanxinScreen, typed_text
from tui.widgets.footer import TanxinFooter
from tui.widgets.safe_input import SafeInput
from tui.widgets.safe_table import MUTED, SafeTable, cell, shorten

if TYPE_CHECKING:
    from collections.abc import Iterator

    from textual.widgets.tree import TreeNode

    from notes.model import Person, UnitTree
    from notes.store import Store
    from prep.people_search import PeopleIndex
    from tui.commands_palette import Command
    from tui.person_data import PersonData

UNIT_CHARS = 12
# More rows than anyone scrolls through; a longer match list asks for a narrower query instead.
MAX_LISTED = 300


@dataclass(frozen=True)
class Roster:
    """Everyone in the list and the unit tree, as loaded by the worker."""

    people: dict[int, Person]  # in the order the list shows them
    units: UnitTree
    index: PeopleIndex


def load_roster(store: Store) -> Roster:
    from notes.model import list_people, unit_tree
    from prep.people_search import PeopleIndex

    units = unit_tree(store)
    place = {unit.id: rank for rank, unit in enumerate(units.units)}
    # Those still here first; then unit by unit (no unit first), each unit's people in the order they were
    # entered, which is the order of the roster they came from.
    people = sorted(list_people(store), key=lambda p: (
        not p.active, -1 if p.unit_id is None else place[p.unit_id], p.id))
    return Roster({p.id: p for p in people}, units, PeopleIndex((p.id, p.name) for p in people))


class PeopleScreen(TanxinScreen[None]):
    """人员: a search field, the unit tree and the matching people; enter opens a person's page."""

    TITLE = "人员"
    AUTO_FOCUS = "#search"
    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority key, so that "/" pressed in the search box moves nothing and is not typed into it.
        Binding("slash", "focus_search", "查找", id="people.search", priority=True,
                tooltip="到查找框，输入姓名、拼音或首字母（在列表中直接输入姓名也会开始查找）"),
        Binding("ctrl+t", "prepare", "准备谈话", id="people.prepare", tooltip="为选中的人员准备一次谈话"),
        Binding("f7", "import_roster", "导入花名册", id="people.import_roster",
                tooltip="从花名册文件（Excel 或 CSV）导入人员、单位和职务：先检查，确认后导入"),
        Binding("ctrl+n", "add_person", "添加人员", id="people.add_person",
                tooltip="手工添加一名人员（花名册中没有的）：姓名、性别、出生年月、单位、身份、职务"),
        Binding("escape", "clear", "清除", show=False, id="people.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.roster: Roster | None = None
        self.unit_filter: set[int] | None = None

    @property
    def search_field(self) -> SafeInput:
        return self.query_one("#search", SafeInput)

    @property
    def people_table(self) -> SafeTable:
        return self.query_one("#people", SafeTable)

    def compose(self) -> ComposeResult:
        yield Header()
        yield SafeInput(placeholder="查找：姓名、拼音或首字母（如 zs）", id="search")
        with Horizontal(id="people-body"):
            tree: Tree[int | None] = Tree("全部单位", data=None, id="units")
            tree.show_root = True
            yield tree
            yield SafeTable("姓名", "单位", "职务", id="people")
        yield Static("正在载入人员…", id="people-count", classes="muted")
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.roster is not None:  # names or units may have changed on another screen
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        with self.tanxin.thread_store() as store:
            roster = load_roster(store)
        self.post_message(RosterLoaded(roster))

    @on(RosterLoaded)
    def show_roster(self, message: RosterLoaded) -> None:
        self.roster = message.roster
        self._fill_tree()
        self.refilter()

    def _fill_tree(self) -> None:
        assert self.roster is not None
        tree: Tree[int | None] = self.query_one("#units", Tree)
        tree.clear()
        nodes: dict[int | None, TreeNode[int | None]] = {None: tree.root}
        for unit, _ in self.roster.units.walk():  # parents before their children
            label = Text(visible(shorten(unit.name)))  # Tree takes Rich Text: never markup
            nodes[unit.id] = nodes[unit.parent_id].add(label, data=unit.id, expand=True)
        tree.root.expand()

    @on(SafeInput.Changed, "#search")
    def refilter(self) -> None:
        if self.roster is None:
            return
        query = self.search_field.value
        matches = [c.person_id for c in self.roster.index.search(query)] if query.strip() else list(self.roster.people)
        if self.unit_filter is not None:
            matches = [pid for pid in matches if self.roster.people[pid].unit_id in self.unit_filter]
        table = self.people_table
        table.clear()
        for person_id in matches[:MAX_LISTED]:
            person = self.roster.people[person_id]
            faded = MUTED if not person.active else ""
            table.add_safe_row(cell(person.name, faded), cell(person.unit, max_chars=UNIT_CHARS), person.position,
                               key=str(person_id))
        total = len(matches)
        shown = f"找到 {total} 人" if query.strip() or self.unit_filter is not None else f"共 {total} 人"
        if total > MAX_LISTED:
            shown += f"，只列出前 {MAX_LISTED} 人，请输入更多字缩小范围"
        self.query_one("#people-count", Static).update(shown)
        self.refresh_bindings()  # 准备谈话 needs someone in the list

    @on(Tree.NodeSelected, "#units")
    def filter_by_unit(self, event: Tree.NodeSelected[int | None]) -> None:
        assert self.roster is not None
        unit_id = event.node.data
        self.unit_filter = None if unit_id is None else self.roster.units.below(unit_id)
        self.refilter()

    @on(SafeInput.Submitted, "#search")
    def to_results(self) -> None:
        self.people_table.focus()

    @on(SafeTable.RowSelected, "#people")
    def open_selected(self, event: SafeTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.tanxin.open_person(int(event.row_key.value))

    def action_focus_search(self) -> None:
        self.search_field.focus()

    def on_key(self, event: events.Key) -> None:
        """A name typed while the list or the unit tree has the focus is a search: it goes into the search box,
        instead of being lost (or, with letter keys, doing something)."""
        if self.focused is self.search_field or not typed_text(event):
            return
        event.stop()
        event.prevent_default()
        self.search_field.start_typing(event.character or "")  # the first letter starts a new search

    def action_clear(self) -> None:
        self.search_field.value = ""
        self.unit_filter = None
        self.refilter()
        self.action_focus_search()

    def action_prepare(self) -> None:
        key = self.people_table.current_key
        if key is not None:
            self.tanxin.prepare_talk(person_id=int(key))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "prepare":
            return True if self.people_table.current_key is not None else None
        return True

    def why_not(self, action: str) -> str | None:
        """Why a key shown greyed in the footer does nothing now (the app says it when the key is pressed)."""
        return "列表中没有人员：先查找，再选中要谈话的人。" if action == "prepare" else None

    def palette_commands(self) -> Iterator[Command]:
        """What the command palette offers here besides the app's own commands."""
        yield "添加人员", "手工添加一名花名册中没有的人员", self.action_add_person
        yield "导入花名册", "从花名册文件导入人员、单位和职务：先检查，确认后导入", self.action_import_roster

    def action_import_roster(self) -> None:
        from tui.screens.roster_import import RosterImportScreen

        self.app.push_screen(RosterImportScreen(), self._roster_imported)

    def _roster_imported(self, imported: bool | None) -> None:
        if imported:
            self.load()

    def action_add_person(self) -> None:
        from tui.screens.person_forms import AddPersonForm

        # The unit chosen in the tree, if any, is where the new person most likely belongs.
        node = self.query_one("#units", Tree).cursor_node
        self.tanxin.push_screen(AddPersonForm(node.data if node is not None else None), self.person_added)

    def person_added(self, confirmation: str | None) -> None:
        if confirmation is not None:
            self.notify(confirmation, markup=False)  # it names the person and unit as typed
            self.load()


class PersonScreen(TanxinScreen[None]):
    """One person's page. Escape goes back to where it was opened from."""

    TITLE = "人员"
    TYPING_SEARCHES = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", id="person.back"),
        # Modifier keys only: letters typed here (a name meant for a search) open the command palette instead.
        Binding("ctrl+n", "add_profile", "添加情况", id="person.add_profile", tooltip="为选中的十个清楚维度记一条新情况"),
        Binding("ctrl+e", "add_event", "记录事件", id="person.add_event", tooltip="记录任职决定、退休等触发谈话的事件"),
        Binding("ctrl+w", "watch", "重点人员", id="person.watch", tooltip="列为重点人员（写明原因），或解除标记"),
        Binding("ctrl+r", "add_role", "登记职务", id="person.add_role",
                tooltip="登记担任的职务（主要负责同志、班子成员、分管、支部书记……）及单位和任职日期"),
        Binding("ctrl+x", "end_role", "免去职务", id="person.end_role", tooltip="免去一项在任的职务，记录保留在职务经历中"),
        Binding("ctrl+t", "prepare", "准备谈话", id="person.prepare", tooltip="为此人准备一次谈话"),
    ]

    def __init__(self, person_id: int, *, tab: str | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.first_tab = f"tab-{tab}" if tab else "tab-profile"
        self.data: PersonData | None = None

    @property
    def profile_table(self) -> SafeTable:
        return self.query_one("#profile", SafeTable)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("正在载入…", id="person-head")
        with TabbedContent(id="person-tabs", initial=self.first_tab):
            with TabPane("十个清楚", id="tab-profile"):
                yield SafeTable("维度", "状态", "最近情况", "日期", "来源", id="profile")
            with TabPane("职务经历", id="tab-roles"):
                yield SafeTable("职务/身份", "单位", "具体职务", "起", "止", "依据", id="roles")
            with TabPane("谈话", id="tab-talks"):
                yield SafeTable(*TALK_COLUMNS, id="talks")
            with TabPane("跟踪", id="tab-followups"):
                yield SafeTable("期限", "事项", "类别", "状态", "责任人", id="followups")
            with TabPane("事件", id="tab-events"):
                yield SafeTable("日期", "事件", "备注", id="events")
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        from tui.person_data import load_person

        policy, today = self.tanxin.policy, self.tanxin.today
        with self.tanxin.thread_store() as store:
            data = load_person(store, self.person_id, policy, today)
        self.post_message(PersonLoaded(data))

    @on(PersonLoaded)
    def show_person(self, message: PersonLoaded) -> None:
        data: PersonData = message.data
        self.data = data
        self.sub_title = visible(data.person.name)
        self.query_one("#person-head", Static).update(data.headline())
        self.profile_table.replace_rows([dimension_row(status) for status in data.profile.dimensions])
        self.query_one("#roles", SafeTable).replace_rows(data.roles)
        self.query_one("#talks", SafeTable).replace_rows(data.talks)
        self.query_one("#followups", SafeTable).replace_rows(data.followups)
        self.query_one("#events", SafeTable).replace_rows(data.events)
        self.refresh_bindings()  # the page's keys work once it is loaded; 免去职务 needs a role held

    @on(SafeTable.RowSelected, "#talks")
    def open_talk(self, event: SafeTable.RowSelected) -> None:
        if self.data is None or event.row_key.value is None:
            return
        talk_id = int(event.row_key.value)
        if self.data.talk_status[talk_id] in ("planned", "in_progress"):
            self.tanxin.hold_talk(talk_id)
        else:
            self.tanxin.review_talk(talk_id)

    @on(SafeTable.RowSelected, "#profile")
    def profile_row_chosen(self) -> None:
        self.action_add_profile()

    def action_back(self) -> None:
        self.dismiss()

    def action_prepare(self) -> None:
        self.tanxin.prepare_talk(person_id=self.person_id)

    def action_add_profile(self) -> None:
        from tui.screens.person_forms import ProfileEntryForm

        if self.data is None:
            return
        dimension = self.profile_table.current_key
        self.tanxin.push_screen(ProfileEntryForm(self.data.person.id, self.data.person.name, dimension), self.saved)

    def action_add_event(self) -> None:
        from tui.screens.person_forms import EventForm

        if self.data is None:
            return
        self.tanxin.push_screen(EventForm(self.data.person.id, self.data.person.name), self.saved)

    def action_watch(self) -> None:
        from tui.screens.person_forms import WatchFlagForm

        if self.data is not None:
            self.tanxin.push_screen(WatchFlagForm(self.data.person.id, self.data.person.name), self.saved)

    def palette_commands(self) -> Iterator[Command]:
        """What the command palette offers on a person's page besides the app's own commands."""
        yield "登记职务", "登记此人担任的职务及单位和任职日期", self.action_add_role
        yield "免去职务", "免去此人一项在任的职务", self.action_end_role

    def action_add_role(self) -> None:
        from tui.screens.person_forms import RoleForm

        if self.data is not None:
            person = self.data.person
            self.tanxin.push_screen(RoleForm(person.id, person.name, person.unit_id), self.saved)

    def action_end_role(self) -> None:
        from tui.screens.person_forms import EndRoleForm

        if self.data is None:
            return
        if not self.data.open_roles:
            self.notify("此人没有在任的职务。", severity="warning")
            return
        # The role under the cursor of 职务经历, when that tab is shown.
        tabs = self.query_one("#person-tabs", TabbedContent)
        chosen = self.query_one("#roles", SafeTable).current_key if tabs.active == "tab-roles" else None
        person = self.data.person
        self.tanxin.push_screen(EndRoleForm(person.id, person.name, self.data.open_roles,
                                            int(chosen) if chosen is not None else None), self.saved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return True
        if self.data is None:
            return None  # the page is still loading
        if action == "end_role":
            return True if self.data.open_roles else None
        return True

    def why_not(self, action: str) -> str | None:
        """Why a key shown greyed in the footer does nothing now (the app says it when the key is pressed)."""
        if self.data is None:
            return "正在载入此人的信息，请稍候。"
        if action == "end_role":
            return "此人没有在任的职务。"
        return None

    def saved(self, confirmation: str | None) -> None:
        """A form closed: with a confirmation when it saved something (None when cancelled)."""
        if confirmation is not None:
            self.notify(confirmation, markup=False)  # it may name a unit or role as typed
            self.load()
