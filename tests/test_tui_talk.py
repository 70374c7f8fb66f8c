"""The talk screens driven through the real app with Pilot: the interviewer's whole day (工作台 → 谈前准备 →
谈话中 → 谈后 → 跟踪 → 工作台), and focused tests of the live screen: autosave and its indicator, the privacy
key, the entry keys, the checklist, drafts that reopen where they were, and hostile text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, open_demo_made_on
from textual.pilot import Pilot
from textual.widgets import Static
from tui_talk_helpers import (
    FIXED_NOW,
    FORBIDDEN_ON_TERMINAL,
    HOSTILE,
    HOSTILE_TEXT,
    TALK_DAY,
    dashboard_ready,
    demo_today,
    drive,
    make_app,
    make_org,
    planned_talk,
    screen_text,
    started_talk,
    terminal_output,
    wait_for,
)

from notes import talks
from notes.followups import list_followups
from notes.store import Store
from tui.app import TanxinApp
from tui.screens.live import LiveScreen
from tui.screens.review import ReviewScreen
from tui.widgets.entry_editor import EntryEditor, EntryText
from tui.widgets.points_checklist import PointsChecklist

APPOINTMENT_POINTS = (
    "组织决定及任职的主要理由",
    "组织对谈话对象的基本评价和群众的反映",
    "新任职岗位的基本要求",
)


def live(app: TanxinApp) -> LiveScreen:
    assert isinstance(app.screen, LiveScreen), type(app.screen).__name__
    return app.screen


def editors(app: TanxinApp) -> list[EntryEditor]:
    return list(live(app).query(EntryEditor))


def stored_entries(store: Store, talk_id: int) -> list[dict[str, object]]:
    return store.query("SELECT id, heading, kind, text, confidential FROM entries WHERE talk_id = ? ORDER BY position",
                       [talk_id])


async def open_live(pilot: Pilot[None], app: TanxinApp, talk_id: int) -> LiveScreen:
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
    app.hold_talk(talk_id)
    await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and bool(app.screen.query(EntryText)))
    await pilot.pause()
    return live(app)


# -- the whole day ---------------------------------------------------------------------------------------------


async def set_kind(pilot: Pilot[None], editor: EntryEditor, kind: str) -> None:
    while editor.kind != kind:
        await pilot.press("ctrl+t")


async def set_heading(pilot: Pilot[None], app: TanxinApp, position: int) -> None:
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ChoiceDialog")
    await pilot.press("home", *["down"] * position, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen))


@pytest.fixture(params=[DEMO_TODAY, date(2027, 1, 1), date(2028, 2, 29)], ids=str)
def demo_store_on_day(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The demo made on an ordinary day, on New Year's Day and on 29 February."""
    store = open_demo_made_on(request.param, tmp_path)
    yield store
    store.close()


