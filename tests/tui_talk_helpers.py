"""What the talk-screen tests share: a small organisation with fixed dates, the app as the CLI builds it,
hostile text, and the exact text Textual would send to the terminal."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from textual.css.query import NoMatches
from textual.pilot import Pilot

from notes import talks
from notes.clock import FixedClock
from notes.store import Store
from tui.app import TanxinApp

TODAY = date(2026, 3, 12)
TALK_DAY = TODAY.isoformat()
# The moment the app's clock stands at in these tests: 12 min 34 s after the fixture talk started.
FIXED_NOW = datetime(2026, 3, 12, 9, 12, 34)

# Names and notes that must be shown literally and do nothing (docs/pitfalls.md).
HOSTILE = (
    "[/]",
    "[@click=app.quit]x[/]",
    "$accent",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "N\x00UL",
    "\u202eevil",
)
HOSTILE_TEXT = " ".join(HOSTILE)
# None of these may reach the terminal: they come only from user text, never from Textual's own output.
FORBIDDEN_ON_TERMINAL = ("\x1b[2J", "\x1b]0;", "\x07", "\x00", "\u202e")


def drive(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test as a plain pytest test (its fixtures are seen through `functools.wraps`)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


@dataclass(frozen=True)
class TalkOrg:
    unit: int
    interviewer: int
    interviewee: int
    other: int


def make_org(store: Store, interviewee_name: str = "李明") -> TalkOrg:
    with store.transaction():
        unit = store.insert("units", {"name": "机关第一党支部", "kind": "党支部"})
        interviewer = store.insert("people", {"name": "张书记", "unit_id": unit, "position": "支部书记"})
        interviewee = store.insert("people", {"name": interviewee_name, "unit_id": unit, "position": "科员"})
        other = store.insert("people", {"name": "王芳", "unit_id": unit, "position": "副科长"})
    return TalkOrg(unit, interviewer, interviewee, other)


def planned_talk(store: Store, org: TalkOrg, talk_type: str = "appointment") -> int:
    return talks.create_talk(
        store,
        talk_type=talk_type,
        interviewers=[org.interviewer],
        interviewees=[org.interviewee],
        planned_at=f"{TALK_DAY}T09:00",
        place="党建活动室",
        subject="任职前谈话",
    )


def started_talk(store: Store, org: TalkOrg, texts: tuple[tuple[str, str, str, bool], ...] = ()) -> int:
    """A talk started at 09:00 on TALK_DAY with (heading, kind, text, confidential) entries a minute apart."""
    talk_id = planned_talk(store, org)
    talks.start_talk(store, talk_id, at=f"{TALK_DAY}T09:00:00")
    for index, (heading, kind, text, confidential) in enumerate(texts):
        talks.add_entry(store, talk_id, text=text, heading=heading, kind=kind, confidential=confidential,
                        offset_seconds=60 * (index + 1))
    return talk_id


def make_app(store: Store, now: datetime = FIXED_NOW) -> TanxinApp:
    """The app with its clock standing at `now`: the timer, "today" and every stamp it writes agree."""
    return TanxinApp(store, clock=FixedClock(now), cursor_blink=False)


def terminal_output(app: TanxinApp) -> str:
    """Everything Textual would write to the terminal for the current screen, escape sequences included."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def screen_text(app: TanxinApp) -> str:
    """The characters on screen, without styles (what a person reads)."""
    return "\n".join(
        "".join(segment.text for strip in line for segment in strip)
        for line in app.screen._compositor.render_full_update().strips
    )


