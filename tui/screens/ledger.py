"""台账与报告: choose a year and a unit, then export the 台账 (XLSX, with its coverage sheet), the year-end
report (DOCX, counts and coverage only) and the 《党员手册》"其他情况记录" lines.

Each export runs in a thread worker with its own connection and a progress bar; the screen stays usable
(another export can be started, the year changed) while a large 台账 is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Select, Static

from tui.safe import safe
from tui.screens.base import TanxinScreen
from tui.screens.talk_support import export_dir, file_safe
from tui.widgets.export_panel import ExportJob, ExportPanel
from tui.widgets.footer import TanxinFooter

if TYPE_CHECKING:
    from notes.model import UnitTree

ALL_UNITS = 0  # the Select's value for "every unit" (unit ids start at 1)
# (panel id, title, file name after "<unit><year>年度", extension)
EXPORTS = (
    ("export-ledger", "谈心谈话台账（XLSX，含覆盖情况表；不含保密内容）", "谈心谈话台账", ".xlsx"),
    ("export-report", "年度谈心谈话制度落实情况报告（DOCX，只含统计，不含个人情况）", "谈心谈话制度落实情况报告", ".docx"),
    ("export-handbook", "《党员手册》“其他情况记录”（DOCX）", "党员手册其他情况记录", ".docx"),
)


@dataclass
class LedgerChoices(Message):
    """The years that have talks and the unit tree, read by the worker."""

    years: list[int]
    units: UnitTree


@dataclass
class YearCounted(Message):
    """How many talks the chosen year and unit hold."""

    text: str


class LedgerScreen(TanxinScreen[None]):
    """台账与报告: year and unit, then three exports, each with its own progress."""

    TITLE = "台账与报告"
    DEFAULT_CSS = """
    LedgerScreen #ledger-body { padding: 0 1; }
    LedgerScreen #ledger-choose { height: 1; margin: 1 0; }
    LedgerScreen .choose-label { width: auto; text-style: bold; margin-right: 1; }
    LedgerScreen #ledger-year { width: 12; margin-right: 2; }
    LedgerScreen #ledger-unit { width: 1fr; }
    LedgerScreen #ledger-count { height: auto; margin-bottom: 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "export_all", "全部导出", id="ledger.export_all", tooltip="依次导出台账、年度报告和党员手册记录"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.year = 0
        self.unit_id = ALL_UNITS
        self.units: UnitTree | None = None  # once the worker has read them

    @property
    def year_select(self) -> Select[int]:
        return self.query_one("#ledger-year", Select)

    @property
    def unit_select(self) -> Select[int]:
        return self.query_one("#ledger-unit", Select)

    def compose(self) -> ComposeResult:
        self.year = self.tanxin.today.year
        yield Header()
        with VerticalScroll(id="ledger-body"):
            with Horizontal(id="ledger-choose"):
                yield Static("年度", classes="choose-label")
                yield Select([(str(self.year), self.year)], value=self.year, allow_blank=False, id="ledger-year",
                             compact=True)
                yield Static("单位", classes="choose-label")
                yield Select([(Content("全部单位"), ALL_UNITS)], value=ALL_UNITS, allow_blank=False, id="ledger-unit",
                             compact=True)
            yield Static("", id="ledger-count")
            for panel_id, title, _, _ in EXPORTS:
                yield ExportPanel(title, self.default_path(panel_id), id=panel_id)
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.load_choices()

    def on_screen_resume(self) -> None:
        if self.units is not None:  # back from another section: talks may have been held or sealed meanwhile
            self.count()

    def default_path(self, panel_id: str) -> Path:
        _, _, name, extension = next(e for e in EXPORTS if e[0] == panel_id)
        unit_name = self.units.name(self.unit_id) if self.units is not None else ""
        unit = file_safe(unit_name) if unit_name else ""
        return export_dir() / f"{unit}{self.year}年度{name}{extension}"

    # -- choosing --------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="ledger-choices")
    def load_choices(self) -> None:
        from notes.model import unit_tree
        from notes.talk_queries import talk_years

        with self.tanxin.thread_store() as store:
            years, units = talk_years(store), unit_tree(store)
        self.post_message(LedgerChoices(years, units))

    @on(LedgerChoices)
    def show_choices(self, message: LedgerChoices) -> None:
        years = sorted(set(message.years) | {self.tanxin.today.year}, reverse=True)
        self.year_select.set_options([(str(year), year) for year in years])
        self.year_select.value = self.year
        self.units = message.units
        # Each unit under its parent, indented by its depth.
        self.unit_select.set_options([(Content("全部单位"), ALL_UNITS)] + [
            (safe("　" * depth + unit.name), unit.id) for unit, depth in message.units.walk()])
        self.unit_select.value = self.unit_id
        self.choice_changed()

    @on(Select.Changed)
    def choice_changed(self) -> None:
        year = self.year_select.value
        unit = self.unit_select.value
        if not isinstance(year, int) or not isinstance(unit, int):
            return
        self.year, self.unit_id = year, unit
        for panel in self.query(ExportPanel):
            if not panel.running:
                panel.set_path(self.default_path(panel.id or ""))
        self.count()

    @work(thread=True, exclusive=True, exit_on_error=False, group="ledger-count")
    def count(self) -> None:
        from notes.model import unit_tree
        from notes.talk_queries import count_talks

        year, unit_id = self.year, self.unit_id
        with self.tanxin.thread_store() as store:
            # A unit's talks are those filed under it or any unit below it, by the tree as it is now (a roster
            # imported meanwhile may have added units), as the exports see it.
            units = None if unit_id == ALL_UNITS else unit_tree(store).below(unit_id)
            counts = count_talks(store, year, units)
        self.post_message(YearCounted(f"{year} 年度：已谈 {counts.held} 次（其中已封存 {counts.sealed} 次），"
                                      f"计划中或进行中 {counts.open} 次。"))

    @on(YearCounted)
    def show_count(self, message: YearCounted) -> None:
        self.query_one("#ledger-count", Static).update(message.text)

    # -- exporting -------------------------------------------------------------------------------------

    def action_export_all(self) -> None:
        for panel in self.query(ExportPanel):
            panel.request()

    @on(ExportPanel.Requested)
    def export_requested(self, message: ExportPanel.Requested) -> None:
        from notes.documents.ledger import export_ledger
        from notes.documents.report import export_handbook, render_report
        from prep.active import policy_facts

        path, year, unit, today = message.path, self.year, self.unit_id or None, self.tanxin.today
        jobs: dict[str, ExportJob] = {
            "export-ledger": lambda store: export_ledger(store, year, path, facts=policy_facts(store), unit=unit),
            "export-report": lambda store: render_report(store, year, path, facts=policy_facts(store), unit=unit,
                                                         today=today),
            "export-handbook": lambda store: export_handbook(store, year, path, facts=policy_facts(store), unit=unit),
        }
        message.panel.run(jobs[message.panel.id or ""], path)