@drive
async def test_the_whole_day_from_a_due_appointment_to_the_follow_up_on_the_dashboard(
    demo_store_on_day: Store, tmp_path: Path
) -> None:
    from notes.vocabulary import ENTRY_KINDS
    from tui.screens.dashboard import DashboardScreen
    from tui.screens.prepare import PrepareScreen

    demo_store = demo_store_on_day
    today = demo_today(demo_store)
    app = make_app(demo_store, datetime.combine(today, FIXED_NOW.time()))
    async with app.run_test(size=(120, 36)) as pilot:
        # 工作台: the due 任职谈话 are listed; open the first.
        await wait_for(pilot, dashboard_ready(app))
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen) and dashboard.data is not None
        due_row = next(row for row in dashboard.data.rows if row.talk_type == "appointment" and row.talk is None)
        due = due_row.event_item
        assert due is not None
        table = dashboard.query_one("#due")
        table.move_cursor(row=[row.id for row in dashboard.data.rows].index(due_row.id))  # type: ignore[attr-defined]
        table.focus()
        await pilot.press("enter")

        # 谈前准备: the person and the type come from the due item; seven steps to the brief.
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen))
        prepare = app.screen
        assert isinstance(prepare, PrepareScreen)
        await wait_for(pilot, lambda: prepare.roster is not None and prepare.talk_type == "appointment")
        assert prepare.person_id == due.person_id
        await pilot.press("f8")
        await wait_for(pilot, lambda: prepare.step == 1, timeout=15)
        brief = prepare.brief
        assert brief is not None and brief.person.name == due.person and brief.type_name == "任职谈话"
        for step in (2, 3, 4, 5):
            await pilot.press("f8")
            assert prepare.step == step
        prepare.query_one("#planned-at").value = f"{today.isoformat()} 15:00"  # type: ignore[attr-defined]
        prepare.query_one("#place").value = "三楼小会议室"  # type: ignore[attr-defined]
        await pilot.press("f8")
        assert prepare.step == 6
        assert "三楼小会议室" in screen_text(app) or "三楼小会议室" in str(prepare.query_one("#brief-text").render())
        markdown, docx = tmp_path / "提纲.md", tmp_path / "提纲.docx"
        prepare.query_one("#export-brief-md .export-path").value = str(markdown)  # type: ignore[attr-defined]
        prepare.query_one("#export-brief-docx .export-path").value = str(docx)  # type: ignore[attr-defined]
        prepare.query_one("#export-brief-md").request()  # type: ignore[attr-defined]
        prepare.query_one("#export-brief-docx").request()  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: markdown.exists() and docx.exists(), timeout=20)
        assert "必谈要点" in markdown.read_text(encoding="utf-8") and "三楼小会议室" in markdown.read_text(encoding="utf-8")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("enter")  # 开始谈话

        # 谈话中: an entry of every kind, one of them 保密, one turned into a follow-up.
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and bool(app.screen.query(EntryText)))
        screen = live(app)
        talk_id = screen.talk_id
        record = talks.get_talk(demo_store, talk_id)
        assert (record.status, record.place, record.planned_at) == ("in_progress", "三楼小会议室",
                                                                     f"{today.isoformat()}T15:00:00")
        assert record.event_id == due.event_id
        texts = {
            "事实情况": "宣布任职决定及理由",
            "本人表态": "服从组织安排尽快进入角色",
            "困难诉求": "希望加强业务培训",
            "意见建议": "建议处室之间加强协调",
            "发现问题": "原岗位工作交接尚未完成",
            "谈话人要求": "严格遵守廉洁纪律",
        }
        for position, kind in enumerate(ENTRY_KINDS):
            if position:
                await pilot.press("ctrl+n")
                await wait_for(pilot, lambda n=position: len(editors(app)) == n + 1)  # type: ignore[misc]
            editor = editors(app)[-1]
            await set_kind(pilot, editor, kind)
            await set_heading(pilot, app, min(position, 4))
            await pilot.press(*texts[kind])
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: len(editors(app)) == 7)
        await pilot.press(*"举报人为机关某同志")
        await pilot.press("ctrl+b")
        problem = editors(app)[4]
        assert problem.editor is not None
        problem.editor.focus()
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FollowupDialog")
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: problem.has_followup)
        assert "必谈要点 5/6" in str(screen.query_one(PointsChecklist).render())

        # 谈后: summary, statement, confirmation; sign and seal; export the record.
        await pilot.press("f8")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        review.query_one("#summary").focus()
        await pilot.press(*"对象表示服从安排")
        review.query_one("#statement").focus()
        await pilot.press(*"服从组织安排")
        review.query_one("#confirmed").focus()
        await pilot.press("space")
        # One required point has nothing under it: the seal names it and asks twice, "no" being the default.
        await pilot.press("f9")
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "这份记录还不完整")
        assert "必谈要点未记录 1/6 项" in str(app.screen.query_one(".dialog-note", Static).render())
        await pilot.press("shift+tab", "enter")
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "再次确认：封存不完整的记录")
        await pilot.press("shift+tab", "enter")
        await wait_for(pilot, lambda: talks.get_talk(demo_store, talk_id).status == "sealed", timeout=15)
        record = talks.get_talk(demo_store, talk_id)
        assert sorted(e.kind for e in record.entries) == sorted([*ENTRY_KINDS, "事实情况"])
        assert [e.confidential for e in record.entries].count(True) == 1
        assert record.confirmed and record.summary == "对象表示服从安排"
        out = tmp_path / "记录.docx"
        review.query_one("#export-record .export-path").value = str(out)  # type: ignore[attr-defined]
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: out.exists(), timeout=20)
        from docx import Document

        document = Document(str(out))
        written = "\n".join([p.text for p in document.paragraphs] + [
            c.text for t in document.tables for row in t.rows for c in row.cells])
        assert "服从组织安排尽快进入角色" in written and "举报人" not in written

        # 工作台: the follow-up is there, and the appointment is no longer due.
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        dashboard = app.screen
        await wait_for(pilot, lambda: dashboard.data is not None and any(  # type: ignore[attr-defined]
            item.followup_id is not None and "原岗位工作交接尚未完成" in item.detail
            for item in dashboard.data.followups), timeout=15)  # type: ignore[attr-defined]
        followups = dashboard.query_one("#followups")
        shown_items = [item.id for item in dashboard.data.followups]  # type: ignore[attr-defined]
        ours = next(item for item in dashboard.data.followups  # type: ignore[attr-defined]
                    if "原岗位工作交接尚未完成" in item.detail)
        followups.focus()
        followups.move_cursor(row=shown_items.index(ours.id))  # type: ignore[attr-defined]
        followups.scroll_visible(animate=False)
        await pilot.pause()
        deadline = (today + timedelta(days=30)).isoformat()  # the deadline the 转跟踪 dialog suggested
        assert any(deadline in line and due.person in line and "原岗" in line for line in screen_text(app).splitlines())
        assert due.id not in [item.id for item in dashboard.data.talks]  # type: ignore[attr-defined]


