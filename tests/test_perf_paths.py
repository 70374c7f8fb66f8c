"""The faster paths of issue #9's benchmarks keep what they replaced: the seal's one read of a record, the store's
page cache and statement cache, the footer's one rebuild per burst, the collector paused only while the app starts.

tests/bench/ measures them; these tests check that each gives the same answer as the slower way did.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
from document_helpers import Org, rich_talk
from document_helpers import make_org as make_record_org
from procedure_helpers import admonition_talk
from statement_cache_helpers import prepared_statements
from talk_helpers import held_talk
from talk_helpers import make_org as make_talk_org
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets._footer import FooterKey
from tui_talk_helpers import dashboard_ready, drive, make_app, make_org, wait_for

from notes import seal, talks
from notes.documents.docxfile import is_demo_database
from notes.errors import InvalidInput, NotFound
from notes.store import PAGE_CACHE_KIB, STATEMENT_CACHE, Store
from notes.talk_queries import open_talks
from prep.due import tracking_start
from tui.widgets.footer import TanxinFooter

# -- the seal reads a record in one statement -----------------------------------------------------------------


def _record_read_table_by_table(store: Store, talk_id: int, sealed_at: str) -> dict[str, Any]:
    """The record as sealing read it before its parts came in one statement: one query per table."""
    talk = store.query_one("SELECT * FROM talks WHERE id = ?", [talk_id])
    assert talk is not None
    return seal._talk_document(
        talk,
        store.query("SELECT talk_id, person_id, role, position FROM talk_participants WHERE talk_id = ?", [talk_id]),
        store.query("SELECT id, talk_id, position, heading, kind, text, confidential, offset_seconds FROM entries "
                    "WHERE talk_id = ?", [talk_id]),
        store.query_one("SELECT talk_id, sent_on, questions, received_on, reply FROM inquiries WHERE talk_id = ?",
                        [talk_id]),
        store.query_one("SELECT talk_id, decided_on, decided_by, decision_number, reply_due_on FROM talk_procedures "
                        "WHERE talk_id = ?", [talk_id]),
        sealed_at,
    )


@pytest.fixture
def org(store: Store) -> Org:
    return make_record_org(store)


def test_one_read_gives_the_record_table_by_table_reads_gave(store: Store, org: Org) -> None:
    """Entries of every kind (保密 ones among them), a note taker beside interviewer and interviewee, a 函询 with
    its reply and a 诫勉 with its decision: every value keeps its type through the UNION ALL."""
    plain = rich_talk(store, org, sealed=False)
    inquiry = rich_talk(store, org, channel="函询", day="2026-04-02", sealed=False)
    decided = admonition_talk(store, org, sealed=False)
    for talk_id in (plain, inquiry, decided):
        at = "2026-05-01T10:00:00"
        assert seal.canonical_record(store, talk_id, at) == _record_read_table_by_table(store, talk_id, at)


def test_sealed_records_verify_and_keep_their_hash(store: Store, org: Org) -> None:
    first = rich_talk(store, org, sealed=False)
    second = rich_talk(store, org, day="2026-03-19", sealed=False)
    infos = [seal.seal_talk(store, talk_id) for talk_id in (first, second)]
    assert infos[0].seq < infos[1].seq
    assert seal.chain_head(store) == f"{infos[1].seq}:{infos[1].chain_hash}"
    for info, talk_id in zip(infos, (first, second), strict=True):
        assert info.content_hash == seal.content_hash_of(seal.canonical_record(store, talk_id))
    assert seal.verify_chain(store, seal.chain_head(store)).ok


def test_a_seal_after_a_failed_one_uses_the_chain_as_committed(store: Store, org: Org) -> None:
    """The end of the chain is read with the record in the seal's own transaction, never remembered across."""
    talk_id = rich_talk(store, org, sealed=False)
    seal.seal_talk(store, talk_id)
    with pytest.raises(InvalidInput, match="已经封存过"):
        seal.seal_talk(store, talk_id)
    later = seal.seal_talk(store, rich_talk(store, org, day="2026-03-19", sealed=False))
    assert seal.chain_head(store) == f"{later.seq}:{later.chain_hash}"
    assert seal.verify_chain(store, seal.chain_head(store)).ok


