"""暂离: stepping away from a talk in progress stops its timer; coming back counts on. The time away is kept with
the talk (schema v8: away_since, and each closed time away a row of talk_away), left out of the talk's time, the
entries' minutes and the timer, closed when the talk ends, and never changed afterwards; the sealed content does
not include it (docs/talk-time.md). Only the window holding the talk's lease steps away from it."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import run_cli
from talk_helpers import Org, make_org
from textual.widgets import Static
from tui_talk_helpers import drive, make_app, screen_text, wait_for
from tui_talk_helpers import make_org as make_talk_org
from tui_talk_helpers import started_talk as started_app_talk

import tui.widgets.timer
from notes import leases, seal, talks
from notes.clock import FixedClock
from notes.errors import InvalidInput, TanxinError
from notes.store import Store
from notes.talk_pause import TalkTime, away_moment_text, away_note
from notes.talk_queries import open_talks
from tui.screens.live import LiveScreen
from tui.widgets.timer import TalkTimer

START = datetime(2026, 11, 22, 9, 0)


@pytest.fixture
def clock(store: Store) -> FixedClock:
    """The store's clock, standing at 09:00 on the test day until a test moves it."""
    fixed = FixedClock(START)
    store.clock = fixed
    return fixed


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


def talk_in_progress(store: Store, org: Org) -> int:
    """A 任职谈话 with 李明 that began at 09:00 (the clock's moment)."""
    talk_id = talks.create_talk(store, talk_type="appointment", interviewers=[org.secretary],
                                interviewees=[org.member], planned_at="2026-11-22T09:00", place="党建活动室",
                                subject="任职前谈话")
    talks.start_talk(store, talk_id)
    return talk_id


def pause_columns(store: Store, talk_id: int) -> tuple[str | None, int]:
    """Away since when (None: not away), and the closed time away counted inside the talk."""
    return talks.talk_row(store, talk_id)["away_since"], talks.talk_time(store, talk_id).paused_seconds


def audit_actions(store: Store, talk_id: int) -> list[tuple[str, dict[str, object]]]:
    rows = store.rows("SELECT action, detail FROM audit_log WHERE subject = 'talk' AND subject_id = ? ORDER BY id",
                      [talk_id])
    return [(action, json.loads(detail)) for action, detail in rows]


# -- the record ----------------------------------------------------------------------------------------------


def test_time_away_is_not_talk_time(store: Store, org: Org, clock: FixedClock) -> None:
    talk_id = talk_in_progress(store, org)
    clock.advance(minutes=20)
    assert talks.step_away(store, talk_id) is True
    assert pause_columns(store, talk_id) == ("2026-11-22T09:20:00", 0)

    # 工作台 learns it from the open talks: in progress, not on screen, away since 09:20.
    assert [(t.id, t.away_since) for t in open_talks(store)] == [(talk_id, "2026-11-22T09:20:00")]
    clock.advance(minutes=12)  # away: the talk's time stands still
    assert talks.talk_time(store, talk_id).net_seconds(clock.now()) == 20 * 60
    assert talks.step_away(store, talk_id) is False  # stepping away again keeps the first moment
    assert pause_columns(store, talk_id) == ("2026-11-22T09:20:00", 0)

    clock.advance(minutes=3)
    assert talks.come_back(store, talk_id) == 15 * 60
    assert pause_columns(store, talk_id) == (None, 15 * 60)
    assert talks.come_back(store, talk_id) == 0  # not away: nothing changes

    clock.advance(minutes=5)
    time = talks.talk_time(store, talk_id)
    assert time.net_seconds(clock.now()) == 25 * 60  # 09:00–09:40 less the 15 minutes away
    assert [action for action, _ in audit_actions(store, talk_id)] == ["create", "start", "step_away", "come_back"]
    assert audit_actions(store, talk_id)[-1][1] == {"at": "2026-11-22T09:35:00", "away_seconds": 900}


def test_each_time_away_adds_up_and_entries_get_the_minute_the_timer_shows(
    store: Store, org: Org, clock: FixedClock
) -> None:
    talk_id = talk_in_progress(store, org)
    for away_minutes in (4, 6):
        clock.advance(minutes=10)
        talks.step_away(store, talk_id)
        clock.advance(minutes=away_minutes)
        talks.come_back(store, talk_id)
    assert pause_columns(store, talk_id) == (None, 10 * 60)
    clock.advance(minutes=1)  # 09:31: 21 minutes of talk
    entry_id = talks.add_entry(store, talk_id, text="表示服从组织安排。", heading="谈思想")
    assert talks.get_entry(store, entry_id)[1].offset_seconds == 21 * 60