@drive
async def test_preparing_from_scratch_finds_the_person_by_pinyin_and_plans_without_starting(store: Store) -> None:
    from tui.screens.prepare import PrepareScreen

    org = make_org(store)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.prepare_talk()
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.roster is not None)
        prepare = app.screen
        assert isinstance(prepare, PrepareScreen)
        await pilot.press("f8")
        assert prepare.step == 0 and "请先选择谈话对象" in str(prepare.query_one("#prepare-message").render())
        await pilot.press(*"lim", "enter")  # 李明 by pinyin
        await wait_for(pilot, lambda: prepare.person_id == org.interviewee)
        from textual.widgets import OptionList

        options = prepare.query_one("#talk-types", OptionList)
        options.highlighted = options.get_option_index("type-routine")
        await pilot.press("f8")
        await wait_for(pilot, lambda: prepare.step == 1, timeout=15)
        assert prepare.brief is not None and prepare.brief.type_name == "日常谈话"
        for _ in range(4):
            await pilot.press("f8")
        prepare.query_one("#planned-at").value = "明天下午"  # type: ignore[attr-defined]
        await pilot.press("f8")
        assert prepare.step == 5 and "时间格式不对" in str(prepare.query_one("#prepare-message").render())
        prepare.query_one("#planned-at").value = "2026-03-13"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        assert "请选择谈话人" in str(prepare.query_one("#prepare-message").render())  # nobody has talked here yet
        prepare.query_one("#interviewer .picker-search").focus()
        await pilot.press(*"zsj", "enter")  # 张书记 by initials
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("escape")  # not now: the plan is kept
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
    [planned] = talks.list_talks(store, person_id=org.interviewee)
    assert (planned.status, planned.talk_type, planned.planned_at) == ("planned", "routine", "2026-03-13")
    assert planned.interviewer_ids == (org.interviewer,)