def test_a_missing_talk_is_named_as_every_lookup_names_it(store: Store, org: Org) -> None:
    """The talk's row comes with its parts now; without one, sealing and reading the record still say which talk
    is missing and where to look, before anything is written."""
    head = seal.chain_head(store)
    for read in (lambda: seal.seal_talk(store, 9999), lambda: seal.canonical_record(store, 9999, "2026-05-01T10:00:00")):
        with pytest.raises(NotFound, match="没有 id 为 9999 的谈话记录"):
            read()
    assert seal.chain_head(store) == head


def _plans_of(store: Store, action: Callable[[], object]) -> list[str]:
    """The query plans of the statements `action` runs, as SQLite chose them."""
    run: list[str] = []
    store.conn.set_trace_callback(run.append)
    try:
        action()
    finally:
        store.conn.set_trace_callback(None)
    return [row["detail"] for sql in run if sql.lstrip().upper().startswith("SELECT")
            for row in store.query(f"EXPLAIN QUERY PLAN {sql}")]


def test_the_reads_of_the_partial_indexes_find_them(store: Store, org: Org) -> None:
    """schema.sql v8 keeps two indexes only for the rows read: a talk's amendments, the database's own events."""
    talk_id = rich_talk(store, org)
    seal.amend(store, talk_id, reason="笔误", change={"summary": "思想稳定，工作积极。"})
    assert any("seals_amendments" in d for d in _plans_of(store, lambda: seal.amendments_of(store, talk_id)))
    assert any("audit_database" in d for d in _plans_of(store, lambda: tracking_start(store)))
    assert any("audit_database" in d for d in _plans_of(store, lambda: is_demo_database(store)))
    assert len(seal.amendments_of(store, talk_id)) == 1
    # Created on 22 November, after 30 June: tracked from next year. Without its 'create' row it would be this year.
    assert tracking_start(store).year == store.clock.today().year + 1
    assert not is_demo_database(store)


def test_the_talks_still_to_be_held_are_listed_from_their_own_index(store: Store, org: Org) -> None:
    """schema.sql v9: 工作台's planned and in-progress talks come from the index alone, not the talks table."""
    rich_talk(store, org)
    planned = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member],
                                planned_at="2026-12-01T09:00")
    plans = _plans_of(store, lambda: open_talks(store))
    assert any("COVERING INDEX talks_open" in d for d in plans), plans
    assert [t.id for t in open_talks(store)] == [planned]


# -- the store's page cache ---------------------------------------------------------------------------------


def test_every_connection_has_the_large_page_cache(store: Store) -> None:
    assert store.scalar("PRAGMA cache_size") == -PAGE_CACHE_KIB
    with store.reopen() as other:
        assert other.scalar("PRAGMA cache_size") == -PAGE_CACHE_KIB


# -- the store's statement cache ----------------------------------------------------------------------------


def test_a_seal_prepares_its_statements_once(store: Store) -> None:
    """On the connection that created the database (schema.sql's statements, well over sqlcipher3's default
    cache of 100, were prepared on it), after talks written in nested transactions: every statement of a seal
    stays prepared from one seal to the next, and the nested transactions share one savepoint statement."""
    org = make_talk_org(store)
    with store.transaction():  # each step of each talk in a transaction of its own, nested in this one
        talk_ids = [held_talk(store, org, day=f"2026-03-{day:02d}") for day in range(2, 12)]
    for talk_id in talk_ids:
        seal.seal_talk(store, talk_id)
    runs = prepared_statements(store)
    assert len(runs) < STATEMENT_CACHE
    # SQLite counts a run at its end and again at each reset, so a statement prepared again for each seal
    # would show a count of one or two, and two statements of the same text would both be listed.
    for text in (seal._parts_sql(True, True), "UPDATE talks SET status = 'sealed'", "INSERT INTO seals (",
                 "INSERT INTO audit_log ("):
        counts = [count for sql, count in runs if sql.startswith(text)]
        assert len(counts) == 1 and counts[0] >= len(talk_ids), (text, counts)
    assert [sql for sql, _ in runs if sql.startswith("SAVEPOINT")] == ["SAVEPOINT tanxin_nested"]
    assert seal.verify_chain(store, seal.chain_head(store)).ok


