"""One clock: every stamp and every "today" comes from the clock a face hands in; the wall clock is read in
notes/clock.py only."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import PASSPHRASE, TEST_NOW, run_cli
from talk_helpers import make_org

from notes import followups, seal, talks
from notes.clock import NOW_VARIABLE, FixedClock, RunningClock, WallClock, parse_moment, process_clock
from notes.errors import InvalidInput
from notes.store import Store
from notes.unlock import init_database, open_database

ROOT = Path(__file__).resolve().parents[1]
# Reading the computer's clock in Python or in SQL.
WALL_CLOCK_READS = re.compile(r"datetime\.now\(|date\.today\(|datetime\.today\(|time\.time\(|utcnow\(|"
                              r"localtime\(|'now'|CURRENT_(?:TIMESTAMP|DATE|TIME)\b")


def test_the_wall_clock_is_read_in_one_module_only() -> None:
    readers = sorted(
        str(path.relative_to(ROOT))
        for folder in ("notes", "prep", "tui")
        for path in (ROOT / folder).rglob("*.py")
        if WALL_CLOCK_READS.search(path.read_text(encoding="utf-8"))
    )
    assert readers == ["notes/clock.py"]


def test_schema_defaults_are_never_used_because_every_insert_is_stamped_by_the_store(store: Store) -> None:
    """schema.sql's created_at defaults read SQLite's wall clock; the store fills every such column itself."""
    clock = FixedClock(datetime(2025, 2, 3, 4, 5, 6))
    store.clock = clock
    org = make_org(store)
    talk_id = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
    store.insert("events", {"person_id": org.member, "event_type": "family_misfortune", "occurred_on": "2025-02-01"})
    stamps = store.query(
        "SELECT created_at AS at FROM units UNION ALL SELECT created_at FROM people "
        "UNION ALL SELECT updated_at FROM people UNION ALL SELECT created_at FROM events "
        "UNION ALL SELECT created_at FROM talks WHERE id = ? UNION ALL SELECT at FROM audit_log WHERE action = 'create' "
        "AND subject = 'talk'", [talk_id])
    assert {row["at"] for row in stamps} == {"2025-02-03T04:05:06"}


def test_a_talk_is_stamped_by_its_store_clock_and_a_reopened_store_shares_it(store: Store) -> None:
    clock = FixedClock(datetime(2027, 1, 1, 0, 0, 30))
    store.clock = clock
    org = make_org(store)
    talk_id = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
    talks.start_talk(store, talk_id)
    clock.advance(minutes=2)
    entry = talks.add_entry(store, talk_id, text="刚到的新年第一谈", kind="发现问题")
    clock.advance(minutes=8)
    talks.finish_talk(store, talk_id)
    followup = followups.followup_from_entry(store, entry, kind="整改", due_on="2027-01-31")
    with store.reopen() as other:
        assert other.clock is clock
        clock.advance(hours=1)
        seal.seal_talk(other, talk_id)
    record = talks.get_talk(store, talk_id)
    assert (record.code, record.started_at, record.ended_at) == (
        "TX-2027-0001", "2027-01-01T00:00:30", "2027-01-01T00:10:30")
    assert record.entries[0].offset_seconds == 120
    assert followups.get_followup(store, followup).created_at == "2027-01-01T00:10:30"
    assert record.seal is not None and record.seal.sealed_at == "2027-01-01T01:10:30"


def test_a_talk_with_no_plan_takes_its_code_year_from_the_clock(store: Store) -> None:
    store.clock = FixedClock(datetime(2031, 12, 31, 23, 59, 59))
    org = make_org(store)
    talk_id = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
    assert talks.get_talk(store, talk_id).code == "TX-2031-0001"


def test_stores_opened_by_the_unlock_functions_use_the_given_clock(db_path: Path) -> None:
    clock = FixedClock(datetime(2028, 2, 29, 8, 0))
    created = init_database(db_path, PASSPHRASE, ["suzhou-2018"], clock=clock)
    assert created.store.clock is clock
    created.store.close()
    with open_database(db_path, passphrase=PASSPHRASE, use_keyring=False, clock=clock) as store:
        assert store.clock is clock
        stamps = {row["at"] for row in store.query("SELECT at FROM audit_log")}
    assert stamps == {"2028-02-29T08:00:00"}


def test_the_process_clock_runs_from_tanxin_now(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = process_clock()
    assert isinstance(clock, RunningClock)
    assert clock is process_clock()  # one clock for the whole process
    assert TEST_NOW <= clock.now() < datetime(2026, 11, 22, 10, 5)
    monkeypatch.setenv(NOW_VARIABLE, "2028-02-29")
    assert process_clock().today() == date(2028, 2, 29)
    monkeypatch.delenv(NOW_VARIABLE)
    assert isinstance(process_clock(), WallClock)


def test_a_running_clock_moves_on_and_a_fixed_clock_only_when_moved() -> None:
    running = RunningClock(datetime(2026, 12, 31, 23, 59, 59))
    first = running.now()
    assert running.now() >= first >= datetime(2026, 12, 31, 23, 59, 59)
    fixed = FixedClock.on(date(2027, 1, 1))
    assert fixed.now() == fixed.now() == datetime(2027, 1, 1, 9, 0)
    assert fixed.advance(days=1, minutes=30) == datetime(2027, 1, 2, 9, 30)
    assert fixed.stamp() == "2027-01-02T09:30:00" and fixed.today() == date(2027, 1, 2)


@pytest.mark.parametrize("text", ["2027-02-29", "明天", "2027/01/01", ""])
def test_a_bad_moment_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(InvalidInput, match="TANXIN_NOW"):
        parse_moment(text)


def test_the_cli_says_what_is_wrong_with_a_bad_tanxin_now(db_path: Path) -> None:
    result = run_cli(["--db", str(db_path), "due"], env={NOW_VARIABLE: "2027-13-01"})
    assert result.exit_code == 1
    assert "TANXIN_NOW" in result.stderr and "2027-13-01" in result.stderr and "Traceback" not in result.stderr
