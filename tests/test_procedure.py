"""Issue #13 items 1–2 and 7: a 提醒/诫勉/函询 states its 事由 and a 诫勉 its decision, or its documents are not
exported and the talk not sealed; a 函询 is recorded step by step and printed as a letter and its reply; a
record's 校验码 is fixed at its seal."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from document_helpers import Org, edit_text, full_text, make_org, paragraphs, rich_talk, table_cell_after
from procedure_helpers import DECIDED_BY, DECISION_NUMBER, REASON, admonition_talk

from notes import seal, talks
from notes.documents import render_notice, render_record
from notes.docverify import verify_document
from notes.errors import InvalidInput
from notes.procedure import require_procedure_before, set_procedure
from notes.store import Store
from prep.active import policy_facts
from tui.cli import cli
from tui.commands.procedure import inquiry_group, procedure_group


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands as the CLI registers them (tui/cli.py COMMAND_MODULES)."""
    monkeypatch.setitem(cli.commands, "procedure", procedure_group)
    monkeypatch.setitem(cli.commands, "inquiry", inquiry_group)


# -- 事由 and 诫勉决定 required ------------------------------------------------------------------------------


def test_an_admonition_without_its_decision_is_neither_exported_nor_sealed(
    store: Store, org: Org, tmp_path: Path
) -> None:
    talk_id = rich_talk(store, org, talk_type="admonition", subject="李明同志诫勉谈话", sealed=False)
    facts = policy_facts(store)
    for export in (render_record, render_notice):
        with pytest.raises(InvalidInput, match="还缺少：事由（谈话所针对的问题）、诫勉决定日期、作出诫勉决定的机关，"
                                               "不能导出。请用 tanxin procedure set TX-2026-0001 --reason 事由 "
                                               "--decision-date 日期 --decided-by 决定机关"):
            export(store, talk_id, tmp_path / "x.docx", facts=facts)
    with pytest.raises(InvalidInput, match="不能封存"):
        require_procedure_before(store, talk_id, facts, "封存")
    set_procedure(store, talk_id, reason=REASON)
    with pytest.raises(InvalidInput, match="还缺少：诫勉决定日期、作出诫勉决定的机关，不能封存"):
        require_procedure_before(store, talk_id, facts, "封存")
    set_procedure(store, talk_id, decided_on="2026-03-10", decided_by=DECIDED_BY)
    require_procedure_before(store, talk_id, facts, "封存")
    assert not (tmp_path / "x.docx").exists()


def test_a_routine_talk_needs_no_reason(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org, subject="王书记同志日常谈话", sealed=False)
    require_procedure_before(store, talk_id, policy_facts(store), "封存")
    assert render_record(store, talk_id, tmp_path / "r.docx", facts=policy_facts(store)).exists()


def test_the_decision_precedes_the_talk_and_is_fixed_by_the_seal(store: Store, org: Org) -> None:
    talk_id = admonition_talk(store, org, sealed=False)
    with pytest.raises(InvalidInput, match="诫勉决定日期 2026-03-13 晚于谈话日期 2026-03-12"):
        set_procedure(store, talk_id, decided_on="2026-03-13")
    seal.seal_talk(store, talk_id, at="2026-03-12T16:00")
    with pytest.raises(InvalidInput, match="已封存，程序信息不能再修改"):
        set_procedure(store, talk_id, decision_number="另一文号")
    with pytest.raises(Exception, match="sealed"):  # the database itself refuses, whatever the route
        store.execute("UPDATE talk_procedures SET decided_by = '别的机关' WHERE talk_id = ?", [talk_id])


def test_the_notice_states_reason_decision_and_number(store: Store, org: Org, tmp_path: Path) -> None:
    out = render_notice(store, admonition_talk(store, org), tmp_path / "n.docx", facts=policy_facts(store))
    lines = [line for line in paragraphs(out) if line.strip()]
    assert lines[:2] == ["诫勉通知书", DECISION_NUMBER]
    opening = next(line for line in lines if line.startswith("因"))
    assert opening.startswith(f"因{REASON}，经{DECIDED_BY}于2026年3月9日研究，决定对你予以诫勉")
    assert sum(REASON in line for line in lines) == 1


