"""The product on the days that break date code: New Year's Eve and Day, the first days of January, the turn of
民进's July deadline, and 29 February. Each run injects the clock (not libfaketime), so the demo, the due
engine, the year-end report and the CLI are all judged "on" that day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import PASSPHRASE, TEST_NOW, clock_on, open_demo_made_on, run_cli

from notes.clock import NOW_VARIABLE, FixedClock
from notes.documents.report import report_context
from notes.seal import verify_chain
from notes.store import Store
from notes.unlock import open_database
from prep.active import active_policy, policy_facts
from prep.due import due_report

DAYS = [date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 3), date(2027, 6, 30), date(2027, 7, 1),
        date(2028, 2, 29)]
# Moments that something happened or was written down: none may lie after the moment the demo was made.
RECORD_MOMENTS = (
    "SELECT 'units' AS t, created_at AS at FROM units",
    "SELECT 'people', max(created_at, updated_at) FROM people",
    "SELECT 'profile', max(observed_on, created_at) FROM profile_entries",
    "SELECT 'watch', since FROM watch_flags",
    "SELECT 'events', created_at FROM events",
    "SELECT 'talks', max(created_at, updated_at, coalesce(started_at, ''), coalesce(ended_at, '')) FROM talks",
    "SELECT 'held talks', planned_at FROM talks WHERE status IN ('held', 'sealed', 'in_progress')",
    "SELECT 'entries', max(created_at, updated_at) FROM entries",
    "SELECT 'inquiries', max(coalesce(sent_on, ''), coalesce(received_on, '')) FROM inquiries",
    "SELECT 'followups', max(created_at, updated_at) FROM followups",
    "SELECT 'history', at FROM followup_history",
    "SELECT 'seals', sealed_at FROM seals",
    "SELECT 'keys', created_at FROM signing_keys",
    "SELECT 'audit', at FROM audit_log",
)
# Pairs (earlier, later) that must come in that order: each thing before what changes it.
IN_ORDER = (
    ("talk arranged before it started", "SELECT created_at, started_at FROM talks WHERE started_at IS NOT NULL"),
    ("talk started before it ended", "SELECT started_at, ended_at FROM talks WHERE ended_at IS NOT NULL"),
    ("entry written during its talk", "SELECT t.started_at, e.created_at FROM entries e JOIN talks t ON t.id = e.talk_id"),
    ("talk ended before it was sealed",
     "SELECT t.ended_at, s.sealed_at FROM seals s JOIN talks t ON t.id = s.talk_id WHERE s.subject = 'talk'"),
    ("follow-up raised after its talk began",
     "SELECT t.started_at, f.created_at FROM followups f JOIN talks t ON t.id = f.talk_id"),
    ("status change after the follow-up existed",
     "SELECT f.created_at, h.at FROM followup_history h JOIN followups f ON f.id = h.followup_id"),
    ("status changes in the order they were made",
     "SELECT a.at AS earlier, b.at AS later FROM followup_history a JOIN followup_history b "
     "ON b.followup_id = a.followup_id AND b.id > a.id"),
    ("inquiry answered after it was sent", "SELECT sent_on, received_on FROM inquiries WHERE received_on IS NOT NULL"),
)


@pytest.fixture(params=DAYS, ids=str)
def day(request: pytest.FixtureRequest) -> date:
    value: date = request.param
    return value


@pytest.fixture
def demo_on_day(day: date, tmp_path: Path) -> Iterator[Store]:
    store = open_demo_made_on(day, tmp_path)
    yield store
    store.close()


def moment_of(day: date) -> str:
    return datetime.combine(day, TEST_NOW.time()).isoformat()


def assert_nothing_after(store: Store, moment: str) -> None:
    for sql in RECORD_MOMENTS:
        for what, at in (tuple(row.values()) for row in store.query(sql)):
            assert at <= moment, (what, at, moment)


def assert_in_order(store: Store) -> None:
    for what, sql in IN_ORDER:
        for earlier, later in (tuple(row.values()) for row in store.query(sql)):
            assert earlier <= later, (what, earlier, later)


def test_a_demo_made_on_any_day_has_a_year_of_records_all_in_the_past(demo_on_day: Store, day: date) -> None:
    store = demo_on_day
    assert_nothing_after(store, moment_of(day))
    assert_in_order(store)
    held = [row["day"] for row in store.query(
        "SELECT substr(coalesce(started_at, planned_at), 1, 10) AS day FROM talks WHERE status IN ('held', 'sealed')")]
    assert len(held) >= 30
    assert min(held) >= (day - timedelta(days=366)).isoformat() and max(held) < day.isoformat()
    assert {r["status"] for r in store.query("SELECT DISTINCT status FROM talks")} == {
        "planned", "held", "sealed", "cancelled"}
    # What lies ahead is a plan or a date already known, never a record.
    assert store.scalar("SELECT count(*) FROM talks WHERE planned_at > ? AND status <> 'planned'",
                        [moment_of(day)]) == 0
    assert verify_chain(store).ok


def test_on_any_day_the_due_engine_has_work_and_the_report_files_follow_ups_by_their_talks(
    demo_on_day: Store, day: date
) -> None:
    store = demo_on_day
    policy = active_policy(store)
    report = due_report(store, policy, day)
    kinds = {item.kind for item in report.items}
    assert {"event", "rule", "followup"} <= kinds
    assert any(item.type == "appointment" and not item.overdue for item in report.items)
    assert any(item.kind == "followup" and item.overdue for item in report.items)
    for year in (day.year - 1, day.year):
        opened = sum(row["opened"] for row in report_context(store, year, None, day, policy_facts(store))["followups"])
        by_talk_year = store.scalar(
            "SELECT count(*) FROM followups f JOIN talks t ON t.id = f.talk_id "
            "WHERE substr(coalesce(t.started_at, t.planned_at), 1, 4) = ?", [str(year)])
        assert opened == by_talk_year


def test_a_follow_up_typed_in_january_belongs_to_its_december_talk(store: Store) -> None:
    """补录: a talk held on 30 December, written up (with its follow-up) on 4 January, counts for December."""
    from talk_helpers import make_org

    from notes import followups, talks

    store.clock = clock_on(date(2027, 1, 4))
    org = make_org(store)
    talk_id = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member],
                                planned_at="2026-12-30T15:00")
    talks.start_talk(store, talk_id, at="2026-12-30T15:00")
    entry = talks.add_entry(store, talk_id, text="报销不及时", kind="发现问题", offset_seconds=300)
    talks.finish_talk(store, talk_id, at="2026-12-30T15:40")
    followups.followup_from_entry(store, entry, kind="整改", due_on="2027-01-20")
    facts, typed_on = policy_facts(store), date(2027, 1, 4)
    assert [row["opened"] for row in report_context(store, 2026, None, typed_on, facts)["followups"]] == [1]
    assert report_context(store, 2027, None, typed_on, facts)["followups"] == []
    # Judged on 31 December the follow-up already exists; on 29 December it did not yet.
    policy = active_policy(store)
    assert [i.kind for i in due_report(store, policy, date(2026, 12, 31)).items if i.kind == "followup"] == ["followup"]
    assert not [i for i in due_report(store, policy, date(2026, 12, 29)).items if i.kind == "followup"]


def test_the_cli_demo_made_on_3_january_has_no_record_after_that_day(tmp_path: Path) -> None:
    out = tmp_path / "demo.db"
    made = run_cli(["demo", "--out", str(out)], env={NOW_VARIABLE: "2027-01-03T10:00:00"})
    assert made.exit_code == 0, made.stderr
    with open_database(out, passphrase=PASSPHRASE, use_keyring=False, clock=clock_on(date(2027, 1, 3))) as store:
        assert_nothing_after(store, "2027-01-03T10:00:00")
        assert_in_order(store)
        assert store.scalar("SELECT json_extract(detail, '$.today') FROM audit_log WHERE action = 'demo'") == "2027-01-03"


def test_the_cli_demo_refuses_a_year_to_come_and_ends_a_past_year_on_1_december(tmp_path: Path) -> None:
    env = {NOW_VARIABLE: "2027-01-03T10:00:00"}
    future = run_cli(["demo", "--out", str(tmp_path / "future.db"), "--year", "2028"], env=env)
    assert future.exit_code == 2 and "2028" in future.stderr and not (tmp_path / "future.db").exists()
    past = run_cli(["demo", "--out", str(tmp_path / "past.db"), "--year", "2025"], env=env)
    assert past.exit_code == 0, past.stderr
    opened_then = FixedClock(datetime(2025, 12, 1, 17, 0))
    with open_database(tmp_path / "past.db", passphrase=PASSPHRASE, use_keyring=False, clock=opened_then) as store:
        assert_nothing_after(store, "2025-12-01T17:00:00")


def test_the_cli_records_an_event_today_and_lists_what_it_makes_due_on_any_day(
    demo_on_day: Store, day: date
) -> None:
    path = demo_on_day.path
    person = demo_on_day.scalar("SELECT name FROM people WHERE position LIKE '%科员' ORDER BY id LIMIT 1")
    env = {NOW_VARIABLE: moment_of(day)}
    recorded = run_cli(["--db", str(path), "event", person, "任职决定", "--date", day.isoformat()], env=env)
    assert recorded.exit_code == 0, recorded.stderr
    due_by = (day + timedelta(days=7)).isoformat()
    assert f"期限 {due_by}" in recorded.stdout
    listed = run_cli(["--db", str(path), "due", "--json"], env=env)
    ours = [i for i in _json(listed.stdout) if i["person"] == person and i["type"] == "appointment"]
    assert [(i["due_by"], i["overdue"]) for i in ours] == [(due_by, False)]
    a_week_later = run_cli(["--db", str(path), "due", "--json"], env={NOW_VARIABLE: moment_of(day + timedelta(days=8))})
    later = [i for i in _json(a_week_later.stdout) if i["person"] == person and i["type"] == "appointment"]
    assert [(i["due_by"], i["overdue"], i["days_overdue"]) for i in later] == [(due_by, True, 1)]


def _json(text: str) -> list[dict[str, object]]:
    import json

    data = json.loads(text)
    return data["items"] if isinstance(data, dict) else data  # type: ignore[no-any-return]
