"""谈前准备: a wizard that walks the interviewer through preparing one talk, step by step.

对象与类型 (or start from a due item on 工作台) → 缘由与未结 (why the talk is due and who must talk, then what earlier
talks left open: "谈话热、整改冷") → 档案与缺口 (十个清楚, or the 四谈 where the packs have no 十个清楚) → 要点与问题 →
原则与方法 → 谈话安排 (time, place, form, channel, who) → 提纲, exportable as DOCX and Markdown. Finishing creates
the planned talk and offers to start it at once.

Each step is a widget of its own (tui/widgets/prepare_steps.py). This screen moves between them and keeps
what they share: the person, the talk type, what is due with the person, and the brief (prep/brief.py), built
in a thread worker when the first step is done. What the interviewer changes in the later steps (the method,
the plan) goes into the brief that is shown, exported and planned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, ContentSwitcher, Header, Static

from tui.safe import safe
from tui.screens.base import TanxinScreen
from tui.screens.talk_support import shown_errors
from tui.widgets.brief_view import followup_lines, points_lines, profile_lines
from tui.widgets.footer import TanxinFooter
from tui.widgets.person_picker import PersonPicker, person_line
from tui.widgets.prepare_steps import (
    ApproachStep,
    BriefPartStep,
    BriefStep,
    PersonStep,
    PlanStep,
    PrepareStep,
)
from tui.widgets.talk_dialogs import ConfirmDialog

if TYPE_CHECKING:
    from prep.brief import Brief
    from prep.due import DueItem
    from prep.packs import Method, Policy
    from tui.screens.people import Roster

STEPS = (
    ("step-person", "对象与类型"),
    ("step-followups", "缘由与未结"),
    ("step-profile", "档案与缺口"),
    ("step-points", "要点与问题"),
    ("step-approach", "原则与方法"),
    ("step-plan", "谈话安排"),
    ("step-brief", "提纲"),
)
PLAN_STEP = 5  # checked before moving on from it, and shown again when finishing finds the plan incomplete


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


class PrepareScreen(TanxinScreen[None]):
    """谈前准备: seven steps from the person to the brief; finishing creates the planned talk."""

    TITLE = "谈前准备"
    HELP_TEXT = ("谈前准备共七步，f8 下一步，f7 上一步。第 1 步输入姓名、拼音或首字母选谈话对象，用 ↑ ↓ 选谈话类型；"
                 "第 6 步填谈话时间（如 2026年12月1日 9:30，可只填日期）和地点；核对提纲后按 ctrl+s 完成，建立谈话计划。")
    DEFAULT_CSS = """
    PrepareScreen #prepare-steps { height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    PrepareScreen ContentSwitcher { height: 1fr; }
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

    def __init__(self, person_id: int | None = None, talk_type: str | None = None,
                 due_item_id: str | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.opened_for = person_id  # the person it was opened for: choosing another one is work to keep
        self.talk_type = talk_type
        self.due_item_id = due_item_id
        self.step = 0
        self.roster: Roster | None = None
        self.due_items: list[DueItem] = []
        self.brief: Brief | None = None
        self.brief_key: tuple[int, str] | None = None  # (person, type) the brief was built for

    # -- layout ----------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="prepare-steps")
        with ContentSwitcher(initial=STEPS[0][0]):
            yield PersonStep(id="step-person")
            yield BriefPartStep(followup_lines, id="step-followups")
            yield BriefPartStep(profile_lines, id="step-profile")
            yield BriefPartStep(points_lines, id="step-points")
            yield ApproachStep(id="step-approach")
            yield PlanStep(id="step-plan")
            yield BriefStep(id="step-brief")
        yield Static("", id="prepare-message")
        with Horizontal(id="prepare-buttons"):
            yield Button("上一步", id="previous", compact=True)
            yield Button("下一步", variant="primary", id="next", compact=True)
            yield Button("完成", variant="success", id="finish", compact=True)
        yield TanxinFooter()

    @property
    def person_step(self) -> PersonStep:
        return self.query_one("#step-person", PersonStep)

    @property
    def approach_step(self) -> ApproachStep:
        return self.query_one("#step-approach", ApproachStep)

    @property
    def plan_step(self) -> PlanStep:
        return self.query_one("#step-plan", PlanStep)

    @property
    def brief_step(self) -> BriefStep:
        return self.query_one("#step-brief", BriefStep)

    def on_mount(self) -> None:
        self.show_step()
        self.show_types()
        self.load_roster()
        if self.person_id is not None:
            self.load_due(self.person_id)

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
    def offer_people(self, message: RosterReady) -> None:
        """Everyone to the pickers; the person asked for is chosen, the last interviewer suggested."""
        self.roster = message.roster
        for picker in self.query(PersonPicker):
            picker.set_people(message.roster.index, message.roster.people)
        if self.person_id is not None:
            self.person_step.interviewee.choose(self.person_id)
        interviewer = self.plan_step.interviewer
        if interviewer.chosen is None and message.last_interviewer is not None:
            interviewer.choose(message.last_interviewer)

    @on(PersonPicker.Chosen, "#interviewee")
    def take_interviewee(self, message: PersonPicker.Chosen) -> None:
        if message.person_id is not None and message.person_id != self.person_id:
            self.person_id = message.person_id
            self.due_item_id = None
            self.load_due(message.person_id)

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
    def suggest_type(self, message: DueReady) -> None:
        """The type of the due item the preparation started from, else the first type due with the person."""
        if message.person_id != self.person_id:
            return
        self.due_items = message.items
        due = self.due_item()
        if due is not None and due.type in self.tanxin.policy.talk_types:
            self.talk_type = due.type
        elif self.talk_type is None:
            self.talk_type = next((i.type for i in message.items if i.type in self.tanxin.policy.talk_types), None)
        self.show_types()

    def due_item(self) -> DueItem | None:
        """The due item the preparation started from (or the first due talk of the chosen type)."""
        if self.due_item_id is not None:
            found = next((i for i in self.due_items if i.id == self.due_item_id), None)
            if found is not None:
                return found
        return next((i for i in self.due_items if i.type == self.talk_type), None)

    def show_types(self) -> None:
        self.person_step.show_types(self.tanxin.policy, self.due_items, self.talk_type)

    @on(PersonStep.TypeHighlighted)
    def take_type(self, message: PersonStep.TypeHighlighted) -> None:
        self.talk_type = message.talk_type

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
        # The keys go to the step shown, not to a field of a step now hidden (typing there would be lost).
        self.query_one(f"#{STEPS[self.step][0]}", PrepareStep).focus_first()
        self.query_one("#previous", Button).disabled = self.step == 0
        self.query_one("#next", Button).disabled = self.step == len(STEPS) - 1
        self.query_one("#finish", Button).disabled = self.brief is None
        if self.step == len(STEPS) - 1 and self.brief is not None:
            self.brief_step.show_brief(self.current_brief())
        self.refresh_bindings()

    def say(self, text: str) -> None:
        self.query_one("#prepare-message", Static).update(safe(text))

    @on(Button.Pressed, "#next")
    @on(PersonStep.TypeChosen)
    def action_next_step(self) -> None:
        if self.step == 0:
            self.start_brief()
            return
        if self.step == PLAN_STEP and not self.check_plan():
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
            self.person_step.ask_for_person()
            return
        if self.talk_type is None:
            self.say("请选择谈话类型。")
            return
        if self.brief is not None and self.brief_key == (self.person_id, self.talk_type):
            self.step = 1
            self.show_step()
            return
        self.say("正在生成谈话提纲……")
        self.make_brief(self.person_id, self.talk_type, self.tanxin.policy, self.tanxin.today)

    @work(thread=True, exclusive=True, exit_on_error=False, group="prepare-brief")
    def make_brief(self, person_id: int, talk_type: str, policy: Policy, today: date) -> None:
        from prep.brief import build_brief

        with self.tanxin.thread_store() as store:
            brief = build_brief(store, policy, person_id, talk_type, today)
        self.post_message(BriefReady(brief))

    @on(BriefReady)
    def show_brief_in_steps(self, message: BriefReady) -> None:
        """Each later step shows its part of the new brief; on to the second step."""
        brief = self.brief = message.brief
        self.brief_key = (brief.person.id, brief.talk_type)
        self.say("")
        for part in self.query(BriefPartStep):
            part.show_brief(brief)
        policy = self.tanxin.policy
        self.approach_step.show_brief(brief, self.methods(brief))
        due = self.due_item()
        interviewer = due.interviewer_ids[0] if due is not None and due.interviewer_ids else None
        self.plan_step.show_brief(brief, policy.talk_type(brief.talk_type), interviewer)
        self.brief_step.name_exports(brief)
        self.step = 1
        self.show_step()

    def check_plan(self) -> bool:
        problem = self.plan_step.problem(self.person_id)
        self.say(problem or "")
        return problem is None

    def methods(self, brief: Brief) -> dict[str, Method]:
        """The methods the interviewer may choose for the brief's talk (none for a 提醒 or 诫勉)."""
        from prep.brief import methods_for

        policy = self.tanxin.policy
        return methods_for(policy, policy.talk_type(brief.talk_type))

    def current_brief(self) -> Brief:
        """The brief with what was decided in the wizard: the chosen method and the plan."""
        brief = self.brief
        assert brief is not None
        return replace(brief, method=self.approach_step.method(brief, self.methods(brief)),
                       plan=self.plan_step.plan(brief.plan))

    # -- finishing -------------------------------------------------------------------------------------

    @on(Button.Pressed, "#finish")
    def action_finish(self) -> None:
        from notes.talks import create_talk, update_talk

        if self.brief is None:
            # Finishing needs the brief; ctrl+s on the first step builds it (as f8 does), or says what the
            # first step still lacks, instead of doing nothing.
            self.notify("完成准备之前要先生成谈话提纲：生成后会进入第 2 步，核对各步后再按 ctrl+s 完成。",
                        title="还不能完成", markup=False)
            self.start_brief()
            return
        if not self.check_plan():
            self.step = PLAN_STEP
            self.show_step()
            return
        brief = self.current_brief()
        kind = self.tanxin.policy.talk_type(brief.talk_type)
        plan_step = self.plan_step
        fields: dict[str, Any] = {
            "planned_at": brief.plan.planned_at or None,
            "place": brief.plan.place,
            "form": brief.plan.form,
            "channel": brief.plan.channel,
            "subject": plan_step.subject_field.value.strip(),
        }
        interviewer = plan_step.interviewer.chosen
        assert interviewer is not None  # check_plan() asked for one
        note_taker = plan_step.note_taker.chosen
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
                lambda start: self.start_or_leave(talk_id, bool(start)),
            )

    def start_or_leave(self, talk_id: int, start: bool) -> None:
        """After the plan is saved: into the talk at once, or back to where the preparation started."""
        app = self.tanxin
        self.dismiss()
        if start:
            app.hold_talk(talk_id)
        else:
            app.notify("谈话计划已保存，可在工作台或人员页面找到。", markup=False)

    def holds_work(self) -> bool:
        """Something was chosen or built here that leaving would discard (the app asks before it does)."""
        return self.brief is not None or self.person_id != self.opened_for

    def action_leave(self) -> None:
        """Back to where the preparation started; when something was chosen or built, only once the user
        agrees to discard it (nothing of a preparation is saved before it is finished)."""
        if not self.holds_work():
            self.dismiss()
            return
        about = [Content("（"), safe(self.brief.person.name), Content("）")] if self.brief is not None else []
        detail = Content.assemble("已选择的谈话对象、类型和填写的谈话安排都不会保存", *about,
                                  "。要保留，请选“继续准备”，在任一步按 ctrl+s 完成。")
        self.app.push_screen(
            ConfirmDialog("放弃这次谈前准备？", detail, "放弃准备", cancel_label="继续准备", cancel_first=True),
            self._discard_if,
        )

    def _discard_if(self, discard: bool | None) -> None:
        if discard:
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "previous_step":
            return True if self.step > 0 else None
        if action == "next_step":
            return True if self.step < len(STEPS) - 1 else None
        return True

    def why_not(self, action: str) -> str | None:
        """Why a key shown greyed in the footer does nothing now (the app says it when the key is pressed)."""
        if action == "previous_step":
            return "这已是第一步。"
        if action == "next_step":
            return "这已是最后一步：核对提纲后按 ctrl+s 完成，建立谈话计划。"
        return None