# -- autosave ------------------------------------------------------------------------------------------------


@drive
async def test_typing_is_durable_within_a_second_and_the_indicator_says_so(store: Store) -> None:
    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, app, talk_id)
        assert talks.get_talk(store, talk_id).status == "in_progress"  # opening a planned talk starts it
        await pilot.press(*"本人表示服从组织安排")
        state = screen.query_one("#save-state", Static)
        assert "保存中" in str(state.render()) or "已保存" in str(state.render())
        other = store.reopen()  # what another connection (a crash survivor) would read
        try:
            await pilot.pause(1.0)
            assert [e["text"] for e in stored_entries(other, talk_id)] == ["本人表示服从组织安排"]
        finally:
            other.close()
        await wait_for(pilot, lambda: "已保存" in str(state.render()))


@drive
async def test_a_failed_save_is_shown_and_the_text_stays_in_the_editor(store: Store) -> None:
    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, app, talk_id)
        entry_id = editors(app)[0].entry_id
        talks.delete_entry(store, entry_id)  # the record refuses the next write of this entry
        await pilot.press(*"不会丢失")
        state = screen.query_one("#save-state", Static)
        await wait_for(pilot, lambda: "保存失败" in str(state.render()))
        editor = editors(app)[0].editor
        assert editor is not None and editor.text == "不会丢失"


# -- keys of the live screen ---------------------------------------------------------------------------------


@drive
async def test_entry_kind_heading_confidential_and_followup_keys(store: Store) -> None:
    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, app, talk_id)
        first = editors(app)[0]
        assert first.heading == APPOINTMENT_POINTS[0]  # a new talk starts under its first required point
        seen = [first.kind]
        for _ in range(6):
            await pilot.press("ctrl+t")
            seen.append(first.kind)
        assert seen == ["事实情况", "本人表态", "困难诉求", "意见建议", "发现问题", "谈话人要求", "事实情况"]
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t", "ctrl+t")  # 发现问题
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert first.heading == APPOINTMENT_POINTS[2]
        await pilot.press(*"办公用房超标需要整改")
        await pilot.press("ctrl+b")
        assert first.confidential and first.has_class("-confidential")
        await pilot.press("ctrl+b")
        assert not first.confidential
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert type(app.screen).__name__ == "FollowupDialog"
        await pilot.press("enter")  # the kind the entry suggests: 发现问题 → 整改
        await pilot.pause()
        await pilot.press("enter")  # the suggested deadline
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.autosaver is not None and screen.autosaver.flush()
        [entry] = stored_entries(store, talk_id)
        assert entry == {"id": first.entry_id, "heading": APPOINTMENT_POINTS[2], "kind": "发现问题",
                         "text": "办公用房超标需要整改", "confidential": 0}
        [followup] = list_followups(store)
        assert (followup.kind, followup.entry_id, followup.title) == ("整改", first.entry_id, "办公用房超标需要整改")
        assert followup.due_on == (app.today + timedelta(days=30)).isoformat()
        assert first.has_followup and "已转跟踪" in str(first.header())


@drive
async def test_the_checklist_fills_as_notes_are_taken(store: Store) -> None:
    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_live(pilot, app, talk_id)
        checklist = screen.query_one(PointsChecklist)
        assert sum(checklist.counts.values()) == 0
        assert "必谈要点 0/6" in str(checklist.render())
        await pilot.press(*"宣布任职决定")
        assert checklist.counts[APPOINTMENT_POINTS[0]] == 1
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press(*"群众评价较好")
        assert checklist.counts[APPOINTMENT_POINTS[1]] == 1
        assert "必谈要点 2/6" in str(checklist.render())
        for _ in range(len("群众评价较好")):
            await pilot.press("backspace")
        assert checklist.counts[APPOINTMENT_POINTS[1]] == 0  # an emptied note no longer covers its point


