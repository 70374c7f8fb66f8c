"""`verify_document`: an exported record is checked against the database by content and its 校验码, never by
file hash; a change to the text is found and named by field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from document_helpers import SECRETS, Org, edit_text, full_text, make_org, rich_talk
from docx import Document
from procedure_helpers import admonition_talk

from notes import followups, seal
from notes.documents import render_inquiry, render_notice, render_record
from notes.docverify import verify_document
from notes.store import Store
from prep.active import policy_facts


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


@pytest.fixture
def talk(store: Store, org: Org) -> int:
    return rich_talk(store, org)


@pytest.fixture
def exported(store: Store, talk: int, tmp_path: Path) -> Path:
    out = tmp_path / "record.docx"
    render_record(store, talk, out, facts=policy_facts(store))
    return out


def test_untouched_export_is_accepted(store: Store, exported: Path) -> None:
    report = verify_document(store, exported, facts=policy_facts(store))
    assert report.ok, report.lines()
    assert report.differences == [] and report.problems == []
    assert report.code == "TX-2026-0001" and report.kind == "record"
    assert report.lines()[0].startswith("核验通过")


def test_a_file_saved_again_by_python_docx_is_still_accepted(store: Store, exported: Path, tmp_path: Path) -> None:
    # the bytes differ (zip timestamps, serialisation), the content does not
    copy = tmp_path / "resaved.docx"
    Document(str(exported)).save(str(copy))
    assert copy.read_bytes() != exported.read_bytes()
    assert verify_document(store, copy, facts=policy_facts(store)).ok


def test_changed_text_is_rejected_and_the_field_named(store: Store, exported: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.docx"
    edit_text(exported, "服从组织安排。", "不服从组织安排。", edited)
    report = verify_document(store, edited, facts=policy_facts(store))
    assert not report.ok
    assert report.differing_fields == ["谈话对象表态"]
    difference = report.differences[0]
    assert "服从组织安排。" in difference.expected and "不服从组织安排。" in difference.found
    assert "核验未通过" in report.lines()[0] and "谈话对象表态" in report.lines()[0]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("三楼小会议室", "五楼会议室", "谈话地点"),
        ("存在工作作风不够扎实的情况。", "没有发现问题。", "主要内容·谈作风"),
        ("2026年3月12日14时30分", "2026年3月13日14时30分", "谈话时间"),
        ("谈话对象（签字）：", "谈话对象：", "模板文字"),
    ],
)
def test_each_kind_of_change_is_attributed(
    store: Store, exported: Path, tmp_path: Path, old: str, new: str, field: str
) -> None:
    edited = tmp_path / "edited.docx"
    edit_text(exported, old, new, edited)
    report = verify_document(store, edited, facts=policy_facts(store))
    assert not report.ok
    assert field in report.differing_fields, report.lines()


def test_an_added_paragraph_is_found(store: Store, exported: Path, tmp_path: Path) -> None:
    document = Document(str(exported))
    document.add_paragraph("谈话对象同意调离现岗位。")
    edited = tmp_path / "added.docx"
    document.save(str(edited))
    report = verify_document(store, edited, facts=policy_facts(store))
    assert not report.ok and "文档中多出的内容" in report.differing_fields


def test_a_forged_check_code_is_rejected(store: Store, exported: Path, tmp_path: Path) -> None:
    text = full_text(exported)
    code_line = next(line for line in text.splitlines() if line.startswith("校验码："))
    seal_prefix = code_line.split("-")[1]
    edited = tmp_path / "forged.docx"
    edit_text(exported, seal_prefix, "0" * 16, edited)
    report = verify_document(store, edited, facts=policy_facts(store))
    assert not report.ok and any("封存哈希不符" in p for p in report.problems)


def test_a_head_beyond_the_chain_reveals_a_cut_tail(store: Store, exported: Path, tmp_path: Path) -> None:
    code_line = next(line for line in full_text(exported).splitlines() if line.startswith("校验码："))
    _, _, seq, head = code_line.removeprefix("校验码：").split("（")[0].split("-")
    edited = tmp_path / "later-head.docx"
    edit_text(exported, f"-{seq}-{head}", f"-{int(seq) + 5}-{head}", edited)
    report = verify_document(store, edited, facts=policy_facts(store))
    assert not report.ok and any("链尾被截断" in p for p in report.problems)


def test_the_internal_copy_verifies_with_its_confidential_entries(store: Store, talk: int, tmp_path: Path) -> None:
    out = tmp_path / "internal.docx"
    render_record(store, talk, out, facts=policy_facts(store), internal=True)
    assert verify_document(store, out, facts=policy_facts(store)).ok
    edited = tmp_path / "internal-edited.docx"
    edit_text(out, SECRETS[0], "反映人不详", edited)
    report = verify_document(store, edited, facts=policy_facts(store))
    assert not report.ok and report.differing_fields == ["主要内容·谈思想"]


def test_later_seals_and_amendments_do_not_invalidate_an_earlier_export(
    store: Store, org: Org, talk: int, exported: Path
) -> None:
    rich_talk(store, org, day="2026-04-01")  # the chain grows past the head printed on the document
    seal.amend(store, talk, reason="地点记录有误", change={"place": "四楼会议室"})
    report = verify_document(store, exported, facts=policy_facts(store))
    assert report.ok, report.lines()
    assert any("又有 1 条更正" in note for note in report.notes)


@pytest.mark.parametrize(("old", "new"), [("2026年4月30日", "2026年12月31日"), ("整改工作作风问题", "整改作风问题")])
def test_a_changed_deadline_or_wording_of_a_rectification_fails_in_a_record(
    store: Store, exported: Path, tmp_path: Path, old: str, new: str
) -> None:
    edited = tmp_path / "edited.docx"
    edit_text(exported, old, new, edited)
    report = verify_document(store, edited, facts=policy_facts(store))
    assert not report.ok and "整改时限" in report.differing_fields, report.lines()


@pytest.mark.parametrize(("old", "new", "field"), [
    ("2026年5月31日", "2026年12月31日", "整改时限"),
    ("存在工作作风不够扎实的情况。", "存在个别小问题。", "需要整改的问题"),
])
def test_a_changed_deadline_or_problem_fails_in_a_notice(
    store: Store, org: Org, tmp_path: Path, old: str, new: str, field: str
) -> None:
    admonition = admonition_talk(store, org, day="2026-03-20")
    notice = tmp_path / "notice.docx"
    render_notice(store, admonition, notice, facts=policy_facts(store))
    edited = tmp_path / "notice-edited.docx"
    edit_text(notice, old, new, edited)
    report = verify_document(store, edited, facts=policy_facts(store))
    assert not report.ok and report.differing_fields == [field], report.lines()


def test_a_follow_up_raised_after_the_export_is_noted_not_rejected(
    store: Store, talk: int, exported: Path
) -> None:
    followups.create_followup(store, talk_id=talk, kind="帮扶", title="帮助协调子女入学")
    report = verify_document(store, exported, facts=policy_facts(store))
    assert report.ok, report.lines()
    assert any("导出之后又提出了 1 项跟踪事项" in note for note in report.notes)


def test_a_document_of_another_database_is_reported_as_such(store: Store, exported: Path, tmp_path: Path) -> None:
    from conftest import PASSPHRASE

    from notes.unlock import init_database

    other = init_database(tmp_path / "other.db", PASSPHRASE, ["suzhou-2018"]).store
    try:
        # The same ids and codes, other seals (a record held a day later: with the pinned clock, the same talk
        # made in both databases within one second would be sealed identically).
        rich_talk(other, make_org(other), day="2026-03-13")
        report = verify_document(other, exported, facts=policy_facts(other))
    finally:
        other.close()
    assert not report.ok and report.differences == []
    assert report.problems == ["这份文档不是从这个数据库导出的：校验码中的封存哈希和链头在本数据库中都不存在。"
                               "请用导出它的数据库核验（--db 指定）；这不表示文档被改动。"]


def test_follow_up_progress_is_noted_not_rejected(store: Store, talk: int, exported: Path) -> None:
    first = store.scalar("SELECT id FROM followups WHERE talk_id = ? ORDER BY id LIMIT 1", [talk])
    followups.set_followup_status(store, first, "in_progress", note="已制定整改方案")
    report = verify_document(store, exported, facts=policy_facts(store))
    assert report.ok
    assert "跟踪落实情况" in {d.field for d in report.differences if not d.sealed}
    assert any("不属封存内容" in line for line in report.lines())


def test_an_unsealed_record_cannot_be_verified(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org, sealed=False)
    out = tmp_path / "draft.docx"
    render_record(store, talk_id, out, facts=policy_facts(store))
    report = verify_document(store, out, facts=policy_facts(store))
    assert not report.ok and "尚未封存" in report.problems[0]


def test_notice_and_inquiry_verify_too(store: Store, org: Org, tmp_path: Path) -> None:
    admonition = admonition_talk(store, org)
    notice = tmp_path / "notice.docx"
    render_notice(store, admonition, notice, facts=policy_facts(store))
    assert verify_document(store, notice, facts=policy_facts(store)).ok
    by_letter = rich_talk(store, org, talk_type="reminder", channel="函询", day="2026-05-06")
    letter = tmp_path / "inquiry.docx"
    render_inquiry(store, by_letter, letter, facts=policy_facts(store))
    assert verify_document(store, letter, facts=policy_facts(store)).ok
    edited = tmp_path / "inquiry-edited.docx"
    edit_text(letter, "今后严格执行接待标准", "今后酌情执行接待标准", edited)
    assert verify_document(store, edited, facts=policy_facts(store)).differing_fields == ["本人说明"]


def test_a_unit_template_is_recognised_by_its_fingerprint(store: Store, talk: int, tmp_path: Path) -> None:
    from notes.resources import templates_dir

    template = tmp_path / "own.docx"
    shutil.copy(templates_dir() / "docx" / "record.docx", template)
    document = Document(str(template))
    document.add_paragraph("本单位留存联")
    document.save(str(template))
    store.set_setting("templates.record", str(template))
    out = tmp_path / "own-record.docx"
    render_record(store, talk, out, facts=policy_facts(store))
    assert verify_document(store, out, facts=policy_facts(store)).ok
    # the template changes later: the document is still checked, field by field
    document.add_paragraph("改版后的模板")
    document.save(str(template))
    report = verify_document(store, out, facts=policy_facts(store))
    assert report.ok and any("找不到导出时所用的本单位模板" in note for note in report.notes)
    edited = tmp_path / "own-edited.docx"
    edit_text(out, "三楼小会议室", "五楼会议室", edited)
    assert "谈话地点" in verify_document(store, edited, facts=policy_facts(store)).differing_fields


def test_not_a_docx_is_reported(store: Store, tmp_path: Path) -> None:
    from notes.errors import InvalidInput

    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InvalidInput, match="不是可读取的 DOCX"):
        verify_document(store, fake, facts=policy_facts(store))


def test_cli_verify_file(demo_db: Path, tmp_path: Path) -> None:
    from conftest import PASSPHRASE

    from notes.unlock import open_database

    with open_database(demo_db, passphrase=PASSPHRASE, use_keyring=False) as store:
        code = store.scalar("SELECT code FROM talks WHERE status = 'sealed' ORDER BY id LIMIT 1")
    out = tmp_path / "r.docx"
    assert run_cli(["--db", str(demo_db), "export", "record", code, "--out", str(out)]).exit_code == 0
    result = run_cli(["--db", str(demo_db), "verify", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "核验通过" in result.output
    document = Document(str(out))
    subject_cell = document.tables[0].rows[6].cells[1]
    subject_cell.paragraphs[0].runs[0].text = "篡改后的事由"
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    result = run_cli(["--db", str(demo_db), "verify", str(edited)])
    assert result.exit_code == 1
    assert "核验未通过" in result.output and "不一致的字段：事由" in result.output
