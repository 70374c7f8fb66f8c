"""工作台: what needs doing — talks due and overdue (with the rule behind each), overdue follow-ups, how far each
frequency rule is covered this year, and the watch list. Enter opens whatever row the cursor is on.

Everything is computed in one thread worker with its own connection and arrives as one message, so the screen
is interactive at once and refreshes whenever it comes back into view (a talk held elsewhere changes it).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from tui.messages import DashboardLoaded
from tui.safe import safe
from tui.screens.base import TanxinModalScreen, TanxinScreen
from tui.widgets.coverage_bar import coverage_bar
from tui.widgets.safe_table import ERROR, SafeTable, cell

if TYPE_CHECKING:
    from notes.store import Store
    from prep.due import Coverage, DueItem
    from prep.packs import Policy
    from prep.profile import WatchItem

SECTION_TITLES = {"due": "应谈谈话", "followups": "跟踪事项", "coverage": "本年覆盖", "watch": "重点人员"}
SECTION_COLUMNS = {
    "due": ("期限", "谈话对象", "谈话类型", "依据", "谈话人"),
    "followups": ("期限", "谈话对象", "事项", "类别"),
    "coverage": ("进度", "规则", "依据"),
    "watch": ("姓名", "原因", "起始"),
}
# Names are cut in the lists (the person's page shows them whole), so the rule behind each item stays in view.
NAME_CHARS = 10
# The lists can be long in a large organisation; the first rows are the urgent ones (overdue first, then by
# deadline), the 跟踪 board and the people pages have the rest.
MAX_DUE_ROWS = 200
MAX_FOLLOWUP_ROWS = 100


@dataclass(frozen=True)
class RuleCoverage:
    """One frequency rule summed over its interviewers (or units), with the rows it sums."""

    rule: str
    name: str
    source: str
    done: int
    total: int
    rows: tuple[Coverage, ...]


@dataclass(frozen=True)
class DashboardData:
    talks: list[DueItem]  # talks due (event and rule items), overdue first
    followups: list[DueItem]  # unfinished follow-ups, overdue first
    coverage: list[RuleCoverage]
    watch: list[WatchItem]


def _deadline_cell(item: DueItem) -> Text:
    if item.due_by is None:
        return cell("—")
    if item.overdue:
        return cell(f"{item.due_by} 逾期{item.days_overdue}天", ERROR)
    return cell(item.due_by)


def item_explanation(item: DueItem) -> Content:
    """依据：任职决定（004 三.1） · 2026-11-13 任职决定，一周内谈话 · 谈话人：张三"""
    parts = [Content.assemble(("依据：", "bold"), safe(f"{item.rule_name}（{item.source}）"))]
    if item.detail:
        parts.append(safe(item.detail))
    if item.interviewers:
        parts.append(Content.assemble(("谈话人：", "bold"), safe("、".join(item.interviewers))))
    return Content(" · ").join(parts)


def rule_coverage(rows: tuple[Coverage, ...]) -> list[RuleCoverage]:
    by_rule: dict[str, list[Coverage]] = {}
    for row in rows:
        by_rule.setdefault(row.rule, []).append(row)
    return [
        RuleCoverage(rule, found[0].rule_name, found[0].source, sum(r.done for r in found),
                     sum(r.total for r in found), tuple(found))
        for rule, found in by_rule.items()
    ]


def load_dashboard(store: Store, policy: Policy, today: date) -> DashboardData:
    from prep.due import due_report
    from prep.profile import watch_list

    report = due_report(store, policy, today)
    return DashboardData(
        talks=[item for item in report.items if item.kind != "followup"],
        followups=[item for item in report.items if item.kind == "followup"],
        coverage=rule_coverage(report.coverage),
        watch=watch_list(store, today, policy),
    )


@dataclass(frozen=True)
class Prefetched:
    """What the app computes the moment the database is open: the active policy and 工作台's data."""

    policy: Policy
    data: DashboardData


def prefetch_dashboard(store: Store, today: date) -> Future[Prefetched]:
    """Start loading the policy and computing 工作台 at once, on a thread of its own (with its own connection),
    while Textual is still building the screen; even the imports happen there.

    The screen's worker takes the result (or the exception) from the returned future, so a failure is reported
    once, by that worker."""
    path, key, clock = store.path, store.key, store.clock
    future: Future[Prefetched] = Future()

    def compute() -> None:
        from notes.store import Store
        from prep.active import active_policy

        try:
            with Store.open(path, key, clock=clock) as own:
                policy = active_policy(own)
                future.set_result(Prefetched(policy, load_dashboard(own, policy, today)))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=compute, name="tanxin-dashboard-prefetch", daemon=True).start()
    return future