@drive
async def test_the_privacy_key_blanks_everything_at_once(store: Store) -> None:
    org = make_org(store, interviewee_name="赵秘密")
    talk_id = started_talk(store, org, (("谈思想", "困难诉求", "家中老人生病住院", True),))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, app, talk_id)
        assert "赵秘密" in screen_text(app)
        await pilot.press("f12")
        assert type(app.screen).__name__ == "BlankScreen"
        shown = screen_text(app)
        assert shown.strip() == ""  # no name, no note, no footer hint
        await pilot.press("a")  # any key brings the talk back, and the key is not typed into the note
        assert app.screen is screen
        assert isinstance(app.focused, EntryText)
        assert screen.autosaver is not None and screen.autosaver.flush()
        assert [e["text"] for e in stored_entries(store, talk_id)] == ["家中老人生病住院"]


@drive
async def test_nothing_about_anyone_else_while_a_talk_is_open(store: Store) -> None:
    org = make_org(store)
    talk_id = started_talk(store, org, (("谈思想", "事实情况", "工作顺利", False),))
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_live(pilot, app, talk_id)
        for key in ("f2", "f3", "f4", "f5"):  # the app's section keys are blocked here
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, LiveScreen)
        shown = screen_text(app)
        assert "王芳" not in shown and "李明" in shown
        assert all("王芳" not in str(n.message) for n in app._notifications)


@drive
async def test_a_draft_reopens_on_the_same_entry_at_the_same_place(store: Store, db_path: Path) -> None:
    org = make_org(store)
    talk_id = started_talk(store, org, (
        ("谈思想", "事实情况", "第一条记录", False),
        ("谈履职", "事实情况", "第二条记录\n有两行", False),
        ("谈作风", "事实情况", "第三条", False),
    ))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_live(pilot, app, talk_id)
        second = editors(app)[1]
        assert second.editor is not None
        second.editor.focus()
        second.editor.move_cursor((1, 1))
        await pilot.press("X")
        await pilot.pause(1.2)  # the place is saved once a second
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LiveScreen))
        assert talks.get_talk(store, talk_id).status == "in_progress"  # leaving keeps the talk open

    # A new app on the same database (a restart): the talk reopens where it was.
    again = make_app(store)
    async with again.run_test(size=(80, 24)) as pilot:
        await open_live(pilot, again, talk_id)
        focused = again.focused
        assert isinstance(focused, EntryText)
        assert focused.parent is editors(again)[1]
        assert focused.cursor_location == (1, 2)
        assert focused.text == "第二条记录\n有X两行"


