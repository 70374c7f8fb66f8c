"""The holes of issue 12.8: INSERT OR REPLACE over sealed rows and 函询 rows on a sealed talk are refused by the
database; a backdated `sealed_at` fails verify; a forged, edited or deleted follow-up change is named by verify.
Records sealed before the moment of sealing was signed still verify."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from talk_helpers import Org, held_talk, make_org

from notes import followups, seal
from notes.errors import TanxinError
from notes.store import Store, latest_version


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


@pytest.fixture
def sealed(store: Store, org: Org) -> int:
    """A sealed talk with a dated 整改 that was then done and verified."""
    talk_id = held_talk(store, org, ["报销单据整理不及时"])
    followup_id = followups.create_followup(store, talk_id=talk_id, kind="整改", title="一个月内补齐单据",
                                            due_on=date(2026, 4, 2))
    seal.seal_talk(store, talk_id, at="2026-03-02T11:00")
    followups.set_followup_status(store, followup_id, "done", note="已补齐", evidence="单据清单")
    return talk_id


def problem_kinds(store: Store) -> set[str]:
    return {p.kind for p in seal.verify_chain(store).problems}


def only_followup(store: Store) -> int:
    return int(store.scalar("SELECT id FROM followups"))


@pytest.mark.parametrize("statement", [
    "INSERT OR REPLACE INTO talks (id, code, talk_type, status) VALUES ({talk}, 'TX-X', 'routine', 'held')",
    "INSERT OR REPLACE INTO talks (code, talk_type, status) VALUES ('TX-2026-0001', 'routine', 'held')",
    "INSERT OR REPLACE INTO entries (id, talk_id, position, text) "
    "SELECT id, talk_id, position, '改过' FROM entries WHERE talk_id = {talk}",
    "INSERT INTO inquiries (talk_id, questions) VALUES ({talk}, '补一个函询')",
    "INSERT OR REPLACE INTO seals SELECT * FROM seals WHERE seq = 1",
    "INSERT OR REPLACE INTO followup_history (id, followup_id, status, note) "
    "SELECT id, followup_id, 'verified', '伪造' FROM followup_history",
    "UPDATE followups SET due_on = '2027-12-31'",
    "UPDATE followups SET title = '改过的整改要求'",
    "DELETE FROM followup_history",
])
def test_the_database_refuses_writes_over_sealed_rows(store: Store, sealed: int, statement: str) -> None:
    before = store.content_digest()
    with pytest.raises(TanxinError, match="sealed"):
        store.execute(statement.format(talk=sealed))
    assert store.content_digest() == before
    assert seal.verify_chain(store).ok


def test_a_backdated_seal_fails_verify(store: Store, sealed: int) -> None:
    store.execute("DROP TRIGGER seals_no_update")
    store.execute("UPDATE seals SET sealed_at = '2020-01-01T09:00:00' WHERE subject = 'talk'")
    report = seal.verify_chain(store)
    assert {(p.kind, p.talk_id) for p in report.problems} == {("content_changed", sealed)}


def test_a_record_sealed_in_the_first_format_still_verifies_and_stays_protected(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org)
    seal.seal_talk(store, talk_id, at="2026-03-02T11:00")
    store.execute("DROP TRIGGER seals_no_update")
    # As tanxin before the moment of sealing was signed would have sealed it: the same content, format 1.
    first = {k: v for k, v in seal.canonical_record(store, talk_id).items() if k != "sealed_at"}
    first["format"] = seal.TALK_FORMAT_V1
    content = seal.content_hash_of(first)
    resign(store, content)
    assert seal.verify_chain(store).ok
    store.execute("DROP TRIGGER talks_sealed_no_update")
    store.execute("UPDATE talks SET summary = '改过' WHERE id = ?", [talk_id])
    assert problem_kinds(store) == {"content_changed"}


def resign(store: Store, content: str) -> None:
    """Rewrite the single link with `content`, signed with the database's key (what tanxin once wrote)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(bytes(store.scalar("SELECT private_key FROM signing_keys")))
    chain_hash = seal.chain_hash_of("", content, 1)
    store.execute("UPDATE seals SET content_hash = ?, chain_hash = ?, signature = ? WHERE seq = 1",
                  [content, chain_hash, key.sign(chain_hash.encode())])


def test_a_follow_up_marked_verified_outside_tanxin_is_named(store: Store, sealed: int) -> None:
    store.execute("UPDATE followups SET status = 'verified', evidence = '伪造的佐证'")
    report = seal.verify_chain(store)
    assert [p.kind for p in report.problems] == ["followup_forged"]
    assert f"跟踪事项 {only_followup(store)}" in report.problems[0].message and "“已核实办结”" in report.problems[0].message