def test_ending_the_talk_while_away_closes_the_time_away(store: Store, org: Org, clock: FixedClock) -> None:
    talk_id = talk_in_progress(store, org)
    clock.advance(minutes=30)
    talks.step_away(store, talk_id)
    clock.advance(minutes=10)
    talks.finish_talk(store, talk_id)  # f8 (or `tanxin talk end`) while away: the time away ends with the talk
    assert pause_columns(store, talk_id) == (None, 10 * 60)
    time = talks.talk_time(store, talk_id)
    clock.advance(hours=3)
    assert time.net_seconds(clock.now()) == 30 * 60
    with pytest.raises(InvalidInput, match="只有进行中的谈话可以暂离"):
        talks.step_away(store, talk_id)
    with pytest.raises(InvalidInput, match="只有进行中的谈话可以继续"):
        talks.come_back(store, talk_id)


def test_an_end_typed_before_the_time_away_counts_none_of_it(store: Store, org: Org, clock: FixedClock) -> None:
    talk_id = talk_in_progress(store, org)
    clock.advance(minutes=45)
    talks.step_away(store, talk_id)  # left the screen after the talk, forgot to press f8
    clock.advance(hours=2)
    talks.finish_talk(store, talk_id, at="2026-11-22T09:40")
    assert pause_columns(store, talk_id) == (None, 0)
    assert talks.talk_time(store, talk_id).net_seconds(clock.now()) == 40 * 60


def test_cancelling_while_away_closes_the_time_away(store: Store, org: Org, clock: FixedClock) -> None:
    talk_id = talk_in_progress(store, org)
    talks.step_away(store, talk_id)
    clock.advance(minutes=5)
    talks.cancel_talk(store, talk_id, "谈话对象临时出差")
    assert pause_columns(store, talk_id) == (None, 5 * 60)


def test_only_a_talk_in_progress_can_be_stepped_away_from(store: Store, org: Org, clock: FixedClock) -> None:
    planned = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.other],
                                planned_at="2026-11-25T15:00")
    with pytest.raises(InvalidInput, match="当前状态为“计划中”，只有进行中的谈话可以暂离"):
        talks.step_away(store, planned)
    assert pause_columns(store, planned) == (None, 0)


# -- the database keeps it honest ----------------------------------------------------------------------------


def sealed_talk_with_time_away(store: Store, org: Org, clock: FixedClock) -> int:
    talk_id = talk_in_progress(store, org)
    talks.add_entry(store, talk_id, text="宣布任命决定。", heading="组织决定及任职的主要理由")
    clock.advance(minutes=10)
    talks.step_away(store, talk_id)
    clock.advance(minutes=7)
    talks.come_back(store, talk_id)
    clock.advance(minutes=20)
    talks.finish_talk(store, talk_id)
    talks.set_outcome(store, talk_id, summary="思想稳定。", statement="服从组织安排。", confirmed=True)
    clock.advance(minutes=5)
    seal.seal_talk(store, talk_id)
    return talk_id


def test_a_sealed_talk_keeps_its_time_away_and_verifies(store: Store, org: Org, clock: FixedClock) -> None:
    talk_id = sealed_talk_with_time_away(store, org, clock)
    before = store.content_digest()
    for statement, refusal in (("UPDATE talk_away SET until = since WHERE talk_id = ?", "cannot be changed"),
                               ("DELETE FROM talk_away WHERE talk_id = ?", "cannot be deleted"),
                               ("INSERT INTO talk_away VALUES (?, '2026-11-22T09:20:00', '2026-11-22T09:30:00')",
                                "only while the talk is in progress"),
                               ("UPDATE talks SET away_since = '2026-11-22T09:30:00' WHERE id = ?", "sealed")):
        with pytest.raises(TanxinError, match=refusal):
            store.execute(statement, [talk_id])
    assert store.content_digest() == before
    assert pause_columns(store, talk_id) == (None, 7 * 60)
    # Informative only: the sealed content is what it was before time away was recorded (start and end).
    document = seal.canonical_record(store, talk_id)
    assert "talk_away" not in json.dumps(document) and "away_since" not in json.dumps(document)
    assert (document["started_at"], document["ended_at"]) == ("2026-11-22T09:00:00", "2026-11-22T09:37:00")
    assert seal.verify_chain(store).ok


