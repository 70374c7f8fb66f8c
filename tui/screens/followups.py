"""跟踪: the board of follow-ups, so that what a talk found is not forgotten ("谈话热、整改冷", 003).

Tabs filter by status (逾期 first among them), a key changes the order (期限 / 负责人 / 状态), enter moves the
selected follow-up on with a note and its evidence. An overdue 整改 shows the next step the policy packs
name (提醒 → 警示 → 组织处理, 001 第十七条). The list is loaded in a thread worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Static, Tab, Tabs

from notes.vocabulary import FOLLOWUP_STATUS_SHORT_LABELS
from tui.safe import labelled, safe
from tui.screens.base import TanxinScreen
from tui.screens.footer_fit import FittedFooter
from tui.screens.talk_support import shown_errors
from tui.widgets.footer import TanxinFooter
from tui.widgets.safe_table import SafeTable, cell
from tui.widgets.talk_dialogs import StatusChange, StatusDialog

if TYPE_CHECKING:
    from collections.abc import Iterator

    from notes.model import Followup
    from tui.commands_palette import Command

# (tab id, label): what each tab keeps. "unfinished" is everything still needing someone's attention.
FILTERS = (
    ("unfinished", "未办结"),
    ("overdue", "逾期"),
    *((status, FOLLOWUP_STATUS_SHORT_LABELS[status]) for status in ("open", "in_progress", "done", "escalated", "verified")),
    ("all", "全部"),
)
ORDERS = (("due", "期限"), ("owner", "负责人"), ("status", "状态"))
STATUS_ORDER = ("escalated", "open", "in_progress", "done", "verified")


@dataclass
class FollowupsLoaded(Message):
    """The follow-ups and the escalation ladder, read by the worker."""

    followups: list[Followup]
    ladder: tuple[tuple[int, str], ...]


def keep(followup: Followup, filter_id: str, today: date) -> bool:
    from notes.followups import is_open

    if filter_id == "all":
        return True
    if filter_id == "unfinished":
        return is_open(followup.status)
    if filter_id == "overdue":
        return followup.is_overdue(today)
    return followup.status == filter_id


def sort_key(followup: Followup, order: str) -> tuple[str, ...]:
    due = followup.due_on or "9999"
    if order == "owner":
        return (followup.owner.name if followup.owner else "\uffff", due)
    if order == "status":
        return (f"{STATUS_ORDER.index(followup.status)}", due)
    return (due, f"{followup.id:09d}")


class FollowupsScreen(FittedFooter, TanxinScreen[None]):
    """跟踪事项: by status, owner and due date; enter changes the status of the selected one."""

    TITLE = "跟踪事项"
    TYPING_SEARCHES = True
    # Below 110 columns 刷新 leaves the footer (the board reloads whenever it is shown again), so f1 帮助 has room.
    NARROW_FOOTER_HIDES = frozenset({"followups.reload"})
    AUTO_FOCUS = "#followups-table"
    DEFAULT_CSS = """
    FollowupsScreen #followups-table { height: 1fr; }
    FollowupsScreen #followup-detail {
        height: auto; max-height: 9; padding: 0 1; border-top: solid $primary-darken-2;
    }
    FollowupsScreen #followups-order { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "change_status", "变更状态", id="followups.status", tooltip="变更选中事项的状态并登记佐证"),
        Binding("ctrl+f", "next_filter", "筛选", id="followups.filter", tooltip="依次切换：未办结、逾期、待办……"),
        Binding("ctrl+d", "next_order", "排序", id="followups.order", tooltip="按期限、负责人或状态排序"),
        Binding("ctrl+t", "open_talk", "谈话记录", id="followups.talk", tooltip="打开提出该事项的谈话记录"),
        Binding("ctrl+r", "reload", "刷新", id="followups.reload", tooltip="重新读取跟踪事项"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.followups: list[Followup] = []
        self.ladder: tuple[tuple[int, str], ...] = ()
        self.filter_id = "unfinished"
        self.order = "due"

    @property
    def followups_table(self) -> SafeTable:
        return self.query_one("#followups-table", SafeTable)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Tabs(*(Tab(label, id=f"filter-{filter_id}") for filter_id, label in FILTERS), id="followups-filter")
        yield Static("", id="followups-order", markup=False)
        yield SafeTable("期限", "状态", "类别", "事项", "涉及", "负责人", "下一步", id="followups-table")
        yield Static("", id="followup-detail")
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.followups:  # back from a talk or another section: statuses may have moved
            self.load()

    # -- loading ---------------------------------------------------------------------------------------

    def load(self) -> None:
        # The ladder is read here, on the main thread: loading the policy reads the main thread's connection.
        self.read_followups(self.tanxin.policy.escalation_rungs())

    @work(thread=True, exclusive=True, exit_on_error=False, group="followups-load")
    def read_followups(self, ladder: tuple[tuple[int, str], ...]) -> None:
        from notes.followups import list_followups

        with self.tanxin.thread_store() as store:
            found = list_followups(store)
        self.post_message(FollowupsLoaded(found, ladder))

    @on(FollowupsLoaded)
    def show_loaded(self, loaded: FollowupsLoaded) -> None:
        self.followups = loaded.followups
        self.ladder = loaded.ladder
        self.refresh_table()

    def action_reload(self) -> None:
        self.load()

    # -- the table -------------------------------------------------------------------------------------

    def next_step_of(self, followup: Followup) -> str | None:
        from notes.followups import next_step

        return next_step(followup, self.ladder, self.tanxin.today)

    def shown(self) -> list[Followup]:
        today = self.tanxin.today
        kept = [f for f in self.followups if keep(f, self.filter_id, today)]
        return sorted(kept, key=lambda f: sort_key(f, self.order))

    def refresh_table(self) -> None:
        from prep.active import wording

        today, terms = self.tanxin.today, wording(self.tanxin.policy)
        table = self.followups_table
        selected = table.current_key
        table.clear()
        rows = self.shown()
        for followup in rows:
            overdue = followup.is_overdue(today)
            style = "$text-error" if overdue else ""
            due = (followup.due_on or "—") + ("（逾期）" if overdue else "")
            table.add_safe_row(
                cell(due, style),
                cell(followup.status_label),
                cell(terms.followup_kind(followup.kind)),
                cell(followup.title, max_chars=30),
                cell(followup.person.name, max_chars=12),
                cell(followup.owner.name if followup.owner else "—", max_chars=12),
                cell(self.next_step_of(followup) or "", "bold $text-warning"),
                key=str(followup.id),
            )
        keys = [str(f.id) for f in rows]
        if selected in keys:
            table.move_cursor(row=keys.index(selected))
        order_label = dict(ORDERS)[self.order]
        self.query_one("#followups-order", Static).update(
            f"共 {len(rows)} 项 · 排序：{order_label}（按 ctrl+d 切换） · 回车变更状态"
        )
        self.show_detail()

    def selected(self) -> Followup | None:
        key = self.followups_table.current_key
        return next((f for f in self.followups if str(f.id) == key), None)

    @on(SafeTable.RowHighlighted, "#followups-table")
    def show_detail(self) -> None:
        detail = self.query_one("#followup-detail", Static)
        followup = self.selected()
        if followup is None:
            detail.update(Content.styled("没有符合条件的跟踪事项。", "dim"))
            return
        lines = [
            labelled("事项：", followup.title),
            Content.assemble(
                labelled("涉及：", followup.person.name), "　",
                labelled("负责人：", followup.owner.name if followup.owner else "未指定"), "　",
                labelled("来源谈话：", followup.talk_code),
            ),
        ]
        if followup.evidence:
            lines.append(labelled("佐证：", followup.evidence))
        if followup.history:
            last = followup.history[-1]
            from notes.vocabulary import FOLLOWUP_STATUS_LABELS

            when = last.at.replace("T", " ")[:16]
            lines.append(labelled("最近变更：", f"{when} {FOLLOWUP_STATUS_LABELS[last.status]} {last.note}".strip()))
        step = self.next_step_of(followup)
        if step:
            lines.append(Content.assemble(("已逾期，建议下一步：", "bold $text-warning"), safe(step)))
        detail.update(Content("\n").join(lines))

    # -- keys ------------------------------------------------------------------------------------------

    @on(Tabs.TabActivated, "#followups-filter")
    def filter_chosen(self, event: Tabs.TabActivated) -> None:
        self.filter_id = (event.tab.id or "filter-unfinished").removeprefix("filter-")
        self.refresh_table()

    def palette_commands(self) -> Iterator[Command]:
        """The board's keys, also by name: a terminal or multiplexer may keep ctrl+f or ctrl+d for itself."""
        yield "筛选跟踪事项", "依次切换：未办结、逾期、待办……（ctrl+f）", self.action_next_filter
        yield "跟踪事项排序", "按期限、负责人或状态排序（ctrl+d）", self.action_next_order
        yield "打开谈话记录", "打开提出选中事项的谈话记录（ctrl+t）", self.action_open_talk

    def action_next_filter(self) -> None:
        ids = [filter_id for filter_id, _ in FILTERS]
        self.query_one(Tabs).active = f"filter-{ids[(ids.index(self.filter_id) + 1) % len(ids)]}"

    def action_next_order(self) -> None:
        ids = [order for order, _ in ORDERS]
        self.order = ids[(ids.index(self.order) + 1) % len(ids)]
        self.refresh_table()

    def action_open_talk(self) -> None:
        followup = self.selected()
        if followup is not None:
            self.tanxin.review_talk(followup.talk_id)

    @on(SafeTable.RowSelected, "#followups-table")
    def action_change_status(self) -> None:
        from notes.followups import TRANSITIONS
        from notes.vocabulary import FOLLOWUP_STATUS_LABELS

        followup = self.selected()
        if followup is None:
            return
        allowed = TRANSITIONS[followup.status]
        if not allowed:
            self.notify("该事项已核实办结，状态不能再变更。", markup=False)
            return
        step = self.next_step_of(followup)
        hint = f"已逾期，建议下一步：{step}（选“已升级处理”并在说明中写明所采取的措施）" if step else ""
        choices = [(status, FOLLOWUP_STATUS_LABELS[status]) for status in allowed]
        self.app.push_screen(
            StatusDialog(followup.title, choices, followup.evidence, hint, escalate_to=step or ""),
            lambda change: self.save_status(followup.id, change),
        )

    def save_status(self, followup_id: int, change: StatusChange | None) -> None:
        from notes.followups import set_followup_status

        if change is None:
            return
        with shown_errors(self):
            set_followup_status(self.tanxin.store, followup_id, change.status, note=change.note,
                                evidence=change.evidence)
            self.notify("状态已变更。", markup=False)
        self.load()