@drive
async def test_an_overlong_paste_continues_in_a_new_entry_and_nothing_is_lost(store: Store) -> None:
    from tui.widgets.entry_editor import ENTRY_CHAR_CAP

    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, app, talk_id)
        line = "谈话内容记录" * 30 + "\n"
        text = line * (ENTRY_CHAR_CAP // len(line) + 20)
        editor = editors(app)[0].editor
        assert editor is not None
        editor.load_text(text[: ENTRY_CHAR_CAP - 100])
        editor.move_cursor(editor.document.end)
        from textual import events

        editor.post_message(events.Paste(text[ENTRY_CHAR_CAP - 100 : ENTRY_CHAR_CAP + 5_000]))
        await wait_for(pilot, lambda: len(editors(app)) == 2)
        assert screen.autosaver is not None and screen.autosaver.flush()
        stored = "".join(str(e["text"]) for e in stored_entries(store, talk_id))
        assert stored == text[: ENTRY_CHAR_CAP + 5_000]
        assert all(len(str(e["text"])) <= ENTRY_CHAR_CAP for e in stored_entries(store, talk_id))


# -- hostile text ----------------------------------------------------------------------------------------------


@drive
async def test_hostile_names_and_notes_render_literally_and_run_nothing(store: Store) -> None:
    org = make_org(store, interviewee_name="李" + HOSTILE_TEXT)
    talk_id = started_talk(store, org, tuple(
        ("谈思想", "事实情况", f"记录{index}：{text}", False) for index, text in enumerate(HOSTILE)
    ))
    talks.add_entry(store, talk_id, text="对方说：" + HOSTILE_TEXT, heading=HOSTILE[1], kind="本人表态",
                    offset_seconds=600)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_live(pilot, app, talk_id)
        output = terminal_output(app)
        for forbidden in FORBIDDEN_ON_TERMINAL:
            assert forbidden not in output, repr(forbidden)
        shown = screen_text(app)
        assert "[@click=app.quit]x[/]" in shown and "$accent" in shown and "[/]" in shown
        assert "␛[2J" in shown and "⟨U+202E⟩" in shown and "␀" in shown
        # Clicking the text that looks like a link runs nothing: the app keeps running on this screen.
        last = editors(app)[-1]
        last.scroll_visible(animate=False)
        await pilot.pause()
        for x in range(16, 40, 3):
            await pilot.click(last.query_one(".entry-header", Static), offset=(x, 0))
        await pilot.click("#live-title", offset=(12, 0))
        await pilot.pause()
        assert app.is_running and app.screen is screen
        # The stored text is untouched by showing it.
        assert [e["text"] for e in stored_entries(store, talk_id)][-1] == "对方说：" + HOSTILE_TEXT


@drive
async def test_a_pasted_escape_sequence_is_cleaned_and_runs_nothing(store: Store) -> None:
    from textual import events

    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_live(pilot, app, talk_id)
        editor = editors(app)[0].editor
        assert editor is not None
        editor.post_message(events.Paste("粘贴\x1b[2J开始\x1b]0;title\x07\x11结束\r\n第二行\u202e"))
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert editor.text == "粘贴[2J开始]0;title结束\n第二行"
        for forbidden in FORBIDDEN_ON_TERMINAL:
            assert forbidden not in terminal_output(app)
        assert screen.autosaver is not None and screen.autosaver.flush()
        assert stored_entries(store, talk_id)[0]["text"] == "粘贴[2J开始]0;title结束\n第二行"


@drive
async def test_hostile_text_on_every_talk_screen_reaches_the_terminal_inert(store: Store) -> None:
    from notes.followups import create_followup
    from tui.screens.prepare import PrepareScreen

    org = make_org(store, interviewee_name="李" + HOSTILE_TEXT)
    store.execute("UPDATE units SET name = ? WHERE id = ?", ["支部" + HOSTILE_TEXT, org.unit])
    store.insert("profile_entries", {"person_id": org.interviewee, "dimension": "basic", "text": HOSTILE_TEXT,
                                     "observed_on": "2026-01-01", "source": HOSTILE[1]})
    talk_id = started_talk(store, org, (("谈思想", "发现问题", HOSTILE_TEXT, False),))
    create_followup(store, talk_id=talk_id, kind="整改", title="整改" + HOSTILE_TEXT, due_on="2026-03-01")
    talks.finish_talk(store, talk_id, at=f"{TALK_DAY}T10:00:00")
    talks.set_outcome(store, talk_id, summary=HOSTILE_TEXT, statement=HOSTILE_TEXT)
    app = make_app(store)

    def inert() -> None:
        assert app.is_running
        output = terminal_output(app)
        for forbidden in FORBIDDEN_ON_TERMINAL:
            assert forbidden not in output, (type(app.screen).__name__, repr(forbidden))

    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.prepare_talk(person_id=org.interviewee, talk_type="routine")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.roster is not None)
        prepare = app.screen
        assert isinstance(prepare, PrepareScreen)
        inert()
        await pilot.press("f8")
        await wait_for(pilot, lambda: prepare.step == 1, timeout=15)
        for _ in range(6):
            inert()
            await pilot.press("f8")
            await pilot.pause()
        assert "[@click=app.quit]x[/]" in screen_text(app)
        inert()
        await pilot.press("escape")
        app.review_talk(talk_id)
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.pause()
        inert()
        assert "$accent" in screen_text(app)
        await pilot.press("escape")
        app.show_followups()
        await wait_for(pilot, lambda: bool(getattr(app.screen, "followups", None)))
        await pilot.pause()
        inert()
        assert "整改[/]" in screen_text(app)
        app.show_ledger()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LedgerScreen")
        await pilot.pause(0.5)
        inert()