def test_nested_transactions_undo_only_their_own_writes(store: Store) -> None:
    """Every nesting level's savepoint has the same name: a failed inner block undoes its writes and those of
    the blocks inside it, never those of the blocks around it."""
    def units() -> list[str]:
        return [r["name"] for r in store.query("SELECT name FROM units WHERE name LIKE '测试%' ORDER BY id")]

    with store.transaction():
        store.insert("units", {"name": "测试一"})
        with pytest.raises(InvalidInput), store.transaction():
            store.insert("units", {"name": "测试二"})
            with store.transaction():
                store.insert("units", {"name": "测试三"})
            raise InvalidInput("中间一层失败")
        with store.transaction():
            store.insert("units", {"name": "测试四"})
            with pytest.raises(InvalidInput), store.transaction():
                store.insert("units", {"name": "测试五"})
                raise InvalidInput("最里一层失败")
            store.insert("units", {"name": "测试六"})
        assert units() == ["测试一", "测试四", "测试六"]
    assert units() == ["测试一", "测试四", "测试六"]
    with pytest.raises(InvalidInput), store.transaction():
        with store.transaction():
            store.insert("units", {"name": "测试七"})
        raise InvalidInput("外层失败")
    assert units() == ["测试一", "测试四", "测试六"]


# -- the footer: one rebuild per burst ----------------------------------------------------------------------


class _CountingFooter(TanxinFooter):
    rebuilds = 0

    def compose(self) -> ComposeResult:
        type(self).rebuilds += 1
        yield from super().compose()


class _Switching(Screen[None]):
    """A screen whose key is offered only while `ready` is true."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "go", "开始", id="test.go")]

    ready = False

    def compose(self) -> ComposeResult:
        yield _CountingFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.ready if action == "go" else True

    def action_go(self) -> None:
        pass


class _FooterApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(_Switching())


def _footer_keys(app: App[None]) -> list[str]:
    return [str(key.description) for key in app.screen.query(FooterKey)]


@drive
async def test_a_burst_of_binding_changes_rebuilds_the_footer_once() -> None:
    app = _FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, _Switching)
        assert "开始" not in _footer_keys(app)
        before = _CountingFooter.rebuilds
        screen.refresh_bindings()
        screen.ready = True  # the last change of the burst is the one shown
        screen.refresh_bindings()
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert _CountingFooter.rebuilds == before + 1
        assert "开始" in _footer_keys(app)
        # A change after the rebuild is shown too.
        screen.ready = False
        screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert _CountingFooter.rebuilds == before + 2
        assert "开始" not in _footer_keys(app)


# -- the collector pauses only while the app starts ---------------------------------------------------------


@pytest.fixture
def collecting() -> Iterator[None]:
    assert gc.isenabled(), "an earlier test left the cycle collector off"
    yield
    gc.enable()


@drive
async def test_the_collector_runs_again_once_the_dashboard_is_drawn(store: Store, collecting: None) -> None:
    make_org(store)
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, dashboard_ready(app))
        await wait_for(pilot, gc.isenabled)
    assert gc.isenabled()


@drive
async def test_the_collector_runs_again_when_the_app_ends_first(store: Store, collecting: None) -> None:
    """Quitting (or failing) before 工作台 is drawn must not leave the process without its collector."""
    app = make_app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, dashboard_ready(app))
        app._pause_collection()  # as at the start, here without a drawing to come
        assert not gc.isenabled()
        app.exit()
    assert gc.isenabled()
