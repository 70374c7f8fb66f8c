"""导入花名册: choose a roster file, see every problem or everything the import would change, name the columns
tanxin does not know, confirm; and write the template.

Open it with `app.push_screen(RosterImportScreen(), callback)`; it is dismissed with True when people were
imported (the caller reloads what it shows), False otherwise. `RosterImportScreen(path)` starts checking `path`
at once.

The check is the import's own dry run (prep.roster.import_roster), in a thread worker with its own connection:
a roster of thousands of rows never freezes the screen. Confirming imports the file that was checked, in one
transaction — all of it, or (on any problem) none of it; a file saved again since its check is checked again
instead, so what is imported is always what the table showed. A column whose
header is unknown is never dropped silently: the import stops, and the mapping step asks which field each such
column is (or to ignore it), as `--map` does on the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Header, Select, Static

from tui.safe import safe, visible
from tui.screens.base import TanxinScreen
from tui.screens.talk_support import export_dir
from tui.widgets.export_panel import ExportPanel
from tui.widgets.footer import TanxinFooter
from tui.widgets.path_suggester import PathSuggester
from tui.widgets.safe_input import SafeInput
from tui.widgets.safe_table import SafeTable

if TYPE_CHECKING:
    from prep.roster.parse import RosterProblem
    from prep.roster.plan import ImportPlan
    from prep.roster.terms import RosterTerms

ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")
TEMPLATE_NAME = "花名册模板.xlsx"


@dataclass
class RosterChecked(Message):
    """The dry run (or, with plan.written, the import) went through: what it would change (or changed)."""

    path: Path
    plan: ImportPlan
    digest: str  # of the file's bytes as checked: confirming imports only that file
    changed: bool = False  # the file changed between the check and the confirmation: checked again instead


@dataclass
class RosterRefused(Message):
    """The file has problems; nothing was written. `unknown_columns`: headers to map."""

    path: Path
    problems: list[RosterProblem]
    unknown_columns: list[str]


@dataclass
class RosterUnreadable(Message):
    """The file could not be read at all (missing, not a roster, an old .xls …): why, in Chinese."""

    message: str


class RosterImportScreen(TanxinScreen[bool]):
    """导入花名册: a file, its check, the mapping of unknown columns, the confirmation; and the template."""

    TITLE = "导入花名册"
    AUTO_FOCUS = "#roster-path"
    DEFAULT_CSS = """
    RosterImportScreen #roster-body { padding: 0 1; }
    RosterImportScreen .roster-intro { color: $text-muted; margin-bottom: 1; }
    RosterImportScreen #roster-choose { height: 1; }
    RosterImportScreen #roster-path { width: 1fr; }
    RosterImportScreen #roster-choose Button { min-width: 8; margin-left: 2; }
    RosterImportScreen #roster-status { height: auto; margin: 1 0; }
    RosterImportScreen #roster-status.-error { color: $text-error; }
    RosterImportScreen #roster-status.-done { color: $text-success; }
    RosterImportScreen #roster-mapping { height: auto; display: none; border: round $warning; padding: 0 1; }
    RosterImportScreen #roster-mapping.-shown { display: block; }
    RosterImportScreen #roster-mapping-rows { height: auto; }
    RosterImportScreen .mapping-row { height: 1; }
    RosterImportScreen .mapping-column { width: 24; margin-right: 1; }
    RosterImportScreen .mapping-row Select { width: 32; }
    RosterImportScreen #roster-remap { margin-top: 1; }
    RosterImportScreen SafeTable { max-height: 20; }
    RosterImportScreen #roster-row-detail { height: auto; margin-bottom: 1; color: $text-muted; }
    RosterImportScreen #roster-plan { display: none; }
    RosterImportScreen.-planned #roster-plan { display: block; }
    RosterImportScreen.-planned #roster-problems { display: none; }
    RosterImportScreen #roster-confirm { margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "check", "检查", id="roster.check",
                tooltip="检查所填文件（不写入数据库）：列出每处问题，或将要新增、更新的人员和职务变动"),
        Binding("ctrl+s", "confirm", "确认导入", id="roster.confirm",
                tooltip="按检查结果导入：要么全部导入，要么不做任何改动"),
        Binding("ctrl+t", "template", "写出模板", id="roster.template",
                tooltip="写出花名册模板（XLSX）：可识别的各列、一行示例和填写说明"),
        Binding("escape", "back", "返回", id="roster.back", tooltip="回到上一页"),
    ]

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.start_path = path
        self.mapping: dict[str, str] = {}  # normalised header → field, chosen in the mapping step
        self.mapped_for: Path | None = None  # the file the mapping was chosen for
        self.unknown: list[str] = []  # the headers the mapping step asks about
        self.checked: Path | None = None  # the file whose dry run passed: confirming imports it
        self.checked_digest = ""
        self.imported = False
        self.full_rows: dict[str, tuple[str, ...]] = {}  # row key → the cells as read, before the table cuts them

    # -- typed accessors -------------------------------------------------------------------------------

    @property
    def path_field(self) -> SafeInput:
        return self.query_one("#roster-path", SafeInput)

    @property
    def status(self) -> Static:
        return self.query_one("#roster-status", Static)

    @property
    def problems_table(self) -> SafeTable:
        return self.query_one("#roster-problems", SafeTable)

    @property
    def plan_table(self) -> SafeTable:
        return self.query_one("#roster-plan", SafeTable)

    @property
    def row_detail(self) -> Static:
        return self.query_one("#roster-row-detail", Static)

    @property
    def mapping_box(self) -> Vertical:
        return self.query_one("#roster-mapping", Vertical)

    @property
    def confirm_button(self) -> Button:
        return self.query_one("#roster-confirm", Button)

    @property
    def terms(self) -> RosterTerms:
        from prep.roster.terms import terms_for

        return terms_for(self.tanxin.policy)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="roster-body"):
            yield Static(
                "选择花名册文件（.xlsx、.csv）。先检查：不写入数据库，列出每处问题的行号、列名和原因，或将要新增、"
                "更新的人员和职务变动；确认后一次导入，要么全部导入，要么不做改动。",
                classes="roster-intro", markup=False)
            with Horizontal(id="roster-choose"):
                yield SafeInput(str(self.start_path or ""), placeholder="花名册文件路径（输入时按 → 补全）",
                                suggester=PathSuggester(ROSTER_SUFFIXES), id="roster-path", compact=True)
                yield Button("检查", id="roster-check", variant="primary", compact=True,
                             tooltip="检查文件，不写入数据库")
            yield Static("", id="roster-status")
            with Vertical(id="roster-mapping"):
                yield Static("以下各列的列名不认识。请为每一列选择它是哪一项，不需要的选“忽略”，再重新检查：",
                             markup=False)
                yield Vertical(id="roster-mapping-rows")
                yield Button("按所选重新检查", id="roster-remap", compact=True)
            yield SafeTable("位置", "列", "问题", id="roster-problems")
            yield SafeTable("变动", "姓名", "位置", "内容", id="roster-plan")
            # A table cuts long text to the screen; the row under the cursor is shown here in full, wrapped.
            yield Static("", id="roster-row-detail")
            yield Button("确认导入", id="roster-confirm", variant="success", disabled=True, compact=True,
                         tooltip="按检查结果导入")
            yield ExportPanel("花名册模板（XLSX：可识别的各列、一行示例和填写说明）", export_dir() / TEMPLATE_NAME,
                              id="roster-template", button_label="写出模板")
        yield TanxinFooter()

    def on_mount(self) -> None:
        if self.start_path is not None:
            self.action_check()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return self.checked is not None or None  # None: shown, but dimmed, until a check has passed
        return True

    def why_not(self, action: str) -> str | None:
        """Why a key shown greyed in the footer does nothing now (the app says it when the key is pressed)."""
        return "请先检查花名册：检查通过、没有问题后才能导入。" if action == "confirm" else None

    # -- checking and importing ------------------------------------------------------------------------

    def typed_path(self) -> Path | None:
        value = self.path_field.value.strip()
        return Path(value).expanduser() if value else None

    @on(Button.Pressed, "#roster-check")
    @on(SafeInput.Submitted, "#roster-path")
    def action_check(self) -> None:
        path = self.typed_path()
        if path is None:
            self._say("请先填写花名册文件的路径。", error=True)
            return
        self._say("正在检查……")
        self.run_import(path, dict(self.mapping), effective=self.tanxin.today)

    def action_confirm(self) -> None:
        path = self.checked
        if path is None:
            return
        digest = self.checked_digest
        self._set_checked(None)
        self._say("正在导入……")
        self.run_import(path, dict(self.mapping), effective=self.tanxin.today, confirmed=digest)

    @on(Button.Pressed, "#roster-confirm")
    def confirm_pressed(self) -> None:
        self.action_confirm()

    @on(SafeInput.Changed, "#roster-path")
    def path_changed(self) -> None:
        """Another file: what was checked and mapped belongs to the previous one."""
        typed = self.typed_path()
        if self.checked is not None and typed != self.checked:
            self._set_checked(None)
        if typed != self.mapped_for:
            self.mapping.clear()

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-import")
    def run_import(self, path: Path, mapping: dict[str, str], *, effective: date, confirmed: str = "") -> None:
        """Check `path` (a dry run), or, `confirmed` with the digest of the file as checked, import it. A file
        saved again since its check is checked again instead: what is imported is always what was shown."""
        import hashlib

        from notes.errors import TanxinError
        from prep.active import active_policy
        from prep.roster import RosterInvalid, import_roster

        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""  # unreadable: import_roster says why
        changed = bool(confirmed) and digest != confirmed
        write = bool(confirmed) and not changed
        try:
            with self.tanxin.thread_store() as store:
                plan = import_roster(store, path, policy=active_policy(store), dry_run=not write, effective=effective,
                                     mapping=mapping)
        except RosterInvalid as refused:
            self.post_message(RosterRefused(path, refused.problems, refused.unknown_columns))
            return
        except TanxinError as error:
            self.post_message(RosterUnreadable(error.message))
            return
        self.post_message(RosterChecked(path, plan, digest, changed))

    @on(RosterChecked)
    async def show_plan(self, message: RosterChecked) -> None:
        from prep.roster.plan import plan_rows

        plan = message.plan
        await self._show_mapping([])
        self.add_class("-planned")
        self._fill(self.plan_table, plan_rows(plan))
        summary = plan.describe().splitlines()
        # The summary lines (not the per-person ones the table shows, nor the CLI's --dry-run hint).
        lines = [line for line in summary if not line.startswith("  ") and "--dry-run" not in line]
        if plan.written:
            self.imported = True
            self._say("\n".join(lines), done=True)
            self.notify(f"花名册已导入：新增 {len(plan.created)} 人，更新 {len(plan.updated)} 人。", markup=False)
            return
        self._set_checked(message.path)
        self.checked_digest = message.digest
        changed = ["文件在检查后又保存过，已按现在的内容重新检查，没有导入。请核对后再确认。"] if message.changed else []
        self._say("\n".join([*changed, *lines, "检查通过，没有写入数据库。按“确认导入”（ctrl+s）即按以上内容导入。"]))

    @on(RosterRefused)
    async def show_problems(self, message: RosterRefused) -> None:
        self.remove_class("-planned")
        self._set_checked(None)
        self._fill(self.problems_table, [(p.location() or "整个文件", p.column, p.reason) for p in message.problems])
        await self._show_mapping(message.unknown_columns)
        # The file's name on a line of its own: a narrow screen would otherwise break the line at its spaces.
        self._say(f"{message.path.name}：{len(message.problems)} 处问题，未导入任何数据。\n"
                  "请在表格中改正以下各处（或为不认识的列选择对应项）后重新检查。", error=True)

    @on(RosterUnreadable)
    def show_unreadable(self, message: RosterUnreadable) -> None:
        self._set_checked(None)
        self._fill(self.problems_table, [])
        self.remove_class("-planned")
        self._say(message.message, error=True)

    def _fill(self, table: SafeTable, rows: Sequence[tuple[str, ...]]) -> None:
        self.full_rows = {str(index): row for index, row in enumerate(rows)}
        table.replace_rows(list(self.full_rows.items()))
        self.row_detail.update("")
        if rows:
            self._show_row(next(iter(self.full_rows)))

    @on(SafeTable.RowHighlighted)
    def row_highlighted(self, event: SafeTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self._show_row(event.row_key.value)

    def _show_row(self, key: str) -> None:
        row = self.full_rows.get(key)
        self.row_detail.update(Content(visible("  ".join(cell for cell in row if cell))) if row else "")

    # -- the mapping step ----------------------------------------------------------------------------------

    async def _show_mapping(self, columns: list[str]) -> None:
        from prep.roster.cells import normalise_header
        from prep.roster.terms import FIELD_HEADERS, UNUSED

        self.unknown = columns
        rows = self.query_one("#roster-mapping-rows", Vertical)
        await rows.remove_children()
        terms = self.terms
        options: list[tuple[Content, str]] = [(Content(terms.label(f)), f) for f in FIELD_HEADERS]
        options.append((Content("忽略（不导入这一列）"), UNUSED))
        for index, column in enumerate(columns):
            chosen = self.mapping.get(normalise_header(column), Select.NULL)
            await rows.mount(Horizontal(
                Static(safe(column), classes="mapping-column"),
                Select(options, value=chosen, prompt="选择这一列是哪一项", id=f"roster-map-{index}", compact=True),
                classes="mapping-row"))
        self.mapping_box.set_class(bool(columns), "-shown")

    @on(Button.Pressed, "#roster-remap")
    def remap(self) -> None:
        from prep.roster.cells import normalise_header

        chosen: dict[str, str] = {}
        for index, column in enumerate(self.unknown):
            value = self.query_one(f"#roster-map-{index}", Select).value
            if not isinstance(value, str):
                self._say(f"请为“{column}”列选择对应的一项，或选“忽略”。", error=True)
                return
            chosen[normalise_header(column)] = value
        self.mapping.update(chosen)
        self.mapped_for = self.typed_path()
        self.action_check()

    # -- the template --------------------------------------------------------------------------------------

    def action_template(self) -> None:
        self.query_one("#roster-template", ExportPanel).request()

    @on(ExportPanel.Requested, "#roster-template")
    def write_template(self, message: ExportPanel.Requested) -> None:
        from prep.roster.template import write_template

        path, terms = message.path, self.terms
        message.panel.run(lambda _store: write_template(path, terms), path)

    @on(ExportPanel.Finished)
    def template_written(self, message: ExportPanel.Finished) -> None:
        if not self.path_field.value.strip():  # the next step is to fill it in and import it
            self.path_field.value = str(message.path)

    # -- helpers -------------------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(self.imported)

    def _set_checked(self, path: Path | None) -> None:
        self.checked = path
        self.confirm_button.disabled = path is None
        self.refresh_bindings()

    def _say(self, text: str, *, error: bool = False, done: bool = False) -> None:
        self.status.update(Content(visible(text, keep_newlines=True)))  # a file's name is user text
        self.status.set_class(error, "-error")
        self.status.set_class(done, "-done")
