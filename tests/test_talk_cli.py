"""`tanxin talk new|note|end|seal`: a talk recorded from the command line, live or written up later (补录)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from conftest import PASSPHRASE, run_cli
from document_helpers import full_text

from notes.clock import NOW_VARIABLE
from notes.documents.report import report_context
from notes.store import Store
from notes.unlock import open_database
from prep.active import active_policy, policy_facts
from prep.due import due_report

TYPED_ON = "2027-01-04T16:00:00"  # the day the paper notes of a December talk are typed in


@pytest.fixture
def unit(store: Store, db_path: Path) -> Path:
    """A branch: its secretary, a member and the branch's clerk."""
    with store.transaction():
        branch = store.insert("units", {"name": "机关第一党支部", "kind": "党支部"})
        secretary = store.insert("people", {"name": "张书记", "unit_id": branch, "membership": "正式党员"})
        member = store.insert("people", {"name": "李明", "unit_id": branch, "membership": "正式党员"})
        store.insert("people", {"name": "赵干事", "unit_id": branch, "membership": "正式党员"})
        store.insert("roles", {"person_id": secretary, "unit_id": branch, "role": "支部书记", "start_date": "2020-01-01"})
        store.insert("roles", {"person_id": member, "unit_id": branch, "role": "党员", "start_date": "2020-01-01"})
    return db_path


def talk_cli(db: Path, *args: str, now: str = TYPED_ON) -> Result:
    return run_cli(["--db", str(db), "talk", *args], env={NOW_VARIABLE: now})


def shown(db: Path, code: str) -> dict[str, object]:
    result = run_cli(["--db", str(db), "show", code, "--json"], env={NOW_VARIABLE: TYPED_ON})
    assert result.exit_code == 0, result.stderr
    record: dict[str, object] = json.loads(result.stdout)
    return record


def test_a_december_talk_written_up_in_january_is_filed_under_december(unit: Path, tmp_path: Path) -> None:
    began = talk_cli(unit, "new", "李明", "--type", "日常谈话", "--at", "2026-12-30 15:00",
                     "--interviewer", "张书记", "--recorder", "赵干事", "--place", "支部活动室")
    assert began.exit_code == 0, began.stderr
    assert "TX-2026-0001（补录）" in began.stdout
    for text, kind, heading in (("工作压力较大，希望多交流", "困难诉求", "谈生活"),
                                ("报销单据整理不及时", "发现问题", "谈作风")):
        noted = talk_cli(unit, "note", "TX-2026-0001", text, "--kind", kind, "--heading", heading)
        assert noted.exit_code == 0, noted.stderr
    secret = talk_cli(unit, "note", "TX-2026-0001", "反映人为某同志", "--confidential")
    assert "保密" in secret.stdout
    ended = talk_cli(unit, "end", "TX-2026-0001", "--at", "2026-12-30 15:40", "--summary", "思想稳定",
                     "--statement", "按期整改", "--confirmed")
    assert ended.exit_code == 0, ended.stderr
    sealed = talk_cli(unit, "seal", "TX-2026-0001")
    assert sealed.exit_code == 0, sealed.stderr

    record = shown(unit, "TX-2026-0001")
    assert (record["status"], record["started_at"], record["ended_at"]) == (
        "sealed", "2026-12-30T15:00:00", "2026-12-30T15:40:00")
    entries = record["entries"]
    assert isinstance(entries, list) and [e["offset_seconds"] for e in entries] == [0, 0, 0]
    assert [e["confidential"] for e in entries] == [False, False, True]

    out = tmp_path / "记录.docx"
    exported = run_cli(["--db", str(unit), "export", "record", "TX-2026-0001", "--out", str(out)],
                       env={NOW_VARIABLE: TYPED_ON})
    assert exported.exit_code == 0, exported.stderr
    text = full_text(out)
    assert "本记录系谈话后补录，录入于2027年1月4日" in text and "2026年12月30日" in text
    assert "反映人为某同志" not in text

    with open_database(unit, passphrase=PASSPHRASE, use_keyring=False) as store:
        policy = active_policy(store)
        covered = {row.rule: row.done for row in due_report(store, policy, date(2026, 12, 31)).coverage
                   if row.rule == "secretary_members"}
        assert covered == {"secretary_members": 1}
        facts = policy_facts(store)
        by_year = {year: report_context(store, year, None, date(2027, 1, 4), facts) for year in (2026, 2027)}
    assert "共开展谈心谈话1次" in str(by_year[2026]["overview"])
    assert "共开展谈心谈话0次" in str(by_year[2027]["overview"])