def dashboard_ready(app: TanxinApp) -> Callable[[], bool]:
    """工作台 is shown with its lists computed (at the start, or by a refresh)."""
    from tui.screens.dashboard import DashboardScreen

    return lambda: isinstance(app.screen, DashboardScreen) and app.screen.data is not None


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until `condition` holds (workers and the autosave thread finish in their own time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            if condition():
                return
        except NoMatches:  # the screen has not composed its widgets yet
            pass
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


def demo_today(store: Store) -> date:
    """The date the demo database was generated for (kept in its audit log)."""
    detail = store.scalar("SELECT detail FROM audit_log WHERE action = 'demo' ORDER BY id DESC LIMIT 1")
    return date.fromisoformat(json.loads(detail)["today"])


@dataclass(frozen=True)
class SnapshotData:
    org: TalkOrg
    earlier_talk: int  # sealed in January, with an overdue 整改
    live_talk: int  # an appointment talk in progress: every kind of entry, one 保密, one follow-up


def snapshot_data(store: Store) -> SnapshotData:
    """A small organisation where every date is fixed, so the screens look the same in every run: the store's
    clock is moved along the story, so each row is stamped when it would have been typed."""
    from notes.followups import create_followup, followup_from_entry
    from notes.seal import seal_talk

    clock = FixedClock(datetime(2026, 1, 10, 9, 0))
    store.clock = clock
    org = make_org(store)
    with store.transaction():
        store.insert("roles", {"person_id": org.interviewer, "unit_id": org.unit, "role": "支部书记",
                               "start_date": "2024-01-01"})
        for person in (org.interviewee, org.other):
            store.insert("roles", {"person_id": person, "unit_id": org.unit, "role": "党员", "start_date": "2020-01-01"})
        for dimension, text, observed in (
            ("basic", "2012年参加工作，大学本科学历。", "2025-12-01"),
            ("performance", "业务能力强，年度考核优秀。", "2023-05-10"),
            ("difficulties", "子女入学有困难。", "2026-02-20"),
        ):
            store.insert("profile_entries", {"person_id": org.interviewee, "dimension": dimension, "text": text,
                                             "observed_on": observed, "source": "支部书记了解"})
        store.insert("events", {"person_id": org.interviewee, "event_type": "appointment_decision",
                                "occurred_on": "2026-03-09", "note": "任命为综合科副科长"})
    earlier = talks.create_talk(store, talk_type="routine", interviewers=[org.interviewer],
                                interviewees=[org.interviewee], planned_at="2026-01-15T09:00", place="支部活动室",
                                subject="日常谈心")
    clock.set(datetime(2026, 1, 15, 9, 0))
    talks.start_talk(store, earlier)
    clock.advance(minutes=5)
    problem = talks.add_entry(store, earlier, text="报销单据整理不及时。", heading="谈作风", kind="发现问题")
    clock.set(datetime(2026, 1, 15, 9, 40))
    talks.finish_talk(store, earlier)
    talks.set_outcome(store, earlier, summary="思想稳定，工作作风需改进。", statement="接受批评，按期整改。", confirmed=True)
    clock.set(datetime(2026, 1, 15, 10, 0))
    followup_from_entry(store, problem, kind="整改", due_on="2026-02-28")
    clock.set(datetime(2026, 1, 15, 11, 0))
    seal_talk(store, earlier)

    clock.set(datetime(2026, 3, 12, 9, 5))

    live = started_talk(store, org, (
        ("组织决定及任职的主要理由", "事实情况", "宣布任命为综合科副科长的决定和理由。", False),
        ("组织对谈话对象的基本评价和群众的反映", "本人表态", "表示服从组织安排，尽快进入角色。", False),
        ("谈生活", "困难诉求", "子女入学有困难，希望组织了解。", False),
        ("新任职岗位的基本要求", "发现问题", "原岗位工作交接尚未完成。", False),
        ("谈作风", "事实情况", "反映人为某同志（身份保密）。", True),
    ))
    clock.set(datetime(2026, 3, 12, 9, 6))
    create_followup(store, talk_id=live, kind="整改", title="按期完成原岗位工作交接", due_on="2026-03-31",
                    entry_id=talks.get_talk(store, live).entries[3].id)
    return SnapshotData(org, earlier, live)
