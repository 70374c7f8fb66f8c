"""工作台: what needs doing — talks due and overdue, one row per talk to hold (prep/worklist.py: every rule it
would satisfy in the detail under the list, the talk already planned or under way on its row), overdue
follow-ups, how far each frequency rule is covered this year, and the watch list. Enter opens whatever row the
cursor is on: a due row resumes its talk in progress, offers to start its planned one, or prepares a new one.

The lists are 本人's (notes/owner.py: the talks where 本人 is the interviewer a rule names, or the person who must
arrange them) or the whole organisation's (全部), toggled with `ctrl+a` and remembered in the settings; with
nobody set as 本人 they are the whole organisation's and the screen offers to choose 本人 (`ctrl+u`).

Everything is computed in one thread worker with its own connection and arrives as one message, so the screen
is interactive at once and refreshes whenever it comes back into view (a talk held elsewhere changes it). At
the app's start the computation begins as the database opens (`prefetch_dashboard`) and the app shows 工作台
once it is done, filled in before its first drawing (tui/app.py `_start_working`).
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
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from tui.messages import DashboardLoaded
from tui.safe import safe
from tui.screens.base import TanxinModalScreen, TanxinScreen
from tui.screens.footer_fit import FittedFooter
from tui.widgets.coverage_bar import coverage_bar
from tui.widgets.footer import TanxinFooter
from tui.widgets.safe_table import ERROR, SafeTable, cell

if TYPE_CHECKING:
    from collections.abc import Iterator

    from notes.model import Person
    from notes.settings import Settings
    from notes.store import Store
    from prep.due import Coverage, DueItem
    from prep.packs import Policy
    from prep.profile import WatchItem
    from prep.worklist import WorkRow
    from tui.commands_palette import Command
    from tui.screens.owner import OwnerChoice

SECTION_TITLES = {"due": "应谈谈话", "followups": "跟踪事项", "coverage": "本年覆盖", "watch": "重点人员"}
SECTION_COLUMNS = {
    "due": ("期限", "谈话对象", "谈话类型", "安排", "谈话人", "依据"),
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
    rows: list[WorkRow]  # the same, one row per talk to hold
    followups: list[DueItem]  # unfinished follow-ups, overdue first
    coverage: list[RuleCoverage]
    watch: list[WatchItem]
    owner: Person | None = None  # 本人, when set
    mine: bool = False  # the lists are 本人's, not the whole organisation's


# -- the cells of the four lists (also what tests/bench/bench_tui.py gives its bare app to draw) ---------------


def due_cells(row: WorkRow) -> tuple[Text, ...]:
    # No interviewer named: an event's talk, whoever the organisation sends.
    return (_deadline_cell(row), cell(row.person, max_chars=NAME_CHARS), cell(row.type_name or "不限类型"),
            cell(row.state), cell("、".join(row.interviewers) or "待定", max_chars=NAME_CHARS), cell(_basis(row)))


def followup_cells(item: DueItem) -> tuple[Text, ...]:
    return _deadline_cell(item), cell(item.person), cell(item.detail), cell(item.type_name)


def coverage_cells(coverage: RuleCoverage) -> tuple[Text, ...]:
    return coverage_bar(coverage.done, coverage.total), cell(coverage.name), cell(coverage.source)


def watch_cells(watched: WatchItem) -> tuple[Text, ...]:
    since = watched.reasons[0].since if watched.reasons else ""
    return cell(watched.name), cell("；".join(r.reason for r in watched.reasons)), cell(since)


def _deadline_cell(item: DueItem | WorkRow) -> Text:
    if item.due_by is None:
        return cell("—")
    if item.overdue:
        return cell(f"{item.due_by} 逾期{item.days_overdue}天", ERROR)
    return cell(item.due_by)


def row_explanation(row: WorkRow, today: date) -> Content:
    """Under the list, for the highlighted row: every obligation the talk would satisfy, and its talk.

    依据（2 项）：
      任职决定（2026-11-10）后 7 天内进行任职谈话〔004 三.1〕 · 逾期 5 天
      支部书记与每一位党员谈心：本期已谈 0/1 次〔000 二(二)3〕 · 2026-12-31 前
    谈话人：赵书记 · 已安排：计划中 2026-12-05 09:00（回车开始，ctrl+t 修改准备）"""
    lines = [Content.assemble(("依据", "bold"), (f"（{len(row.items)} 项）：" if len(row.items) > 1 else "：", "bold"))]
    for item in row.items:
        when = f"逾期 {item.days_overdue} 天" if item.overdue else (f"{item.due_by} 前" if item.due_by else "")
        lines.append(Content.assemble("  ", safe(item.detail or item.rule_name), (f"〔{item.source}〕", "$text-muted"),
                                      (f" · {when}" if when else "", "$error" if item.overdue else "$text-muted")))
    tail: list[Content] = []
    if any(row.interviewers):
        tail.append(Content.assemble(("谈话人：", "bold"), safe("、".join(row.interviewers))))
    if row.talk is not None:
        if row.talk.status == "in_progress":
            # Away by esc 暂离 or by quitting (its timer paused); else open in another window, or in one that
            # stopped without leaving (its time away starts from its last heartbeat when the talk is reopened).
            from notes.checks import instant_value
            from notes.talk_pause import away_moment_text

            away = row.talk.away_since
            said = (f"{away_moment_text(instant_value(away), today)} 起暂离，计时已暂停，回车继续记录" if away
                    else "回车继续记录")
            tail.append(Content.assemble(("进行中：", "bold"), said))
        else:
            at = (row.talk.planned_at or "").replace("T", " ")[:16] or "时间待定"
            tail.append(Content.assemble(("已安排：", "bold"), f"计划中 {at}（回车开始，ctrl+t 修改准备）"))
    if tail:
        lines.append(Content(" · ").join(tail))
    return Content("\n").join(lines)


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
    """Everything 工作台 shows: 本人's lists when 本人 is set (and still on the roster) and 全部 is not chosen,
    else the whole organisation's."""
    from notes.owner import owner
    from notes.settings import DASHBOARD_SCOPE, setting_value
    from notes.talk_queries import open_talks
    from prep.due import due_report
    from prep.profile import watch_list
    from prep.worklist import build_worklist

    me = owner(store)
    mine = me is not None and me.active and setting_value(store, DASHBOARD_SCOPE) == "mine"
    viewer = me.id if mine and me is not None else None
    report = due_report(store, policy, today, interviewer_id=viewer)
    talks = [item for item in report.items if item.kind != "followup"]
    return DashboardData(
        talks=talks,
        rows=build_worklist(talks, policy, open_talks(store), viewer, me.name if me is not None else ""),
        followups=[item for item in report.items if item.kind == "followup"],
        coverage=rule_coverage(report.coverage),
        watch=watch_list(store, today, policy),
        owner=me,
        mine=mine,
    )