@drive
async def test_quitting_mid_sentence_keeps_what_was_typed(store: Store) -> None:
    org = make_org(store)
    talk_id = planned_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_live(pilot, app, talk_id)
        await pilot.press(*"最后一句话")
        await pilot.press("ctrl+q")
    assert [e["text"] for e in stored_entries(store, talk_id)] == ["最后一句话"]


# -- after the talk ------------------------------------------------------------------------------------------


@drive
async def test_finish_seal_export_and_amend(store: Store, tmp_path: Path) -> None:
    from notes.seal import verify_chain

    org = make_org(store)
    talk_id = started_talk(store, org, (
        (APPOINTMENT_POINTS[0], "事实情况", "宣布了任职决定", False),
        (APPOINTMENT_POINTS[1], "本人表态", "表示服从组织安排", False),
        (APPOINTMENT_POINTS[1], "事实情况", "举报人为某某（保密）", True),
    ))
    app = make_app(store)
    async with app.run_test(size=(100, 36)) as pilot:
        await open_live(pilot, app, talk_id)
        await pilot.press("ctrl+n")  # an empty entry is dropped when the talk ends
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert talks.get_talk(store, talk_id).status == "held"
        assert len(talks.get_talk(store, talk_id).entries) == 3
        entries_text = review.query_one("#review-entries", Static)
        assert "举报人" in str(entries_text.render())
        await pilot.press("ctrl+t")  # the interviewee reads along: the 保密 entry is hidden, as on the signed copy
        assert "举报人" not in str(entries_text.render()) and "表示服从组织安排" in str(entries_text.render())
        await pilot.press("ctrl+t")
        assert "举报人" in str(entries_text.render())
        review.query_one("#summary").focus()
        await pilot.press(*"对象思想稳定")
        review.query_one("#statement").focus()
        await pilot.press(*"服从安排")
        review.query_one("#confirmed").focus()
        await pilot.press("space")
        await pilot.press("f9")  # one of three required points has nothing under it: asked twice
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "这份记录还不完整")
        await pilot.press("shift+tab", "enter")
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "再次确认：封存不完整的记录")
        await pilot.press("shift+tab", "enter")
        await wait_for(pilot, lambda: talks.get_talk(store, talk_id).status == "sealed")
        record = talks.get_talk(store, talk_id)
        assert (record.summary, record.statement, record.confirmed) == ("对象思想稳定", "服从安排", True)
        await wait_for(pilot, lambda: "已封存" in str(review.query_one("#review-seal", Static).render()))

        out = tmp_path / "记录.docx"
        review.query_one("#export-record .export-path").value = str(out)  # type: ignore[attr-defined]
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: out.exists() and "已导出" in str(review.query_one(
            "#export-record .export-status", Static).render()), timeout=20)
        from docx import Document

        text = "\n".join(p.text for p in Document(str(out)).paragraphs) + "\n".join(
            cell.text for table in Document(str(out)).tables for row in table.rows for cell in row.cells)
        assert "宣布了任职决定" in text and "举报人" not in text

        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press(*"笔误")
        await pilot.press("enter")
        await pilot.press(*"第二条应为：表示坚决服从组织安排")
        await pilot.click("#ok")
        await wait_for(pilot, lambda: len(talks.get_talk(store, talk_id).amendments) == 1)
        assert talks.get_talk(store, talk_id).entries[1].text == "表示服从组织安排"  # the original stays
        assert verify_chain(store).ok


