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
from textual.screen import Screen
from textual.widgets import Footer, Header, Select, Static

from tui.messages import forward_worker_failure
from tui.safe import safe
from tui.screens.talk_support import export_dir, file_safe, tanxin_app
from tui.widgets.export_panel import ExportJob, ExportPanel

if TYPE_CHECKING:
    from notes.store import Store
    from tui.app import TanxinApp

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
    units: list[tuple[int, str]]


@dataclass
class YearCounted(Message):
    """How many talks the chosen year and unit hold."""

    text: str


def unit_choices(rows: list[dict[str, object]]) -> list[tuple[int, str]]:
    """Units in tree order, each name indented by its depth."""
    children: dict[object, list[dict[str, object]]] = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)
    ordered: list[tuple[int, str]] = []

    def walk(parent: object, depth: int) -> None:
        for row in children.get(parent, []):
            ordered.append((int(str(row["id"])), "　" * depth + str(row["name"])))
            walk(row["id"], depth + 1)

    walk(None, 0)
    return ordered


def count_talks(store: Store, year: int, unit_id: int | None) -> str:
    from notes.documents.units import unit_scope

    scope = unit_scope(store, unit_id) if unit_id else None
    where = "coalesce(started_at, planned_at) >= ? AND coalesce(started_at, planned_at) < ?"
    params: list[object] = [f"{year:04d}", f"{year + 1:04d}"]
    if scope is not None:
        where += " AND unit_id IN (SELECT value FROM json_each(?))"
        params.append(scope.ids_json)
    row = store.query_one(
        f"SELECT count(*) FILTER (WHERE status IN ('held', 'sealed')) AS held, "
        f"count(*) FILTER (WHERE status = 'sealed') AS sealed, "
        f"count(*) FILTER (WHERE status IN ('planned', 'in_progress')) AS open FROM talks WHERE {where}",
        params,
    )
    assert row is not None
    return f"{year} 年度：已谈 {row['held']} 次（其中已封存 {row['sealed']} 次），计划中或进行中 {row['open']} 次。"


class LedgerScreen(Screen[None]):
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
    # Textual tells only the screen that started a worker; the app reports every failure in one place.
    on_worker_state_changed = forward_worker_failure

    def __init__(self) -> None:
        super().__init__()
        self.year = 0
        self.unit_id = ALL_UNITS
        self.unit_names: dict[int, str] = {}

    @property
    def tanxin(self) -> TanxinApp:
        return tanxin_app(self)

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
        yield Footer()

    def on_mount(self) -> None:
        self.load_choices()

    def on_screen_resume(self) -> None:
        if self.unit_names:  # back from another section: talks may have been held or sealed meanwhile
            self.count()

    def default_path(self, panel_id: str) -> Path:
        _, _, name, extension = next(e for e in EXPORTS if e[0] == panel_id)
        unit = file_safe(self.unit_names[self.unit_id]) if self.unit_id in self.unit_names else ""
        return export_dir() / f"{unit}{self.year}年度{name}{extension}"

    # -- choosing --------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="ledger-choices")
    def load_choices(self) -> None:
        with self.tanxin.thread_store() as store:
            years = [int(r["year"]) for r in store.query(
                "SELECT DISTINCT substr(coalesce(started_at, planned_at), 1, 4) AS year FROM talks "
                "WHERE coalesce(started_at, planned_at) IS NOT NULL ORDER BY year DESC")]
            units = unit_choices(store.query("SELECT id, parent_id, name FROM units ORDER BY sort_order, id"))
        self.post_message(LedgerChoices(years, units))

    @on(LedgerChoices)
    def show_choices(self, message: LedgerChoices) -> None:
        years = sorted(set(message.years) | {self.tanxin.today.year}, reverse=True)
        self.query_one("#ledger-year", Select).set_options([(str(year), year) for year in years])
        self.query_one("#ledger-year", Select).value = self.year
        self.unit_names = {unit_id: name.strip("　") for unit_id, name in message.units}
        unit_select = self.query_one("#ledger-unit", Select)
        unit_select.set_options([(Content("全部单位"), ALL_UNITS)] + [(safe(name), uid) for uid, name in message.units])
        unit_select.value = self.unit_id
        self.choice_changed()

    @on(Select.Changed)
    def choice_changed(self) -> None:
        year = self.query_one("#ledger-year", Select).value
        unit = self.query_one("#ledger-unit", Select).value
        if not isinstance(year, int) or not isinstance(unit, int):
            return
        self.year, self.unit_id = year, unit
        for panel in self.query(ExportPanel):
            if not panel.running:
                panel.set_path(self.default_path(panel.id or ""))
        self.count()

    @work(thread=True, exclusive=True, exit_on_error=False, group="ledger-count")
    def count(self) -> None:
        year, unit = self.year, self.unit_id
        with self.tanxin.thread_store() as store:
            text = count_talks(store, year, unit or None)
        self.post_message(YearCounted(text))

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

        path, year, unit, today = message.path, self.year, self.unit_id or None, self.tanxin.today
        jobs: dict[str, ExportJob] = {
            "export-ledger": lambda store: export_ledger(store, year, path, unit=unit),
            "export-report": lambda store: render_report(store, year, path, unit=unit, today=today),
            "export-handbook": lambda store: export_handbook(store, year, path, unit=unit),
        }
        message.panel.run(jobs[message.panel.id or ""], path)
