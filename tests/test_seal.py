"""Seals: canonical JSON, the hash chain and Ed25519 signatures; every kind of tampering is caught and named.

Tampering is done the way an attacker with the database would: the protective triggers are dropped first.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from talk_helpers import Org, held_talk, make_org

from notes import seal, talks
from notes.errors import InvalidInput, TanxinError
from notes.store import Store


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


@pytest.fixture
def chain(store: Store, org: Org) -> list[int]:
    """Five sealed talks, seq 1–5."""
    ids = []
    for day in range(1, 6):
        talk_id = held_talk(store, org, [f"第 {day} 次谈话的内容", "第二条"], day=f"2026-03-0{day}")
        seal.seal_talk(store, talk_id, at=f"2026-03-0{day}T11:00")
        ids.append(talk_id)
    return ids


def drop_triggers(store: Store) -> None:
    for row in store.query("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        store.execute(f"DROP TRIGGER {row['name']}")


def resign_from(store: Store, seq: int) -> None:
    """What an attacker holding the database key can do: recompute and re-sign every link from `seq` on."""
    key_row = store.query_one("SELECT private_key FROM signing_keys ORDER BY id DESC LIMIT 1")
    assert key_row is not None
    key = Ed25519PrivateKey.from_private_bytes(bytes(key_row["private_key"]))
    prev = store.scalar("SELECT chain_hash FROM seals WHERE seq = ?", [seq - 1]) or ""
    for row in store.query("SELECT * FROM seals WHERE seq >= ? ORDER BY seq", [seq]):
        if row["subject"] == "talk":
            content = seal.content_hash_of(seal.canonical_record(store, row["subject_id"]))
        else:
            content = row["content_hash"]
        chain_hash = seal.chain_hash_of(prev, content, row["seq"])
        store.execute("UPDATE seals SET content_hash = ?, prev_hash = ?, chain_hash = ?, signature = ? WHERE seq = ?",
                      [content, prev, chain_hash, key.sign(chain_hash.encode()), row["seq"]])
        prev = chain_hash


def kinds(report: seal.VerifyReport) -> set[tuple[str, int | None]]:
    return {(p.kind, p.seq) for p in report.problems}


def test_canonical_json_is_nfc_sorted_and_compact() -> None:
    assert seal.canonical_json({"b": "e\u0301", "a": [1, None, True], "é": "x"}) == (
        '{"a":[1,null,true],"b":"é","é":"x"}')
    with pytest.raises(ValueError):
        seal.canonical_json({"x": float("nan")})


def test_seal_links_signs_and_verifies(store: Store, org: Org, chain: list[int]) -> None:
    record = talks.get_talk(store, chain[0])
    assert record.status == "sealed" and record.seal is not None
    info = record.seal
    assert (info.seq, info.prev_hash, info.sealed_at) == (1, "", "2026-03-01T11:00:00")
    assert info.content_hash == seal.content_hash_of(seal.canonical_record(store, chain[0]))
    second = talks.get_talk(store, chain[1]).seal
    assert second is not None and second.prev_hash == info.chain_hash
    assert second.chain_hash == seal.chain_hash_of(info.chain_hash, second.content_hash, 2)
    # an upper organisation checks a signature with nothing but the exported public key
    public = serialization.load_pem_public_key(seal.export_public_key(store).encode())
    assert isinstance(public, Ed25519PublicKey)
    public.verify(bytes.fromhex(second.signature), second.chain_hash.encode())
    report = seal.verify_chain(store, seal.chain_head(store), trusted_public_key=seal.export_public_key(store))
    assert report.ok and report.checked == 5 and report.head.startswith("5:")
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'seal'") == 5
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'export' AND subject = 'public_key'") == 2


def test_the_seal_does_not_cover_names_followups_or_drafts(store: Store, org: Org, chain: list[int]) -> None:
    store.execute("UPDATE people SET position = '副处长', name = '李明明' WHERE id = ?", [org.member])
    assert seal.verify_chain(store).ok


def test_only_a_held_talk_with_content_is_sealed(store: Store, org: Org) -> None:
    planned = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
    with pytest.raises(InvalidInput, match="尚未进行"):
        seal.seal_talk(store, planned)
    talks.start_talk(store, planned)
    with pytest.raises(InvalidInput, match="还在进行中"):
        seal.seal_talk(store, planned)
    talks.finish_talk(store, planned)
    with pytest.raises(InvalidInput, match="既没有记录内容也没有信息汇总"):
        seal.seal_talk(store, planned)
    talks.set_outcome(store, planned, summary="谈话对象思想稳定。")
    seal.seal_talk(store, planned)
    with pytest.raises(InvalidInput, match="已经封存过"):
        seal.seal_talk(store, planned)


def test_the_database_refuses_changes_to_sealed_rows(store: Store, chain: list[int]) -> None:
    entry_id = talks.get_talk(store, chain[0]).entries[0].id
    for sql in (
        f"UPDATE entries SET text = '改' WHERE id = {entry_id}",
        f"DELETE FROM entries WHERE id = {entry_id}",
        f"UPDATE talks SET summary = '改' WHERE id = {chain[0]}",
        "UPDATE seals SET content_hash = 'x' WHERE seq = 1",
        "DELETE FROM seals WHERE seq = 5",
    ):
        with pytest.raises(TanxinError, match="sealed"):
            store.execute(sql)


def test_an_edited_entry_is_named(store: Store, chain: list[int]) -> None:
    drop_triggers(store)
    entry_id = talks.get_talk(store, chain[2]).entries[1].id
    store.execute("UPDATE entries SET text = '被改过的内容' WHERE id = ?", [entry_id])
    report = seal.verify_chain(store)
    assert not report.ok and kinds(report) == {("content_changed", 3)}
    first = report.first_problem
    assert first is not None and (first.talk_id, first.code) == (chain[2], "TX-2026-0003")
    assert "第 3 号封存" in first.message and "TX-2026-0003" in first.message and "被改动" in first.message


def test_an_edited_and_rehashed_record_fails_on_its_signature(store: Store, chain: list[int]) -> None:
    drop_triggers(store)
    store.execute("UPDATE talks SET statement = '我从未说过这些' WHERE id = ?", [chain[1]])
    content = seal.content_hash_of(seal.canonical_record(store, chain[1]))
    prev = store.scalar("SELECT prev_hash FROM seals WHERE seq = 2")
    store.execute("UPDATE seals SET content_hash = ?, chain_hash = ? WHERE seq = 2",
                  [content, seal.chain_hash_of(prev, content, 2)])
    report = seal.verify_chain(store)
    assert kinds(report) == {("signature_invalid", 2), ("chain_broken", 3)}
    assert report.first_problem is not None and report.first_problem.seq == 2


def test_a_rewritten_and_resigned_chain_is_caught_only_by_the_kept_head(store: Store, chain: list[int]) -> None:
    kept = seal.chain_head(store)
    drop_triggers(store)
    store.execute("UPDATE talks SET summary = '重写的汇总' WHERE id = ?", [chain[3]])
    resign_from(store, 4)
    assert seal.verify_chain(store).ok  # the limit docs/pitfalls.md names: the key is in the database
    report = seal.verify_chain(store, kept)
    assert kinds(report) == {("head_mismatch", 5)}


def test_a_replaced_signing_key_is_caught_by_the_exported_public_key(store: Store, chain: list[int]) -> None:
    exported = seal.export_public_key(store)
    drop_triggers(store)
    new_key = Ed25519PrivateKey.generate()
    raw = serialization.Encoding.Raw
    store.execute("UPDATE signing_keys SET public_key = ?, private_key = ?", [
        new_key.public_key().public_bytes(raw, serialization.PublicFormat.Raw),
        new_key.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())])
    resign_from(store, 1)
    assert seal.verify_chain(store).ok
    report = seal.verify_chain(store, trusted_public_key=exported)
    assert [p.kind for p in report.problems] == ["key_replaced"]


def test_a_deleted_seal_is_named(store: Store, chain: list[int]) -> None:
    drop_triggers(store)
    store.execute("DELETE FROM seals WHERE seq = 3")
    report = seal.verify_chain(store)
    assert ("record_missing", 4) in kinds(report)
    missing = [p for p in report.problems if p.kind == "seal_missing"]
    assert [(p.talk_id, p.code) for p in missing] == [(chain[2], "TX-2026-0003")]
    assert report.first_problem is not None and report.first_problem.seq == 4
    assert "第 3 号封存记录缺失" in report.first_problem.message


def test_a_deleted_record_is_named(store: Store, chain: list[int]) -> None:
    drop_triggers(store)
    store.execute("PRAGMA foreign_keys = OFF")
    store.execute("DELETE FROM entries WHERE talk_id = ?", [chain[1]])
    store.execute("DELETE FROM talk_participants WHERE talk_id = ?", [chain[1]])
    store.execute("DELETE FROM talks WHERE id = ?", [chain[1]])
    report = seal.verify_chain(store)
    assert kinds(report) == {("record_missing", 2)}
    assert f"id {chain[1]}" in report.problems[0].message


def test_two_swapped_seals_are_named(store: Store, chain: list[int]) -> None:
    drop_triggers(store)
    store.execute("UPDATE seals SET seq = -2 WHERE seq = 2")
    store.execute("UPDATE seals SET seq = 2 WHERE seq = 3")
    store.execute("UPDATE seals SET seq = 3 WHERE seq = -2")
    report = seal.verify_chain(store)
    assert ("order_swapped", 2) in kinds(report) and ("order_swapped", 3) in kinds(report)
    assert report.first_problem is not None and report.first_problem.seq == 2
    assert "原为第 3 号封存，现在位于第 2 号" in report.first_problem.message
    assert len(report.problems) == 2


def test_two_swapped_records_are_named(store: Store, chain: list[int]) -> None:
    drop_triggers(store)
    first, second = chain[0], chain[1]
    store.execute("UPDATE seals SET subject_id = -1, talk_id = ? WHERE seq = 1", [second])
    store.execute("UPDATE seals SET subject_id = ?, talk_id = ? WHERE seq = 2", [first, first])
    store.execute("UPDATE seals SET subject_id = ? WHERE seq = 1", [second])
    report = seal.verify_chain(store)
    assert kinds(report) == {("order_swapped", 1), ("order_swapped", 2)}
    assert "互换" in report.problems[0].message


def test_a_cut_tail_is_caught_against_the_kept_head(store: Store, chain: list[int]) -> None:
    kept = seal.chain_head(store)
    drop_triggers(store)
    store.execute("PRAGMA foreign_keys = OFF")
    for talk_id in chain[3:]:
        store.execute("DELETE FROM seals WHERE talk_id = ?", [talk_id])
        store.execute("DELETE FROM entries WHERE talk_id = ?", [talk_id])
        store.execute("DELETE FROM talk_participants WHERE talk_id = ?", [talk_id])
        store.execute("DELETE FROM talks WHERE id = ?", [talk_id])
    assert seal.verify_chain(store).ok  # without a head kept outside, a clean cut is invisible
    report = seal.verify_chain(store, kept)
    assert [p.kind for p in report.problems] == ["tail_cut"]
    assert "保存的链头为第 5 号" in report.problems[0].message and "只到第 3 号" in report.problems[0].message


def test_a_status_set_back_is_caught(store: Store, chain: list[int]) -> None:
    drop_triggers(store)
    store.execute("UPDATE talks SET status = 'held' WHERE id = ?", [chain[0]])
    assert [(p.kind, p.talk_id) for p in seal.verify_chain(store).problems] == [("unsealed", chain[0])]


def test_an_amendment_keeps_the_original_and_verifies(store: Store, chain: list[int]) -> None:
    original = talks.get_talk(store, chain[0])
    assert original.seal is not None
    entry = original.entries[0]
    with pytest.raises(InvalidInput, match="更正原因不能为空"):
        seal.amend(store, chain[0], reason=" ", change={"entry_id": entry.id})
    with pytest.raises(InvalidInput, match="更正内容不能为空"):
        seal.amend(store, chain[0], reason="笔误", change={})
    amendment_id = seal.amend(store, chain[0], reason="记录笔误：日期写错",
                              change={"entry_id": entry.id, "text": "更正后的内容\u202e"})
    after = talks.get_talk(store, chain[0])
    assert after.seal == original.seal and after.entries == original.entries
    assert seal.content_hash_of(seal.canonical_record(store, chain[0])) == original.seal.content_hash
    [amendment] = after.amendments
    assert amendment.id == amendment_id and amendment.change["text"] == "更正后的内容\u202e"
    assert amendment.seal is not None and amendment.seal.seq == 6 and amendment.seal.subject == "amendment"
    head = seal.chain_head(store)
    assert head == amendment.seal.head and seal.verify_chain(store, head).ok
    # the amendment is sealed in turn: changing it is caught like any record
    drop_triggers(store)
    store.execute("UPDATE amendments SET reason = '另一个原因' WHERE id = ?", [amendment_id])
    report = seal.verify_chain(store, head)
    assert kinds(report) == {("content_changed", 6)} and "更正记录" in report.problems[0].message


def test_only_a_sealed_talk_is_amended(store: Store, org: Org) -> None:
    talk_id = held_talk(store, org)
    with pytest.raises(InvalidInput, match="可以直接修改"):
        seal.amend(store, talk_id, reason="x", change={"a": 1})


def test_chain_head_format(store: Store, org: Org) -> None:
    assert seal.chain_head(store) == "0:"
    assert seal.verify_chain(store, "0:").ok
    for bad in ("5", "x:abc", "1:" + "g" * 64, "0:abc"):
        with pytest.raises(InvalidInput, match="链头"):
            seal.verify_chain(store, bad)