def test_time_away_is_written_only_while_the_talk_is_in_progress(store: Store, org: Org, clock: FixedClock) -> None:
    talk_id = talk_in_progress(store, org)
    away = "INSERT INTO talk_away VALUES (?, '2026-11-22T09:01:00', '2026-11-22T09:02:00')"
    store.execute(away, [talk_id])  # in progress: allowed
    with pytest.raises(TanxinError, match="CHECK"):  # a time away that ends before it began
        store.execute("INSERT INTO talk_away VALUES (?, '2026-11-22T09:05:00', '2026-11-22T09:04:00')", [talk_id])
    clock.advance(minutes=10)
    talks.finish_talk(store, talk_id)
    with pytest.raises(TanxinError, match="only while the talk is in progress"):  # held, not sealed yet: refused
        store.execute(away, [talk_id])
    with pytest.raises(TanxinError, match="cannot be changed"):
        store.execute("UPDATE talk_away SET until = since WHERE talk_id = ?", [talk_id])
    with pytest.raises(TanxinError, match="CHECK"):  # away from a talk that is not in progress
        store.execute("INSERT INTO talks (code, talk_type, status, away_since) VALUES ('TX-X', 'routine', 'held', ?)",
                      ["2026-11-22T09:01:00"])
    assert pause_columns(store, talk_id) == (None, 60)
    assert talks.talk_time(store, talk_id).net_seconds(clock.now()) == 9 * 60


def test_a_talk_left_in_progress_before_version_8_is_away_since_its_last_write(tmp_path: Path) -> None:
    """Left days ago without 暂离 (there was none): reopened after the upgrade, the timer must not show days."""
    key = os.urandom(32)
    path = tmp_path / "v7.db"
    clock = FixedClock(datetime(2026, 11, 18, 9, 0))
    with Store.create(path, key, version=7, clock=clock) as old:
        org = make_org(old)
        talk_id = talks.create_talk(old, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
        talks.start_talk(old, talk_id)
        clock.advance(minutes=25)
        entry_id = talks.add_entry(old, talk_id, text="谈了近期的思想和工作情况。", heading="谈思想")
        clock.advance(minutes=10)
        talks.update_entry(old, entry_id, text="谈了近期的思想、工作和家庭情况。")  # the last write: 09:35
        untouched = talks.create_talk(old, talk_type="routine", interviewers=[org.secretary],
                                      interviewees=[org.other])
        talks.start_talk(old, untouched)  # 09:35, nothing written since
        clock.advance(minutes=5)
        talks.update_talk(old, untouched, place="党员活动室")  # 09:40: the talk's own row is the last write
    with Store.open(path, key, clock=FixedClock(datetime(2026, 11, 22, 10, 0))) as upgraded:
        assert pause_columns(upgraded, talk_id) == ("2026-11-18T09:35:00", 0)
        assert pause_columns(upgraded, untouched) == ("2026-11-18T09:40:00", 0)
        assert talks.talk_time(upgraded, talk_id).net_seconds(upgraded.clock.now()) == 35 * 60
        assert talks.come_back(upgraded, talk_id) == 4 * 24 * 3600 + 25 * 60
        assert talks.talk_time(upgraded, talk_id).net_seconds(upgraded.clock.now()) == 35 * 60


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 22, hour, minute)


def test_talk_time_arithmetic() -> None:
    ten_minutes = ((at(9, 10), at(9, 20)),)
    time = TalkTime(START, None, ten_minutes, at(9, 50))
    assert time.away and time.net_seconds(at(11, 0)) == 40 * 60 and time.paused_seconds == 10 * 60
    assert TalkTime(None, None, (), None).net_seconds(START) == 0  # not started (or written up by day)
    assert TalkTime(START, None, (), None).net_seconds(at(8, 0)) == 0  # a clock set back
    # An end typed later counts only the part of each time away inside the talk.
    across, after = ((at(9, 10), at(9, 40)),), ((at(9, 30), at(9, 40)),)
    assert TalkTime(START, at(9, 20), across, None).net_seconds(at(11, 0)) == 10 * 60
    assert TalkTime(START, at(9, 20), after, None).net_seconds(at(11, 0)) == 20 * 60
    assert TalkTime(at(9, 15), at(9, 30), across, None).paused_seconds == 15 * 60  # begun during it (typed)
    assert (away_note(0), away_note(20), away_note(59), away_note(60), away_note(89), away_note(12 * 60)) == (
        "", "", "", "其间暂离 1 分钟", "其间暂离 1 分钟", "其间暂离 12 分钟")


