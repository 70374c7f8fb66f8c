"""谈前准备: a wizard that walks the interviewer through preparing one talk, step by step.

对象与类型 (or start from a due item on 工作台) → 未结跟踪 from earlier talks ("谈话热、整改冷": first) → 档案与缺口
(十个清楚) → 要点与问题 → 原则与方法 → 谈话安排 (time, place, form, channel, who) → 提纲, exportable as DOCX and
Markdown. Finishing creates the planned talk and offers to start it at once.

The brief (prep/brief.py) is built in a thread worker when the first step is done; the later steps show its
parts, and what the interviewer changes (the method, the plan) goes into the brief that is exported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Footer, Header, OptionList, Select, Static
from textual.widgets.option_list import Option

from tui.messages import forward_worker_failure
from tui.safe import safe
from tui.screens.talk_support import export_dir, file_safe, shown_errors, tanxin_app
from tui.widgets.brief_view import (
    approach_lines,
    brief_content,
    followup_lines,
    plan_notes,
    points_lines,
    profile_lines,
)
from tui.widgets.export_panel import ExportPanel
from tui.widgets.person_picker import PersonPicker, person_line
from tui.widgets.safe_input import SafeInput
from tui.widgets.talk_dialogs import ConfirmDialog

if TYPE_CHECKING:
    from prep.brief import Brief
    from prep.due import DueItem
    from prep.packs import Policy
    from tui.app import TanxinApp
    from tui.screens.people import Roster

STEPS = (
    ("step-person", "对象与类型"),
    ("step-followups", "未结跟踪"),
    ("step-profile", "档案与缺口"),
    ("step-points", "要点与问题"),
    ("step-approach", "原则与方法"),
    ("step-plan", "谈话安排"),
    ("step-brief", "提纲"),
)


@dataclass
class RosterReady(Message):
    roster: Roster
    last_interviewer: int | None


@dataclass
class DueReady(Message):
    """What is due with the chosen person (this decides the suggested type and the talk's event)."""

    person_id: int
    items: list[DueItem]


@dataclass
class BriefReady(Message):
    brief: Brief


class PrepareScreen(Screen[None]):
    """谈前准备: seven steps from the person to the brief; finishing creates the planned talk."""

    TITLE = "谈前准备"
    DEFAULT_CSS = """
    PrepareScreen #prepare-steps { height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    PrepareScreen ContentSwitcher { height: 1fr; }
    PrepareScreen ContentSwitcher > VerticalScroll { padding: 0 1; }
    PrepareScreen .step-heading { text-style: bold; color: $text-primary; margin-top: 1; }
    PrepareScreen #talk-types, PrepareScreen #methods { height: auto; max-height: 12; }
    PrepareScreen .step-text { height: auto; }
    PrepareScreen .field { height: 1; margin-bottom: 1; }
    PrepareScreen .field-label { width: 6; text-style: bold; }
    PrepareScreen .field SafeInput, PrepareScreen .field Select { width: 1fr; }
    PrepareScreen #prepare-buttons { height: 1; align-horizontal: right; padding: 0 1; }
    PrepareScreen #prepare-buttons Button { margin-left: 2; min-width: 8; }
    PrepareScreen #prepare-message { height: auto; padding: 0 1; color: $text-warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "next_step", "下一步", id="prepare.next", tooltip="进入下一步（第一步完成时生成谈话提纲）"),
        Binding("f7", "previous_step", "上一步", id="prepare.previous", tooltip="回到上一步"),
        Binding("ctrl+s", "finish", "完成", id="prepare.finish", tooltip="按当前安排建立谈话计划，可随即开始谈话"),
        Binding("escape", "leave", "返回", id="prepare.leave", tooltip="放弃准备，返回上一页"),
    ]
    # Textual tells only the screen that started a worker; the app reports every failure in one place.
    on_worker_state_changed = forward_worker_failure

    def __init__(self, person_id: int | None = None, talk_type: str | None = None,
                 due_item_id: str | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.talk_type = talk_type
        self.due_item_id = due_item_id
        self.step = 0
        self.roster: Roster | None = None
        self.due_items: list[DueItem] = []
        self.brief: Brief | None = None
        self.brief_key: tuple[int, str] | None = None  # (person, type) the brief was built for
        self.method_id: str | None = None

    @property
    def tanxin(self) -> TanxinApp:
        return tanxin_app(self)

    # -- layout ----------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="prepare-steps")
        with ContentSwitcher(initial=STEPS[0][0]):
            with VerticalScroll(id="step-person"):
                yield PersonPicker("谈话对象", id="interviewee")
                yield Static("谈话类型", classes="step-heading")
                yield OptionList(id="talk-types")
            with VerticalScroll(id="step-followups"):
                yield Static("", id="followups-text", classes="step-text")
            with VerticalScroll(id="step-profile"):
                yield Static("", id="profile-text", classes="step-text")
            with VerticalScroll(id="step-points"):
                yield Static("", id="points-text", classes="step-text")
            with VerticalScroll(id="step-approach"):
                yield Static("谈话方式（已按对象情况推荐，可另选）", classes="step-heading")
                yield Static("", id="method-reason", classes="step-text")
                yield OptionList(id="methods")
                yield Static("原则与注意事项", classes="step-heading")
                yield Static("", id="approach-text", classes="step-text")
            with VerticalScroll(id="step-plan"):
                yield Static("", id="plan-notes", classes="step-text")
                with Horizontal(classes="field"):
                    yield Static("时间", classes="field-label")
                    yield SafeInput("", placeholder="2026-03-12 09:30（可只填日期）", id="planned-at", max_length=20,
                                    compact=True)
                with Horizontal(classes="field"):
                    yield Static("地点", classes="field-label")
                    yield SafeInput("", placeholder="选不受打扰、便于保密的场所", id="place", max_length=200, compact=True)
                with Horizontal(classes="field"):
                    yield Static("形式", classes="field-label")
                    yield Select([("个别", "个别")], value="个别", allow_blank=False, id="form", compact=True)
                with Horizontal(classes="field"):
                    yield Static("方式", classes="field-label")
                    yield Select([("面对面", "面对面")], value="面对面", allow_blank=False, id="channel", compact=True)
                with Horizontal(classes="field"):
                    yield Static("事由", classes="field-label")
                    yield SafeInput("", id="subject", max_length=500, compact=True)
                yield PersonPicker("谈话人", id="interviewer")
                yield PersonPicker("记录人", id="note-taker", optional=True)
            with VerticalScroll(id="step-brief"):
                yield Static("", id="brief-text", classes="step-text")
                yield ExportPanel("导出谈话提纲（DOCX，可打印）", export_dir() / "谈话提纲.docx", id="export-brief-docx")
                yield ExportPanel("导出谈话提纲（Markdown）", export_dir() / "谈话提纲.md", id="export-brief-md")
        yield Static("", id="prepare-message")
        with Horizontal(id="prepare-buttons"):
            yield Button("上一步", id="previous", compact=True)
            yield Button("下一步", variant="primary", id="next", compact=True)
            yield Button("完成", variant="success", id="finish", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.show_step()
        self.fill_talk_types()
        self.load_roster()
        if self.person_id is not None:
            self.load_due(self.person_id)
        self.query_one("#interviewee .picker-search", SafeInput).focus()

    # -- step 1: person and type -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="prepare-roster")
    def load_roster(self) -> None:
        from notes.talk_queries import latest_interviewer
        from tui.screens.people import load_roster

        with self.tanxin.thread_store() as store:
            roster = load_roster(store)
            last = latest_interviewer(store)
        self.post_message(RosterReady(roster, last))

    @on(RosterReady)
    def roster_ready(self, message: RosterReady) -> None:
        self.roster = message.roster
        for picker in self.query(PersonPicker):
            picker.set_people(message.roster.index, message.roster.people)
        if self.person_id is not None:
            self.query_one("#interviewee", PersonPicker).choose(self.person_id)
        interviewer = self.query_one("#interviewer", PersonPicker)
        if interviewer.chosen is None and message.last_interviewer is not None:
            interviewer.choose(message.last_interviewer)

    @on(PersonPicker.Chosen, "#interviewee")
    def interviewee_chosen(self, message: PersonPicker.Chosen) -> None:
        if message.person_id is not None and message.person_id != self.person_id:
            self.person_id = message.person_id
            self.due_item_id = None
            self.load_due(message.person_id)
        if message.person_id is not None:
            self.query_one("#talk-types", OptionList).focus()

    def load_due(self, person_id: int) -> None:
        # The policy is read here, on the main thread: loading it reads the main thread's connection.
        self.find_due(person_id, self.tanxin.policy, self.tanxin.today)

    @work(thread=True, exclusive=True, exit_on_error=False, group="prepare-due")
    def find_due(self, person_id: int, policy: Policy, today: date) -> None:
        from prep.due import due_report

        with self.tanxin.thread_store() as store:
            items = list(due_report(store, policy, today, person_id=person_id).items)
        self.post_message(DueReady(person_id, [i for i in items if i.person_id == person_id]))

    @on(DueReady)
    def due_ready(self, message: DueReady) -> None:
        if message.person_id != self.person_id:
            return
        self.due_items = message.items
        due = self.due_item()
        if due is not None and due.type in self.tanxin.policy.talk_types:
            self.talk_type = due.type
        elif self.talk_type is None:
            self.talk_type = next((i.type for i in message.items if i.type in self.tanxin.policy.talk_types), None)
        self.fill_talk_types()

    def due_item(self) -> DueItem | None:
        """The due item the preparation started from (or the first due talk of the chosen type)."""
        if self.due_item_id is not None:
            found = next((i for i in self.due_items if i.id == self.due_item_id), None)
            if found is not None:
                return found
        return next((i for i in self.due_items if i.type == self.talk_type), None)

    def fill_talk_types(self) -> None:
        options = self.query_one("#talk-types", OptionList)
        policy = self.tanxin.policy
        due_by_type = {i.type: i for i in reversed(self.due_items)}
        # Types due with this person first (most urgent first), then the rest in the packs' order.
        ids = [i.type for i in self.due_items if i.type in policy.talk_types]
        ids = list(dict.fromkeys(ids + list(policy.talk_types)))
        prompts: list[Option] = []
        for type_id in ids:
            kind = policy.talk_types[type_id]
            parts = [Content.styled(kind.name, "bold"), Content.styled(f"  {kind.category}", "dim")]
            item = due_by_type.get(type_id)
            if item is not None:
                late = f"，已逾期 {item.days_overdue} 天" if item.overdue else ""
                parts.append(Content.styled(f"  应谈：{item.due_by or '无期限'}前{late}",
                                            "$text-error" if item.overdue else "$text-warning"))
            prompts.append(Option(Content.assemble(*parts), id=f"type-{type_id}"))
        options.set_options(prompts)
        chosen = next((t for t in ids if self.talk_type in (t, policy.talk_types[t].name)), None)
        if chosen is not None:
            options.highlighted = ids.index(chosen)

    @on(OptionList.OptionHighlighted, "#talk-types")
    def type_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.talk_type = event.option.id.removeprefix("type-")

    @on(OptionList.OptionSelected, "#talk-types")
    def type_selected(self) -> None:
        self.action_next_step()

    # -- moving between steps --------------------------------------------------------------------------

    def show_step(self) -> None:
        dots = "".join("●" if i <= self.step else "○" for i in range(len(STEPS)))
        about: list[Content] = []
        if self.brief is not None and self.step > 0:
            about = [Content.styled("  ", ""), safe(self.brief.person.name, "bold"),
                     Content.styled(f" · {self.brief.type_name}", "")]
        self.query_one("#prepare-steps", Static).update(Content.assemble(
            (f"{dots} 第 {self.step + 1}/{len(STEPS)} 步：{STEPS[self.step][1]}", "bold"), *about,
        ))
        self.query_one(ContentSwitcher).current = STEPS[self.step][0]
        self.query_one("#previous", Button).disabled = self.step == 0
        self.query_one("#next", Button).disabled = self.step == len(STEPS) - 1
        self.query_one("#finish", Button).disabled = self.brief is None
        if self.step == len(STEPS) - 1:
            self.show_brief()
        self.refresh_bindings()

    def say(self, text: str) -> None:
        self.query_one("#prepare-message", Static).update(safe(text))

    @on(Button.Pressed, "#next")
    def action_next_step(self) -> None:
        if self.step == 0:
            self.start_brief()
            return
        if self.step == 5 and not self.check_plan():
            return
        if self.step < len(STEPS) - 1:
            self.step += 1
            self.show_step()

    @on(Button.Pressed, "#previous")
    def action_previous_step(self) -> None:
        if self.step > 0:
            self.step -= 1
            self.say("")
            self.show_step()

    def start_brief(self) -> None:
        if self.person_id is None:
            self.say("请先选择谈话对象。")
            self.query_one("#interviewee .picker-search", SafeInput).focus()
            return
        if self.talk_type is None:
            self.say("请选择谈话类型。")
            return
        if self.brief is not None and self.brief_key == (self.person_id, self.talk_type):
            self.step = 1
            self.show_step()
            return
        self.say("正在生成谈话提纲……")
        self.build(self.person_id, self.talk_type, self.tanxin.policy, self.tanxin.today)

    @work(thread=True, exclusive=True, exit_on_error=False, group="prepare-brief")
    def build(self, person_id: int, talk_type: str, policy: Policy, today: date) -> None:
        from prep.brief import build_brief

        with self.tanxin.thread_store() as store:
            brief = build_brief(store, policy, person_id, talk_type, today)
        self.post_message(BriefReady(brief))

    @on(BriefReady)
    def brief_ready(self, message: BriefReady) -> None:
        brief = self.brief = message.brief
        self.brief_key = (brief.person.id, brief.talk_type)
        self.say("")
        self.query_one("#followups-text", Static).update(followup_lines(brief))
        self.query_one("#profile-text", Static).update(profile_lines(brief))
        self.query_one("#points-text", Static).update(points_lines(brief))
        self.query_one("#approach-text", Static).update(approach_lines(brief))
        self.fill_methods(brief)
        self.fill_plan(brief)
        code = file_safe(f"{brief.person.name}{brief.type_name}")
        self.query_one("#export-brief-docx", ExportPanel).set_path(export_dir() / f"谈话提纲_{code}.docx")
        self.query_one("#export-brief-md", ExportPanel).set_path(export_dir() / f"谈话提纲_{code}.md")
        self.step = 1
        self.show_step()

    # -- step 5: the method ----------------------------------------------------------------------------

    def fill_methods(self, brief: Brief) -> None:
        methods = self.tanxin.policy.methods
        options = self.query_one("#methods", OptionList)
        options.set_options([
            Option(Content.assemble((m.name, "bold"), "  ", safe(m.description, "dim")), id=f"method-{m.id}")
            for m in methods.values()
        ])
        self.method_id = brief.method.id if brief.method else None
        if self.method_id in methods:
            options.highlighted = list(methods).index(self.method_id)
        reason = brief.method.reason if brief.method else "政策包没有列出谈话方式。"
        self.query_one("#method-reason", Static).update(Content.assemble(("推荐理由：", "bold"), safe(reason)))

    @on(OptionList.OptionHighlighted, "#methods")
    def method_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.method_id = event.option.id.removeprefix("method-")

    # -- step 6: the plan ------------------------------------------------------------------------------

    def fill_plan(self, brief: Brief) -> None:
        plan = brief.plan
        kind = self.tanxin.policy.talk_type(brief.talk_type)
        self.query_one("#planned-at", SafeInput).value = plan.planned_at.replace("T", " ")[:16]
        self.query_one("#place", SafeInput).value = plan.place
        self.query_one("#subject", SafeInput).value = f"{brief.person.name}同志{brief.type_name}"
        form = self.query_one("#form", Select)
        form.set_options([(f, f) for f in (kind.forms or ("个别",))])
        form.value = plan.form if plan.form in (kind.forms or ("个别",)) else (kind.forms or ("个别",))[0]
        channel = self.query_one("#channel", Select)
        channels = kind.channels or ("面对面",)
        channel.set_options([(c, c) for c in channels])
        channel.value = plan.channel if plan.channel in channels else channels[0]
        self.query_one("#plan-notes", Static).update(plan_notes(brief))
        due = self.due_item()
        if due is not None and due.interviewer_ids:
            self.query_one("#interviewer", PersonPicker).choose(due.interviewer_ids[0])

    def planned_at(self) -> str | None:
        """The time typed in the plan, as the record stores it; None when left empty."""
        text = self.query_one("#planned-at", SafeInput).value.strip()
        if not text:
            return None
        moment = datetime.fromisoformat(text.replace(" ", "T")) if len(text) > 10 else None
        return moment.isoformat() if moment else datetime.fromisoformat(text).date().isoformat()

    def check_plan(self) -> bool:
        try:
            self.planned_at()
        except ValueError:
            self.say("时间格式不对，应写作 2026-03-12 09:30 或 2026-03-12。")
            self.query_one("#planned-at", SafeInput).focus()
            return False
        interviewer = self.query_one("#interviewer", PersonPicker).chosen
        if interviewer is None:
            self.say("请选择谈话人。")
            return False
        if interviewer == self.person_id:
            self.say("谈话人和谈话对象不能是同一个人。")
            return False
        self.say("")
        return True

    def current_brief(self) -> Brief:
        """The brief with what was decided in the wizard: the chosen method and the plan."""
        from prep.brief import MethodChoice

        brief = self.brief
        assert brief is not None
        method = brief.method
        chosen = self.tanxin.policy.methods.get(self.method_id or "")
        if chosen is not None and (method is None or chosen.id != method.id):
            method = MethodChoice(chosen.id, chosen.name, chosen.description, "谈话人选定", chosen.source)
        try:
            planned_at = self.planned_at() or ""
        except ValueError:
            planned_at = brief.plan.planned_at
        plan = replace(
            brief.plan,
            planned_at=planned_at,
            place=self.query_one("#place", SafeInput).value.strip(),
            form=str(self.query_one("#form", Select).value),
            channel=str(self.query_one("#channel", Select).value),
        )
        return replace(brief, method=method, plan=plan)

    # -- step 7: the brief -----------------------------------------------------------------------------

    def show_brief(self) -> None:
        if self.brief is not None:
            self.query_one("#brief-text", Static).update(brief_content(self.current_brief()))

    @on(ExportPanel.Requested)
    def export_requested(self, message: ExportPanel.Requested) -> None:
        from prep.brief_document import export_brief_markdown, render_brief_docx

        if self.brief is None:
            return
        brief, path = self.current_brief(), message.path
        if message.panel.id == "export-brief-md":
            message.panel.run(lambda store: export_brief_markdown(brief, path, store=store), path)
        else:
            # the store gives the unit's template and document fonts
            message.panel.run(lambda store: render_brief_docx(brief, path, store=store), path)

    # -- finishing -------------------------------------------------------------------------------------

    @on(Button.Pressed, "#finish")
    def action_finish(self) -> None:
        from notes.talks import create_talk, update_talk

        if self.brief is None:
            self.say("请先完成第一步，生成谈话提纲。")
            return
        if not self.check_plan():
            self.step = 5
            self.show_step()
            return
        brief = self.current_brief()
        kind = self.tanxin.policy.talk_type(brief.talk_type)
        fields: dict[str, Any] = {
            "planned_at": brief.plan.planned_at or None,
            "place": brief.plan.place,
            "form": brief.plan.form,
            "channel": brief.plan.channel,
            "subject": self.query_one("#subject", SafeInput).value.strip(),
        }
        interviewer = self.query_one("#interviewer", PersonPicker).chosen
        assert interviewer is not None  # check_plan() asked for one
        note_taker = self.query_one("#note-taker", PersonPicker).chosen
        due = self.due_item()
        store = self.tanxin.store
        with shown_errors(self):
            if brief.plan.talk_id is not None:
                talk_id = brief.plan.talk_id
                update_talk(store, talk_id, **fields)
            else:
                talk_id = create_talk(
                    store, talk_type=kind.id, category=kind.category, interviewers=[interviewer],
                    interviewees=[brief.person.id], note_taker=note_taker,
                    event_id=due.event_id if due is not None else None, **fields,
                )
            self.app.push_screen(
                ConfirmDialog("谈话计划已建立。现在开始谈话吗？",
                              Content.assemble(person_line(brief.person), Content.styled(f"  {kind.name}", "dim")),
                              "开始谈话"),
                lambda start: self._finished(talk_id, bool(start)),
            )

    def _finished(self, talk_id: int, start: bool) -> None:
        app = self.tanxin
        self.dismiss()
        if start:
            app.hold_talk(talk_id)
        else:
            app.notify("谈话计划已保存，可在工作台或人员页面找到。", markup=False)

    def action_leave(self) -> None:
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "finish":
            return True if self.brief is not None else None
        if action == "previous_step":
            return True if self.step > 0 else None
        if action == "next_step":
            return True if self.step < len(STEPS) - 1 else None
        return True
