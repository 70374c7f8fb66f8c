"""谈话中: the live screen. A timer, the required points as a checklist that fills as notes are taken, and the
notes themselves, one small editor per entry.

Every keystroke is handed to the Autosaver (memory only); its own thread commits within a second, so typing
never waits for the disk and a crash loses at most that second. Kind, heading and 保密 go the same way. The
saved state is one quiet line: 已保存 / 保存中… / 保存失败：why.

While a talk is open nothing about anyone else may show: this screen is opaque, it blocks the app's section
keys (`blocks_navigation`), and its messages name nobody. The app's privacy key (f12) blanks everything at once.
Leaving (esc 暂离) keeps the draft and stops the talk's timer: the talk reopens on the same entry, at the same
place in it, and its time away is not counted as talk time (notes/talk_pause.py).

One editor per talk: the screen holds the talk's lease (notes/leases.py) while it is open. Opened while another
window edits the talk, it shows the notes read-only and offers to take the editing over; when another window
takes it over, it saves what it has and turns read-only. Entry writes carry the version the editor loaded, so
text typed in two places is kept twice, never written over (notes/autosave.py).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.safe import safe, visible
from tui.screens.base import TanxinScreen
from tui.screens.footer_fit import FittedFooter
from tui.screens.talk_support import (
    LeaseLost,
    SaveStateChanged,
    offer_take_over,
    save_state_content,
    shown_errors,
    start_autosaver,
    stop_autosaver,
    talk_kind,
)
from tui.widgets.entry_editor import ENTRY_CHAR_CAP, EntryEditor, EntryText
from tui.widgets.footer import TanxinFooter
from tui.widgets.plan_dialog import PlanDialog, PlanRequest
from tui.widgets.points_checklist import PointsChecklist
from tui.widgets.talk_dialogs import ChoiceDialog, ConfirmDialog, FollowupDialog, FollowupRequest
from tui.widgets.timer import TalkTimer

if TYPE_CHECKING:
    from notes.autosave import Autosaver
    from notes.leases import Holder
    from notes.model import Entry, TalkRecord
    from notes.talk_pause import TalkTime

# Actions that write the record: greyed out while the talk is read-only here.
WRITING_ACTIONS = frozenset({"new_entry", "next_kind", "choose_heading", "toggle_confidential", "to_followup",
                             "save_now", "finish"})
# The follow-up an entry most likely becomes, by its kind (the interviewer can pick another).
FOLLOWUP_KIND_FOR_ENTRY = {"发现问题": "整改", "困难诉求": "帮扶", "意见建议": "转有关部门"}
DRAFT_SAVE_SECONDS = 1.0


def draft_position(editor: EntryEditor, text: EntryText) -> dict[str, Any]:
    """Where the interviewer is: the entry and the cursor in it (what `draft_state` keeps)."""
    row, column = text.cursor_location
    return {"entry_id": editor.entry_id, "row": row, "column": column}


class LiveScreen(FittedFooter, TanxinScreen[None]):
    """谈话中: notes as they are taken, saved as they are typed."""

    TITLE = "谈话中"
    blocks_navigation: ClassVar[bool] = True
    # Below 110 columns: still working, and listed in f1 帮助, but out of the footer, so ^q 退出 and f1 帮助 fit.
    NARROW_FOOTER_HIDES = frozenset({"live.kind", "live.followup"})
    DEFAULT_CSS = """
    LiveScreen { layout: vertical; }
    LiveScreen #live-top { height: 1; background: $panel; padding: 0 1; }
    LiveScreen #live-title { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    LiveScreen #live-timer { width: 12; margin-left: 1; }
    LiveScreen #save-state { width: 20; margin-left: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    LiveScreen #live-body { height: 1fr; }
    LiveScreen #points-scroll { width: 30%; min-width: 24; max-width: 40; border-right: solid $primary-darken-2; padding: 0 1; }
    LiveScreen #entries { width: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new_entry", "新条目", id="live.new_entry", tooltip="在后面新建一条记录（沿用当前要点）"),
        Binding("ctrl+t", "next_kind", "类别", id="live.kind",
                tooltip="切换本条类别：事实情况→本人表态→困难诉求→意见建议→发现问题→谈话人要求"),
        Binding("ctrl+r", "choose_heading", "要点", id="live.heading", tooltip="选择本条所属的必谈要点或谈思想/谈履职/谈作风/谈生活"),
        # f6 too: ctrl+b is tmux's prefix key, which a user working inside tmux cannot send.
        Binding("ctrl+b,f6", "toggle_confidential", "保密", id="live.confidential",
                tooltip="标记/取消保密（ctrl+b 或 f6）：保密内容不进入签字稿、台账和任何导出"),
        Binding("ctrl+g", "to_followup", "转跟踪", id="live.followup", tooltip="把本条转为跟踪事项（整改须有期限）"),
        Binding("ctrl+s", "save_now", "保存", id="live.save", show=False, tooltip="立即保存（平时输入后一秒内自动保存）"),
        Binding("f8", "finish", "结束谈话", id="live.finish", tooltip="结束谈话，进入谈后汇总与封存"),
        Binding("escape", "leave", "暂离", id="live.leave",
                tooltip="离开本屏，谈话保持进行中，计时暂停；再次打开时回到原处，接着计时"),
    ]

    def __init__(self, talk_id: int, *, confirm_plan: bool = False) -> None:
        """`confirm_plan`: a planned talk shows its plan (time, place, 谈话人, 记录人), editable, and starts only
        when it is confirmed; without it a planned talk starts at once (a talk started from the wizard's plan)."""
        super().__init__()
        self.talk_id = talk_id
        self.confirm_plan = confirm_plan
        self.awaiting_plan = False  # planned, shown with its plan: nothing is written until it is confirmed
        self.autosaver: Autosaver | None = None
        self.points: list[str] = []
        self.headings: list[str] = []
        self.record: TalkRecord | None = None
        self.time: TalkTime | None = None  # the talk's times as opened: what the timer counts from
        self._draft_saved: dict[str, Any] = {}
        self.holding = False  # this window holds the talk's lease: it may write
        self.holder: Holder | None = None  # who edits the talk elsewhere, when this window may not
        self._versions: dict[int, int] = {}

    @property
    def checklist(self) -> PointsChecklist:
        return self.query_one(PointsChecklist)

    # -- opening ---------------------------------------------------------------------------------------

    def _open_talk(self) -> TalkRecord | None:
        """Take the talk's lease and start a planned talk, or come back to one stepped away from; a talk that
        can no longer be written goes to review instead. Without the lease (another window edits the talk) it
        is shown read-only."""
        from notes.errors import TanxinError
        from notes.talks import entry_versions, get_talk, start_talk, talk_time

        store = self.tanxin.store
        record = get_talk(store, self.talk_id)
        if record.status not in ("planned", "in_progress", "held"):
            return None
        try:
            self.holder = self.tanxin.leases.take(store, self.talk_id)
        except TanxinError as error:  # a full disk: the notes can be read, not written
            self.notify(visible(error.message), title="只读打开", severity="error", timeout=10, markup=False)
            return record
        self.holding = self.holder is None
        self.time = talk_time(store, self.talk_id)
        if not self.holding:
            return record
        if record.status == "planned" and self.confirm_plan:
            self.awaiting_plan = True
            return record
        if record.status == "planned":
            with shown_errors(self):
                start_talk(store, self.talk_id)
            record = get_talk(store, self.talk_id)
        if record.status == "in_progress":
            self._come_back()
        self._versions = entry_versions(store, self.talk_id)
        return record

    def _come_back(self) -> None:
        """Back from 暂离: the time away is closed, and the timer counts on from where it stood."""
        from notes.talk_pause import away_note
        from notes.talks import come_back, talk_time

        store = self.tanxin.store
        with shown_errors(self):
            note = away_note(come_back(store, self.talk_id))
            if note:
                self.notify(f"{note}，不计入谈话用时。", markup=False)
        self.time = talk_time(store, self.talk_id)

    def _reread_time(self) -> TalkTime:
        from notes.talks import talk_time

        return talk_time(self.tanxin.store, self.talk_id)

    def compose(self) -> ComposeResult:
        from notes.vocabulary import GENERAL_HEADINGS

        record = self._open_talk()
        self.record = record
        with Horizontal(id="live-top"):
            yield Static("", id="live-title")
            if record is not None and self.time is not None and self.time.started_at is not None:
                yield TalkTimer(self.tanxin.clock, self.time, self._reread_time, following=not self.holding,
                                id="live-timer")
            yield Static(Content.styled("已保存", "$text-success"), id="save-state")
        with Horizontal(id="live-body"):
            with VerticalScroll(id="points-scroll"):
                yield PointsChecklist(id="points")
            with VerticalScroll(id="entries"):
                if record is not None:
                    self.points = talk_kind(self, record.talk_type).points
                    general = [h.name for h in self.tanxin.policy.headings] or list(GENERAL_HEADINGS)
                    self.headings = self.points + [h for h in general if h not in self.points]
                    followed = {f.entry_id for f in record.followups if f.entry_id is not None}
                    for number, entry in enumerate(record.entries, start=1):
                        yield EntryEditor(entry, number, has_followup=entry.id in followed,
                                          read_only=not self.holding)
        yield TanxinFooter()

    def on_mount(self) -> None:
        record = self.record
        if record is None:
            self.notify("这次谈话已封存或已取消，不能再记录；已转到谈后页面。", markup=False)
            self.app.call_later(self._go_to_review)
            return
        self.show_title()
        self.refresh_points()
        if self.awaiting_plan:
            self.app.push_screen(PlanDialog(record), self._plan_confirmed)
            return
        if not self.holding:
            self._restore_draft()
            if self.holder is not None:
                offer_take_over(self, self.holder, self.talk_id, self.tanxin.hold_talk)
            return
        self.autosaver = start_autosaver(self, self.hand_over_typing)
        self.autosaver.track_entries(self._versions)
        if not record.entries:
            self._add_entry(self.points[0] if self.points else "")
        self._restore_draft()
        self.set_interval(DRAFT_SAVE_SECONDS, self.save_draft_position)

    def _plan_confirmed(self, plan: PlanRequest | None) -> None:
        """The plan as confirmed, then the talk starts (opened again, now in progress); 返回 leaves it planned."""
        from notes.talk_plan import revise_plan
        from notes.talks import get_talk, start_talk

        app = self.tanxin
        if plan is None:
            self.dismiss()
            return
        with shown_errors(self):
            revise_plan(app.store, self.talk_id, planned_at=plan.planned_at, place=plan.place,
                        interviewers=plan.interviewers, note_taker=plan.note_taker)
            start_talk(app.store, self.talk_id)
            self.dismiss()
            app.hold_talk(self.talk_id)
            return
        # refused (a recorder who is the interviewee, an unreadable time): the plan again, with the message
        self.app.push_screen(PlanDialog(get_talk(app.store, self.talk_id)), self._plan_confirmed)

    def show_title(self) -> None:
        record = self.record
        assert record is not None
        read_only = () if self.holding else (("  只读", "bold $text-warning"),)
        self.query_one("#live-title", Static).update(Content.assemble(
            safe(talk_kind(self, record.talk_type).name, "bold"), (" · ", "bold"), safe(record.person),
            (f"  {record.code}", "dim"), *read_only,
        ))

    @on(LeaseLost)
    def lease_lost(self, _message: LeaseLost) -> None:
        """Another window took the editing over: save what this one has, then read only."""
        self.hand_over_typing()
        if self.autosaver is not None:
            self.save_draft_position()
            stop_autosaver(self, self.autosaver)
            self._show_moved()
            self.autosaver = None
        self.holding = False
        for timer in self.query(TalkTimer):
            timer.following = True  # the new editor may step away or end the talk: this timer follows
        for editor in self.query(EntryEditor):
            if editor.editor is not None:
                editor.editor.read_only = True
        self.show_title()
        self.refresh_bindings()
        self.notify("另一窗口接管了这次谈话的编辑；本窗口已保存已写的内容，转为只读。", severity="warning",
                    timeout=15, markup=False)

    def hand_over_typing(self) -> None:
        """Give the autosaver every editor's text it has not had yet (keys whose Changed event is still on
        its way when the app quits or the lease goes)."""
        if self.autosaver is None:
            return
        for editor in self.query(EntryEditor):
            text = editor.editor
            if text is not None and not text.read_only and text.text != editor.handed:
                editor.handed = text.text
                self.autosaver.update_entry_text(editor.entry_id, text.text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Writing keys do nothing (greyed out) while the talk is read-only in this window."""
        return None if action in WRITING_ACTIONS and not self.holding else True

    def _restore_draft(self) -> None:
        """Back to the entry and the place in it where the interviewer was."""
        from notes.talks import draft_state

        state = draft_state(self.tanxin.store, self.talk_id)
        editors = list(self.query(EntryEditor))
        if not editors:  # a planned talk shown read-only
            return
        target = next((e for e in editors if e.entry_id == state.get("entry_id")), None) or editors[-1]
        text = target.editor
        if text is None:
            return
        text.focus()
        row, column = state.get("row"), state.get("column")
        if isinstance(row, int) and isinstance(column, int) and target.entry_id == state.get("entry_id"):
            text.move_cursor(text.clamp_visitable((row, column)))
        else:
            text.move_cursor(text.document.end)
        self._draft_saved = draft_position(target, text)  # only a move from here is worth saving
        self.call_after_refresh(target.scroll_visible, animate=False)

    def on_unmount(self) -> None:
        if self.autosaver is not None:
            self.hand_over_typing()
            self.save_draft_position()
            stop_autosaver(self, self.autosaver)
        if self.holding:
            self.tanxin.leases.drop(self.tanxin.store, self.talk_id)

    # -- the saved state -------------------------------------------------------------------------------

    @on(SaveStateChanged)
    def show_save_state(self, message: SaveStateChanged) -> None:
        # A fixed width and no layout pass: the indicator changes with every pause in typing.
        indicator = self.query_one("#save-state", Static)
        indicator.update(save_state_content(message.state), layout=False)
        indicator.tooltip = visible(message.state.message) if message.state.status == "error" else None
        self._show_moved()

    def _show_moved(self) -> None:
        """Entries another window changed while this one typed: this window's text now lives in a new entry."""
        if self.autosaver is None:
            return
        moved = self.autosaver.take_moved()
        if not moved:
            return
        for editor in self.query(EntryEditor):
            if editor.entry_id in moved:
                editor.entry_id = moved[editor.entry_id]
        self.notify(f"有 {len(moved)} 条记录已在另一窗口中修改。本窗口的文字已另存为新的条目，两份都保留在记录中，"
                    "请在谈后核对合并。", severity="warning", timeout=15, markup=False)

    def action_save_now(self) -> None:
        if self.autosaver is not None and self.autosaver.flush():
            self.notify("已保存。", markup=False)

    def save_draft_position(self) -> None:
        editor = self.current_editor()
        if editor is None or editor.editor is None or self.autosaver is None:
            return
        state = draft_position(editor, editor.editor)
        if state != self._draft_saved:
            self._draft_saved = state
            self.autosaver.save_draft_state(self.talk_id, state)

    # -- typing ----------------------------------------------------------------------------------------

    @on(EntryText.Changed)
    def text_changed(self, event: EntryText.Changed) -> None:
        editor = event.text_area.parent
        if not isinstance(editor, EntryEditor) or self.autosaver is None:
            return
        text = event.text_area.text
        if len(text) > ENTRY_CHAR_CAP:
            self._move_overflow(editor, text)
            return
        editor.handed = text
        self.autosaver.update_entry_text(editor.entry_id, text)
        empty = not text.strip()
        if empty != editor.empty:
            editor.empty = empty
            self.refresh_points()

    def _move_overflow(self, editor: EntryEditor, text: str) -> None:
        """An entry over the cap keeps its first part; the rest continues in a new entry (at the end of the
        record, with the same heading, kind and 保密 mark), so nothing pasted is lost and no editor grows huge."""
        assert self.autosaver is not None and editor.editor is not None
        kept, rest = text[:ENTRY_CHAR_CAP], text[ENTRY_CHAR_CAP:]
        editor.editor.load_text(kept)
        editor.handed = kept
        self.autosaver.update_entry_text(editor.entry_id, kept)
        self._add_entry(editor.heading, kind=editor.kind, text=rest, confidential=editor.confidential)
        self.notify(f"一条记录最多 {ENTRY_CHAR_CAP} 字，超出部分已接续到新的一条。", markup=False)

    def current_editor(self) -> EntryEditor | None:
        """The entry being written: the one holding the focus, else the last one."""
        focused = self.focused
        for node in [focused, *focused.ancestors] if focused is not None else []:
            if isinstance(node, EntryEditor):
                return node
        editors = list(self.query(EntryEditor))
        return editors[-1] if editors else None

    def refresh_points(self) -> None:
        counts = Counter(e.heading for e in self.query(EntryEditor) if not e.empty)
        self.checklist.show(self.points, counts)

    # -- entries ---------------------------------------------------------------------------------------

    def _add_entry(self, heading: str, *, kind: str = "事实情况", text: str = "", confidential: bool = False) -> None:
        from notes.talks import add_entry, get_entry

        store = self.tanxin.store
        with shown_errors(self):
            entry_id = add_entry(store, self.talk_id, text=text, heading=heading, kind=kind, confidential=confidential)
            _, entry = get_entry(store, entry_id)
            if self.autosaver is not None:
                self.autosaver.track_entries({entry_id: 0})
            self._mount_entry(entry)

    def _mount_entry(self, entry: Entry) -> None:
        editor = EntryEditor(entry, len(self.query(EntryEditor)) + 1)
        self.query_one("#entries", VerticalScroll).mount(editor)

        def focus_new() -> None:
            if editor.editor is not None:
                editor.editor.focus()
                editor.editor.move_cursor(editor.editor.document.end)
            editor.scroll_visible(animate=False)
            self.refresh_points()

        self.call_after_refresh(focus_new)

    def action_new_entry(self) -> None:
        current = self.current_editor()
        self._add_entry(current.heading if current else (self.points[0] if self.points else ""))

    def action_next_kind(self) -> None:
        from notes.vocabulary import ENTRY_KINDS

        editor = self.current_editor()
        if editor is None or self.autosaver is None or editor.too_long:
            return
        editor.kind = ENTRY_KINDS[(ENTRY_KINDS.index(editor.kind) + 1) % len(ENTRY_KINDS)]
        self.autosaver.update_entry(editor.entry_id, kind=editor.kind)
        editor.refresh_header()

    def action_choose_heading(self) -> None:
        editor = self.current_editor()
        if editor is None or editor.too_long:
            return
        choices = [(heading, heading) for heading in self.headings]
        choices.append(("", "（不设要点）"))
        self.app.push_screen(ChoiceDialog("本条属于哪个要点", choices, editor.heading),
                             lambda heading: self._set_heading(editor, heading))

    def _set_heading(self, editor: EntryEditor, heading: str | None) -> None:
        if heading is not None and self.autosaver is not None:
            editor.heading = heading
            self.autosaver.update_entry(editor.entry_id, heading=heading)
            editor.refresh_header()
            self.refresh_points()
        if editor.editor is not None:
            editor.editor.focus()

    def action_toggle_confidential(self) -> None:
        editor = self.current_editor()
        if editor is None or self.autosaver is None or editor.too_long:
            return
        editor.confidential = not editor.confidential
        self.autosaver.update_entry(editor.entry_id, confidential=editor.confidential)
        editor.refresh_header()

    def action_to_followup(self) -> None:
        from notes.vocabulary import FOLLOWUP_KINDS

        editor = self.current_editor()
        if editor is None or self.autosaver is None:
            return
        if editor.empty:
            self.notify("本条还没有内容，先记下要跟踪的事项再转跟踪。", markup=False)
            return
        text = "" if editor.confidential or editor.editor is None else editor.editor.text.strip()
        preview = "（保密内容，不作为事项标题）" if editor.confidential else (text.splitlines() or [""])[0]
        record = self.record
        owner = record.interviewers[0].id if record is not None and record.interviewers else None
        dialog = FollowupDialog(FOLLOWUP_KINDS, self.tanxin.today, preview,
                                FOLLOWUP_KIND_FOR_ENTRY.get(editor.kind, "整改"), owner_id=owner, due_hint=text)
        self.app.push_screen(dialog, lambda request: self._create_followup(editor, request))

    def _create_followup(self, editor: EntryEditor, request: FollowupRequest | None) -> None:
        from notes.followups import followup_from_entry

        if editor.editor is not None:
            editor.editor.focus()
        if request is None or self.autosaver is None:
            return
        if not self.autosaver.flush():  # the follow-up's title is taken from the saved text
            self.notify("记录尚未保存成功，暂不能转跟踪；请稍后再试。", severity="warning", markup=False)
            return
        with shown_errors(self):
            followup_from_entry(self.tanxin.store, editor.entry_id, kind=request.kind, due_on=request.due_on,
                                owner_id=request.owner_id)
            editor.has_followup = True
            editor.refresh_header()
            self.notify(f"已转为{request.kind}事项。", markup=False)

    # -- leaving ---------------------------------------------------------------------------------------

    def action_leave(self) -> None:
        """暂离: the talk stays in progress and its timer stops until the talk is opened again. The status is
        read again: the talk may have been ended elsewhere (`tanxin talk end` once this window's lease lapsed)
        since this screen opened it, and leaving it then is just leaving."""
        from notes.talks import step_away, talk_row
        from notes.vocabulary import STATUS_LABELS

        record = self.record
        if self.holding and record is not None and record.status == "in_progress":
            with shown_errors(self):
                status = talk_row(self.tanxin.store, self.talk_id)["status"]
                if status == "in_progress":
                    step_away(self.tanxin.store, self.talk_id, token=self.tanxin.leases.token)
                else:
                    self.notify(f"这次谈话已在别处结束（现为“{STATUS_LABELS[status]}”），不再计时。", markup=False)
        self.dismiss()

    def action_finish(self) -> None:
        record = self.record
        if record is None:
            return
        if record.status == "held":
            self._go_to_review()
            return
        covered = sum(1 for n in self.checklist.counts.values() if n)
        detail = f"必谈要点已记录 {covered}/{len(self.points)} 项。结束后进入谈后汇总，记录仍可修改，封存后不能再改。"
        self.app.push_screen(ConfirmDialog("结束这次谈话？", detail, "结束谈话"), self._finish_confirmed)

    def _finish_confirmed(self, confirmed: bool | None) -> None:
        from notes.talks import delete_entry, finish_talk

        if not confirmed or self.autosaver is None:
            return
        if not self.autosaver.flush():
            self.notify("记录尚未保存成功，暂不能结束；请稍后再试。", severity="warning", markup=False)
            return
        store = self.tanxin.store
        with shown_errors(self):
            for editor in self.query(EntryEditor):
                if editor.empty and not editor.too_long:
                    delete_entry(store, editor.entry_id)
            finish_talk(store, self.talk_id)
            self._go_to_review()

    def _go_to_review(self) -> None:
        app = self.tanxin
        self.dismiss()
        app.review_talk(self.talk_id)
