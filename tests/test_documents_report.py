"""The year-end report (counts only, no personal details) and the 《党员手册》 lines, read back with python-docx."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import run_cli
from document_helpers import SECRETS, YEAR, Org, full_text, make_org, paragraphs, rich_talk
from docx import Document

from notes import followups, talks
from notes.documents import export_handbook, render_report
from notes.store import Store
from prep.active import policy_facts


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


def _table_rows(path: Path, first_header: str) -> list[list[str]]:
    """The body rows of the table whose first header cell reads `first_header`."""
    for table in Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header:
            return rows[1:]
    raise AssertionError(f"no table starting with {first_header}")


def test_report_counts_by_type_category_form_and_channel(store: Store, org: Org, tmp_path: Path) -> None:
    rich_talk(store, org, day=f"{YEAR}-03-12")
    rich_talk(store, org, day=f"{YEAR}-04-12", interviewee=org.colleague)
    rich_talk(store, org, talk_type="admonition", day=f"{YEAR}-05-12")
    rich_talk(store, org, talk_type="reminder", channel="函询", day=f"{YEAR}-06-12", sealed=False)
    rich_talk(store, org, day=f"{YEAR + 1}-01-05")  # next year: not counted
    out = render_report(store, YEAR, tmp_path / "report.docx", facts=policy_facts(store), today=date(YEAR + 1, 1, 10))
    lines = [line for line in paragraphs(out) if line.strip()]
    assert lines[0] == f"青川市发改委机关党委{YEAR}年度谈心谈话工作情况报告"
    text = full_text(out)
    assert f"{YEAR}年，共开展谈心谈话4次，其中个别谈话4次、集体谈话0次；谈话对象4人次，涉及2人；已封存谈话记录3份。" in text
    assert _table_rows(out, "谈话类型") == [["日常谈话", "2", "2"], ["诫勉谈话", "1", "1"], ["提醒谈话", "1", "1"]]
    assert _table_rows(out, "谈话类别") == [["日常工作类", "2", "2"], ["警示督促类", "2", "1"]]
    assert _table_rows(out, "谈话形式") == [["个别", "4", "2"]]
    assert _table_rows(out, "谈话方式") == [["面对面", "3", "2"], ["函询", "1", "1"]]
    for heading in ("一、基本情况", "二、制度落实和覆盖情况", "三、跟踪落实情况", "四、存在的不足和下一步打算"):
        assert heading in lines
    assert lines[-2:] == ["青川市发改委机关党委", f"{YEAR + 1}年1月10日"]


def test_report_follow_ups_opened_closed_overdue(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org)  # two 整改: due 04-30 and 05-31
    first, second = (row["id"] for row in store.query("SELECT id FROM followups WHERE talk_id = ? ORDER BY id",
                                                          [talk_id]))
    followups.set_followup_status(store, first, "done", note="已整改")
    followups.set_followup_status(store, first, "verified", note="核实")
    followups.create_followup(store, talk_id=talk_id, kind="帮扶", title="协调解决子女入学")
    out = render_report(store, YEAR, tmp_path / "report.docx", facts=policy_facts(store), today=date(YEAR, 6, 30))
    assert _table_rows(out, "事项类别") == [["整改", "2", "1", "1", "1"], ["帮扶", "1", "0", "1", "0"]]
    assert f"跟踪事项共3项，已核实办结1项，未办结2项，其中逾期1项（截至{YEAR}年6月30日）" in full_text(out)
    assert second


def test_report_has_no_personal_details(store: Store, org: Org, tmp_path: Path) -> None:
    rich_talk(store, org)
    refused = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary],
                                interviewees=[org.colleague], planned_at=f"{YEAR}-07-01T09:00")
    talks.cancel_talk(store, refused, "拒不接受谈话", refused=True)
    out = render_report(store, YEAR, tmp_path / "report.docx", facts=policy_facts(store))
    text = full_text(out)
    for detail in ("王书记", "李明", "赵干事", "陈红", "三楼小会议室", "服从组织安排", "拒不接受谈话",
                   "家中老人生病", *SECRETS):
        assert detail not in text
    assert "谈话对象无故拒绝谈话1次" in text


def test_report_coverage_per_rule(demo_store: Store, tmp_path: Path) -> None:
    out = render_report(demo_store, YEAR, tmp_path / "report.docx", facts=policy_facts(demo_store))
    rows = _table_rows(out, "规定")
    rules = [row[0] for row in rows]
    assert "主要负责同志与班子成员谈心" in rules and "支部书记与支委谈心" in rules
    for _rule, source, required, done, rate in rows:
        # The document's name and clause, as a reader can look it up: never the packs' "000 二(一)2".
        assert source.startswith("《") and "000" not in source and int(done) <= int(required)
        assert rate == (f"{round(100 * int(done) / int(required))}%" if int(required) else "—")
    names = [row["name"] for row in demo_store.query("SELECT name FROM people")]
    text = full_text(out)
    assert not [name for name in names if name in text]  # counts only, nobody named


def test_handbook_lines_per_member(store: Store, org: Org, tmp_path: Path) -> None:
    rich_talk(store, org, day=f"{YEAR}-03-12")
    rich_talk(store, org, talk_type="admonition", day=f"{YEAR}-05-12")
    rich_talk(store, org, day=f"{YEAR}-04-02", interviewee=org.colleague, sealed=False)
    out = export_handbook(store, YEAR, tmp_path / "handbook.docx", facts=policy_facts(store))
    rows = _table_rows(out, "序号")
    assert [row[:3] for row in rows] == [["1", "李明", "机关第一党支部"], ["2", "陈红", "机关第二党支部"]]
    assert rows[0][3] == (f"{YEAR}年3月12日，王书记同志与本人进行日常谈话（个别，面对面）。\n"
                          f"{YEAR}年5月12日，组织谈话（记录由组织部门留存）。")
    assert rows[1][3] == f"{YEAR}年4月2日，王书记同志与本人进行日常谈话（个别，面对面）。"
    text = full_text(out)
    assert "诫勉" not in text and all(secret not in text for secret in SECRETS)


def test_handbook_lists_only_party_members(store: Store, org: Org, tmp_path: Path) -> None:
    outsider = store.insert("people", {"name": "孙群众", "unit_id": org.branch, "membership": "发展对象"})
    rich_talk(store, org, interviewee=outsider)
    rows = _table_rows(export_handbook(store, YEAR, tmp_path / "handbook.docx", facts=policy_facts(store)), "序号")
    assert rows == []


def test_cli_report_and_handbook(demo_db: Path, tmp_path: Path) -> None:
    report = tmp_path / "报告.docx"
    result = run_cli(["--db", str(demo_db), "report", "--year", str(YEAR), "--out", str(report)])
    assert result.exit_code == 0, result.stderr
    assert "年度谈心谈话工作情况报告" in full_text(report)
    again = run_cli(["--db", str(demo_db), "report", "--year", str(YEAR), "--out", str(report)])
    assert again.exit_code == 1 and "已存在" in again.stderr
    handbook = tmp_path / "手册.docx"
    result = run_cli(["--db", str(demo_db), "export", "handbook", "--year", str(YEAR), "--out", str(handbook),
                      "--unit", "机关第一党支部"])
    assert result.exit_code == 0, result.stderr
    assert _table_rows(handbook, "序号")


def test_citations_in_official_words() -> None:
    from notes.documents.citations import official_source

    titles = {"000": "关于进一步规范市级机关党组织落实谈心谈话制度的实施意见（苏委工〔2018〕22号）",
              "004": "干部谈话制度试行意见", "002": "谈心谈话的意义（通用 7 篇）",
              "001": "民进重庆市委谈心谈话办法（试行）（渝进发〔2023〕47号）"}
    assert official_source("000 三(六)1；000 二(二)6", titles) == (
        "《关于进一步规范市级机关党组织落实谈心谈话制度的实施意见》三（六）1、二（二）6")
    assert official_source("004 三.2⑷", titles) == "《干部谈话制度试行意见》第三部分第2项⑷"
    assert official_source("002 篇6 三(一)", titles) == "《谈心谈话的意义》第6篇三（一）"
    assert official_source("001 第九条(一)", titles) == "《民进重庆市委谈心谈话办法（试行）》第九条（一）"
    assert official_source("009 一", titles) == ""  # an unknown document is left out, never printed as a code


def test_a_minjin_unit_gets_its_own_words(tmp_path: Path) -> None:
    """A 民进 database (minjin-cq-2023): the report goes to the 上级组织, and there is no 《党员手册》 to fill in."""
    from conftest import PASSPHRASE

    from notes.errors import InvalidInput
    from notes.unlock import init_database

    store = init_database(tmp_path / "minjin.db", PASSPHRASE, ["minjin-cq-2023", "cadre-talks", "practice"]).store
    try:
        org = make_org(store)
        store.execute("UPDATE units SET name = '民进青川市委员会' WHERE id = ?", [org.root])
        store.execute("UPDATE people SET membership = '会员'")
        rich_talk(store, org, day=f"{YEAR}-03-12")
        facts = policy_facts(store)
        out = render_report(store, YEAR, tmp_path / "report.docx", facts=facts)
        lines = [line for line in paragraphs(out) if line.strip()]
        assert "上级组织：" in lines and "上级党组织：" not in lines
        with pytest.raises(InvalidInput, match="没有规定记录谈心谈话的会员手册"):
            export_handbook(store, YEAR, tmp_path / "handbook.docx", facts=facts)
        assert not (tmp_path / "handbook.docx").exists()
    finally:
        store.close()
