"""The seven steps of 谈前准备 (tui/screens/prepare.py), one widget each.

The screen owns what the steps share (the person, the talk type, the brief) and the workers. It hands each step
what to show (method calls go down) and hears from a step only what changes the shared state (messages go up:
a talk type highlighted or chosen). What a step alone decides, the method and the plan's fields, stays in the
step; the screen asks for it when it builds the brief to show or the talk to create.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from tui.safe import safe
from tui.screens.base import tanxin_app
from tui.screens.talk_support import export_dir, file_safe
from tui.widgets.brief_view import approach_lines, brief_content, plan_notes
from tui.widgets.export_panel import ExportPanel
from tui.widgets.person_picker import PersonPicker
from tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from prep.brief import Brief, BriefPlan, MethodChoice
    from prep.due import DueItem
    from prep.packs import Method, Policy, TalkType


def read_planned_at(text: str, today: date) -> str | None:
    """A talk's planned time as people write it (2026-12-01 9:30, 2026/12/1 9:30, 2026年12月1日 下午3点半), or a
    day alone when the hour is not fixed yet, as the record stores it (ISO, to the minute); None for an empty
    field. A ValueError naming the problem in Chinese otherwise. A day written without its year is the nearest
    such day (notes/dates.py `WrittenDate.nearest`), as for every talk's time: planned on 28 December, "1月5日" is
    next week; `planned_at_note` says which day was taken."""
    from notes.dates import read_written_date

    text = text.strip()
    if not text:
        return None
    written = read_written_date(text)
    day = written.nearest(today)
    if written.at is None:
        return day.isoformat()
    return datetime.combine(day, written.at).isoformat(timespec="minutes")


def planned_at_note(text: str, today: date) -> str:
    """What the time field says under it when the year was left out: the day taken, and for a day already past
    (kept: a talk held earlier is recorded so) how to write next year's instead. Empty when there is nothing to
    say: the year is written, or the text is no time (the step says why when it is checked)."""
    from notes.dates import read_written_date

    try:
        written = read_written_date(text.strip())
        day = written.nearest(today)
    except ValueError:
        return ""
    if written.year is not None:
        return ""
    taken = f"按 {day.year}年{day.month}月{day.day}日（星期{'一二三四五六日'[day.weekday()]}）"
    if day >= today:
        return f"未写年份，{taken}安排。"
    return f"{day.month}月{day.day}日已过去，{taken}记；如指明年，请写 {day.year + 1}年{day.month}月{day.day}日。"


class PrepareStep(VerticalScroll):
    """One page of the wizard; the screen's ContentSwitcher shows one at a time, by id."""

    DEFAULT_CSS = """
    PrepareStep { padding: 0 1; }
    PrepareStep .step-heading { text-style: bold; color: $text-primary; margin-top: 1; }
    PrepareStep .step-text { height: auto; }
    """

    def focus_first(self) -> None:
        """Where the keys go when the step is shown: its first field, or the page itself, so ↑ ↓ scroll it."""
        self.focus()


