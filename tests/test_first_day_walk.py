"""The first day of a 书记 who has never used a terminal app (#14 "Done when"): from an empty database through the
first run, 导入花名册, 本人, 谈前准备, the talk, 签章封存 and the export, at 80×24, pressing only keys the screen
shows in its footer or its f1 帮助, reading no English on any screen on the way, and finding f1 帮助 in every
footer (a crowded footer must not push it off at 80 columns). The record it exports is read back with python-docx.

A key that is shown nowhere, or English on a screen, is recorded as a defect and the walk goes on (the key is
pressed anyway, to reach what lies behind it), so the test fails naming every defect it met, not only the first;
a step that cannot be done at all stops the walk there."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import PASSPHRASE, clock_on
from docx import Document
from roster_helpers import real_rows, write_xlsx
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import TextArea
from tui_talk_helpers import dashboard_ready, drive, screen_text, wait_for

from notes import talks
from tui.app import TanxinApp
from tui.cli import cli
from tui.screens.dashboard import DashboardScreen
from tui.screens.help import HelpScreen
from tui.screens.live import LiveScreen
from tui.screens.owner import OwnerScreen
from tui.screens.prepare import PrepareScreen
from tui.screens.review import ReviewScreen
from tui.screens.roster_import import RosterImportScreen
from tui.screens.unlock import FirstRunScreen, RecoveryKeyScreen
from tui.widgets.safe_input import SafeInput

SIZE = (80, 24)
# What the interviewer notes, one entry under each required point of 班子成员相互谈心.
NOTES = ("班子团结，对党组织建设提出加强学习的意见。", "群众反映：报销流程较慢。", "约定每月沟通一次分管工作。",
         "开展批评和自我批评，提出改进作风的建议。")
TODAY = date(2026, 11, 22)  # the day conftest pins TANXIN_NOW to
# Words a user may read in Latin letters: the product and the file kinds, and the names printed on the keys.
ALLOWED = {"TANXIN", "DOCX", "XLSX", "XLS", "CSV", "CTRL", "SHIFT", "ALT", "ENTER", "ESC", "TAB", "SPACE", "HOME", "END"}
# A command to type (tanxin --recovery-key passwd), a key (ctrl+q, f12), a pinyin example (gzt) and a file path
# (shown cut short, so not found by its full text) are input, not words to read.
_INPUT = re.compile(r"\S*/\S*|tanxin(?: [-\w]+)*|--[\w-]+|\b(?:ctrl|shift|alt)\+\w+|\bf\d+\b|\b(?:gzt|zs)\b")
# The CLI's command names, which help may quote wrapped away from their `tanxin`.
COMMAND_WORDS = {word for name in cli.commands for word in name.split("-")}


def english_words(text: str, typed: tuple[str, ...] = ()) -> list[str]:
    for value in typed:
        text = text.replace(value, "")
    return [word for word in re.findall(r"[A-Za-z]{3,}", _INPUT.sub("", text)) if word.upper() not in ALLOWED and word not in COMMAND_WORDS]


def footer(app: TanxinApp) -> str:
    return screen_text(app).splitlines()[-1]


class Walk:
    """The app and what the walk has seen: every screen is read for English before a key is pressed on it."""

    def __init__(self, app: TanxinApp, pilot: Pilot[None], typed: tuple[str, ...]) -> None:
        self.app, self.pilot, self.typed = app, pilot, typed
        self.defects: list[str] = []

    def read(self) -> str:
        text = screen_text(self.app)
        name = type(self.app.screen).__name__
        english = english_words(text, self.typed)
        if english:
            self.defects.append(f"{name} shows English {sorted(set(english))}")
        if "f1 帮助" not in footer(self.app) and not isinstance(self.app.screen, HelpScreen):
            self.defects.append(f"{name}: f1 帮助 is cut off the footer at 80×24")
        return text

    async def help_text(self) -> str:
        """The f1 帮助 of the current screen (f1 must itself be in the footer)."""
        assert "f1 帮助" in footer(self.app), footer(self.app)
        before = self.app.screen
        await self.pilot.press("f1")
        await wait_for(self.pilot, lambda: self.app.screen is not before)
        text = self.read()
        assert "esc" in footer(self.app)
        await self.pilot.press("escape")
        await wait_for(self.pilot, lambda: self.app.screen is before)
        return text

    async def press(self, key: str, shown_as: str) -> None:
        """Press `key` after finding it, as `shown_as` (^s, f7, enter …), in the footer or in the f1 help."""
        self.read()
        if shown_as not in footer(self.app) and shown_as not in await self.help_text():
            self.defects.append(f"{type(self.app.screen).__name__}: {shown_as} is shown neither in the footer nor "
                                "in f1 帮助")
        await self.pilot.press(key)

    def finish(self) -> None:
        if self.defects:
            pytest.fail("; ".join(dict.fromkeys(self.defects)))

    def key_of(self, binding_id: str) -> tuple[str, str]:
        """The key bound to `binding_id` on the current screen, and how the footer shows it (the walk follows
        the screen, not a key remembered from an earlier version)."""
        for key, active in self.app.screen.active_bindings.items():
            if active.binding.id == binding_id:
                return key, self.app.get_key_display(active.binding)
        raise AssertionError(f"{binding_id} is not bound on {type(self.app.screen).__name__}")

    async def type(self, text: str) -> None:
        """Type `text` as a terminal delivers it: each key with its character. (Pilot's `press` takes key names and
        loses a character whose name it cannot turn back, such as the full-width ，。：.)"""
        for character in text:
            self.app.post_message(events.Key(_character_to_key(character), character))
            await self.pilot.pause()


@drive
async def test_first_day_from_an_empty_database_to_an_exported_record(tmp_path: Path) -> None:
    roster = write_xlsx(tmp_path / "花名册.xlsx", real_rows(faults=False))
    app = TanxinApp(None, db_path=tmp_path / "tanxin.db", clock=clock_on(TODAY), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        walk = Walk(app, pilot, (str(tmp_path), str(roster)))
        # -- first run: passphrase twice, the organisation's name, the recovery key confirmed -----------------
        await wait_for(pilot, lambda: isinstance(app.screen, FirstRunScreen))
        assert isinstance(app.focused, SafeInput) and app.focused.id == "passphrase"  # typing lands at once
        await walk.type(PASSPHRASE)
        await walk.press("tab", "tab")
        await walk.type(PASSPHRASE)
        await walk.press("tab", "tab")
        await walk.type("青川市财政局机关党委")
        await walk.press("ctrl+s", "^s")
        await wait_for(pilot, lambda: isinstance(app.screen, RecoveryKeyScreen), timeout=20)
        recovery_key = app.screen.recovery_key  # type: ignore[attr-defined]
        walk.typed += (recovery_key, *recovery_key.split("-"))  # shown in groups, which may wrap
        walk.read()
        await walk.type(recovery_key.rsplit("-", 1)[-1])
        await walk.press("enter", "enter")
        await wait_for(pilot, dashboard_ready(app), timeout=20)
        # -- 导入花名册 from the empty 工作台 -------------------------------------------------------------------
        await walk.press("f7", "f7")
        await wait_for(pilot, lambda: isinstance(app.screen, RosterImportScreen))
        await walk.type(str(roster))
        await walk.press("ctrl+r", "^r")
        await wait_for(pilot, lambda: "确认导入" in screen_text(app) and "新增" in screen_text(app), timeout=20)
        await walk.press("ctrl+s", "^s")
        await wait_for(pilot, lambda: "已新增 8 人" in screen_text(app), timeout=20)
        await walk.press("escape", "esc")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        # -- 本人: the 书记 of the roster ----------------------------------------------------------------------
        await walk.press(*walk.key_of("dashboard.owner"))
        await wait_for(pilot, lambda: isinstance(app.screen, OwnerScreen))
        await walk.type("cj")  # 陈静, by the initials of her name
        await wait_for(pilot, lambda: "陈静 · 机关第一党支部" in screen_text(app))
        await walk.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and "本人：陈静" in screen_text(app))
        # -- 谈前准备 for the first talk due: the cursor is on it --------------------------------------------
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen) and dashboard.data is not None
        first = dashboard.data.rows[0]
        assert first.person == "刘洋"
        walk.read()
        await walk.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepareScreen) and app.screen.brief is None
                       and "已选：刘洋" in screen_text(app))
        await walk.press("f8", "f8")  # the type due is chosen already: the brief is built, on to step 2
        await wait_for(pilot, lambda: "第 2/7 步" in screen_text(app), timeout=10)
        while "第 6/7 步" not in screen_text(app):
            await walk.press("f8", "f8")
            await pilot.pause()
        # the plan: the time as people write it, the place, and 孙伟 (办公室主任) to take the notes
        await walk.type("2026年11月23日 9时30分")
        await walk.press("tab", "tab")
        await walk.type("局党组会议室")
        while not (isinstance(app.focused, SafeInput) and app.focused.placeholder.endswith("（可不填）")):
            await walk.press("tab", "tab")
        walk.typed += ("sunwei",)
        await walk.type("sunwei")
        await wait_for(pilot, lambda: "孙伟 · 机关第一党支部" in screen_text(app))
        await walk.press("enter", "enter")
        await walk.press("f8", "f8")
        await wait_for(pilot, lambda: "第 7/7 步" in screen_text(app))
        await walk.press("ctrl+s", "^s")
        await wait_for(pilot, lambda: "现在开始谈话吗" in screen_text(app))
        talk = talks.get_talk(app.store, talks.list_talks(app.store)[0].id)
        assert (talk.planned_at, talk.place, talk.note_taker and talk.note_taker.name) == (
            "2026-11-23T09:30:00", "局党组会议室", "孙伟")
        await walk.press("enter", "enter")
        # -- the talk: one entry under each required point -----------------------------------------------
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and isinstance(app.focused, TextArea))
        for index, text in enumerate(NOTES):
            if index:
                await walk.press("ctrl+n", "^n")
                await walk.press("ctrl+r", "^r")
                await wait_for(pilot, lambda: "本条属于哪个要点" in screen_text(app))
                await walk.press("down", "↓")
                await walk.press("enter", "enter")
                await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and isinstance(app.focused, TextArea))
            await walk.type(text)
        await wait_for(pilot, lambda: "必谈要点 4/4" in screen_text(app))
        await walk.press("f8", "f8")
        await wait_for(pilot, lambda: "结束这次谈话" in screen_text(app))
        await walk.press("enter", "enter")
        # -- 谈后: summary, statement, the interviewee's confirmation; 签章封存 --------------------------------
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.focused is not None
                       and app.focused.id == "summary")
        await walk.type("班子团结，工作有序；财务审核培训需加强。")
        await walk.press("tab", "tab")
        await walk.type("同意记录内容，将抓好培训。")
        await walk.press("tab", "tab")
        await walk.press("enter", "enter")  # ticks 谈话对象已确认记录内容
        await walk.press("f9", "f9")
        await wait_for(pilot, lambda: "签章封存这份谈话记录" in screen_text(app))  # complete: asked once
        await walk.press("enter", "enter")
        await wait_for(pilot, lambda: "已封存，可核验" in screen_text(app), timeout=10)
        # -- the record for the three signatures, written where the user says --------------------------------
        out = tmp_path / "刘洋谈心谈话记录.docx"
        while not (isinstance(app.focused, SafeInput) and app.focused.has_class("export-path")):
            await walk.press("tab", "tab")
        await walk.type(str(out))  # the whole suggested path is selected on entering the field: typing replaces it
        await walk.press("ctrl+o", "^o")
        await wait_for(pilot, lambda: "已导出" in screen_text(app), timeout=20)
        walk.read()
    document = Document(str(out))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert "刘洋" in text and "孙伟" in text and NOTES[1] in text
    walk.finish()
