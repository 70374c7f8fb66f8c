"""Follow-up kinds in the organisation's words on paper: a 民进 unit's record, 台账 and year-end report say
向民进组织汇报 and 移送相关部门查核 where the stored kinds are the Party's words; a Party unit's documents keep them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import PASSPHRASE
from document_helpers import YEAR, full_text, make_org, rich_talk
from docx import Document
from openpyxl import load_workbook

from notes import followups, seal
from notes.documents import export_ledger, render_record, render_report
from notes.docverify import verify_document
from notes.store import Store
from notes.unlock import init_database
from prep.active import policy_facts

MINJIN_PACKS = ["minjin-cq-2023", "cadre-talks", "practice"]
PLACEHOLDER = "事项（涉及保密内容，详见内部存档件）"


def _talk_with_kinds(store: Store) -> int:
    """A held talk of a unit renamed as the organisation names itself, with a 汇报 raised from a 保密 entry and
    a referral, both in the stored (Party) words, then sealed."""
    org = make_org(store)
    talk_id = rich_talk(store, org, day=f"{YEAR}-03-12", sealed=False)
    secret = store.scalar("SELECT id FROM entries WHERE talk_id = ? AND confidential = 1 ORDER BY id LIMIT 1",
                          [talk_id])
    followups.followup_from_entry(store, secret, kind="向党组织汇报", due_on=f"{YEAR}-04-15")
    followups.create_followup(store, talk_id=talk_id, kind="移送纪检", title="公务接待超标准问题线索")
    seal.seal_talk(store, talk_id, at=f"{YEAR}-03-12T16:00")
    return talk_id


@pytest.fixture
def minjin_store(tmp_path: Path) -> Iterator[Store]:
    store = init_database(tmp_path / "minjin.db", PASSPHRASE, MINJIN_PACKS).store
    try:
        yield store
    finally:
        store.close()


def _report_kinds(path: Path) -> list[str]:
    for table in Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == "事项类别":
            return [row[0] for row in rows[1:]]
    raise AssertionError("no follow-up table in the report")


def _ledger_followups(path: Path) -> str:
    sheet = load_workbook(path)["台账"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("整改落实情况")
    return "\n".join(str(row[column] or "") for row in sheet.iter_rows(min_row=2, values_only=True))


def test_minjin_documents_use_its_words(minjin_store: Store, tmp_path: Path) -> None:
    talk_id = _talk_with_kinds(minjin_store)
    facts = policy_facts(minjin_store)

    record = full_text(render_record(minjin_store, talk_id, tmp_path / "record.docx", facts=facts))
    assert f"向民进组织汇报{PLACEHOLDER}" in record
    assert "向党组织汇报" not in record
    verified = verify_document(minjin_store, tmp_path / "record.docx", facts=facts)  # rendered with the same words
    assert verified.ok and verified.differences == [], verified.lines()

    ledger = _ledger_followups(export_ledger(minjin_store, YEAR, tmp_path / "ledger.xlsx", facts=facts))
    assert f"向民进组织汇报{PLACEHOLDER}（待办，时限{YEAR}年4月15日）" in ledger
    assert "向党组织汇报" not in ledger

    report = render_report(minjin_store, YEAR, tmp_path / "report.docx", facts=facts, today=date(YEAR, 6, 30))
    kinds = _report_kinds(report)
    assert {"向民进组织汇报", "移送相关部门查核", "整改"} <= set(kinds)
    assert "向党组织汇报" not in kinds and "移送纪检" not in kinds


def test_party_documents_keep_the_stored_words(store: Store, tmp_path: Path) -> None:
    talk_id = _talk_with_kinds(store)
    facts = policy_facts(store)
    assert f"向党组织汇报{PLACEHOLDER}" in full_text(render_record(store, talk_id, tmp_path / "r.docx", facts=facts))
    assert f"向党组织汇报{PLACEHOLDER}" in _ledger_followups(export_ledger(store, YEAR, tmp_path / "l.xlsx",
                                                                           facts=facts))
    kinds = _report_kinds(render_report(store, YEAR, tmp_path / "p.docx", facts=facts, today=date(YEAR, 6, 30)))
    assert {"向党组织汇报", "移送纪检"} <= set(kinds)