def test_a_live_talk_takes_its_times_from_the_clock(unit: Path) -> None:
    began = talk_cli(unit, "new", "李明", "--type", "routine", "--interviewer", "张书记", now="2026-11-22T10:00:00")
    assert began.exit_code == 0, began.stderr
    assert "补录" not in began.stdout
    code = re.findall(r"TX-\d{4}-\d{4}", began.stdout)[0]
    noted = talk_cli(unit, "note", code, "介绍了近期工作", now="2026-11-22T10:00:00")
    assert noted.exit_code == 0, noted.stderr
    ended = talk_cli(unit, "end", code, now="2026-11-22T10:00:00")
    assert ended.exit_code == 0, ended.stderr
    record = shown(unit, code)
    assert str(record["started_at"]).startswith("2026-11-22T10:00")
    assert str(record["ended_at"]) >= str(record["started_at"])


def test_a_time_to_come_plans_the_talk(unit: Path) -> None:
    planned = talk_cli(unit, "new", "李明", "--type", "日常谈话", "--at", "2027-01-08 09:30", "--interviewer", "张书记")
    assert planned.exit_code == 0 and "已安排" in planned.stdout
    record = shown(unit, "TX-2027-0001")
    assert (record["status"], record["planned_at"], record["started_at"]) == ("planned", "2027-01-08T09:30:00", None)


def test_bad_input_is_refused_in_chinese_and_changes_nothing(unit: Path) -> None:
    bad_time = talk_cli(unit, "new", "李明", "--type", "日常谈话", "--at", "12月30日", "--interviewer", "张书记")
    assert bad_time.exit_code == 2 and "不是有效时间" in bad_time.stderr
    unknown_type = talk_cli(unit, "new", "李明", "--type", "闲聊", "--interviewer", "张书记")
    assert unknown_type.exit_code == 1 and "闲聊" in unknown_type.stderr
    nobody = talk_cli(unit, "new", "王五", "--type", "日常谈话", "--interviewer", "张书记")
    assert nobody.exit_code == 1 and "王五" in nobody.stderr
    assert talk_cli(unit, "new", "李明", "--type", "日常谈话", "--at", "2026-12-30 15:00",
                    "--interviewer", "张书记").exit_code == 0
    no_end = talk_cli(unit, "end", "TX-2026-0001")
    assert no_end.exit_code == 1 and "--at" in no_end.stderr
    early = talk_cli(unit, "end", "TX-2026-0001", "--at", "2026-12-30 14:00")
    assert early.exit_code == 1 and "早于开始时间" in early.stderr
    assert shown(unit, "TX-2026-0001")["status"] == "in_progress"


def test_an_admonition_is_not_sealed_without_a_dated_rectification(unit: Path) -> None:
    assert talk_cli(unit, "new", "李明", "--type", "admonition", "--at", "2026-12-30 15:00",
                    "--interviewer", "张书记").exit_code == 0
    assert talk_cli(unit, "note", "TX-2026-0001", "存在作风问题", "--kind", "发现问题").exit_code == 0
    assert talk_cli(unit, "end", "TX-2026-0001", "--at", "2026-12-30 15:30").exit_code == 0
    refused = talk_cli(unit, "seal", "TX-2026-0001")
    assert refused.exit_code == 1 and "事由" in refused.stderr and "procedure set" in refused.stderr
    assert run_cli(["--db", str(unit), "procedure", "set", "TX-2026-0001", "--reason", "多次迟到早退",
                    "--decision-date", "2026-12-28", "--decided-by", "机关党委"]).exit_code == 0
    refused = talk_cli(unit, "seal", "TX-2026-0001")
    assert refused.exit_code == 1 and "整改" in refused.stderr
    assert shown(unit, "TX-2026-0001")["status"] == "held"