def test_the_moment_of_stepping_away_says_its_day_when_it_was_not_today() -> None:
    today = date(2026, 11, 22)
    assert away_moment_text(at(9, 10), today) == "09:10"
    assert away_moment_text(datetime(2026, 11, 20, 9, 10), today) == "11-20 09:10"
    assert away_moment_text(datetime(2025, 11, 20, 9, 10), today) == "2025-11-20 09:10"
    assert away_moment_text(datetime(2025, 12, 31, 23, 59), date(2026, 1, 1)) == "2025-12-31 23:59"


# -- the command line ----------------------------------------------------------------------------------------


def test_show_gives_the_time_away(store: Store, db_path: Path, org: Org, clock: FixedClock) -> None:
    sealed_id = sealed_talk_with_time_away(store, org, clock)
    clock.set(datetime(2026, 11, 22, 9, 45))
    away_id = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.other])
    talks.start_talk(store, away_id)
    clock.advance(minutes=5)
    talks.step_away(store, away_id)

    result = run_cli(["--db", str(db_path), "show", "--json", str(sealed_id)])
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["paused_seconds"], shown["away_since"], shown["duration_seconds"]) == (420, None, 30 * 60)

    result = run_cli(["--db", str(db_path), "show", "--json", str(away_id)])
    shown = json.loads(result.stdout)
    assert (shown["paused_seconds"], shown["away_since"], shown["duration_seconds"]) == (
        0, "2026-11-22T09:50:00", 5 * 60)

    text = run_cli(["--db", str(db_path), "show", str(sealed_id)]).stdout
    assert "至 2026-11-22 09:37（其间暂离 7 分钟）" in text
    text = run_cli(["--db", str(db_path), "show", str(away_id)]).stdout
    assert "（暂离中，09:50 起）" in text


def test_ending_from_the_command_line_says_how_long_the_interviewer_was_away(
    store: Store, db_path: Path, org: Org, clock: FixedClock
) -> None:
    # The CLI runs on the test moment (10:00, TANXIN_NOW, a clock that ticks on from there): the talk began at
    # 09:00 and was left at 09:48.
    talk_id = talk_in_progress(store, org)
    clock.set(datetime(2026, 11, 22, 9, 48))
    talks.step_away(store, talk_id)
    result = run_cli(["--db", str(db_path), "talk", "end", str(talk_id)])
    assert result.exit_code == 0, result.stderr
    assert "（其间暂离 12 分钟，不计入谈话用时）" in result.stdout
    away_since, paused = pause_columns(store, talk_id)
    assert away_since is None and 12 * 60 <= paused < 12 * 60 + 30


# -- the app -------------------------------------------------------------------------------------------------


@drive
async def test_esc_stops_the_timer_and_reopening_counts_on(store: Store) -> None:
    org = make_talk_org(store)
    talk_id = started_app_talk(store, org)  # began 09:00; the app's clock stands at 09:12:34
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.hold_talk(talk_id)
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and bool(app.screen.query(TalkTimer)))
        assert "用时 12:34" in screen_text(app)

        await pilot.press("escape")  # 暂离
        await wait_for(pilot, lambda: not isinstance(app.screen, LiveScreen))
        assert talks.talk_row(store, talk_id)["away_since"] == "2026-03-12T09:12:34"
        assert talks.get_talk(store, talk_id).status == "in_progress"

        assert isinstance(app.clock, FixedClock)
        app.clock.advance(minutes=25)  # a phone call down the corridor
        app.hold_talk(talk_id)  # what 工作台's enter does on a talk in progress
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and bool(app.screen.query(TalkTimer)))
        await pilot.pause()
        assert "用时 12:34" in screen_text(app)  # the 25 minutes away are not talk time
        assert any("其间暂离 25 分钟，不计入谈话用时" in str(n.message) for n in app._notifications)
        assert talks.talk_time(store, talk_id).paused_seconds == 25 * 60

        app.clock.advance(seconds=6)  # and the timer counts on from where it stood
        await wait_for(pilot, lambda: "用时 12:40" in str(app.screen.query_one("#live-timer", Static).render()))


