"""The 程序信息 dialog (tui/widgets/procedure_dialog.py), driven by Pilot: it shows only what the talk needs,
checks dates, and what it returns is saved by notes.procedure_form exactly as the command line saves it."""

from __future__ import annotations

from datetime import date

from document_helpers import Org, make_org, rich_talk
from textual.app import App
from tui_talk_helpers import drive

from notes import talks
from notes.procedure_form import ProcedureForm, apply_procedure_form, procedure_view
from notes.store import Store
from prep.active import policy_facts
from tui.widgets.procedure_dialog import ProcedureDialog
from tui.widgets.safe_input import SafeInput, SafeTextArea

TODAY = date(2026, 11, 22)


class DialogApp(App[None]):
    def __init__(self, dialog: ProcedureDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[ProcedureForm | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


@drive
async def test_an_admonition_asks_reason_and_decision(store: Store) -> None:
    org: Org = make_org(store)
    talk_id = rich_talk(store, org, talk_type="admonition", subject="李明同志诫勉谈话", sealed=False)
    view = procedure_view(store, talk_id, policy_facts(store))
    assert view.missing == ("事由（谈话所针对的问题）", "诫勉决定日期", "作出诫勉决定的机关")
    app = DialogApp(ProcedureDialog(view, TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = app.dialog
        assert not dialog.query("#questions")  # not a 函询
        dialog.query_one("#reason", SafeTextArea).load_text("违规接受管理服务对象宴请一次")
        dialog.query_one("#decided-on", SafeInput).value = "3月40日"
        dialog.query_one("#decided-by", SafeInput).value = "中共青川市发改委机关委员会"
        await pilot.press("ctrl+s")
        assert "诫勉决定日期“3月40日”不是有效日期" in str(dialog.query_one("#error").render())
        dialog.query_one("#decided-on", SafeInput).value = "2026年3月9日"
        await pilot.press("ctrl+s")
        await pilot.pause()
    form = app.results[-1]
    assert form == ProcedureForm(reason="违规接受管理服务对象宴请一次", decided_on="2026-03-09",
                                 decided_by="中共青川市发改委机关委员会")
    apply_procedure_form(store, talk_id, form)
    assert procedure_view(store, talk_id, policy_facts(store)).missing == ()


@drive
async def test_an_inquiry_records_letter_and_reply(store: Store) -> None:
    org = make_org(store)
    talk_id = talks.create_talk(store, talk_type="reminder", interviewers=[org.secretary], interviewees=[org.member],
                                channel="函询", planned_at="2026-10-20")
    app = DialogApp(ProcedureDialog(procedure_view(store, talk_id, policy_facts(store)), TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = app.dialog
        dialog.query_one("#reason", SafeTextArea).load_text("群众来信反映其超标准安排公务接待")
        dialog.query_one("#questions", SafeTextArea).load_text("接待标准是否超出规定？\n费用由谁承担？")
        dialog.query_one("#sent-on", SafeInput).value = "10月26日"
        dialog.query_one("#reply-due-on", SafeInput).value = "2026-11-05"
        dialog.query_one("#received-on", SafeInput).value = "2026-11-02"
        await pilot.press("ctrl+s")
        assert "收到回复日期和书面回复要一起填写" in str(dialog.query_one("#error").render())
        dialog.query_one("#reply", SafeTextArea).load_text("经核实，超出部分已由本人补交。")
        await pilot.click("#ok")
        await pilot.pause()
    form = app.results[-1]
    assert form is not None
    apply_procedure_form(store, talk_id, form)
    view = procedure_view(store, talk_id, policy_facts(store))
    assert view.missing == () and view.procedure.reply_due_on == "2026-11-05"
    assert view.inquiry is not None and view.inquiry.sent_on == "2026-10-26"
    assert view.inquiry.reply == "经核实，超出部分已由本人补交。"
    assert talks.talk_row(store, talk_id)["status"] == "held"


@drive
async def test_cancel_returns_nothing(store: Store) -> None:
    org = make_org(store)
    talk_id = rich_talk(store, org, talk_type="reminder", sealed=False)
    app = DialogApp(ProcedureDialog(procedure_view(store, talk_id, policy_facts(store)), TODAY))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "程序信息已齐全" in str(app.dialog.query_one("#missing").render())
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


@drive
async def test_sealing_an_admonition_on_the_review_screen_asks_for_its_procedure_first(store: Store) -> None:
    from tui_talk_helpers import make_app, wait_for

    from tui.screens.review import ReviewScreen

    org: Org = make_org(store)
    talk_id = rich_talk(store, org, talk_type="admonition", subject="李明同志诫勉谈话", sealed=False)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        app.review_talk(talk_id)
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.record is not None)
        review = app.screen
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, ProcedureDialog))
        assert talks.talk_row(store, talk_id)["status"] == "held"  # nothing sealed without the 事由 and decision
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is review)
        await pilot.press("f6")  # 程序信息 is also a key of its own
        await wait_for(pilot, lambda: isinstance(app.screen, ProcedureDialog))
