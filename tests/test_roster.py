"""Roster import (党员花名册): real-looking XLSX and CSV files, all-or-nothing, re-imports, and generated files."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes.model import list_people
from notes.store import Store
from prep.roster import (
    MINJIN_TERMS,
    RosterInvalid,
    import_roster,
    normalise_name,
    organisation_name_from_title,
    parse_roster_date,
    read_roster,
)

TODAY = date(2026, 11, 22)
HEADER = ["序号", "姓 名", "性别", "出生年月", "民族", "籍贯", "学历", "入党时间", "参加工作时间", "所在党支部", "职务",
          "党内职务", "人员类别", "联系电话"]


def write_xlsx(path: Path, rows: list[list[Any]], title: str | None = "青川市某局机关党委党员花名册（2026年）",
               formats: dict[tuple[int, int], str] | None = None) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if title is not None:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
    for row in rows:
        sheet.append(row)
    for (row_number, column), number_format in (formats or {}).items():
        sheet.cell(row=row_number, column=column).number_format = number_format
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def counts(store: Store) -> dict[str, int]:
    return {table: int(store.scalar(f"SELECT count(*) FROM {table}")) for table in ("people", "units", "roles", "audit_log")}


def person(store: Store, name: str) -> dict[str, Any]:
    row = store.query_one("SELECT p.*, u.name AS unit FROM people p LEFT JOIN units u ON u.id = p.unit_id "
                          "WHERE p.name = ?", [name])
    assert row is not None, name
    return row


def open_roles(store: Store, person_id: int) -> list[tuple[str, str, str]]:
    return [(r["role"], r["title"], r["unit"]) for r in store.query(
        "SELECT r.role, r.title, u.name AS unit FROM roles r JOIN units u ON u.id = r.unit_id "
        "WHERE r.person_id = ? AND r.end_date IS NULL ORDER BY r.id", [person_id])]


def standard_rows() -> list[list[Any]]:
    return [
        HEADER,
        [1, "张 三", "男", "1985.03", "汉族", "江苏苏州", "大学本科", datetime(2008, 7, 1), "2007.08", "机关第一党支部",
         "办公室主任", "支部书记", "正式党员", "13800138000"],
        [2, "阿依古丽•买买提", "女", 31107, "维吾尔族", "新疆喀什", "研究生", "2010年6月", "2009-07-01", "机关第一党支部",
         "科员", "组织委员", "正式党员、流动党员", 13900139000],
        [],
        [3, "李四", "男", "1990/3/1", "汉族", "江苏无锡", "大学本科", "", "2012-08", "机关第二党支部", "科员", "",
         "预备党员", ""],
        [4, "王　五", "女", "1962年5月", "汉族", "浙江", "大学专科", "1990.07", "1982.07", "离退休干部党支部", "",
         "无", "退休党员", ""],
        [None, "合计", "", "", "", "", "", "", "", "", "", "", "", ""],
    ]


def test_xlsx_roster_with_title_blank_rows_total_and_every_date_form(store: Store, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "花名册.xlsx", standard_rows())
    plan = import_roster(store, path, effective=TODAY)
    assert plan.written and len(plan.created) == 4
    zhang = person(store, "张三")
    assert (zhang["gender"], zhang["birth_date"], zhang["joined_date"], zhang["work_start_date"]) == (
        "男", "1985-03", "2008-07-01", "2007-08")
    assert zhang["unit"] == "机关第一党支部" and zhang["identity_key"] == "张三|1985-03"
    assert zhang["phone"] == "13800138000" and zhang["membership"] == "正式党员"
    # The packs' convention: a 支部书记 is recorded as a 支委 too.
    assert open_roles(store, zhang["id"]) == [("党员", "", "机关第一党支部"), ("支部书记", "", "机关第一党支部"),
                                             ("支委", "", "机关第一党支部")]
    guli = person(store, "阿依古丽·买买提")
    assert guli["birth_date"] == "1985-03-01" and guli["phone"] == "13900139000"
    assert open_roles(store, guli["id"]) == [("党员", "", "机关第一党支部"), ("流动党员", "", "机关第一党支部"),
                                            ("支委", "组织委员", "机关第一党支部")]
    li = person(store, "李四")
    assert li["membership"] == "预备党员" and open_roles(store, li["id"]) == [("预备党员", "", "机关第二党支部")]
    wang = person(store, "王五")
    assert open_roles(store, wang["id"]) == [("党员", "", "离退休干部党支部"), ("离退休", "", "离退休干部党支部")]
    # The branches were created under a root named from the title row.
    root = store.query_one("SELECT id, name FROM units WHERE parent_id IS NULL")
    assert root is not None and root["name"] == "青川市某局机关党委"
    branches = store.query("SELECT name, kind FROM units WHERE parent_id = ? ORDER BY sort_order", [root["id"]])
    assert [(b["name"], b["kind"]) for b in branches] == [
        ("机关第一党支部", "党支部"), ("机关第二党支部", "党支部"), ("离退休干部党支部", "党支部")]
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'import_roster'") == 1


def test_dates_with_mixed_separators_import_as_they_did(store: Store, tmp_path: Path) -> None:
    """Rosters typed by hand over years mix separators within one date ("1985年03-01"), end a month in 月 after a
    dot and a day in 日 after a hyphen, or put a space between the year and the month. One such cell used to
    refuse the whole roster; each reads as the date it plainly is, and what cannot be a date is still refused."""
    rows: list[list[Any]] = [
        HEADER,
        [1, "赵建国", "男", "1968.3月", "汉族", "四川", "大学本科", "1993.7.1日", "1990-7-1日", "机关第一党支部", "处长",
         "支部书记", "正式党员", ""],
        [2, "钱晓梅", "女", "1979年03-01", "汉族", "四川", "研究生", "2001-03.01", "2002/07-01", "机关第一党支部",
         "科员", "", "正式党员", ""],
        [3, "孙志", "男", "1988 03", "回族", "甘肃", "大学本科", "2012 07 01", "2011年8月", "机关第二党支部", "科员", "",
         "正式党员", ""],
    ]
    plan = import_roster(store, write_xlsx(tmp_path / "花名册.xlsx", rows), effective=TODAY)
    assert plan.written and len(plan.created) == 3
    dates = {name: (person(store, name)["birth_date"], person(store, name)["joined_date"],
                    person(store, name)["work_start_date"]) for name in ("赵建国", "钱晓梅", "孙志")}
    assert dates == {
        "赵建国": ("1968-03", "1993-07-01", "1990-07-01"),
        "钱晓梅": ("1979-03-01", "2001-03-01", "2002-07-01"),
        "孙志": ("1988-03", "2012-07-01", "2011-08"),
    }
    # The refusals that protect a roster stay: a month or day that does not exist, a year alone.
    rows[3][3], rows[2][7] = "1988.13月", "2001年2-30"
    rows[1][8] = "1990"
    with pytest.raises(RosterInvalid) as refused:
        read_roster(write_xlsx(tmp_path / "坏花名册.xlsx", rows), TODAY)
    reasons = str(refused.value)
    assert "月份 13 不存在" in reasons and "2001年2月没有30日" in reasons and "只有年份" in reasons


def test_csv_in_gbk_with_other_header_words(store: Store, tmp_path: Path) -> None:
    rows = [
        ["姓名", "出生日期", "性别", "党支部", "入党日期", "党员类别", "支部职务"],
        ["赵 六", "1979-11-02", "男", "机关第一党支部", "2001.07", "正式党员", "书记"],
        ["钱七", "1988年12月", "女性", "机关第一党支部", "2015年7月1日", "", "纪检委员"],
        ["总计：2人", "", "", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "roster.csv", rows, encoding="gb18030")
    import_roster(store, path, effective=TODAY)
    zhao, qian = person(store, "赵六"), person(store, "钱七")
    assert zhao["birth_date"] == "1979-11-02" and zhao["joined_date"] == "2001-07"
    assert open_roles(store, zhao["id"]) == [("党员", "", "机关第一党支部"), ("支部书记", "", "机关第一党支部"),
                                            ("支委", "", "机关第一党支部")]
    assert qian["gender"] == "女" and qian["joined_date"] == "2015-07-01"
    assert open_roles(store, qian["id"]) == [("党员", "", "机关第一党支部"), ("支委", "纪检委员", "机关第一党支部")]
    root = store.query_one("SELECT name FROM units WHERE parent_id IS NULL")
    assert root is not None and root["name"] == "本组织"


def test_utf8_csv_with_bom_and_semicolons(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("姓名;出生年月;所在支部\n孙八;1991.05;第三支部\n".encode("utf-8-sig"))
    import_roster(store, path, effective=TODAY)
    assert person(store, "孙八")["birth_date"] == "1991-05"


def test_every_bad_row_is_named_and_nothing_is_written(store: Store, tmp_path: Path) -> None:
    rows = standard_rows()
    rows[2][3] = "1985.13"          # row 4 (title row 1, header row 2): a month that does not exist
    rows[4][2] = "未知"              # row 6: gender
    rows[5][1] = ""                  # row 7: no name
    rows[5][12] = "党外人士"          # row 7: unknown category, reported too
    rows.append([9, "周九", "男", "1980.01", "", "", "", "1975.01", "", "机关第一党支部", "", "", "", ""])  # row 9
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    before = store.content_digest()
    with pytest.raises(RosterInvalid) as raised:
        import_roster(store, path, effective=TODAY)
    problems = {(p.row, p.column) for p in raised.value.problems}
    assert problems == {(4, "出生年月"), (6, "性别"), (7, "姓 名"), (7, "人员类别"), (9, "入党时间")}
    message = raised.value.message
    assert "第 4 行「出生年月」列：月份 13 不存在" in message and "未导入任何数据" in message
    assert store.content_digest() == before


def test_reimport_updates_and_records_role_history(store: Store, tmp_path: Path) -> None:
    import_roster(store, write_xlsx(tmp_path / "v1.xlsx", standard_rows()), effective=date(2026, 1, 10))
    before = counts(store)
    rows = standard_rows()
    rows[1][3] = "1985-03-15"             # same month: same person, more precise date
    rows[1][10] = "副局长"                  # new position
    rows[1][11] = "组织委员"                 # 支部书记 → 支委 (组织委员)
    rows[2][11] = "书记"                    # the 组织委员 becomes 支部书记
    rows[4][9] = "机关第一党支部"            # 李四 moves branch
    plan = import_roster(store, write_xlsx(tmp_path / "v2.xlsx", rows), effective=date(2026, 3, 2))
    after = counts(store)
    assert after["people"] == before["people"] and len(plan.created) == 0 and len(plan.updated) == 3
    zhang = person(store, "张三")
    assert zhang["birth_date"] == "1985-03-15" and zhang["position"] == "副局长"
    assert open_roles(store, zhang["id"]) == [("党员", "", "机关第一党支部"), ("支委", "组织委员", "机关第一党支部")]
    history = store.query("SELECT role, title, start_date, end_date FROM roles WHERE person_id = ? ORDER BY id",
                          [zhang["id"]])
    assert {"role": "支部书记", "title": "", "start_date": None, "end_date": "2026-03-02"} in history
    assert {"role": "支委", "title": "组织委员", "start_date": "2026-03-02", "end_date": None} in history
    li = person(store, "李四")
    assert li["unit"] == "机关第一党支部"
    assert open_roles(store, li["id"]) == [("预备党员", "", "机关第一党支部")]
    # A third identical import changes nothing.
    plan = import_roster(store, write_xlsx(tmp_path / "v3.xlsx", rows), effective=date(2026, 3, 5))
    assert plan.unchanged == 4 and counts(store)["roles"] == after["roles"]


def test_blank_cells_never_erase(store: Store, tmp_path: Path) -> None:
    import_roster(store, write_xlsx(tmp_path / "v1.xlsx", standard_rows()), effective=TODAY)
    rows = [["姓名", "出生年月", "联系电话", "人员类别"], ["张三", "1985.03", "", ""]]
    plan = import_roster(store, write_xlsx(tmp_path / "v2.xlsx", rows, title=None), effective=TODAY)
    assert plan.unchanged == 1
    zhang = person(store, "张三")
    assert zhang["phone"] == "13800138000" and zhang["unit"] == "机关第一党支部"
    assert ("支部书记", "", "机关第一党支部") in open_roles(store, zhang["id"])


def test_dry_run_reports_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    before = store.content_digest()
    plan = import_roster(store, write_xlsx(tmp_path / "r.xlsx", standard_rows()), dry_run=True, effective=TODAY)
    assert store.content_digest() == before
    text = plan.describe()
    assert "将新增 4 人" in text and "试运行" in text and "机关第一党支部" in text


def test_duplicate_people_in_one_file_are_reported(store: Store, tmp_path: Path) -> None:
    rows = [["姓名", "出生年月", "所在党支部"], ["张三", "1985.03", "一支部"], ["张 三", "1985-03-09", "二支部"]]
    with pytest.raises(RosterInvalid) as raised:
        import_roster(store, write_csv(tmp_path / "d.csv", rows), effective=TODAY)
    assert [(p.row, p.reason) for p in raised.value.problems] == [
        (3, "「张三」与第 2 行是同一人（姓名和出生年月相同），请删去重复的一行")]


def test_people_entered_by_hand_are_matched_not_duplicated(store: Store, tmp_path: Path) -> None:
    unit = store.insert("units", {"name": "机关党委"})
    existing = store.insert("people", {"name": "司马 倩", "birth_date": "1983-04", "unit_id": unit})
    import_roster(store, write_csv(tmp_path / "r.csv", [["姓名", "出生年月", "性别"], ["司马倩", "1983.4", "女"]]),
                  effective=TODAY)
    row = store.query_one("SELECT name, gender, identity_key FROM people WHERE id = ?", [existing])
    assert row == {"name": "司马倩", "gender": "女", "identity_key": "司马倩|1983-04"}
    assert store.scalar("SELECT count(*) FROM people") == 1


def test_file_level_problems(store: Store, tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    no_header = write_csv(tmp_path / "nh.csv", [["a", "b"], ["1", "2"]])
    for path, words in ((tmp_path / "old.xls", "另存为 .xlsx"), (tmp_path / "broken.xlsx", "不是有效的 .xlsx"),
                        (no_header, "找不到表头"), (tmp_path / "missing.csv", "找不到文件")):
        with pytest.raises(Exception) as raised:
            import_roster(store, path, effective=TODAY)
        assert words in str(raised.value)
    assert store.scalar("SELECT count(*) FROM people") == 0


def test_fixed_decimal_cells_read_as_displayed(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["姓名", "出生年月"], ["甲", 1985.1], ["乙", 1985.1]]
    path = write_xlsx(tmp_path / "f.xlsx", rows, title=None, formats={(3, 2): "0.00"})
    parsed = read_roster(path, TODAY)
    assert [r.values["birth_date"] for r in parsed.rows] == ["1985-01", "1985-10"]


def test_minjin_roster_offices(tmp_path: Path) -> None:
    rows = [["姓名", "出生年月", "所在基层组织", "会内职务", "人员类别"],
            ["甲", "1970.01", "第一支社", "主委", ""], ["乙", "1972.02", "第一支社", "委员", "会员"]]
    parsed = read_roster(write_csv(tmp_path / "m.csv", rows), TODAY, MINJIN_TERMS)
    assert [r.offices[0].role for r in parsed.rows] == ["主委", "委员"]
    assert parsed.rows[1].member_roles[0].role == "会员" and parsed.rows[1].values["membership"] == "会员"


def test_helpers() -> None:
    assert normalise_name(" 买买提 • 艾力 ") == "买买提·艾力"
    assert normalise_name("John   Smith") == "John Smith"
    assert organisation_name_from_title("某某委员会机关党委党员花名册（2026年度）") == "某某委员会机关党委"
    assert parse_roster_date(datetime(1985, 3, 1, 0, 0), TODAY) == "1985-03-01"
    assert parse_roster_date("1985-03-01 00:00:00", TODAY) == "1985-03-01"
    for bad in ("1985", "2027.01", "1985.02.30", "十月"):
        with pytest.raises(ValueError):
            parse_roster_date(bad, TODAY)


def test_list_people_and_cli(store: Store, db_path: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", standard_rows())
    store.close()
    dry = run_cli(["--db", str(db_path), "import-roster", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "试运行" in dry.stdout
    done = run_cli(["--db", str(db_path), "import-roster", str(path)])
    assert done.exit_code == 0 and "已新增 4 人" in done.stdout
    listed = run_cli(["--db", str(db_path), "people", "--json"])
    people = json.loads(listed.stdout)
    zhang = next(p for p in people if p["name"] == "张三")
    assert zhang["unit"] == "机关第一党支部" and zhang["roles"] == ["党员", "支部书记", "支委"]
    assert isinstance(zhang["id"], int) and zhang["role_details"][1]["unit"] == "机关第一党支部"
    table = run_cli(["--db", str(db_path), "people"])
    assert "张三" in table.stdout and "支部书记" in table.stdout
    bad = write_csv(tmp_path / "bad.csv", [["姓名", "出生年月"], ["甲", "1985.13"]])
    failed = run_cli(["--db", str(db_path), "import-roster", str(bad)])
    assert failed.exit_code == 1 and "第 2 行「出生年月」列" in failed.stderr


def test_list_people_as_of(store: Store, tmp_path: Path) -> None:
    import_roster(store, write_xlsx(tmp_path / "v1.xlsx", standard_rows()), effective=date(2026, 1, 10))
    rows = standard_rows()
    rows[1][11] = ""  # 张三 is no longer 书记 from 2026-03-02
    import_roster(store, write_xlsx(tmp_path / "v2.xlsx", rows), effective=date(2026, 3, 2))
    before = {p.name: p for p in list_people(store, roles_on=date(2026, 3, 1))}
    after = {p.name: p for p in list_people(store, roles_on=date(2026, 3, 2))}
    assert [r.role for r in before["张三"].roles or ()] == ["党员", "支部书记", "支委"]
    assert [r.role for r in after["张三"].roles or ()] == ["党员"]


# -- generated files ---------------------------------------------------------------------------------------

GOOD_DATES = st.one_of(
    st.dates(date(1940, 1, 1), date(2005, 12, 31)).map(lambda d: d.strftime("%Y.%m")),
    st.dates(date(1940, 1, 1), date(2005, 12, 31)).map(lambda d: f"{d.year}年{d.month}月"),
    st.dates(date(1940, 1, 1), date(2005, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(date(1940, 1, 1), date(2005, 12, 31)).map(lambda d: f"{d.year}/{d.month}/{d.day}"),
)
BAD_DATES = st.sampled_from(["1985.13", "1985", "明年", "2099-01-01", "1985-02-30", "0.5"])
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


@st.composite
def roster_rows(draw: st.DrawFn) -> tuple[list[list[str]], set[int]]:
    """A header and rows, some deliberately bad; returns the rows and the indexes (0-based) of the bad ones."""
    count = draw(st.integers(1, 12))
    rows: list[list[str]] = []
    bad: set[int] = set()
    used: set[str] = set()
    for index in range(count):
        name = draw(st.sampled_from(SURNAMES)) + draw(st.text(GIVEN, min_size=1, max_size=2))
        if name in used:
            name += "乙" * (index + 1)
        used.add(name)
        if draw(st.booleans()):
            name = name[0] + " " + name[1:]
        birth = draw(GOOD_DATES)
        gender = draw(st.sampled_from(["男", "女", ""]))
        category = draw(st.sampled_from(["正式党员", "预备党员", "发展对象", "流动党员", "离退休", ""]))
        office = draw(st.sampled_from(["", "书记", "组织委员", "无"]))
        fault = draw(st.sampled_from([None] * 6 + ["date", "gender", "name", "category", "office"]))
        if fault == "date":
            birth = draw(BAD_DATES)
        elif fault == "gender":
            gender = "不详"
        elif fault == "name":
            name = ""
        elif fault == "category":
            category = "群众"
        elif fault == "office":
            office = "主任科员"
        if fault:
            bad.add(index)
        rows.append([name, gender, birth, draw(st.sampled_from(["一支部", "二支部"])), office, category])
        if draw(st.integers(0, 5)) == 0:
            rows.append(["", "", "", "", "", ""])
    return rows, bad


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=roster_rows(), as_xlsx=st.booleans(), encoding=st.sampled_from(["utf-8-sig", "gb18030"]))
def test_generated_rosters_import_whole_or_not_at_all(
    store: Store, tmp_path: Path, generated: tuple[list[list[str]], set[int]], as_xlsx: bool, encoding: str
) -> None:
    rows, bad = generated
    header = ["姓名", "性别", "出生年月", "所在党支部", "党内职务", "人员类别"]
    people_rows = [r for r in rows if any(r)]
    # Excel row numbers: title (xlsx only) + header come first; blank lines count.
    first = 3 if as_xlsx else 2
    numbers = [first + i for i, r in enumerate(rows) if any(r)]
    bad_numbers = {numbers[i] for i in bad}
    if as_xlsx:
        path = write_xlsx(tmp_path / "g.xlsx", [header, *rows])
    else:
        path = write_csv(tmp_path / "g.csv", [header, *rows], encoding)
    before = store.content_digest()
    people_before = store.scalar("SELECT count(*) FROM people")
    try:
        plan = import_roster(store, path, effective=TODAY)
    except RosterInvalid as exc:
        assert bad_numbers, exc.message
        assert {p.row for p in exc.problems} == bad_numbers
        assert store.content_digest() == before
        return
    assert not bad_numbers
    assert len(plan.people) == len(people_rows)
    assert store.scalar("SELECT count(*) FROM people") == people_before + len(plan.created)
    for row in people_rows:
        key = f"{normalise_name(row[0])}|{parse_roster_date(row[2], TODAY)[:7]}"  # type: ignore[index]
        assert store.scalar("SELECT count(*) FROM people WHERE identity_key = ?", [key]) == 1


def test_two_columns_for_one_field_and_differently_keyed_people(store: Store, tmp_path: Path) -> None:
    unit = store.insert("units", {"name": "机关党委"})
    keyed = store.insert("people", {"name": "司马 倩", "birth_date": "1983-04", "unit_id": unit,
                                    "identity_key": "司马 倩|1983-04"})
    rows = [["姓名", "出生年月", "手机", "联系电话", "人员类别"],
            ["司马倩", "1983.04", "", "13800000000", "正式党员（流动）"],
            ["李四", "1990.01", "13900000000", "13900000000", ""]]
    import_roster(store, write_csv(tmp_path / "ok.csv", rows), effective=TODAY)
    assert store.scalar("SELECT count(*) FROM people") == 2
    assert person(store, "司马倩")["id"] == keyed and person(store, "司马倩")["phone"] == "13800000000"
    assert ("流动党员", "", "机关党委") in open_roles(store, keyed)
    rows[2][3] = "13700000000"
    with pytest.raises(RosterInvalid) as raised:
        import_roster(store, write_csv(tmp_path / "bad.csv", rows), effective=TODAY)
    [problem] = raised.value.problems
    assert (problem.row, problem.column) == (3, "手机") and "不一致" in problem.reason


def test_minjin_chair_is_also_a_team_member_and_hand_roles_stay(tmp_path: Path) -> None:
    from conftest import PASSPHRASE

    from notes.unlock import init_database
    from prep.packs import load_policy

    store = init_database(tmp_path / "mj.db", PASSPHRASE, ["minjin-cq-2023"]).store
    policy = load_policy(["minjin-cq-2023"])
    try:
        rows = [["姓名", "出生年月", "所在基层组织", "会内职务"],
                ["甲", "1970.01", "第一支社", "主委"], ["乙", "1972.02", "第一支社", ""]]
        import_roster(store, write_csv(tmp_path / "v1.csv", rows), policy=policy, effective=date(2026, 1, 5))
        jia, yi = person(store, "甲"), person(store, "乙")
        assert open_roles(store, jia["id"]) == [("会员", "", "第一支社"), ("主委", "", "第一支社"),
                                               ("班子成员", "", "第一支社")]
        store.insert("roles", {"person_id": yi["id"], "unit_id": yi["unit_id"], "role": "班子成员",
                               "title": "秘书长"})
        rows[1][3] = ""
        import_roster(store, write_csv(tmp_path / "v2.csv", rows), policy=policy, effective=date(2026, 6, 1))
        assert open_roles(store, jia["id"]) == [("会员", "", "第一支社")]
        assert ("班子成员", "秘书长", "第一支社") in open_roles(store, yi["id"])
    finally:
        store.close()