def test_a_decision_without_a_number_prints_no_empty_number_line(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org, talk_type="admonition", subject=REASON, sealed=False)
    set_procedure(store, talk_id, decided_on="2026-03-11", decided_by=DECIDED_BY)
    out = render_notice(store, talk_id, tmp_path / "n.docx", facts=policy_facts(store))
    texts = paragraphs(out)
    title = texts.index("诫勉通知书")
    assert texts[title + 1].startswith("李明同志") or texts[title + 1] == ""
    assert "编号" not in full_text(out) and "TX-2026" not in full_text(out)


def test_verify_fails_on_a_changed_reason(store: Store, org: Org, tmp_path: Path) -> None:
    facts = policy_facts(store)
    talk_id = admonition_talk(store, org)
    record = render_record(store, talk_id, tmp_path / "r.docx", facts=facts)
    notice = render_notice(store, talk_id, tmp_path / "n.docx", facts=facts)
    assert verify_document(store, record, facts=facts).ok and verify_document(store, notice, facts=facts).ok
    for original, field in ((record, "事由"), (notice, "通知正文")):
        edited = tmp_path / f"edited-{original.name}"
        edit_text(original, "推诿拖延", "偶有拖延", edited)
        report = verify_document(store, edited, facts=facts)
        assert not report.ok and report.differing_fields == [field], report.lines()
    edited = tmp_path / "edited-number.docx"
    edit_text(notice, DECISION_NUMBER, "青发改机党〔2026〕1号", edited)
    assert not verify_document(store, edited, facts=facts).ok


# -- the 校验码 is fixed at the seal ------------------------------------------------------------------------


def test_check_code_is_the_same_before_and_after_later_seals(store: Store, org: Org, tmp_path: Path) -> None:
    facts = policy_facts(store)
    talk_id = rich_talk(store, org, day="2026-03-12")
    before = render_record(store, talk_id, tmp_path / "before.docx", facts=facts)
    rich_talk(store, org, day="2026-04-02", interviewee=org.colleague)  # another record sealed after it
    seal.amend(store, talk_id, reason="谈话地点记错", change={"place": "二楼会议室"})
    after = render_record(store, talk_id, tmp_path / "after.docx", facts=facts)
    code = [line for line in paragraphs(before) if line.startswith("校验码：")]
    assert code and code[0] == next(line for line in paragraphs(after) if line.startswith("校验码："))
    assert "谈话地点记错" not in full_text(before) and "谈话地点记错" in full_text(after)
    old = verify_document(store, before, facts=facts)
    assert old.ok and any("导出之后又有 1 条更正" in note for note in old.notes), old.lines()
    assert verify_document(store, after, facts=facts).ok
    for exported in (before, after):
        edited = tmp_path / f"edited-{exported.name}"
        edit_text(exported, "服从组织安排", "不服从组织安排", edited)
        assert not verify_document(store, edited, facts=facts).ok


def test_check_code_names_the_records_own_link(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org)
    link = store.query_one("SELECT seq, chain_hash, content_hash FROM seals WHERE subject = 'talk' AND subject_id = ?",
                           [talk_id])
    assert link is not None
    rich_talk(store, org, day="2026-04-02", interviewee=org.colleague)
    out = render_record(store, talk_id, tmp_path / "r.docx", facts=policy_facts(store))
    assert (f"校验码：{talk_id}-{link['content_hash'][:16]}-{link['seq']}-{link['chain_hash'][:16]}"
            in full_text(out))


def test_a_chain_cut_before_the_record_fails_verify(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org)
    out = render_record(store, talk_id, tmp_path / "r.docx", facts=policy_facts(store))
    seq = store.scalar("SELECT seq FROM seals WHERE subject = 'talk' AND subject_id = ?", [talk_id])
    store.execute("DROP TRIGGER IF EXISTS seals_no_delete")
    store.execute("DELETE FROM seals WHERE seq >= ?", [seq])
    report = verify_document(store, out, facts=policy_facts(store))
    assert not report.ok and report.problems == [
        "数据库中谈话 TX-2026-0001 标记为已封存，封存链中却没有它的封存记录（链尾被截断或封存记录被删除）。"]


# -- 函询 as its own flow ------------------------------------------------------------------------------------


