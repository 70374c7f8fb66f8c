"""谈后: the record after the talk — what was noted, point by point; the summary (信息汇总); the interviewee's
statement and confirmation; the follow-ups; then sign and seal, export the DOCX record, and, once sealed,
corrections as amendments with a reason (the original stays as it was).

Summary and statement are saved as they are typed, like the live notes (notes/autosave.py). Sealing,
amending and exporting run in thread workers with their own connection, so the screen never freezes.

Before sealing, an incomplete record (required points with nothing noted, an empty summary or statement, the
confirmation not ticked) is listed and must be confirmed twice. Like 谈话中, the screen holds the talk's lease
while the record can still change; opened while another window edits the talk, it is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Checkbox, Collapsible, Header, Static

from tui.safe import safe, visible
from tui.screens.base import TanxinScreen
from tui.screens.footer_fit import FittedFooter
from tui.screens.talk_support import (
    LeaseLost,
    SaveStateChanged,
    export_dir,
    file_safe,
    offer_take_over,
    save_state_content,
    shown_errors,
    start_autosaver,
    stop_autosaver,
    talk_kind,
)
from tui.widgets.check_marks import MarkedCheckbox
from tui.widgets.export_panel import ExportPanel
from tui.widgets.footer import TanxinFooter
from tui.widgets.procedure_dialog import ProcedureDialog
from tui.widgets.safe_input import SafeTextArea
from tui.widgets.talk_dialogs import (
    AmendDialog,
    AmendmentRequest,
    ChoiceDialog,
    ConfirmDialog,
    FollowupDialog,
    FollowupRequest,
)

if TYPE_CHECKING:
    from notes.autosave import Autosaver
    from notes.leases import Holder
    from notes.model import Entry, TalkRecord
    from notes.procedure_form import ProcedureForm, ProcedureView

# On screen each entry is shown up to this length; the record and its exports keep everything.
SHOWN_ENTRY_CHARS = 3_000


@dataclass
class RecordChanged(Message):
    """A worker sealed the talk or added an amendment; `message` says what happened."""

    message: str


@dataclass
class ChainChecked(Message):
    """The worker checked the seal chain: `ok`, how many seals, and the first problem in plain words."""

    ok: bool
    checked: int
    problem: str


def check_result(message: ChainChecked) -> Content:
    """What 核验 found, said without the words of the mechanism (hash, chain, signature)."""
    if message.ok:
        return Content.assemble(("✔ 核验通过：", "bold $text-success"),
                                f"本数据库全部 {message.checked} 份封存记录完好，封存后没有被改动。")
    return Content.assemble(("✘ 核验发现问题：", "bold $text-error"), safe(message.problem),
                            "\n请勿再修改数据库，保留现状并报告保密管理人员（可用 tanxin verify 查看详情）。")


class OutcomeText(SafeTextArea):
    """The summary or the statement: saved as typed."""


def entry_lines(entries: list[Entry], points: list[str]) -> list[Content]:
    """The notes grouped by heading — the required points in their order first, then the others."""
    if not entries:
        return [Content.styled("没有记录内容。", "dim")]
    headings = [p for p in points if any(e.heading == p for e in entries)]
    headings += [h for h in dict.fromkeys(e.heading for e in entries) if h not in headings]
    lines: list[Content] = []
    for heading in headings:
        lines.append(safe(heading, "bold underline") if heading else Content.styled("（未选要点）", "bold underline"))
        for entry in (e for e in entries if e.heading == heading):
            text = entry.text if len(entry.text) <= SHOWN_ENTRY_CHARS else (
                entry.text[:SHOWN_ENTRY_CHARS] + f"…（共 {len(entry.text)} 字）")
            marks = [(f"【{entry.kind}】", "bold")]
            if entry.confidential:
                marks.append(("【保密】", "bold $text-error"))
            lines.append(Content.assemble(*marks, Content(visible(text, keep_newlines=True))))
    return lines


class ReviewScreen(FittedFooter, TanxinScreen[None]):
    """谈后: summary, statement, follow-ups; seal; export; amend."""

    TITLE = "谈后"
    DEFAULT_CSS = """
    ReviewScreen #review-body { padding: 0 1; }
    ReviewScreen .review-heading { text-style: bold; color: $text-primary; margin-top: 1; }
    ReviewScreen OutcomeText { height: auto; min-height: 4; max-height: 10; }
    ReviewScreen #review-entries, ReviewScreen #review-followups, ReviewScreen #review-seal { height: auto; }
    ReviewScreen #review-top { height: 1; background: $panel; padding: 0 1; }
    ReviewScreen #review-title { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    ReviewScreen #review-status { width: 20; margin-left: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "seal", "签章封存", id="review.seal", tooltip="核对无误后签章封存；封存后只能以更正记录修改"),
        # once sealed, the same key checks the seal (the two are never offered together: check_action)
        Binding("f9", "verify", "核验", id="review.verify", tooltip="核验封存的记录是否完好、封存后有没有被改动"),
        # priority: the summary and statement are TextAreas, which take f6 (select line) and ctrl+e (line end)
        Binding("f6", "procedure", "程序信息", id="review.procedure", priority=True,
                tooltip="提醒、诫勉、函询的事由，诫勉决定（日期、决定机关、文号），函询的发函与回复：导出和封存前须填写"),
        Binding("ctrl+o", "export", "导出记录", id="review.export", tooltip="导出 DOCX 谈话记录（签字稿不含保密内容）"),
        Binding("ctrl+g", "add_followup", "添加跟踪", id="review.followup", tooltip="添加一项跟踪事项（整改须有期限）"),
        Binding("ctrl+r", "amend", "更正", id="review.amend", tooltip="对已封存的记录添加更正记录（须说明原因）"),
        Binding("ctrl+e", "to_profile", "记入十个清楚", id="review.to_profile", priority=True,
                tooltip="把本次谈话了解到的情况（信息汇总，或不含保密内容的记录）记入谈话对象十个清楚的某一项"),
        Binding("ctrl+t", "toggle_confidential", "核对视图", id="review.check_view",
                tooltip="请谈话对象核对记录时隐藏保密内容；再按一次恢复"),
        Binding("f8", "resume", "继续记录", id="review.resume", tooltip="回到谈话中页面补充记录（封存前）"),
        Binding("escape", "leave", "返回", id="review.leave", tooltip="返回上一页（内容已自动保存）"),
    ]
    # At 80 columns sealing or checking, exporting, a follow-up, leaving and f1 帮助 itself stay in the footer.
    NARROW_FOOTER_HIDES = frozenset({"review.to_profile", "review.check_view", "review.resume"})
    HELP_TEXT = ("谈后：核对记录，填写信息汇总和谈话对象表态（tab 在各栏之间移动），请谈话对象核对后勾选“已确认”，"
                 "再按 f9 签章封存；封存后按 ctrl+o 导出供三方手签的记录表。")

    def __init__(self, talk_id: int) -> None:
        super().__init__()
        self.talk_id = talk_id
        self.record: TalkRecord | None = None
        self.points: list[str] = []
        self.autosaver: Autosaver | None = None
        self.check_view = False  # the interviewee reads along: 保密 entries are not shown
        self.holding = False  # this window holds the talk's lease: it may write
        self.holder: Holder | None = None  # who edits the talk elsewhere
        self._handed: dict[str, str] = {}  # the summary and statement as the autosaver last had them
        self.check_said: Content | None = None  # what the last 核验 found, shown under the seal

    @property
    def writable(self) -> bool:
        """The record can still change, and this window is the one that changes it."""
        return self.holding and not self.sealed

    @property
    def sealed(self) -> bool:
        return self.record is not None and self.record.status == "sealed"

    @property
    def status_line(self) -> Static:
        """The saved state, or 已封存 once sealed."""
        return self.query_one("#review-status", Static)

    @property
    def followups_text(self) -> Static:
        return self.query_one("#review-followups", Static)

    @property
    def seal_text(self) -> Static:
        return self.query_one("#review-seal", Static)

    def compose(self) -> ComposeResult:
        from notes.talks import get_talk

        record = self.record = get_talk(self.tanxin.store, self.talk_id)
        self._take_lease(record)
        self.points = talk_kind(self, record.talk_type).points
        yield Header()
        with Horizontal(id="review-top"):
            yield Static("", id="review-title")
            yield Static(Content.styled("已保存", "$text-success"), id="review-status")
        with VerticalScroll(id="review-body"):
            yield Static("谈话记录", classes="review-heading")
            yield Static("", id="review-entries")
            yield Static("信息汇总", classes="review-heading")
            yield OutcomeText(record.summary, language=None, id="summary", placeholder="归纳谈话的主要情况、问题和措施")
            yield Static("谈话对象表态", classes="review-heading")
            yield OutcomeText(record.statement, language=None, id="statement", placeholder="谈话对象对谈话内容的表态")
            yield MarkedCheckbox("谈话对象已确认记录内容", record.confirmed, id="confirmed")
            yield Static("跟踪事项", classes="review-heading")
            yield Static("", id="review-followups")
            yield Static("签章与封存", classes="review-heading")
            yield Static("", id="review-seal")
            with Collapsible(title="高级：供技术人员核对", collapsed=True, id="review-advanced"):
                yield Static("", id="review-chain")
            code = file_safe(record.code or str(record.id))
            yield ExportPanel("导出谈话记录（DOCX 签字稿，不含保密内容）", export_dir() / f"{code}谈心谈话记录.docx",
                              id="export-record")
            yield ExportPanel("导出内部存档稿（含保密内容，标注“内部存档·保密”）",
                              export_dir() / f"{code}谈心谈话记录_内部存档.docx", id="export-internal")
        yield TanxinFooter()

    def _take_lease(self, record: TalkRecord) -> None:
        from notes.errors import TanxinError

        if record.status not in ("planned", "in_progress", "held"):
            return
        try:
            self.holder = self.tanxin.leases.take(self.tanxin.store, self.talk_id)
        except TanxinError as error:  # a full disk: the record can be read, not written
            self.notify(visible(error.message), title="只读打开", severity="error", timeout=10, markup=False)
            return
        self.holding = self.holder is None

    def on_mount(self) -> None:
        for text in self.query(OutcomeText):  # as shown: controls in stored text are made visible
            self._handed[str(text.id)] = text.text
        if self.holding:
            self.autosaver = start_autosaver(self, self.hand_over_typing)
            if self.writable:  # what is left to do is writing the summary: typing lands there
                self.query_one("#summary", OutcomeText).focus()
        elif self.holder is not None:
            offer_take_over(self, self.holder, self.talk_id, self.tanxin.review_talk)
        self.show_record()

    def on_unmount(self) -> None:
        if self.autosaver is not None:
            self.hand_over_typing()
            stop_autosaver(self, self.autosaver)
        if self.holding:
            self.tanxin.leases.drop(self.tanxin.store, self.talk_id)

    def hand_over_typing(self) -> None:
        """Give the autosaver the summary and statement as typed, if it has not had them yet."""
        if self.autosaver is None or self.sealed:
            return
        for text in self.query(OutcomeText):
            field = str(text.id)
            if not text.read_only and text.text != self._handed.get(field):
                self._hand_over(field, text.text)

    @on(LeaseLost)
    def lease_lost(self, _message: LeaseLost) -> None:
        """Another window took the editing over: save what this one has, then read only."""
        self.hand_over_typing()
        if self.autosaver is not None:
            stop_autosaver(self, self.autosaver)
            self.autosaver = None
        self.holding = False
        self.show_record()
        self.notify("另一窗口接管了这次谈话的编辑；本窗口已保存已写的内容，转为只读。", severity="warning",
                    timeout=15, markup=False)

    # -- showing ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        from notes.talks import get_talk

        self.record = get_talk(self.tanxin.store, self.talk_id)
        self.show_record()

    def show_record(self) -> None:
        from notes.talks import point_coverage

        record = self.record
        assert record is not None
        self.query_one("#review-title", Static).update(Content.assemble(
            safe(talk_kind(self, record.talk_type).name, "bold"), (" · ", "bold"), safe(record.person),
            (f"  {record.code} · {record.status_label}", "dim"),
        ))
        coverage = point_coverage(record, self.points)
        missing = [point for point, done in coverage.items() if not done]
        covered = Content.styled(f"必谈要点已记录 {len(coverage) - len(missing)}/{len(coverage)}", "bold")
        lines = [covered]
        if missing:
            lines.append(Content.assemble(("尚未记录：", "$text-warning"), safe("；".join(missing))))
        entries = record.entries
        if self.check_view:
            entries = [e for e in entries if not e.confidential]
            lines.append(Content.styled("核对视图：保密内容已隐藏，与签字稿一致（Ctrl+T 恢复）", "bold reverse $text-warning"))
        lines += entry_lines(entries, self.points)
        self.query_one("#review-entries", Static).update(Content("\n").join(lines))
        self.show_followups()
        self.show_seal()
        for text in self.query(OutcomeText):
            text.read_only = not self.writable
        self.query_one("#confirmed", Checkbox).disabled = not self.writable
        if self.sealed:
            self.status_line.update(Content.styled("已封存，只读", "$text-success"), layout=False)
        elif not self.holding:
            self.status_line.update(Content.styled("只读", "bold $text-warning"), layout=False)
        self.refresh_bindings()

    def show_followups(self) -> None:
        record = self.record
        assert record is not None
        if not record.followups:
            # Ctrl+G is offered only while the record can still change.
            self.followups_text.update(Content.styled("没有跟踪事项。" + ("按 Ctrl+G 添加。" if self.writable else ""), "dim"))
            return
        from prep.active import wording

        terms = wording(self.tanxin.policy)
        lines = [
            Content.assemble(
                (f"{terms.followup_kind(f.kind)} ", "bold"), safe(f.title),
                (f"  期限 {f.due_on or '—'} · {f.status_label}", "dim"),
            )
            for f in record.followups
        ]
        self.followups_text.update(Content("\n").join(lines))

    def show_seal(self) -> None:
        """Sealed or not in plain words, and the 核验 key; the seal's numbers go to the advanced pane."""
        from notes.seal import chain_head

        record = self.record
        assert record is not None
        panel = self.seal_text
        advanced = self.query_one("#review-advanced", Collapsible)
        advanced.display = record.seal is not None
        if record.seal is None:
            hint = "核对无误后按 F9 签章封存。" if record.status == "held" else "谈话结束后才能封存（按 F8 回到谈话中页面结束谈话）。"
            panel.update(Content.styled(f"尚未封存。{hint}", "$text-warning"))
            return
        seal = record.seal
        lines = [
            Content.assemble(("已封存，可核验", "bold $text-success"), (f"（{seal.sealed_at[:16].replace('T', ' ')}）", "dim")),
            Content.styled("按 F9 核验：检查这份记录和本数据库其他封存记录是否完好、封存后有没有被改动。", "dim"),
        ]
        if self.check_said is not None:
            lines.append(self.check_said)
        for amendment in record.amendments:
            lines.append(Content.assemble(("更正 ", "bold $text-warning"), (f"{amendment.created_at} ", "dim"),
                                          safe(amendment.reason)))
        panel.update(Content("\n").join(lines))
        self.query_one("#review-chain", Static).update(Content("\n").join([
            Content(f"封存序号：第 {seal.seq} 号"),
            Content(f"内容哈希：{seal.content_hash}"),
            Content(f"当前链头：{chain_head(self.tanxin.store)}"),
            Content.styled("链头可另行抄写或打印保存；日后用 tanxin verify --head 链头 核验，可发现记录被整体截去。"
                           "命令 tanxin chain-head 也会给出链头。", "dim"),
        ]))

    def action_verify(self) -> None:
        self.check_said = Content.styled("正在核验……", "$text-muted")
        self.show_seal()
        self.verify()

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-verify")
    def verify(self) -> None:
        from notes.seal import verify_chain

        with self.tanxin.thread_store() as store:
            report = verify_chain(store)
        first = report.first_problem
        self.post_message(ChainChecked(report.ok, report.checked, first.message if first else ""))

    @on(ChainChecked)
    def chain_checked(self, message: ChainChecked) -> None:
        self.check_said = check_result(message)
        self.show_seal()
        self.notify("核验通过，记录完好。" if message.ok else "核验发现问题，详见页面。",
                    severity="information" if message.ok else "error", markup=False)

    @on(SaveStateChanged)
    def show_save_state(self, message: SaveStateChanged) -> None:
        self.status_line.update(save_state_content(message.state), layout=False)

    # -- writing ---------------------------------------------------------------------------------------

    @on(OutcomeText.Changed)
    def outcome_changed(self, event: OutcomeText.Changed) -> None:
        if self.autosaver is None or self.sealed or event.text_area.read_only:
            return
        self._hand_over(str(event.text_area.id), event.text_area.text)

    def _hand_over(self, field: str, text: str) -> None:
        assert self.autosaver is not None
        self._handed[field] = text
        if field == "summary":
            self.autosaver.set_outcome(self.talk_id, summary=text)
        else:
            self.autosaver.set_outcome(self.talk_id, statement=text)

    @on(Checkbox.Changed, "#confirmed")
    def confirmed_changed(self, event: Checkbox.Changed) -> None:
        if self.autosaver is not None and self.writable:
            self.autosaver.set_outcome(self.talk_id, confirmed=event.value)

    def action_toggle_confidential(self) -> None:
        self.check_view = not self.check_view
        self.show_record()

    def action_add_followup(self) -> None:
        from notes.vocabulary import FOLLOWUP_KINDS

        record = self.record
        owner = record.interviewers[0].id if record is not None and record.interviewers else None
        self.app.push_screen(FollowupDialog(FOLLOWUP_KINDS, self.tanxin.today, "", "整改", ask_title=True,
                                            owner_id=owner), self._create_followup)

    def _create_followup(self, request: FollowupRequest | None) -> None:
        from notes.followups import create_followup

        if request is None:
            return
        with shown_errors(self):
            create_followup(self.tanxin.store, talk_id=self.talk_id, kind=request.kind, title=request.title,
                            due_on=request.due_on, owner_id=request.owner_id)
            self.notify(f"已添加{request.kind}事项。", markup=False)
            self.reload()

    def action_to_profile(self) -> None:
        """Which 十个清楚 dimension what the talk found belongs to; then one dated, sourced profile entry."""
        self.hand_over_typing()
        if self.autosaver is not None:
            self.autosaver.flush()  # the summary just typed is what goes into the profile
        choices = [(d.id, d.name) for d in self.tanxin.policy.dimensions.values()]
        self.app.push_screen(ChoiceDialog("记入十个清楚的哪一项？", choices), self._to_profile_chosen)

    def _to_profile_chosen(self, dimension: str | None) -> None:
        from prep.profile import entry_from_talk

        if dimension is None:
            return
        with shown_errors(self):
            entry_from_talk(self.tanxin.store, self.tanxin.policy, self.talk_id, dimension)
            name = self.tanxin.policy.dimensions[dimension].name
            self.notify(f"已记入十个清楚“{name}”，注明来源为本次谈话记录。", markup=False)

    # -- sealing and amending --------------------------------------------------------------------------

    def action_seal(self) -> None:
        """Seal after a confirmation; an incomplete record lists what it lacks and is confirmed twice."""
        from notes.seal import record_gaps

        self.hand_over_typing()
        if self.autosaver is not None and not self.autosaver.flush():
            self.notify("汇总尚未保存成功，暂不能封存；请稍后再试。", severity="warning", markup=False)
            return
        self.reload()
        assert self.record is not None
        view = self._procedure_view()
        if view.missing:
            # 提醒/诫勉/函询 cannot be sealed without their 事由 (and 诫勉 its decision): ask for them first.
            self.notify("封存前请先填写：" + "、".join(view.missing) + "。", severity="warning", markup=False)
            self.app.push_screen(ProcedureDialog(view, self.tanxin.today), self._procedure_given)
            return
        gaps = record_gaps(self.record, self.points)
        if not gaps:
            plain = "封存后记录不能再修改，只能添加更正记录。保密内容随记录封存，但不进入签字稿和任何导出。"
            self.app.push_screen(ConfirmDialog("签章封存这份谈话记录？", plain, "签章封存"), self._seal_confirmed)
            return
        listed = Content("\n").join([Content.assemble(("· ", "bold"), safe(gap)) for gap in gaps])
        detail = Content.assemble(listed, "\n\n封存后不能再补充，只能添加更正记录。建议返回补全后再封存。")
        self.app.push_screen(
            ConfirmDialog("这份记录还不完整", detail, "仍要封存…", cancel_label="返回补全", cancel_first=True),
            self._incomplete_confirmed)

    def _incomplete_confirmed(self, confirmed: bool | None) -> None:
        """The first of the two answers for an incomplete record; the second is asked with the safe default."""
        if confirmed:
            detail = "这份记录不完整，封存后只能以更正记录补充。确定现在封存？"
            self.app.push_screen(ConfirmDialog("再次确认：封存不完整的记录", detail, "确认封存", cancel_label="返回",
                                               cancel_first=True), self._seal_confirmed)

    def _procedure_view(self) -> ProcedureView:
        from notes.procedure_form import procedure_view
        from prep.active import policy_facts

        return procedure_view(self.tanxin.store, self.talk_id, policy_facts(self.tanxin.store))

    def action_procedure(self) -> None:
        self.app.push_screen(ProcedureDialog(self._procedure_view(), self.tanxin.today), self._procedure_given)

    def _procedure_given(self, form: ProcedureForm | None) -> None:
        if form is not None:
            self.save_procedure(form)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-procedure")
    def save_procedure(self, form: ProcedureForm) -> None:
        from notes.errors import TanxinError
        from notes.procedure_form import apply_procedure_form

        with self.tanxin.thread_store() as store:
            try:
                apply_procedure_form(store, self.talk_id, form)
            except TanxinError as error:
                self.post_message(RecordChanged(error.message))
                return
        self.post_message(RecordChanged("程序信息已保存。"))

    def _seal_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed or self.autosaver is None:
            return
        if not self.autosaver.flush():
            self.notify("汇总尚未保存成功，暂不能封存；请稍后再试。", severity="warning", markup=False)
            return
        assert self.record is not None
        self.seal_text.update(Content.styled("正在签章封存……", "$text-muted"))
        self.seal(talk_kind(self, self.record.talk_type).rectification_required)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-seal")
    def seal(self, require_rectification: bool) -> None:
        from notes.errors import TanxinError
        from notes.seal import seal_talk

        with self.tanxin.thread_store() as store:
            try:
                info = seal_talk(store, self.talk_id, require_rectification=require_rectification)
            except TanxinError as error:
                self.post_message(RecordChanged(error.message))
                return
        self.post_message(RecordChanged(f"已签章封存（第 {info.seq} 号）。"))

    def action_amend(self) -> None:
        self.app.push_screen(AmendDialog(), self._amend_confirmed)

    def _amend_confirmed(self, request: AmendmentRequest | None) -> None:
        if request is not None:
            self.amend(request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-seal")
    def amend(self, request: AmendmentRequest) -> None:
        from notes.errors import TanxinError
        from notes.seal import amend

        with self.tanxin.thread_store() as store:
            try:
                amend(store, self.talk_id, reason=request.reason, change={"correction": request.correction})
            except TanxinError as error:
                self.post_message(RecordChanged(error.message))
                return
        self.post_message(RecordChanged("更正记录已封存，原记录保持不变。"))

    @on(RecordChanged)
    def record_changed(self, message: RecordChanged) -> None:
        self.notify(visible(message.message), markup=False)
        self.reload()

    # -- exporting -------------------------------------------------------------------------------------

    def action_export(self) -> None:
        panel = self.query_one("#export-record", ExportPanel)
        panel.scroll_visible()
        panel.request()

    @on(ExportPanel.Requested)
    def export_requested(self, message: ExportPanel.Requested) -> None:
        from notes.documents.records import render_record
        from prep.active import policy_facts

        if self.autosaver is not None:
            self.autosaver.flush()  # the summary just typed belongs in the document
        talk_id, path, internal = self.talk_id, message.path, message.panel.id == "export-internal"
        message.panel.run(
            lambda store: render_record(store, talk_id, path, facts=policy_facts(store), internal=internal), path)

    # -- leaving ---------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that make no sense for the record as it stands do nothing: before sealing they are greyed out
        (seal a held talk, amend a sealed one); once sealed, those that can never apply again leave the footer."""
        status = self.record.status if self.record is not None else ""
        allowed = {
            "seal": status == "held" and self.holding,
            "verify": status == "sealed",
            "amend": status == "sealed",
            "add_followup": status in ("in_progress", "held") and self.holding,
            "resume": status in ("planned", "in_progress", "held"),
            "procedure": status in ("in_progress", "held") and self.holding and self._asks_procedure(),
            "to_profile": status in ("held", "sealed") and bool(self.tanxin.policy.dimensions),
        }.get(action, True)
        if allowed:
            return True
        # Off the footer, not greyed: after sealing, sealing and going back to the notes are over for good; before
        # it, there is nothing to check or amend; and a type without procedure data never asks for it.
        never_here = (action in ("verify", "amend") or (action == "to_profile" and not self.tanxin.policy.dimensions)
                      or (action == "procedure" and self.record is not None and not self._asks_procedure()))
        return False if status == "sealed" or never_here else None

    def _asks_procedure(self) -> bool:
        """提醒, 诫勉 and 函询 have procedure data to give (notes/procedure.py)."""
        from notes.procedure import needs_reason
        from prep.active import policy_facts

        assert self.record is not None
        return needs_reason(policy_facts(self.tanxin.store).talk_type(self.record.talk_type), self.record.channel)

    def action_resume(self) -> None:
        app = self.tanxin
        self.dismiss()
        app.hold_talk(self.talk_id)

    def action_leave(self) -> None:
        self.dismiss()