# -- 跟踪 and 台账 ------------------------------------------------------------------------------------------------


@drive
async def test_followups_board_changes_status_with_evidence_and_names_the_next_step(store: Store) -> None:
    from notes.followups import create_followup

    org = make_org(store)
    talk_id = started_talk(store, org, (("谈作风", "发现问题", "迟到早退", False),))
    overdue = create_followup(store, talk_id=talk_id, kind="整改", title="改正迟到早退", due_on="2026-03-01")
    create_followup(store, talk_id=talk_id, kind="帮扶", title="协调子女入学", due_on="2026-06-01")
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.show_followups()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FollowupsScreen")
        screen = app.screen
        await wait_for(pilot, lambda: bool(getattr(screen, "followups", None)))
        shown = screen_text(app)
        assert "改正迟到早退" in shown and "协调子女入学" in shown
        assert "建议下一步" in shown and "提醒" in shown  # the first rung of the packs' ladder
        await pilot.press("ctrl+f")  # 逾期 only
        await pilot.pause()
        assert "协调子女入学" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StatusDialog"
        # Overdue: 已升级处理 is chosen and the note names the step reached; both stay editable.
        await pilot.press("enter")
        await pilot.click("#ok")
        await wait_for(pilot, lambda: any(f.id == overdue and f.status == "escalated" for f in list_followups(store)))
        [moved] = [f for f in list_followups(store) if f.id == overdue]
        assert moved.history[-1].note == "跟进提醒"  # the first rung of the packs' ladder


@drive
async def test_ledger_exports_run_in_workers_and_typing_goes_on(store: Store, tmp_path: Path) -> None:
    org = make_org(store)
    talk_id = started_talk(store, org, (("谈思想", "事实情况", "思想稳定", False),))
    talks.finish_talk(store, talk_id, at=f"{TALK_DAY}T10:00:00")
    app = make_app(store)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.show_ledger()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LedgerScreen")
        screen = app.screen
        await wait_for(pilot, lambda: "已谈 1 次" in str(screen.query_one("#ledger-count", Static).render()))
        outputs = {}
        for panel_id, name in (("export-ledger", "台账.xlsx"), ("export-report", "报告.docx"),
                               ("export-handbook", "手册.docx")):
            outputs[panel_id] = tmp_path / name
            screen.query_one(f"#{panel_id} .export-path").value = str(tmp_path / name)  # type: ignore[attr-defined]
        await pilot.press("ctrl+o")
        path_field = screen.query_one("#export-report .export-path")
        path_field.focus()
        await pilot.press("end", *"x")  # typing is answered while the exports run
        await wait_for(pilot, lambda: all(p.exists() for p in outputs.values()), timeout=30)
        from openpyxl import load_workbook

        sheet = load_workbook(outputs["export-ledger"]).worksheets[0]
        assert any("李明" in str(c.value) for row in sheet.iter_rows() for c in row)



@drive
async def test_an_unexpected_export_error_is_reported_and_the_panel_stops_waiting(store: Store, tmp_path: Path) -> None:
    from tui.widgets.export_panel import ExportPanel

    make_org(store)
    app = make_app(store)

    def broken(_store: Store) -> Path:
        raise RuntimeError("renderer bug")

    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.show_ledger()
        await wait_for(pilot, lambda: bool(app.screen.query("#export-ledger")))
        panel = app.screen.query_one("#export-ledger", ExportPanel)
        panel.run(broken, tmp_path / "台账.xlsx")
        # The panel stops at once; the report reaches the app a message later.
        await wait_for(pilot, lambda: any("内部错误：RuntimeError" in str(n.message) for n in app._notifications))
        assert not panel.running and "导出失败" in screen_text(app)
        assert not (tmp_path / "台账.xlsx").exists()
