"""The record from the command line: talks, show, followups, verify, chain-head, public-key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from talk_helpers import Org, held_talk, make_org

from notes import followups, seal, talks
from notes.errors import Ambiguous, InvalidInput, NotFound
from notes.people import resolve_person
from notes.store import Store


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


@pytest.fixture
def recorded(store: Store, org: Org) -> dict[str, int]:
    """A sealed talk with a confidential entry and an overdue 整改, a held talk, a planned one."""
    sealed_talk = held_talk(store, org, ["迟到早退\x1b[2J", "举报人：王某"], confidential=[False, True])
    entry_id = talks.get_talk(store, sealed_talk).entries[0].id
    followup_id = followups.followup_from_entry(store, entry_id, kind="整改", due_on="2026-01-15")
    seal.seal_talk(store, sealed_talk)
    held = held_talk(store, org, ["第二次谈话"], day="2026-04-01", interviewee=org.other)
    planned = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member],
                                planned_at="2026-09-01")
    return {"sealed": sealed_talk, "held": held, "planned": planned, "followup": followup_id}


def cli(db_path: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli(["--db", str(db_path), *args])
    return result.exit_code, result.stdout, result.stderr


def test_talks_json(db_path: Path, recorded: dict[str, int]) -> None:
    code, out, _ = cli(db_path, "talks", "--json")
    assert code == 0
    listed = json.loads(out)
    assert [t["id"] for t in listed] == [recorded["planned"], recorded["held"], recorded["sealed"]]
    first = listed[-1]
    assert {k: first[k] for k in ("person", "type", "held_at", "status")} == {
        "person": "李明", "type": "routine", "held_at": "2026-03-02T09:05:00", "status": "sealed"}
    code, out, _ = cli(db_path, "talks", "--status", "held", "--json")
    assert [t["id"] for t in json.loads(out)] == [recorded["held"]]


def test_talks_by_person_name_or_id(db_path: Path, org: Org, recorded: dict[str, int]) -> None:
    code, out, _ = cli(db_path, "talks", "--person", "王芳", "--json")
    assert code == 0 and [t["id"] for t in json.loads(out)] == [recorded["held"]]
    code, out, _ = cli(db_path, "talks", "--person", str(org.member))
    assert code == 0 and "TX-2026-0001" in out and "共 2 次谈话" in out
    code, out, err = cli(db_path, "talks", "--person", "李明")
    assert code == 1 and out == ""
    assert "对应多名人员" in err and f"id {org.member}" in err and f"id {org.namesake}" in err
    code, _, err = cli(db_path, "talks", "--person", "赵六")
    assert code == 1 and "名册中没有“赵六”" in err
    code, _, _ = cli(db_path, "talks", "--status", "done")
    assert code == 2


def test_resolve_person(store: Store, org: Org) -> None:
    assert resolve_person(store, " 王芳 ") == org.other
    assert resolve_person(store, "王 芳") == org.other  # rosters space names freely
    assert resolve_person(store, str(org.member)) == org.member
    # Nothing is guessed: a part of a name is only offered, even when it is unique.
    with pytest.raises(NotFound, match="姓名相近的有：张书记"):
        resolve_person(store, "书记")
    with pytest.raises(Ambiguous, match="李明（id"):
        resolve_person(store, "李明")
    with pytest.raises(NotFound, match="李明（id"):
        resolve_person(store, "李")
    for text in ("%", "_", "\\", "999"):
        with pytest.raises(NotFound):
            resolve_person(store, text)
    with pytest.raises(InvalidInput):
        resolve_person(store, "  ")


def test_show_json_is_the_whole_record(db_path: Path, recorded: dict[str, int]) -> None:
    code, out, _ = cli(db_path, "show", "TX-2026-0001", "--json")
    assert code == 0
    record = json.loads(out)
    assert record["id"] == recorded["sealed"] and record["status"] == "sealed"
    assert [{k: e[k] for k in ("heading", "kind", "text", "confidential")} for e in record["entries"]] == [
        {"heading": "谈思想", "kind": "事实情况", "text": "迟到早退\x1b[2J", "confidential": False},
        {"heading": "谈思想", "kind": "事实情况", "text": "举报人：王某", "confidential": True},
    ]
    assert all(isinstance(e["id"], int) for e in record["entries"])
    assert record["followups"][0]["id"] == recorded["followup"] and record["followups"][0]["overdue"]
    assert record["seal"]["seq"] == 2 and len(record["seal"]["content_hash"]) == 64


def test_show_prints_user_text_inert(db_path: Path, recorded: dict[str, int]) -> None:
    code, out, _ = cli(db_path, "show", str(recorded["sealed"]))
    assert code == 0
    assert "\x1b" not in out and "迟到早退␛[2J" in out
    assert "【保密】" in out and "已封存" in out and "封存：第 2 号" in out
    code, _, err = cli(db_path, "show", "TX-2030-0001")
    assert code == 1 and "没有编号为“TX-2030-0001”的谈话" in err


def test_followups_overdue_suggests_the_next_step(db_path: Path, store: Store, recorded: dict[str, int]) -> None:
    followups.create_followup(store, talk_id=recorded["held"], kind="帮扶", title="解决住房困难")
    code, out, _ = cli(db_path, "followups", "--overdue", "--json")
    assert code == 0
    [late] = json.loads(out)
    assert late["id"] == recorded["followup"] and late["overdue"] is True and late["next_step"]
    code, out, _ = cli(db_path, "followups", "--json")
    assert len(json.loads(out)) == 2
    code, out, _ = cli(db_path, "followups", "--person", "王芳")
    assert code == 0 and "解决住房困难" in out and "共 1 项" in out


def test_verify_and_chain_head(db_path: Path, store: Store, recorded: dict[str, int]) -> None:
    code, out, _ = cli(db_path, "chain-head")
    head = out.strip()
    assert code == 0 and head == seal.chain_head(store) and head.startswith("2:")
    code, out, _ = cli(db_path, "chain-head", "--json")
    assert json.loads(out) == {"head": head, "seq": 2, "chain_hash": head[2:]}
    code, out, _ = cli(db_path, "verify", "--head", head)
    assert code == 0 and "封存链完好" in out
    report = json.loads(cli(db_path, "verify", "--json")[1])
    assert report["ok"] is True and report["checked"] == 2  # the 整改's signed change and the record
    code, _, err = cli(db_path, "verify", "--head", "abc")
    assert code == 1 and "链头“abc”格式不对" in err


def test_verify_names_the_first_bad_record(db_path: Path, store: Store, recorded: dict[str, int]) -> None:
    seal.seal_talk(store, recorded["held"])
    kept = seal.chain_head(store)
    store.execute("DROP TRIGGER entries_sealed_no_update")
    store.execute("UPDATE entries SET text = '改过' WHERE talk_id = ?", [recorded["held"]])
    code, out, err = cli(db_path, "verify")
    assert code == 1 and out == ""
    assert "第一处：第 3 号封存（谈话记录，谈话 TX-2026-0002）" in err and "被改动" in err
    code, out, _ = cli(db_path, "verify", "--head", kept, "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert report["first_problem"]["code"] == "TX-2026-0002" and report["first_problem"]["kind"] == "content_changed"


def test_public_key_export(db_path: Path, tmp_path: Path, recorded: dict[str, int]) -> None:
    out_file = tmp_path / "公钥.pem"
    code, out, _ = cli(db_path, "public-key", "--out", str(out_file))
    assert code == 0 and out_file.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    code, _, err = cli(db_path, "public-key", "--out", str(out_file))
    assert code == 1 and "已存在" in err
    code, out, _ = cli(db_path, "public-key")
    assert out == out_file.read_text()
    code, out, _ = cli(db_path, "verify", "--public-key", str(out_file))
    assert code == 0


def test_verify_a_document(db_path: Path, tmp_path: Path, recorded: dict[str, int]) -> None:
    import docx

    foreign = tmp_path / "别人的文档.docx"
    document = docx.Document()
    document.add_paragraph("这不是 tanxin 导出的记录")
    document.save(str(foreign))
    code, out, _ = cli(db_path, "verify", str(foreign))
    assert code == 1 and "核验未通过" in out and "校验码" in out
    text_file = tmp_path / "记录.txt"
    text_file.write_text("x")
    code, _, err = cli(db_path, "verify", str(text_file))
    assert code == 2 and "只能核验 .docx" in err


def test_records_stay_listable_when_a_pack_cannot_be_loaded(db_path: Path, store: Store,
                                                           recorded: dict[str, int]) -> None:
    store.set_setting("active_packs", ["no-such-pack"])
    code, out, err = cli(db_path, "talks", "--json")
    assert code == 0 and "政策包无法载入" in err
    assert {t["type_name"] for t in json.loads(out)} == {"routine"}
    code, out, _ = cli(db_path, "followups", "--overdue", "--json")
    assert code == 0 and json.loads(out)[0]["next_step"] is None
