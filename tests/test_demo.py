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


def _sealed_texts(store: Store) -> dict[int, list[str]]:
    texts: dict[int, list[str]] = {}
    for row in store.query("SELECT id, summary, statement FROM talks WHERE status = 'sealed' ORDER BY id"):
        texts[row["id"]] = [row["summary"], row["statement"]]
    for row in store.query("SELECT e.talk_id, e.text FROM entries e JOIN talks t ON t.id = e.talk_id "
                           "WHERE t.status = 'sealed' ORDER BY e.id"):
        texts[row["talk_id"]].append(row["text"])
    return texts


def test_no_sentence_is_repeated_across_sealed_records(demo_store: Store) -> None:
    texts = _sealed_texts(demo_store)
    summaries = [values[0] for values in texts.values()]
    assert all(summaries) and len(set(summaries)) == len(summaries)
    seen: dict[str, int] = {}
    for talk_id, values in texts.items():
        for text in values:
            assert text, f"talk {talk_id} has an empty summary, statement or entry"
            assert seen.setdefault(text, talk_id) == talk_id, f"talks {seen[text]} and {talk_id}: {text}"


def _texts_of(store: Store, talk_type: str) -> str:
    rows = store.query("SELECT t.summary || t.statement || group_concat(e.text, '') AS text FROM talks t "
                       "JOIN entries e ON e.talk_id = t.id WHERE t.talk_type = ? AND t.status = 'sealed' "
                       "GROUP BY t.id", [talk_type])
    assert rows, talk_type
    return "\n".join(str(row["text"]) for row in rows)


def test_each_talk_type_says_what_that_talk_is_about(demo_store: Store) -> None:
    appointment = _texts_of(demo_store, "appointment")
    assert "任命" in appointment and "岗位" in appointment and "廉洁" in appointment
    retirement = _texts_of(demo_store, "retirement")
    assert "感谢" in retirement and "建议" in retirement and "退休" in retirement
    admonition = _texts_of(demo_store, "admonition")
    assert "诫勉" in admonition and "整改" in admonition and "承认问题属实" in admonition
    # Words of a warning talk stay in warning talks, and no appointee or retiree "认识到问题的严重性".
    for kind in ("appointment", "retirement", "removal", "care"):
        text = _texts_of(demo_store, kind)
        assert not any(word in text for word in ("整改", "诫勉", "提醒", "作风不够扎实", "问题的严重性")), kind


def test_every_required_point_of_an_appointment_is_recorded(demo_store: Store) -> None:
    policy = load_policy(demo_store.get_setting("active_packs"))
    for talk_type in ("appointment", "retirement", "admonition"):
        required = {p.text for p in policy.talk_types[talk_type].points if not p.condition}
        for row in demo_store.query("SELECT id FROM talks WHERE talk_type = ? AND status = 'sealed'", [talk_type]):
            headings = {r["heading"] for r in demo_store.query(
                "SELECT heading FROM entries WHERE talk_id = ? AND confidential = 0", [row["id"]])}
            assert required <= headings, (talk_type, required - headings)


def test_ages_fit_the_talks(demo_store: Store) -> None:
    for row in demo_store.query(
            "SELECT p.birth_date, t.started_at FROM talks t JOIN talk_participants x ON x.talk_id = t.id "
            "AND x.role = 'interviewee' JOIN people p ON p.id = x.person_id WHERE t.talk_type = 'retirement'"):
        assert int(row["started_at"][:4]) - int(row["birth_date"][:4]) == 60
    takers = demo_store.query(
        "SELECT count(*) AS n FROM talk_participants a JOIN talk_participants b ON a.talk_id = b.talk_id "
        "AND a.person_id = b.person_id AND a.role = 'note_taker' AND b.role IN ('interviewee', 'interviewer')")
    assert takers[0]["n"] == 0
