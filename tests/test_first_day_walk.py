"""The first day of a 书记 who has never used a terminal app (#14 "Done when"): from an empty database through the
first run, 导入花名册, 本人, 谈前准备, the talk, 签章封存 and the export, at 80×24, pressing only keys the screen
shows in its footer or its f1 帮助, and reading no English on any screen on the way.

A key that is shown nowhere, or English on a screen, is recorded as a defect and the walk goes on (the key is
pressed anyway, to reach what lies behind it); a step that cannot be done at all stops the walk there. Either way
the test ends in pytest.xfail naming every defect, so it turns green as the screens are fixed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import PASSPHRASE, clock_on
from roster_helpers import real_rows, write_xlsx
from textual.pilot import Pilot
from tui_talk_helpers import drive, screen_text, wait_for

from tui.app import TanxinApp
from tui.cli import cli
from tui.screens.dashboard import DashboardScreen
from tui.screens.roster_import import RosterImportScreen
from tui.screens.unlock import FirstRunScreen, RecoveryKeyScreen
from tui.widgets.safe_input import SafeInput

SIZE = (80, 24)
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
        english = english_words(text, self.typed)
        if english:
            self.defects.append(f"{type(self.app.screen).__name__} shows English {sorted(set(english))}")
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

    def finish(self, stopped_at: str = "") -> None:
        defects = [*dict.fromkeys(self.defects), *([stopped_at] if stopped_at else [])]
        if defects:
            pytest.xfail("; ".join(defects))

    async def type(self, text: str) -> None:
        await self.pilot.press(*text)


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
        walk.typed += (recovery_key,)
        walk.read()
        await walk.type(recovery_key.rsplit("-", 1)[-1])
        await walk.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen) and app.screen.data is not None,
                       timeout=20)
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
        walk.finish("not walked yet: 本人 (m), 谈前准备 (enter), the talk, f8, f9, ctrl+o")