@drive
async def test_a_read_only_window_follows_the_editors_time_away_and_end(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tui.widgets.timer, "FOLLOW_SECONDS", 0.05)
    org = make_talk_org(store)
    talk_id = started_app_talk(store, org)  # began 09:00; the app's clock stands at 09:12:34
    assert leases.acquire(store, talk_id, "the-editors-window") is None  # another window edits the talk
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.hold_talk(talk_id)
        await wait_for(pilot, lambda: getattr(app.screen, "question", "") == "这次谈话正在另一窗口中编辑")
        await pilot.press("enter")  # 只读查看
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and bool(app.screen.query(TalkTimer)))
        assert isinstance(app.screen, LiveScreen) and not app.screen.holding
        timer = app.screen.query_one(TalkTimer)

        def shown() -> str:
            return str(timer.render())

        assert shown() == "用时 12:34"
        assert isinstance(app.clock, FixedClock)

        talks.step_away(store, talk_id, token="the-editors-window")  # the editor pressed esc
        await wait_for(pilot, lambda: shown() == "暂离 12:34")
        app.clock.advance(minutes=5)
        await pilot.pause(0.2)
        assert shown() == "暂离 12:34"  # the time away is not talk time here either

        talks.come_back(store, talk_id)
        app.clock.advance(seconds=6)
        await wait_for(pilot, lambda: shown() == "用时 12:40")
        assert timer.tooltip == "其间暂离 5 分钟，不计入用时"

        talks.finish_talk(store, talk_id)  # the editor pressed f8
        await pilot.pause(0.2)
        ended = shown()
        app.clock.advance(minutes=1)
        await pilot.pause(0.2)
        assert shown() == ended  # stands still once the talk has ended


# -- the review's findings -----------------------------------------------------------------------------------


def test_an_end_typed_later_counts_only_the_time_away_inside_the_talk(
    store: Store, db_path: Path, org: Org, clock: FixedClock
) -> None:
    """Typed up from paper: the talk ended at 09:20. A time away 09:10–09:40 lies half inside it; one at
    09:30–09:40 (stepped away after the talk, forgot f8) not at all."""
    across = talk_in_progress(store, org)
    clock.advance(minutes=10)
    talks.step_away(store, across)
    clock.advance(minutes=30)
    talks.come_back(store, across)

    clock.set(START)
    after = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.other])
    talks.start_talk(store, after)
    clock.advance(minutes=30)
    talks.step_away(store, after)
    clock.advance(minutes=10)
    talks.come_back(store, after)

    for talk_id in (across, after):
        result = run_cli(["--db", str(db_path), "talk", "end", str(talk_id), "--at", "2026-11-22 09:20"])
        assert result.exit_code == 0, result.stderr
    shown = [json.loads(run_cli(["--db", str(db_path), "show", "--json", str(t)]).stdout) for t in (across, after)]
    assert [(s["duration_seconds"], s["paused_seconds"]) for s in shown] == [(10 * 60, 10 * 60), (20 * 60, 0)]
    assert "至 2026-11-22 09:20（其间暂离 10 分钟）" in run_cli(["--db", str(db_path), "show", str(across)]).stdout
    text = run_cli(["--db", str(db_path), "show", str(after)]).stdout
    assert "至 2026-11-22 09:20  " in text and "暂离" not in text


def test_only_the_window_holding_the_lease_steps_away(store: Store, org: Org, clock: FixedClock) -> None:
    talk_id = talk_in_progress(store, org)
    window_a, window_b = leases.new_token(), leases.new_token()
    assert leases.acquire(store, talk_id, window_a) is None
    clock.advance(minutes=5)
    assert leases.renew(store, talk_id, window_a)
    leases.acquire(store, talk_id, window_b, take_over=True)  # B types on; A has not learnt it yet
    clock.advance(seconds=4)
    assert talks.step_away(store, talk_id, token=window_a) is False  # A's esc or quit leaves B's talk running
    assert pause_columns(store, talk_id) == (None, 0)
    # The command line holds no lease: refused while a window edits the talk, as its other writes are.
    with pytest.raises(InvalidInput, match="正在另一窗口中编辑"):
        talks.step_away(store, talk_id)
    assert talks.step_away(store, talk_id, token=window_b) is True
    assert pause_columns(store, talk_id) == ("2026-11-22T09:05:04", 0)
    talks.come_back(store, talk_id)
    leases.release(store, talk_id, window_b)
    assert talks.step_away(store, talk_id) is True  # nobody edits it: the command line may