def test_a_forged_change_in_the_history_is_named(store: Store, sealed: int) -> None:
    followup_id = only_followup(store)
    store.execute("INSERT INTO followup_history (followup_id, status, at, note, evidence) "
                  "VALUES (?, 'verified', '2026-03-20T09:00:00', '伪造', '伪造的佐证')", [followup_id])
    store.execute("UPDATE followups SET status = 'verified', evidence = '伪造的佐证'")
    report = seal.verify_chain(store)
    assert [p.kind for p in report.problems] == ["followup_unsigned"]
    assert "没有签名的状态变更" in report.problems[0].message and "已核实" in report.problems[0].message


def test_an_edited_or_deleted_follow_up_change_is_named(store: Store, sealed: int) -> None:
    store.execute("DROP TRIGGER followup_history_signed_no_update")
    store.execute("UPDATE followup_history SET evidence = '换过的佐证' WHERE status = 'done'")
    assert problem_kinds(store) == {"content_changed", "followup_forged"}
    store.execute("DROP TRIGGER followup_history_signed_no_delete")
    store.execute("DELETE FROM followup_history WHERE status = 'done'")
    report = seal.verify_chain(store)
    assert {p.kind for p in report.problems} == {"record_missing", "followup_forged"}
    missing = next(p for p in report.problems if p.kind == "record_missing")
    assert "跟踪事项变更记录" in missing.message and "被删除" in missing.message


def test_a_changed_deadline_is_named_even_with_the_triggers_dropped(store: Store, sealed: int) -> None:
    store.execute("DROP TRIGGER followups_signed_fixed")
    store.execute("UPDATE followups SET due_on = '2027-12-31'")
    report = seal.verify_chain(store)
    assert {p.kind for p in report.problems} == {"content_changed"}
    assert all(p.talk_id == sealed for p in report.problems)


def test_the_chain_survives_the_rebuild_of_its_table(tmp_path: Path) -> None:
    """Version 6 rebuilds the seals table to admit follow-up changes: a chain sealed before stays whole and
    protected."""
    key = os.urandom(32)
    path = tmp_path / "old.db"
    with Store.create(path, key, version=5) as old:
        org = make_org(old)
        for day in ("2026-03-02", "2026-03-03"):
            seal.seal_talk(old, held_talk(old, org, day=day))
        head = seal.chain_head(old)
    with Store.open(path, key) as upgraded:
        assert upgraded.schema_version == latest_version()
        assert seal.verify_chain(upgraded, head).ok
        for statement in ("DELETE FROM seals", "UPDATE seals SET sealed_at = '2020-01-01T00:00:00'"):
            with pytest.raises(TanxinError, match="sealed"):
                upgraded.execute(statement)
        # The triggers of other tables that name the chain find the rebuilt table.
        talk_id = int(upgraded.scalar("SELECT id FROM talks ORDER BY id LIMIT 1"))
        seal.amend(upgraded, talk_id, reason="笔误", change={"place": "四楼"})
        with pytest.raises(TanxinError, match="sealed"):
            upgraded.execute("UPDATE amendments SET reason = '改过'")
        assert seal.verify_chain(upgraded).ok


def test_a_forged_admonition_decision_is_caught(store: Store, org: Org) -> None:
    """The 诫勉决定 (date, deciding body, 文号) printed on the 诫勉通知书 is sealed with the record
    (tanxin-talk/3): changed behind the triggers' back, or added to a record sealed without one, verify says so."""
    from notes.procedure import set_procedure

    decided = held_talk(store, org, ["多次迟到早退"], talk_type="admonition")
    set_procedure(store, decided, reason="多次迟到早退", decided_on=date(2026, 3, 1), decided_by="机关党委",
                  decision_number="机党〔2026〕3号")
    seal.seal_talk(store, decided, at="2026-03-02T11:00")
    plain = held_talk(store, org, ["思想稳定"], day="2026-03-03")
    seal.seal_talk(store, plain, at="2026-03-03T11:00")
    assert seal.canonical_record(store, decided)["format"] == "tanxin-talk/3"
    assert seal.canonical_record(store, plain)["format"] == "tanxin-talk/2"
    assert seal.verify_chain(store).ok
    for trigger in ("talk_procedures_sealed_no_update", "talk_procedures_sealed_no_insert"):
        store.execute(f"DROP TRIGGER {trigger}")
    store.execute("UPDATE talk_procedures SET decision_number = '机党〔2026〕9号' WHERE talk_id = ?", [decided])
    store.execute("INSERT INTO talk_procedures (talk_id, decided_by) VALUES (?, '伪造机关')", [plain])
    changed = {p.seq for p in seal.verify_chain(store).problems if p.kind == "content_changed"}
    assert len(changed) == 2
