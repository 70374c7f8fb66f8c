"""Exports never replace a file silently (issue #12.3): the document functions refuse, the CLI needs --force, the
app exports to the next free name (…(2).docx) and says so; a demo database's documents and 台账 say 演示数据 on
every page, and the demo app exports into a 演示 folder of its own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run_cli
from document_helpers import YEAR, make_org, rich_talk
from docx import Document
from openpyxl import load_workbook
from textual.widgets import Static
from tui_talk_helpers import drive, make_app, wait_for

from notes.documents import export_ledger, render_notice, render_record, render_report
from notes.documents.docxfile import DEMO_MARK, is_demo_database, versioned_path, write_atomically
from notes.errors import InvalidInput
from notes.store import Store
from prep.active import policy_facts


def test_a_document_never_replaces_an_existing_file(store: Store, tmp_path: Path) -> None:
    talk_id = rich_talk(store, make_org(store))
    folder = tmp_path / "导出"
    folder.mkdir()
    out = folder / "记录.docx"
    out.write_bytes(b"the signed copy")
    with pytest.raises(InvalidInput, match="已存在，未覆盖"):
        render_record(store, talk_id, out, facts=policy_facts(store))
    assert out.read_bytes() == b"the signed copy"
    assert os.listdir(folder) == ["记录.docx"]  # no temporary file left behind
    written = render_record(store, talk_id, out, facts=policy_facts(store), replace=True)
    assert written == out and out.read_bytes() != b"the signed copy"


def test_a_file_appearing_while_writing_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"

    def write(path: Path) -> None:  # another program saves under the same name meanwhile
        path.write_bytes(b"ours")
        out.write_bytes(b"theirs")

    with pytest.raises(InvalidInput, match="已存在"):
        write_atomically(out, write, replace=False)
    assert out.read_bytes() == b"theirs" and os.listdir(tmp_path) == ["台账.xlsx"]


def test_versioned_names(tmp_path: Path) -> None:
    first = tmp_path / "TX-2026-0001谈心谈话记录.docx"
    assert versioned_path(first) == first
    first.write_bytes(b"1")
    assert versioned_path(first).name == "TX-2026-0001谈心谈话记录(2).docx"
    (tmp_path / "TX-2026-0001谈心谈话记录(2).docx").write_bytes(b"2")
    assert versioned_path(first).name == "TX-2026-0001谈心谈话记录(3).docx"


def test_cli_refuses_without_force_for_every_document(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.docx"
    out.write_bytes(b"keep")
    refused = run_cli(["--db", str(demo_db), "report", "--year", str(YEAR), "--out", str(out)])
    assert refused.exit_code == 1 and "--force" in refused.stderr and out.read_bytes() == b"keep"
    forced = run_cli(["--db", str(demo_db), "report", "--year", str(YEAR), "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.stderr
    assert Document(str(out)).paragraphs


@drive
async def test_the_app_exports_to_the_next_free_name(store: Store, tmp_path: Path) -> None:
    from tui.widgets.export_panel import ExportPanel

    rich_talk(store, make_org(store), day=f"{YEAR}-03-12")
    taken = tmp_path / "台账.xlsx"
    taken.write_bytes(b"edited by hand")
    app = make_app(store)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen")
        app.show_ledger()
        await wait_for(pilot, lambda: bool(app.screen.query("#export-ledger")))
        panel = app.screen.query_one("#export-ledger", ExportPanel)
        panel.set_path(taken)
        panel.request()
        second = tmp_path / "台账(2).xlsx"
        await wait_for(pilot, lambda: second.exists() and not panel.running, timeout=30)
        status = str(panel.query_one(".export-status", Static).render())
        assert "台账.xlsx 已存在，未覆盖" in status and str(second) in status
    assert taken.read_bytes() == b"edited by hand"
    assert load_workbook(second).sheetnames == ["台账", "覆盖情况"]


# -- demo data is marked ------------------------------------------------------------------------------------


def _headers(path: Path) -> list[str]:
    document = Document(str(path))
    return ["\n".join(p.text for p in section.header.paragraphs) for section in document.sections]


def test_demo_documents_say_so_on_every_page(demo_store: Store, tmp_path: Path) -> None:
    assert is_demo_database(demo_store)
    facts = policy_facts(demo_store)
    sealed = demo_store.scalar("SELECT id FROM talks WHERE status = 'sealed' ORDER BY id LIMIT 1")
    admonition = demo_store.scalar("SELECT id FROM talks WHERE talk_type = 'admonition' AND status <> 'planned'")
    documents = [
        render_record(demo_store, int(sealed), tmp_path / "record.docx", facts=facts),
        render_record(demo_store, int(sealed), tmp_path / "internal.docx", facts=facts, internal=True),
        render_notice(demo_store, int(admonition), tmp_path / "notice.docx", facts=facts),
        render_report(demo_store, YEAR, tmp_path / "report.docx", facts=facts),
    ]
    for path in documents:
        document = Document(str(path))
        for section in document.sections:  # the header is printed on every page of its section
            assert DEMO_MARK in "".join(p.text for p in section.header.paragraphs), path.name
            if document.settings.odd_and_even_pages_header_footer:
                assert DEMO_MARK in "".join(p.text for p in section.even_page_header.paragraphs), path.name
    ledger = load_workbook(export_ledger(demo_store, YEAR, tmp_path / "台账.xlsx", facts=facts))
    for sheet in ledger.worksheets:
        assert DEMO_MARK in sheet.oddHeader.right.text


def test_real_documents_carry_no_demo_mark(store: Store, tmp_path: Path) -> None:
    talk_id = rich_talk(store, make_org(store))
    assert not is_demo_database(store)
    out = render_record(store, talk_id, tmp_path / "record.docx", facts=policy_facts(store))
    assert all(DEMO_MARK not in text for text in _headers(out))
    ledger = load_workbook(export_ledger(store, YEAR, tmp_path / "台账.xlsx", facts=policy_facts(store)))
    assert not ledger.worksheets[0].oddHeader.right.text


def test_a_marked_demo_record_still_verifies(demo_db: Path, tmp_path: Path) -> None:
    from conftest import PASSPHRASE

    from notes.unlock import open_database

    with open_database(demo_db, passphrase=PASSPHRASE, use_keyring=False) as store:
        code = store.scalar("SELECT code FROM talks WHERE status = 'sealed' ORDER BY id LIMIT 1")
    out = tmp_path / "r.docx"
    assert run_cli(["--db", str(demo_db), "export", "record", str(code), "--out", str(out)]).exit_code == 0
    verified = run_cli(["--db", str(demo_db), "verify", str(out)])
    assert verified.exit_code == 0, verified.output + verified.stderr


@drive
async def test_the_demo_app_exports_into_its_own_folder(demo_store: Store) -> None:
    from tui.app import TanxinApp
    from tui.screens.talk_support import export_dir
    from tui.widgets.export_panel import DEMO_EXPORT_DIR, ExportPanel

    app = TanxinApp(demo_store, demo=True, cursor_blink=False)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DashboardScreen", timeout=10)
        app.show_ledger()
        await wait_for(pilot, lambda: bool(app.screen.query("#export-ledger")))
        panel = app.screen.query_one("#export-ledger", ExportPanel)
        await wait_for(pilot, lambda: "年度" in panel.query_one(".export-path").value)  # type: ignore[attr-defined]
        path = Path(panel.query_one(".export-path").value)  # type: ignore[attr-defined]
        assert path.parent == export_dir() / DEMO_EXPORT_DIR