def scope_line(data: DashboardData) -> Content:
    """Whose lists these are, and the key that changes it."""
    me = data.owner
    if me is None:
        return Content.assemble(("尚未设定本人", "$warning"), "：按 ctrl+u 选择你是谁，先列出你要谈、要安排的谈话。")
    if not me.active:
        return Content.assemble(safe(f"本人 {me.name} 已不在册", "$warning"), "，下面是全部；按 ctrl+u 重新选择本人。")
    if data.mine:
        return Content.assemble(("本人：", "bold"), safe(me.name), "  只列本人要谈、要安排的（按 ctrl+a 看全部）")
    return Content.assemble(("全部", "bold"), "  整个组织的应谈谈话（本人：", safe(me.name), "，按 ctrl+a 只看本人）")


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


class DashboardScreen(FittedFooter, TanxinScreen[None]):
    """工作台. Tab moves between the four lists; enter opens the row under the cursor."""

    TITLE = "工作台"
    TYPING_SEARCHES = True
    NARROW_FOOTER_HIDES = frozenset({"dashboard.refresh"})
    # Side by side from 110 columns; stacked below that (80×24 shows a few rows of each list).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (Textual declares a plain list)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "prepare", "准备谈话", id="dashboard.prepare", tooltip="为选中的应谈事项准备谈话"),
        Binding("ctrl+a", "toggle_scope", "本人/全部", id="dashboard.scope",
                tooltip="在“本人要谈、要安排的”与“全部（整个组织）”之间切换；会记住所选"),
        Binding("ctrl+u", "choose_owner", "本人", id="dashboard.owner", tooltip="选择本人：使用这个数据库的人"),
        Binding("ctrl+r", "refresh", "刷新", id="dashboard.refresh", tooltip="重新计算应谈事项"),
        Binding("f7", "import_roster", "导入花名册", id="dashboard.import_roster",
                tooltip="从花名册文件（Excel 或 CSV）导入人员、单位和职务"),
    ]

    def __init__(self) -> None:
        # Laid out for the terminal's width from the start: Textual adds the class at the first resize, which
        # restyled and redrew the whole finished screen a second time.
        width = self.app.size.width
        super().__init__(classes=next(name for edge, name in reversed(self.HORIZONTAL_BREAKPOINTS) if width >= edge))
        self.data: DashboardData | None = None
        self._explained: tuple[str | None, DashboardData | None, date] | None = None  # the row, lists and day
        self._left = False  # another screen or section was shown over this one since its lists were computed

    @property
    def due_table(self) -> SafeTable:
        return self.query_one("#due", SafeTable)

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="dashboard-body"):
            with Vertical(id="due-section", classes="section"):
                yield Static("", id="scope")
                yield from self._compose_section("due")
                yield Static("", id="row-detail")
            with VerticalScroll(id="side"):
                for name in ("followups", "coverage", "watch"):
                    with Vertical(id=f"{name}-section", classes="section"):
                        yield from self._compose_section(name)
        yield TanxinFooter()

    def _compose_section(self, name: str) -> ComposeResult:
        yield Static(SECTION_TITLES[name], id=f"{name}-title", classes="section-title")
        yield SafeTable(*SECTION_COLUMNS[name], id=name)

    def on_mount(self) -> None:
        self.due_table.focus()
        # At the app's start the data is usually computed already (tui/app.py waits for it): filled in now,
        # before the first layout, the first drawing is the finished 工作台.
        prefetched = self.tanxin.take_dashboard_prefetch()
        if prefetched is not None and prefetched.done() and prefetched.exception() is None:
            self._fill(prefetched.result().data)
        else:
            self.load(prefetched)

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        # Coming back (not the first showing, whose lists were just computed): a talk held elsewhere changes them.
        if self._left and self.data is not None:
            self.load()
        self._left = False

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self, prefetched: Future[Prefetched] | None = None) -> None:
        """Compute the lists afresh, or take the start's computation (`prefetched`) when it is still running
        or failed (its failure is reported by this worker, once)."""
        if prefetched is not None:
            data = prefetched.result().data
        else:
            policy, today = self.tanxin.policy, self.tanxin.today
            with self.tanxin.thread_store() as store:
                data = load_dashboard(store, policy, today)
        # A newer load (本人 or 全部 just changed) replaced this one: its lists would be the old ones.
        if not get_current_worker().is_cancelled:
            self.post_message(DashboardLoaded(data))

    @on(DashboardLoaded)
    def show(self, message: DashboardLoaded) -> None:
        self._fill(message.data)

    def _fill(self, data: DashboardData) -> None:
        self.data = data
        self.query_one("#scope", Static).update(scope_line(data))
        self.refresh_bindings()  # 本人/全部 exists only once 本人 is set
        overdue = sum(1 for row in data.rows if row.overdue)
        self._section("due", f"{len(data.rows)} 次谈话（{len(data.talks)} 项要求），其中逾期 {overdue} 次",
                      "没有应谈的谈话。还没有人员时，按 f7 导入花名册。",
                      [(row.id, due_cells(row)) for row in data.rows[:MAX_DUE_ROWS]])
        # With the list, not at the cursor's first highlight (a message, handled after the first drawing): the
        # explanation's height sets the list's, and a list resized after its drawing is drawn again whole.
        self._explain(self.due_table.current_key)
        late = sum(1 for item in data.followups if item.overdue)
        self._section("followups", f"{len(data.followups)} 项未办结，其中逾期 {late} 项", "没有未办结的跟踪事项。",
                      [(item.id, followup_cells(item)) for item in data.followups[:MAX_FOLLOWUP_ROWS]])
        self._section("coverage", f"{len(data.coverage)} 条规则", "当前政策包没有适用的频次规则。",
                      [(c.rule, coverage_cells(c)) for c in data.coverage])
        self._section("watch", f"{len(data.watch)} 人", "重点人员名单为空。",
                      [(str(w.person_id), watch_cells(w)) for w in data.watch])
        self.call_after_refresh(self.tanxin.resume_collection)  # drawn: the app's start is over

    def _section(self, name: str, detail: str, empty: str, rows: list[tuple[str, tuple[Text, ...]]]) -> None:
        """Refill one list, keeping the cursor where it was; an empty list is replaced by a sentence."""
        title = self.query_one(f"#{name}-title", Static)
        title.update(Content.assemble((SECTION_TITLES[name], "bold"), ("  " + (detail if rows else empty), "$text-muted")))
        table = self.query_one(f"#{name}", SafeTable)
        table.replace_rows(rows)
        table.display = bool(rows)

    @on(SafeTable.RowHighlighted, "#due")
    def explain(self, event: SafeTable.RowHighlighted) -> None:
        """Under the due list: every rule the highlighted talk would satisfy, however narrow the table."""
        self._explain(event.row_key.value)

    def _explain(self, key: str | None) -> None:
        # The cursor's first highlight repeats what the filling explained: updating the text lays the screen out
        # again, for nothing.
        today = self.tanxin.today
        if self._explained is not None and self._explained[::2] == (key, today) and self._explained[1] is self.data:
            return
        self._explained = (key, self.data, today)
        row = self._row(key)
        self.query_one("#row-detail", Static).update(row_explanation(row, today) if row is not None else "")

    # -- 本人 and 全部 ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_scope":
            owner = self.data.owner if self.data is not None else None
            return True if owner is not None and owner.active else None
        if action == "import_roster":
            # Offered in the footer while the list is empty (a new database); always reachable from 人员.
            return self.data is not None and not self.data.rows
        return True

    def why_not(self, action: str) -> str | None:
        """Why a key shown greyed in the footer does nothing now (the app says it when the key is pressed)."""
        if action == "toggle_scope":
            owner = self.data.owner if self.data is not None else None
            if owner is None:
                return "还没有设定本人：先选择本人，才能在“本人要谈的”和“全部”之间切换。"
            return "本人已不在册：请重新选择本人。"
        return None

    def action_import_roster(self) -> None:
        from tui.screens.roster_import import RosterImportScreen

        self.app.push_screen(RosterImportScreen(), self._roster_imported)

    def _roster_imported(self, imported: bool | None) -> None:
        if imported:
            self.load()

    def palette_commands(self) -> Iterator[Command]:
        """工作台's keys, also by name: a terminal or multiplexer may keep ctrl+a (tmux, screen) for itself."""
        yield "本人/全部", "在本人要谈、要安排的与全部之间切换（ctrl+a）", self.action_toggle_scope
        yield "选择本人", "选择使用这个数据库的人（ctrl+u）", self.action_choose_owner
        yield "刷新工作台", "重新计算应谈事项（ctrl+r）", self.action_refresh

    def action_toggle_scope(self) -> None:
        if self.data is not None:
            self.remember("all" if self.data.mine else "mine", None)

    def action_choose_owner(self) -> None:
        from tui.screens.owner import OwnerScreen

        current = self.data.owner.id if self.data is not None and self.data.owner is not None else None
        self.app.push_screen(OwnerScreen(current), self._owner_chosen)

    def _owner_chosen(self, choice: OwnerChoice | None) -> None:
        if choice is not None and choice.person_id is not None:
            self.remember("mine", choice.person_id)  # a new 本人 wants to see their own day

    @work(thread=True, exclusive=True, exit_on_error=False, group="dashboard-settings")
    def remember(self, scope: str, owner: int | None) -> None:
        """Remember 本人 and the scope (audited by the registry), then recompute the lists."""
        from notes.settings import DASHBOARD_SCOPE, OWNER, save_settings

        changes: dict[str, object] = {DASHBOARD_SCOPE: scope}
        if owner is not None:
            changes[OWNER] = owner
        with self.tanxin.thread_store() as store:
            saved = save_settings(store, changes)
        self.app.call_from_thread(self._settings_saved, saved)

    def _settings_saved(self, settings: Settings) -> None:
        self.tanxin.settings_changed(settings)
        self.load()

    # -- opening ---------------------------------------------------------------------------------------

    def _item(self, items: list[DueItem], key: str | None) -> DueItem | None:
        return next((item for item in items if item.id == key), None)

    def _row(self, key: str | None) -> WorkRow | None:
        return next((row for row in self.data.rows if row.id == key), None) if self.data is not None else None

    @on(SafeTable.RowSelected, "#due")
    def open_due(self, event: SafeTable.RowSelected) -> None:
        """Resume the talk under way, offer to start the planned one, else prepare the talk (never a second
        plan for the same pair)."""
        row = self._row(event.row_key.value)
        if row is None:
            return
        talk = row.talk
        if talk is None:
            self._prepare(row)
        else:
            # A planned talk shows its plan first (time, place, who), to revise or confirm before it starts.
            self.tanxin.hold_talk(talk.id, confirm_plan=talk.status != "in_progress")

    def _prepare(self, row: WorkRow) -> None:
        # The event obligation, when there is one, so the planned talk is linked to its event; a planned talk's
        # own type, so the wizard finds that plan and revises it instead of making a second one.
        item = row.event_item or row.worst
        talk_type = row.talk.talk_type if row.talk is not None else row.talk_type
        self.tanxin.prepare_talk(person_id=row.person_id, talk_type=talk_type or None, due_item_id=item.id)

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
        """Prepare the highlighted row's talk (a planned one is revised: the wizard finds its plan); a talk under
        way is resumed instead."""
        row = self._row(self.due_table.current_key)
        if row is None:
            self.tanxin.prepare_talk()
        elif row.talk is not None and row.talk.status == "in_progress":
            self.tanxin.hold_talk(row.talk.id)
        else:
            self._prepare(row)


def _basis(row: WorkRow) -> str:
    """The most urgent rule, and how many the talk satisfies (all of them, with sources, are in the detail)."""
    first = row.worst.rule_name
    return first if len(row.items) == 1 else f"{first} 等 {len(row.items)} 项"


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
        yield TanxinFooter()
