"""The 台账 XLSX, read back with openpyxl: columns, rows, no 保密 content, text kept as text, the coverage sheet,
and the print setup (frozen header, filter, A4 landscape, repeating header row)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from document_helpers import CONTROL_CLEAN, SECRETS, SPECIAL, YEAR, Org, make_org, rich_talk
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from notes import talks
from notes.documents import export_ledger
from notes.documents.ledger import CELL_CHARS, LEDGER_COLUMNS, NAME_COLUMNS, display_width
from notes.errors import Ambiguous, NotFound
from notes.store import Store
from prep.active import policy_facts

INTERNAL_CODE = re.compile(r"\d{3} [一二三四五六七八九十]|篇\d|\d{3} 第")

HEADER = ["序号", "谈话时间", "谈话人", "谈话对象", "类型", "形式", "地点", "事由/主题", "主要内容摘要",
          "发现问题/意见建议", "整改落实情况", "记录人", "备注"]


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


def _rows(path: Path, sheet: str = "台账") -> list[dict[str, Any]]:
    worksheet = load_workbook(path)[sheet]
    values = list(worksheet.iter_rows(values_only=True))
    header = [str(v) for v in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def _all_text(path: Path) -> str:
    workbook = load_workbook(path)
    return "\n".join(str(v) for ws in workbook for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_ledger_columns_and_rows(store: Store, org: Org, tmp_path: Path) -> None:
    rich_talk(store, org, day=f"{YEAR}-03-12")
    rich_talk(store, org, talk_type="reminder", day=f"{YEAR}-02-01", interviewee=org.colleague, sealed=False)
    rich_talk(store, org, day=f"{YEAR - 1}-12-30")  # another year: not in this ledger
    out = export_ledger(store, YEAR, tmp_path / "ledger.xlsx", facts=policy_facts(store))
    worksheet = load_workbook(out)["台账"]
    assert [c.value for c in worksheet[1]] == HEADER
    rows = _rows(out)
    assert [r["序号"] for r in rows] == [1, 2]
    first, second = rows
    assert first["谈话对象"] == "陈红" and first["类型"] == "提醒谈话"  # in the order held
    assert second["谈话时间"].isoformat() == f"{YEAR}-03-12T14:30:00"
    assert second["谈话人"] == "王书记" and second["谈话对象"] == "李明" and second["记录人"] == "赵干事"
    assert second["类型"] == "日常谈话" and second["形式"] == "个别·面对面" and second["地点"] == "三楼小会议室"
    assert second["事由/主题"] == f"了解近期思想和工作情况 {SPECIAL}"
    assert second["主要内容摘要"] == "思想总体稳定，工作作风需改进。"
    assert "发现问题：存在工作作风不够扎实的情况。" in str(second["发现问题/意见建议"])
    assert "意见建议：建议加强处室之间的协调。" in str(second["发现问题/意见建议"])
    assert "整改工作作风问题（待办，时限2026年4月30日）" in str(second["整改落实情况"])
    assert second["备注"] == "TX-2026-0001；已封存" and first["备注"] == "TX-2026-0002；未封存"
    assert worksheet["B2"].number_format == 'yyyy"年"m"月"d"日" hh:mm'


def test_ledger_never_holds_confidential_content(store: Store, org: Org, tmp_path: Path) -> None:
    rich_talk(store, org)
    out = export_ledger(store, YEAR, tmp_path / "ledger.xlsx", facts=policy_facts(store))
    text = _all_text(out)
    for secret in SECRETS:
        assert secret not in text
    assert "整改事项（涉及保密内容，详见内部存档件）" in text
    # nor in the raw parts of the file
    import zipfile

    with zipfile.ZipFile(out) as archive:
        raw = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    assert all(secret not in raw for secret in SECRETS)


def test_ledger_summary_falls_back_to_non_confidential_facts(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org, sealed=False)
    talks.set_outcome(store, talk_id, summary="")
    rows = _rows(export_ledger(store, YEAR, tmp_path / "ledger.xlsx", facts=policy_facts(store)))
    summary = str(rows[0]["主要内容摘要"])
    assert summary.startswith(f"近期工作进展顺利。{SPECIAL}；{CONTROL_CLEAN}；家中老人生病")
    assert all(secret not in summary for secret in SECRETS)


def test_text_stays_text(store: Store, org: Org, tmp_path: Path) -> None:
    rich_talk(store, org, subject="=HYPERLINK(\"http://x\",\"点我\")")
    long_id = rich_talk(store, org, subject="长文本", day=f"{YEAR}-04-01", sealed=False)
    talks.set_outcome(store, long_id, summary="长" * 200_000)
    out = export_ledger(store, YEAR, tmp_path / "ledger.xlsx", facts=policy_facts(store))
    worksheet = load_workbook(out)["台账"]
    cell = worksheet["H2"]
    assert cell.value == "=HYPERLINK(\"http://x\",\"点我\")" and cell.data_type == "s"
    summary = str(worksheet["I3"].value)
    assert len(summary) <= CELL_CHARS and summary.endswith("全文见谈话记录）")


def test_refusals_are_listed_cancellations_are_not(store: Store, org: Org, tmp_path: Path) -> None:
    refused = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member],
                                planned_at=f"{YEAR}-06-01T09:00")
    talks.cancel_talk(store, refused, "多次推托，拒不接受谈话", refused=True)
    cancelled = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary],
                                  interviewees=[org.colleague], planned_at=f"{YEAR}-06-02T09:00")
    talks.cancel_talk(store, cancelled, "出差")
    rows = _rows(export_ledger(store, YEAR, tmp_path / "ledger.xlsx", facts=policy_facts(store)))
    assert len(rows) == 1 and "谈话对象无故拒绝谈话：多次推托" in str(rows[0]["备注"])


def test_ledger_per_unit(store: Store, org: Org, tmp_path: Path) -> None:
    rich_talk(store, org)  # 李明, 机关第一党支部
    rich_talk(store, org, interviewee=org.colleague, day=f"{YEAR}-05-01")  # 陈红, 机关第二党支部
    facts = policy_facts(store)
    by_name = _rows(export_ledger(store, YEAR, tmp_path / "one.xlsx", facts=facts, unit="机关第一党支部"))
    assert [r["谈话对象"] for r in by_name] == ["李明"]
    by_id = _rows(export_ledger(store, YEAR, tmp_path / "two.xlsx", facts=facts, unit=str(org.other_branch)))
    assert [r["谈话对象"] for r in by_id] == ["陈红"]
    whole = _rows(export_ledger(store, YEAR, tmp_path / "all.xlsx", facts=policy_facts(store), unit=org.root))
    assert len(whole) == 2
    with pytest.raises(NotFound, match="没有名为"):
        export_ledger(store, YEAR, tmp_path / "x.xlsx", facts=policy_facts(store), unit="不存在的支部")


def test_ambiguous_unit_name_is_refused(store: Store, org: Org, tmp_path: Path) -> None:
    store.insert("units", {"name": "机关第一党支部", "parent_id": org.other_branch})
    with pytest.raises(Ambiguous, match="请改用单位 id"):
        export_ledger(store, YEAR, tmp_path / "x.xlsx", facts=policy_facts(store), unit="机关第一党支部")


def test_print_setup(store: Store, org: Org, tmp_path: Path) -> None:
    rich_talk(store, org)
    out = export_ledger(store, YEAR, tmp_path / "ledger.xlsx", facts=policy_facts(store), unit="机关第一党支部")
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["台账", "覆盖情况"]
    for worksheet in workbook:
        assert isinstance(worksheet, Worksheet)
        assert worksheet.freeze_panes == "A2"
        assert worksheet.auto_filter.ref is not None and worksheet.auto_filter.ref.startswith("A1:")
        assert worksheet.print_title_rows == "$1:$1"
        assert worksheet.page_setup.orientation == "landscape"
        assert int(worksheet.page_setup.paperSize) == 9  # A4
        assert worksheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert worksheet.page_setup.fitToWidth == 1
        assert f"机关第一党支部{YEAR}年度谈心谈话台账" in worksheet.oddHeader.center.text
        assert "&P" in worksheet.oddFooter.center.text
    ledger = workbook["台账"]
    assert ledger.auto_filter.ref == "A1:M2"
    assert ledger["A1"].font.bold is True and ledger["A1"].font.name == "黑体"
    # two follow-ups: the cell wraps at the top of a row tall enough for both lines
    assert ledger["K2"].alignment.wrap_text is True and ledger["K2"].alignment.vertical == "top"
    assert ledger.row_dimensions[2].height >= 2 * 16
    assert ledger["I2"].font.name == "宋体" and ledger["B2"].alignment.vertical == "top"


def test_coverage_sheet_per_frequency_rule(demo_store: Store, tmp_path: Path) -> None:
    out = export_ledger(demo_store, YEAR, tmp_path / "demo.xlsx", facts=policy_facts(demo_store))
    rows = _rows(out, "覆盖情况")
    assert rows, "the demo organisation has rules to cover"
    names = {r["规定"] for r in rows}
    assert "支部书记与支委谈心" in names and "主要负责同志与班子成员谈心" in names
    for row in rows:
        assert isinstance(row["应谈"], int) and isinstance(row["已谈"], int) and row["已谈"] <= row["应谈"]
        # The source as a reader can look it up: the document's name and clause, never the packs' code.
        assert str(row["依据"]).startswith("《") and not INTERNAL_CODE.search(str(row["依据"])), row["依据"]
        if row["应谈"]:
            assert row["覆盖率"] == pytest.approx(row["已谈"] / row["应谈"])
    unreached = [r for r in rows if r["已谈"] < r["应谈"]]
    assert unreached and all(r["尚未谈到"] for r in unreached)
    assert load_workbook(out)["覆盖情况"]["H2"].number_format == "0%"
    assert _rows(out)  # and the talks themselves


def test_demo_ledger_holds_no_confidential_entry(demo_store: Store, tmp_path: Path) -> None:
    secrets = [r["text"] for r in demo_store.query("SELECT text FROM entries WHERE confidential = 1")]
    assert secrets
    text = _all_text(export_ledger(demo_store, YEAR, tmp_path / "demo.xlsx", facts=policy_facts(demo_store)))
    assert all(secret not in text for secret in secrets)


def test_export_is_audited(store: Store, org: Org, tmp_path: Path) -> None:
    rich_talk(store, org)
    export_ledger(store, YEAR, tmp_path / "ledger.xlsx", facts=policy_facts(store))
    row = store.query_one("SELECT * FROM audit_log WHERE action = 'export' AND subject = 'ledger'")
    assert row is not None and json.loads(row["detail"]) == {"file": "ledger.xlsx", "talks": 1, "year": YEAR}


def test_cli_ledger(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    result = run_cli(["--db", str(demo_db), "export", "ledger", "--year", str(YEAR), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert len(_rows(out)) > 10
    again = run_cli(["--db", str(demo_db), "export", "ledger", "--year", str(YEAR), "--out", str(out)])
    assert again.exit_code == 1 and "--force" in again.stderr
    unit = run_cli(["--db", str(demo_db), "export", "ledger", "--year", str(YEAR), "--unit", "机关第一党支部",
                    "--out", str(out), "--force"])
    assert unit.exit_code == 0, unit.stderr
    assert 0 < len(_rows(out)) < 40
    missing_year = run_cli(["--db", str(demo_db), "export", "ledger", "--out", str(out)])
    assert missing_year.exit_code == 2


def test_ledger_reads_well(store: Store, org: Org, tmp_path: Path) -> None:
    """Dates are date cells shown in full, no column is narrower than what it must show on one line (a long
    name with a middle dot, a date), and every font is a Chinese one."""
    long_name = store.insert("people", {"name": "阿依古丽·买买提", "unit_id": org.branch, "position": "科员",
                                        "membership": "正式党员"})
    rich_talk(store, org, interviewee=long_name, day=f"{YEAR}-11-22")
    rich_talk(store, org, day=f"{YEAR}-03-12", subject="了解近期思想和工作情况" * 8)
    out = export_ledger(store, YEAR, tmp_path / "ledger.xlsx", facts=policy_facts(store))
    workbook = load_workbook(out)
    ledger = workbook["台账"]
    for cell in ledger["B"][1:]:
        assert cell.is_date and "年" in cell.number_format and "m" in cell.number_format
    for index, (name, limit) in enumerate(LEDGER_COLUMNS):
        letter = ledger.cell(row=1, column=index + 1).column_letter
        width = ledger.column_dimensions[letter].width
        values = [str(c.value) for c in ledger[letter][1:] if c.value is not None and not c.is_date]
        if name in NAME_COLUMNS:
            values = [part for value in values for part in value.split("、")]
        elif limit is not None:
            continue  # long text wraps within its column
        needed = max([display_width(name), 20 if letter == "B" else 0, *(display_width(v) for v in values)])
        assert width >= needed, (name, width, needed)
    assert "阿依古丽·买买提" in [c.value for c in ledger["D"]]
    fonts = {cell.font.name for sheet in workbook for row in sheet.iter_rows() for cell in row}
    assert fonts <= {"宋体", "黑体"}, fonts
    long_subject = next(c for c in ledger["H"] if c.value and len(str(c.value)) > 80)
    assert ledger.row_dimensions[long_subject.row].height > 16  # wrapped, and the row grows with it


def test_values_keep_their_kind_and_spaces(store: Store, org: Org, tmp_path: Path) -> None:
    """Numbers stay numbers, text keeps its spaces, tabs and line breaks (the coverage sheet's numbers and
    percentages: test_coverage_sheet_per_frequency_rule)."""
    rich_talk(store, org, subject="  两端有空格\t及制表符  ")
    out = export_ledger(store, YEAR, tmp_path / "ledger.xlsx", facts=policy_facts(store))
    ledger = load_workbook(out)["台账"]
    assert ledger["A2"].value == 1 and ledger["A2"].data_type == "n"
    assert ledger["H2"].value == "  两端有空格\t及制表符  "
    assert "\n" in str(ledger["J2"].value)  # 发现问题 and 意见建议 on lines of their own