class DashboardScreen(TanxinScreen[None]):
    """工作台. Tab moves between the four lists; enter opens the row under the cursor."""

    TITLE = "工作台"
    # Side by side from 110 columns; stacked below that (80×24 shows a few rows of each list).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (Textual declares a plain list)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "prepare", "准备谈话", id="dashboard.prepare", tooltip="为选中的应谈事项准备谈话"),
        Binding("r", "refresh", "刷新", id="dashboard.refresh", tooltip="重新计算应谈事项"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: DashboardData | None = None

    @property
    def due_table(self) -> SafeTable:
        return self.query_one("#due", SafeTable)

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="dashboard-body"):
            with Vertical(id="due-section", classes="section"):
                yield from self._compose_section("due")
                yield Static("", id="detail")
            with VerticalScroll(id="side"):
                for name in ("followups", "coverage", "watch"):
                    with Vertical(id=f"{name}-section", classes="section"):
                        yield from self._compose_section(name)
        yield Footer()

    def _compose_section(self, name: str) -> ComposeResult:
        yield Static(SECTION_TITLES[name], id=f"{name}-title", classes="section-title")
        yield SafeTable(*SECTION_COLUMNS[name], id=name)

    def on_mount(self) -> None:
        self.due_table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.load()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        prefetched = self.tanxin.take_dashboard_prefetch()
        if prefetched is not None:
            data = prefetched.result().data
        else:
            policy, today = self.tanxin.policy, self.tanxin.today
            with self.tanxin.thread_store() as store:
                data = load_dashboard(store, policy, today)
        self.post_message(DashboardLoaded(data))

    @on(DashboardLoaded)
    def show(self, message: DashboardLoaded) -> None:
        data: DashboardData = message.data
        self.data = data
        overdue = sum(1 for item in data.talks if item.overdue)
        self._section("due", f"{len(data.talks)} 项，其中逾期 {overdue} 项", "没有应谈的谈话。", [
            (item.id, (_deadline_cell(item), cell(item.person, max_chars=NAME_CHARS), item.type_name,
                       f"{item.rule_name}（{item.source}）", cell("、".join(item.interviewers), max_chars=NAME_CHARS)))
            for item in data.talks[:MAX_DUE_ROWS]
        ])
        late = sum(1 for item in data.followups if item.overdue)
        self._section("followups", f"{len(data.followups)} 项未办结，其中逾期 {late} 项", "没有未办结的跟踪事项。", [
            (item.id, (_deadline_cell(item), item.person, item.detail, item.type_name))
            for item in data.followups[:MAX_FOLLOWUP_ROWS]
        ])
        self._section("coverage", f"{len(data.coverage)} 条规则", "当前政策包没有适用的频次规则。", [
            (c.rule, (coverage_bar(c.done, c.total), c.name, c.source)) for c in data.coverage
        ])
        self._section("watch", f"{len(data.watch)} 人", "重点人员名单为空。", [
            (str(w.person_id), (w.name, "；".join(r.reason for r in w.reasons), w.reasons[0].since if w.reasons else ""))
            for w in data.watch
        ])

    def _section(self, name: str, detail: str, empty: str, rows: list[tuple[str, tuple[str | Text, ...]]]) -> None:
        """Refill one list, keeping the cursor where it was; an empty list is replaced by a sentence."""
        title = self.query_one(f"#{name}-title", Static)
        title.update(Content.assemble((SECTION_TITLES[name], "bold"), ("  " + (detail if rows else empty), "$text-muted")))
        table = self.query_one(f"#{name}", SafeTable)
        table.replace_rows(rows)
        table.display = bool(rows)

    @on(SafeTable.RowHighlighted, "#due")
    def explain(self, event: SafeTable.RowHighlighted) -> None:
        """The line under the due list says why the highlighted talk is due, however narrow the table."""
        item = self._item(self.data.talks, event.row_key.value) if self.data is not None else None
        self.query_one("#detail", Static).update(item_explanation(item) if item is not None else "")

    # -- opening ---------------------------------------------------------------------------------------

    def _item(self, items: list[DueItem], key: str | None) -> DueItem | None:
        return next((item for item in items if item.id == key), None)

    @on(SafeTable.RowSelected, "#due")
    def open_due(self, event: SafeTable.RowSelected) -> None:
        if self.data is not None and (item := self._item(self.data.talks, event.row_key.value)) is not None:
            self.tanxin.prepare_talk(person_id=item.person_id, talk_type=item.type or None, due_item_id=item.id)

    @on(SafeTable.RowSelected, "#followups")
    def open_followup(self, event: SafeTable.RowSelected) -> None:
        if self.data is not None and (item := self._item(self.data.followups, event.row_key.value)) is not None:
            self.tanxin.open_person(item.person_id, tab="followups")

    @on(SafeTable.RowSelected, "#watch")
    def open_watched(self, event: SafeTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.tanxin.open_person(int(event.row_key.value))

    @on(SafeTable.RowSelected, "#coverage")
    def open_coverage(self, event: SafeTable.RowSelected) -> None:
        if self.data is None:
            return
        found = next((c for c in self.data.coverage if c.rule == event.row_key.value), None)
        if found is not None:
            self.tanxin.push_screen(CoverageScreen(found))

    def action_prepare(self) -> None:
        key = self.due_table.current_key
        item = self._item(self.data.talks, key) if self.data is not None else None
        if item is not None:
            self.tanxin.prepare_talk(person_id=item.person_id, talk_type=item.type or None, due_item_id=item.id)
        else:
            self.tanxin.prepare_talk()


class CoverageScreen(TanxinModalScreen[None]):
    """One rule's coverage by interviewer (or unit): who has done how much of it this period."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "返回", id="coverage.back")]

    def __init__(self, coverage: RuleCoverage) -> None:
        super().__init__()
        self.coverage = coverage

    def compose(self) -> ComposeResult:
        with Vertical(classes="card wide"):
            yield Static(Content.assemble((self.coverage.name, "bold"), ("  " + self.coverage.source, "$text-muted")),
                         classes="card-title")
            table = SafeTable("进度", "谈话人", "单位", "期末", id="coverage-rows")
            for row in self.coverage.rows:
                table.add_safe_row(coverage_bar(row.done, row.total), row.interviewer or "（班子成员分工）",
                                   row.unit, row.period_end, key=row.id)
            yield table
        yield Footer()