class PersonStep(PrepareStep):
    """1 对象与类型: whom the talk is with, and which talk (the types due with the person first)."""

    DEFAULT_CSS = """
    PersonStep #talk-types { height: auto; max-height: 12; }
    """

    @dataclass
    class TypeHighlighted(Message):
        """The cursor is on a talk type: the screen takes it as the talk's type."""

        talk_type: str

    class TypeChosen(Message):
        """Enter on a talk type: on to the next step."""

    def compose(self) -> ComposeResult:
        yield PersonPicker("谈话对象", id="interviewee")
        yield Static("谈话类型", classes="step-heading")
        yield OptionList(id="talk-types")

    @property
    def interviewee(self) -> PersonPicker:
        return self.query_one("#interviewee", PersonPicker)

    @property
    def talk_types(self) -> OptionList:
        return self.query_one("#talk-types", OptionList)

    def ask_for_person(self) -> None:
        self.interviewee.search_field.focus()

    def focus_first(self) -> None:
        if self.interviewee.chosen is None:
            self.ask_for_person()
        else:
            self.talk_types.focus()

    def show_types(self, policy: Policy, due_items: list[DueItem], talk_type: str | None) -> None:
        """Every type of the packs, those due with the person first (most urgent first, with the deadline), the
        cursor on `talk_type` (an id or a name)."""
        due_by_type = {i.type: i for i in reversed(due_items)}
        ids = [i.type for i in due_items if i.type in policy.talk_types]
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
        self.talk_types.set_options(prompts)
        chosen = next((t for t in ids if talk_type in (t, policy.talk_types[t].name)), None)
        if chosen is not None:
            self.talk_types.highlighted = ids.index(chosen)

    @on(PersonPicker.Chosen, "#interviewee")
    def go_to_types(self, message: PersonPicker.Chosen) -> None:
        if message.person_id is not None:
            self.talk_types.focus()

    @on(OptionList.OptionHighlighted, "#talk-types")
    def report_type(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.post_message(self.TypeHighlighted(event.option.id.removeprefix("type-")))

    @on(OptionList.OptionSelected, "#talk-types")
    def report_choice(self) -> None:
        self.post_message(self.TypeChosen())


class BriefPartStep(PrepareStep):
    """2 缘由与未结, 3 档案与缺口, 4 要点与问题: one part of the brief, as text (`part` is from brief_view)."""

    def __init__(self, part: Callable[[Brief], Content], *, id: str) -> None:
        super().__init__(id=id)
        self.part = part

    def compose(self) -> ComposeResult:
        yield Static("", classes="step-text")

    def show_brief(self, brief: Brief) -> None:
        self.query_one(Static).update(self.part(brief))


class ApproachStep(PrepareStep):
    """5 原则与方法: the way of talking the brief recommends (the interviewer may pick another, except for a 提醒 or
    诫勉, which follows its own points), the principles and the cautions."""

    DEFAULT_CSS = """
    ApproachStep #methods { height: auto; max-height: 12; }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.method_id: str | None = None  # the method under the cursor

    def compose(self) -> ComposeResult:
        yield Static("谈话方式（已按对象情况推荐，可另选）", classes="step-heading")
        yield Static("", id="method-reason", classes="step-text")
        yield OptionList(id="methods")
        yield Static("原则与注意事项", classes="step-heading")
        yield Static("", id="approach-text", classes="step-text")

    def show_brief(self, brief: Brief, methods: Mapping[str, Method]) -> None:
        """The packs' methods with the cursor on the recommended one, why it is recommended, and the approach."""
        self.query_one("#approach-text", Static).update(approach_lines(brief))
        options = self.query_one("#methods", OptionList)
        # A 提醒 or 诫勉 follows its own points (prep.brief.methods_for): nothing to choose, so no list.
        options.display = bool(methods)
        options.set_options([
            Option(Content.assemble((m.name, "bold"), "  ", safe(m.description, "dim")), id=f"method-{m.id}")
            for m in methods.values()
        ])
        self.method_id = brief.method.id if brief.method else None
        if self.method_id is not None and self.method_id in methods:
            options.highlighted = list(methods).index(self.method_id)
        reason = brief.method.reason if brief.method else "政策包没有列出谈话方式。"
        self.query_one("#method-reason", Static).update(Content.assemble(("推荐理由：", "bold"), safe(reason)))

    def focus_first(self) -> None:
        methods = self.query_one("#methods", OptionList)
        (methods if methods.display else self).focus()

    @on(OptionList.OptionHighlighted, "#methods")
    def remember_method(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.method_id = event.option.id.removeprefix("method-")

    def method(self, brief: Brief, methods: Mapping[str, Method]) -> MethodChoice | None:
        """The brief's method, or the one the interviewer picked instead of it."""
        from prep.brief import MethodChoice

        chosen = methods.get(self.method_id or "")
        if chosen is not None and (brief.method is None or chosen.id != brief.method.id):
            return MethodChoice(chosen.id, chosen.name, chosen.description, "谈话人选定", chosen.source)
        return brief.method


class PlanStep(PrepareStep):
    """6 谈话安排: when and where, in which form and through which channel, on what, who talks and who notes."""

    DEFAULT_CSS = """
    PlanStep .field { height: 1; margin-bottom: 1; }
    PlanStep .field-label { width: 6; text-style: bold; }
    PlanStep .field SafeInput, PlanStep .field Select { width: 1fr; }
    PlanStep #planned-at-note { height: auto; margin: 0 0 1 6; color: $text-warning; display: none; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="plan-notes", classes="step-text")
        with Horizontal(classes="field"):
            yield Static("时间", classes="field-label")
            yield SafeInput("", placeholder="如 2026年12月1日 9:30，可只填日期", id="planned-at", max_length=20,
                            compact=True)
        yield Static("", id="planned-at-note")
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

    def focus_first(self) -> None:
        self.planned_at_field.focus()

    @on(Input.Changed, "#planned-at")
    def say_which_day(self, event: Input.Changed) -> None:
        """Which day a time typed without its year is taken as, while it is typed."""
        note = planned_at_note(event.value, tanxin_app(self).today)
        shown = self.query_one("#planned-at-note", Static)
        shown.update(Content(note))
        shown.display = bool(note)

    @on(OptionList.OptionHighlighted, ".picker-matches")
    def show_matches(self, event: OptionList.OptionHighlighted) -> None:
        """The people found for 谈话人 or 记录人 open below the last fields, under the bottom of a small terminal:
        brought into view once laid out, so enter does not choose someone unseen."""
        self.call_after_refresh(event.option_list.scroll_visible, animate=False)

    @property
    def planned_at_field(self) -> SafeInput:
        return self.query_one("#planned-at", SafeInput)

    @property
    def place_field(self) -> SafeInput:
        return self.query_one("#place", SafeInput)

    @property
    def subject_field(self) -> SafeInput:
        return self.query_one("#subject", SafeInput)

    @property
    def form_select(self) -> Select[str]:
        return self.query_one("#form", Select)

    @property
    def channel_select(self) -> Select[str]:
        return self.query_one("#channel", Select)

    @property
    def interviewer(self) -> PersonPicker:
        return self.query_one("#interviewer", PersonPicker)

    @property
    def note_taker(self) -> PersonPicker:
        return self.query_one("#note-taker", PersonPicker)

    def show_brief(self, brief: Brief, kind: TalkType, interviewer: int | None) -> None:
        """The plan the brief proposes, with the forms and channels `kind` allows; `interviewer` is the one the
        due item names, if any."""
        plan = brief.plan
        self.planned_at_field.value = plan.planned_at.replace("T", " ")[:16]
        self.place_field.value = plan.place
        self.subject_field.value = f"{brief.person.name}同志{brief.type_name}"
        forms = kind.forms or ("个别",)
        self.form_select.set_options([(f, f) for f in forms])
        self.form_select.value = plan.form if plan.form in forms else forms[0]
        channels = kind.channels or ("面对面",)
        self.channel_select.set_options([(c, c) for c in channels])
        self.channel_select.value = plan.channel if plan.channel in channels else channels[0]
        self.query_one("#plan-notes", Static).update(plan_notes(brief))
        if interviewer is not None:
            self.interviewer.choose(interviewer)

    def planned_at(self) -> str | None:
        """The time typed, as the record stores it; None when left empty. A ValueError saying what is wrong, in
        Chinese, when it cannot be read."""
        return read_planned_at(self.planned_at_field.value, tanxin_app(self).today)

    def problem(self, interviewee: int | None) -> str | None:
        """Why the plan cannot be kept as it is (None: it can). A time that cannot be read gets the cursor."""
        from notes.dates import DAY_EXAMPLE, MOMENT_EXAMPLE

        try:
            self.planned_at()
        except ValueError as error:
            self.planned_at_field.focus()
            return f"时间格式不对：{error}。应写作 {MOMENT_EXAMPLE}；也可只写日期，如 {DAY_EXAMPLE}。"
        if self.interviewer.chosen is None:
            return "请选择谈话人。"
        if self.interviewer.chosen == interviewee:
            return "谈话人和谈话对象不能是同一个人。"
        return None

    def plan(self, proposed: BriefPlan) -> BriefPlan:
        """The proposed plan with what was typed and chosen here (a time that cannot be read keeps the proposed)."""
        try:
            planned_at = self.planned_at() or ""
        except ValueError:
            planned_at = proposed.planned_at
        return replace(proposed, planned_at=planned_at, place=self.place_field.value.strip(),
                       form=str(self.form_select.value), channel=str(self.channel_select.value))


class BriefStep(PrepareStep):
    """7 提纲: the brief as it will be printed, with what was decided in the steps before, and its exports."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.brief: Brief | None = None  # as shown, so as exported

    def compose(self) -> ComposeResult:
        yield Static("", id="brief-text", classes="step-text")
        yield ExportPanel("导出提纲（Word）", export_dir() / "谈话提纲.docx", id="export-brief-docx")
        # the text copy opens in any editor (记事本); "Markdown" means nothing to a user
        yield ExportPanel("导出提纲（纯文本，记事本可打开）", export_dir() / "谈话提纲.md", id="export-brief-md")

    def name_exports(self, brief: Brief) -> None:
        """Export paths named for the person and the type (set once per brief: a path typed later stays)."""
        code = file_safe(f"{brief.person.name}{brief.type_name}")
        self.query_one("#export-brief-docx", ExportPanel).set_path(export_dir() / f"谈话提纲_{code}.docx")
        self.query_one("#export-brief-md", ExportPanel).set_path(export_dir() / f"谈话提纲_{code}.md")

    def show_brief(self, brief: Brief) -> None:
        self.brief = brief
        self.query_one("#brief-text", Static).update(brief_content(brief))

    @on(ExportPanel.Requested)
    def export_brief(self, message: ExportPanel.Requested) -> None:
        from prep.brief_document import export_brief_markdown, render_brief_docx

        if self.brief is None:
            return
        brief, path = self.brief, message.path
        if message.panel.id == "export-brief-md":
            message.panel.run(lambda store: export_brief_markdown(brief, path, store=store), path)
        else:
            # the store gives the unit's template and document fonts
            message.panel.run(lambda store: render_brief_docx(brief, path, store=store), path)