def test_a_window_that_ended_without_leaving_left_the_talk_at_its_last_heartbeat(
    store: Store, org: Org, clock: FixedClock
) -> None:
    talk_id = talk_in_progress(store, org)
    crashed = leases.new_token()
    leases.acquire(store, talk_id, crashed)
    clock.advance(minutes=20)
    assert leases.renew(store, talk_id, crashed)  # its last heartbeat: 09:20; then the terminal was closed
    clock.advance(minutes=2)
    assert pause_columns(store, talk_id) == (None, 0)  # nobody knows yet

    assert leases.acquire(store, talk_id, leases.new_token()) is None  # the lease lapsed: taken without asking
    assert pause_columns(store, talk_id) == ("2026-11-22T09:20:00", 0)
    assert audit_actions(store, talk_id)[-1] == ("step_away", {"at": "2026-11-22T09:20:00",
                                                                "lease_lapsed_pid": os.getpid()})
    assert talks.come_back(store, talk_id) == 2 * 60
    assert talks.talk_time(store, talk_id).net_seconds(clock.now()) == 20 * 60


def test_taking_a_live_lease_over_or_coming_back_to_ones_own_is_not_time_away(
    store: Store, org: Org, clock: FixedClock
) -> None:
    talk_id = talk_in_progress(store, org)
    mine, other = leases.new_token(), leases.new_token()
    leases.acquire(store, talk_id, mine)
    clock.advance(minutes=5)
    assert leases.renew(store, talk_id, mine)
    leases.acquire(store, talk_id, other, take_over=True)  # live: the other window goes on typing
    clock.advance(minutes=5)
    leases.acquire(store, talk_id, other)  # its own lease, even lapsed, is no time away
    assert pause_columns(store, talk_id) == (None, 0)
    talks.finish_talk(store, talk_id)
    clock.advance(minutes=5)
    leases.acquire(store, talk_id, mine)  # a lapsed lease on a talk no longer in progress: nothing to stop
    assert talks.talk_row(store, talk_id)["status"] == "held"


def test_an_entry_added_after_the_talk_gets_the_talks_whole_time(store: Store, org: Org, clock: FixedClock) -> None:
    talk_id = talk_in_progress(store, org)
    clock.advance(minutes=10)
    talks.step_away(store, talk_id)
    clock.advance(minutes=5)
    talks.come_back(store, talk_id)
    clock.advance(minutes=20)
    talks.finish_talk(store, talk_id)  # 09:35, 30 minutes of talk
    clock.advance(hours=1)
    entry_id = talks.add_entry(store, talk_id, text="谈话对象补充说明了家庭困难。", heading="谈生活")
    assert talks.get_entry(store, entry_id)[1].offset_seconds == 30 * 60
    planned = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.other],
                                planned_at="2026-11-25T15:00")
    entry_id = talks.add_entry(store, planned, text="拟谈：近期工作安排。")
    assert talks.get_entry(store, entry_id)[1].offset_seconds == 0


def test_show_says_the_day_of_a_time_away_begun_another_day(
    store: Store, db_path: Path, org: Org, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 11, 20, 9, 0))
    talk_id = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.other])
    talks.start_talk(store, talk_id)
    clock.advance(minutes=10)
    talks.step_away(store, talk_id)
    text = run_cli(["--db", str(db_path), "show", str(talk_id)]).stdout  # the command line's day: 11-22
    assert "（暂离中，11-20 09:10 起）" in text


@drive
async def test_esc_on_a_talk_ended_elsewhere_just_leaves(store: Store) -> None:
    org = make_talk_org(store)
    talk_id = started_app_talk(store, org)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.hold_talk(talk_id)
        await wait_for(pilot, lambda: isinstance(app.screen, LiveScreen) and bool(app.screen.query(TalkTimer)))
        talks.finish_talk(store, talk_id)  # `tanxin talk end` once this window's lease had lapsed
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LiveScreen))
        await pilot.pause()
        notices = [(str(n.message), n.severity) for n in app._notifications]
        assert ("这次谈话已在别处结束（现为“已谈话”），不再计时。", "information") in notices
        assert not [message for message, severity in notices if severity == "error"]
        assert talks.get_talk(store, talk_id).status == "held"