def test_an_inquiry_recorded_step_by_step_from_the_command_line(
    store: Store, org: Org, db_path: Path, tmp_path: Path, commands: None
) -> None:
    talk_id = talks.create_talk(store, talk_type="reminder", interviewers=[org.secretary], interviewees=[org.member],
                                channel="函询", planned_at="2026-10-20", subject="李明同志提醒谈话")
    db = ["--db", str(db_path)]
    sent = run_cli([*db, "inquiry", "send", "TX-2026-0001", "--sent", "2026-10-26", "--due", "2026-11-05",
                    "--question", "2026年9月接待外地考察团时，是否超标准安排宴请？",
                    "--question", "接待费用由哪个单位承担，是否已经报销？"])
    assert sent.exit_code == 0, sent.output
    assert "还缺少：事由（谈话所针对的问题）" in sent.output
    letter = tmp_path / "letter.docx"
    refused = run_cli([*db, "export", "inquiry", "TX-2026-0001", "--out", str(letter)])
    assert refused.exit_code == 1 and "tanxin procedure set TX-2026-0001 --reason" in refused.stderr
    reason = "群众来信反映其在2026年9月公务接待中超标准安排宴请"
    assert run_cli([*db, "procedure", "set", "TX-2026-0001", "--reason", reason]).exit_code == 0
    assert run_cli([*db, "export", "inquiry", "TX-2026-0001", "--out", str(letter)]).exit_code == 0
    text = [line for line in paragraphs(letter) if line.strip()]
    assert any(line.startswith(f"因{reason}，根据有关规定") for line in text)
    assert "1. 2026年9月接待外地考察团时，是否超标准安排宴请？" in text
    assert "请于2026年11月5日前将书面说明（本人签名）报送青川市发改委机关党委。" in text
    assert "2026年10月26日" in text  # the letter is dated the day it was sent

    reply = "经核实，当日宴请按标准安排，超出部分系本人自费，已补交说明材料。"
    result = run_cli([*db, "inquiry", "reply", "TX-2026-0001", "--received", "2026-11-02", "--text", reply])
    assert result.exit_code == 0, result.output
    assessment = "回复属实，予以了结；提醒其严格执行公务接待标准。"
    assert run_cli([*db, "inquiry", "assess", "TX-2026-0001", "--text", assessment]).exit_code == 0
    row = store.query_one("SELECT status, started_at, ended_at FROM talks WHERE id = ?", [talk_id])
    assert row == {"status": "held", "started_at": "2026-10-26", "ended_at": "2026-11-02"}
    seal.seal_talk(store, talk_id)
    record = render_record(store, talk_id, tmp_path / "record.docx", facts=policy_facts(store))
    assert table_cell_after(record, "函询事项").startswith("1. 2026年9月接待外地考察团时")
    assert table_cell_after(record, "本人书面说明") == reply
    assert table_cell_after(record, "发函日期") == "2026年10月26日"
    assert table_cell_after(record, "回复期限") == "2026年11月5日"
    assert table_cell_after(record, "收到回复") == "2026年11月2日"
    body = full_text(record)
    assert assessment in body and reason in body
    assert "谈话时间" not in body and "谈话地点" not in body and "记录人" not in body
    assert "由组织部门留存，不归入本人档案" in body and "由组织部门留存，不归入本人档案" in full_text(letter)
    shown = run_cli([*db, "procedure", "show", "TX-2026-0001", "--json"])
    assert '"reply_due_on": "2026-11-05"' in shown.output and '"missing": []' in shown.output


def test_an_inquiry_step_out_of_order_is_refused(store: Store, org: Org, db_path: Path, commands: None) -> None:
    talks.create_talk(store, talk_type="reminder", interviewers=[org.secretary], interviewees=[org.member],
                      channel="函询", planned_at="2026-10-20")
    db = ["--db", str(db_path)]
    early = run_cli([*db, "inquiry", "assess", "TX-2026-0001", "--text", "了结"])
    assert early.exit_code == 1 and "还没有收到书面回复" in early.stderr
    empty = run_cli([*db, "inquiry", "send", "TX-2026-0001", "--sent", "2026-10-26"])
    assert empty.exit_code == 1 and "函询问题为空" in empty.stderr
    due = run_cli([*db, "inquiry", "send", "TX-2026-0001", "--sent", "2026-10-26", "--due", "2026-10-20",
                   "--question", "请说明情况"])
    assert due.exit_code == 1 and "回复期限 2026-10-20 早于发函日期 2026-10-26" in due.stderr
