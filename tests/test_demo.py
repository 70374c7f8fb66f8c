"""The demo organisation: believable, complete enough to show every feature, deterministic for a seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import DEMO_TODAY, PASSPHRASE, clock_on

from notes.seal import verify_chain
from notes.store import Store
from notes.unlock import open_database
from prep.demo import write_demo_database
from prep.packs import load_policy

# Columns that hold the wall-clock moment a row was written; everything else must repeat exactly.
STABLE_QUERIES = (
    "SELECT name, parent_id, kind FROM units ORDER BY id",
    "SELECT name, birth_date, joined_date, unit_id, membership, position FROM people ORDER BY id",
    "SELECT person_id, unit_id, role, title, start_date, end_date FROM roles ORDER BY id",
    "SELECT person_id, dimension, text, observed_on, source FROM profile_entries ORDER BY id",
    "SELECT person_id, event_type, occurred_on, note FROM events ORDER BY id",
    "SELECT code, talk_type, status, planned_at, started_at, ended_at, place, channel FROM talks ORDER BY id",
    "SELECT talk_id, heading, kind, text, confidential, offset_seconds FROM entries ORDER BY id",
    "SELECT talk_id, kind, title, due_on, status FROM followups ORDER BY id",
)


def _stable_content(path: Path) -> list[list[dict[str, object]]]:
    with open_database(path, passphrase=PASSPHRASE, use_keyring=False) as store:
        return [store.query(sql) for sql in STABLE_QUERIES]


def test_same_seed_same_organisation(tmp_path: Path) -> None:
    for name in ("a.db", "b.db"):
        write_demo_database(tmp_path / name, PASSPHRASE, seed=11, clock=clock_on(date(2026, 6, 30)))
    assert _stable_content(tmp_path / "a.db") == _stable_content(tmp_path / "b.db")
    write_demo_database(tmp_path / "c.db", PASSPHRASE, seed=12, clock=clock_on(date(2026, 6, 30)))
    assert _stable_content(tmp_path / "a.db") != _stable_content(tmp_path / "c.db")


def test_demo_has_what_every_screen_needs(demo_store: Store) -> None:
    store = demo_store
    assert store.scalar("SELECT count(*) FROM units WHERE kind = '党支部'") == 3
    assert 35 <= store.scalar("SELECT count(*) FROM people") <= 45
    roles = {r["role"] for r in store.query("SELECT DISTINCT role FROM roles")}
    assert roles >= {"主要负责同志", "班子成员", "分管", "支部书记", "支委", "党员", "流动党员", "离退休", "发展对象"}
    assert store.scalar("SELECT count(*) FROM roles WHERE end_date IS NOT NULL") >= 1
    # Profiles of varying completeness and age.
    per_person = [r["n"] for r in store.query(
        "SELECT count(DISTINCT dimension) AS n FROM people LEFT JOIN profile_entries ON person_id = people.id "
        "GROUP BY people.id")]
    assert min(per_person) < 5 < max(per_person)
    assert store.scalar("SELECT count(*) FROM profile_entries WHERE observed_on < ?",
                        [date(DEMO_TODAY.year - 1, 1, 1).isoformat()]) > 0
    assert store.scalar("SELECT count(*) FROM watch_flags WHERE ended_on IS NULL") >= 2


def test_demo_talks_cover_every_state_and_type(demo_store: Store) -> None:
    store = demo_store
    policy = load_policy(store.get_setting("active_packs"))
    types = {r["talk_type"] for r in store.query("SELECT DISTINCT talk_type FROM talks")}
    assert types >= {"appointment", "removal", "retirement", "routine", "reminder", "admonition", "care", "joining"}
    assert types <= set(policy.talk_types)
    statuses = {r["status"] for r in store.query("SELECT DISTINCT status FROM talks")}
    assert statuses == {"planned", "held", "sealed", "cancelled"}
    assert store.scalar(
        "SELECT count(*) FROM entries JOIN talks ON talks.id = entries.talk_id "
        "WHERE confidential = 1 AND status = 'sealed'") > 0
    assert store.scalar("SELECT count(*) FROM inquiries WHERE reply <> ''") == 1
    assert store.scalar("SELECT count(*) FROM followups WHERE status IN ('open', 'in_progress') AND due_on < ?",
                        [DEMO_TODAY.isoformat()]) > 0
    assert store.scalar("SELECT count(*) FROM followups WHERE status = 'verified'") > 0
    assert verify_chain(store).ok


def test_demo_events_make_talks_due(demo_store: Store) -> None:
    events = {r["event_type"] for r in demo_store.query("SELECT event_type FROM events WHERE occurred_on > ?",
                                                        [date(DEMO_TODAY.year, 11, 1).isoformat()])}
    assert {"appointment_decision", "removal_decision", "retirement"} <= events
