"""The command palette (ctrl+p): the app's commands that make sense where the user is, and people by pinyin.

Typing "zs" offers 张三's page and a talk with 张三; typing "gzt" or "工作" offers 工作台. A screen adds its own
commands by defining `palette_commands()` returning (title, help, callback) triples; a screen that blocks
navigation (a talk in progress) gets only those, so nothing about other people can be reached from it.
Titles and names are Content (shown literally); help texts are the app's own fixed sentences, because the
palette parses help as markup.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.safe import safe, visible
from tui.screens.base import tanxin_app

if TYPE_CHECKING:
    from tui.app import TanxinApp
    from tui.screens.people import Roster

Command = tuple[str, str, Callable[[], object]]
MAX_PEOPLE_HITS = 8
# Scores by how a query matched a title (prep.people_search.match_rank): exactly, from its start in usual
# readings, from its start in rarer readings, somewhere inside.
RANK_SCORES = {0: 1.0, 1: 0.8, 2: 0.65, 3: 0.5}


class TanxinCommands(Provider):
    """Sections, preparing a talk, lock and blank, settings, the screen's own commands, and people."""

    roster: Roster | None = None

    @property
    def tanxin(self) -> TanxinApp:
        return tanxin_app(self.screen)  # a provider is no DOM node: the app of the screen it serves

    async def startup(self) -> None:
        if self._navigation_allowed():
            self.roster = await asyncio.to_thread(self._load_roster)

    def _load_roster(self) -> Roster:
        from tui.screens.people import load_roster

        with self.tanxin.thread_store() as store:
            return load_roster(store)

    def _navigation_allowed(self) -> bool:
        return not getattr(self.screen, "blocks_navigation", False)

    def commands(self) -> Iterator[Command]:
        screen_commands = getattr(self.screen, "palette_commands", None)
        if screen_commands is not None:
            yield from screen_commands()
        if not self._navigation_allowed():
            return
        app = self.tanxin
        yield "工作台", "应谈谈话、逾期跟踪事项、覆盖情况和重点人员", app.show_dashboard
        yield "人员", "按姓名、拼音或首字母查找人员", app.show_people
        yield "跟踪", "谈后跟踪事项看板", app.show_followups
        yield "台账", "谈话台账与年度报告", app.show_ledger
        yield "准备谈话", "选择人员和谈话类型，逐步做好谈前准备", app.prepare_talk
        yield "设置", "自动锁定时间、文书字体、按键", self._open_settings
        yield "锁定", "锁定界面，需输入口令才能继续", app.action_lock
        yield "隐藏屏幕", "立即隐藏屏幕内容，按任意键恢复", app.action_blank

    def _open_settings(self) -> None:
        from tui.screens.settings import SettingsScreen

        self.tanxin.push_screen(SettingsScreen())

    async def discover(self) -> Hits:
        for title, help_text, callback in self.commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        found = False
        for hit in self._search_hits(query):
            found = True
            yield hit
        if not found:
            # Textual's own "No matches found" is English and cannot be changed; with a hit of ours it never shows.
            yield Hit(0.01, Content.assemble("没有找到与“", safe(query), "”匹配的命令或人员"), _nothing,
                      text="没有找到", help="可输入中文、拼音或首字母，如 gzt 即 工作台；按 esc 关闭")

    def _search_hits(self, query: str) -> Iterator[Hit]:
        from prep.people_search import PeopleIndex

        commands = list(self.commands())
        matcher = self.matcher(query)
        fuzzy: set[int] = set()
        for number, (title, help_text, callback) in enumerate(commands):
            score = matcher.match(title)
            if score > 0:
                fuzzy.add(number)
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
        # Pinyin and initials: "gzt" finds 工作台.
        titles = PeopleIndex((number, title) for number, (title, _, _) in enumerate(commands))
        for rank, candidate in titles.ranked(query):
            if candidate.person_id not in fuzzy:
                title, help_text, callback = commands[candidate.person_id]
                yield Hit(RANK_SCORES[rank], Content(title), callback, text=title, help=help_text)
        yield from self._people_hits(query)

    def _people_hits(self, query: str) -> Iterator[Hit]:
        if self.roster is None or not self._navigation_allowed():
            return
        app = self.tanxin
        for rank, candidate in self.roster.index.ranked(query, MAX_PEOPLE_HITS):
            person = self.roster.people[candidate.person_id]
            where = Content.assemble(" （", safe(person.unit), "）") if person.unit else Content("")
            score = RANK_SCORES[rank] * 0.9  # a command of the same name comes first
            yield Hit(score, Content.assemble("人员：", safe(person.name), where),
                      partial(app.open_person, candidate.person_id), text=f"人员：{visible(person.name)}",
                      help="打开此人的页面")
            yield Hit(score * 0.9, Content.assemble("准备谈话：", safe(person.name), where),
                      partial(app.prepare_talk, candidate.person_id), text=f"准备谈话：{visible(person.name)}",
                      help="为此人做谈前准备")


def _nothing() -> None:
    """Choosing "没有找到" only closes the palette."""
