"""A roster as a real unit keeps it (issue #10): its words are understood, its real faults named and only those,
its leadership imported as roles the rules fire on; unknown columns stop the import until mapped (--map)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE, run_cli
from roster_helpers import BRANCH_1, BRANCH_2, HEADER, ROOT, open_roles, real_rows, write_xlsx

from notes.store import Store
from prep.roster import RosterInvalid, import_roster, parse_mapping

TODAY = date(2026, 11, 22)


def due_pairs(db_path: Path, rule_name: str) -> set[frozenset[str]]:
    """(interviewer, interviewee) of `tanxin due` rows of one rule, unordered."""
    result = run_cli(["--db", str(db_path), "due", "--json"])
    assert result.exit_code == 0, result.stderr
    return {frozenset({item["person"], *item["interviewers"]}) for item in json.loads(result.stdout)
            if item["rule_name"] == rule_name}


def test_real_roster_is_refused_naming_exactly_its_real_problems(store: Store, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "花名册.xlsx", real_rows(faults=True))
    before = store.content_digest()
    with pytest.raises(RosterInvalid) as raised:
        import_roster(store, path, effective=TODAY)
    problems = {(p.row, p.column): p.reason for p in raised.value.problems}
    # Title row 1, header row 2: 周丽 is row 7, the nameless row 9, the second 刘洋 row 11, 郑凯 row 12.
    assert set(problems) == {(7, "出生年月"), (9, "姓 名"), (11, "姓 名"), (12, "姓 名")}
    assert "月份 13 不存在" in problems[(7, "出生年月")]
    assert problems[(9, "姓 名")] == "姓名为空"
    assert "「刘洋」与第 4 行是同一人" in problems[(11, "姓 名")]  # both rows named, the name normalised
    assert "控制字符" in problems[(12, "姓 名")]
    # No complaint about 班子成员, 中层正职, 中层副职, 普通党员, nor about 党组织 or 党员类型 as headers.
    assert not any("类别" in reason or "不认识" in reason for reason in problems.values())
    assert raised.value.unknown_columns == []
    assert store.content_digest() == before


def test_fixed_roster_imports_leadership_and_due_pairs_the_team(db_path: Path, store: Store, tmp_path: Path) -> None:
    store.close()
    path = write_xlsx(tmp_path / "花名册.xlsx", real_rows(faults=False))
    result = run_cli(["--db", str(db_path), "import-roster", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "已新增 8 人" in result.stdout and "跳过 1 行：合计行" in result.stdout
    assert "不导入的列：序号" in result.stdout
    from notes.unlock import open_database

    with open_database(db_path, passphrase=PASSPHRASE, use_keyring=False) as reopened:
        root = reopened.scalar("SELECT name FROM units WHERE parent_id IS NULL")
        assert root == ROOT
        # 书记 in the 班子职务 column is the organisation's 主要负责同志, also a 班子成员 (the packs' convention);
        # both held in the top organisation, not in the branch she belongs to as a member.
        assert open_roles(reopened, "陈静") == {("党员", "", BRANCH_1), ("班子成员", "", ROOT),
                                                ("主要负责同志", "书记", ROOT)}
        # 班子成员 in 党员类型 and 副书记 in 班子职务 are one role with its title; 分管 names the unit overseen.
        assert open_roles(reopened, "刘洋") == {("党员", "", BRANCH_1), ("班子成员", "副书记", ROOT),
                                                ("分管", "", BRANCH_2)}
        assert open_roles(reopened, "赵敏") == {("党员", "", BRANCH_2), ("班子成员", "", ROOT), ("分管", "", BRANCH_1)}
        assert open_roles(reopened, "孙伟") == {("党员", "", BRANCH_1), ("部门负责人", "", BRANCH_1)}
        assert open_roles(reopened, "吴强") == {("党员", "", BRANCH_2)}  # 中层副职: understood, no role
        assert open_roles(reopened, "周丽") == {("党员", "", BRANCH_2)}  # 普通党员
        membership = reopened.scalar("SELECT membership FROM people WHERE name = '周丽'")
        assert membership == "正式党员"
    team = {frozenset(pair) for pair in (("陈静", "刘洋"), ("陈静", "赵敏"), ("刘洋", "赵敏"))}
    assert due_pairs(db_path, "班子成员相互谈心") == team
    assert due_pairs(db_path, "主要负责同志与班子成员谈心") == {frozenset({"陈静", "刘洋"}), frozenset({"陈静", "赵敏"})}
    # 赵敏 oversees 机关第一党支部, whose head of department is 孙伟.
    assert due_pairs(db_path, "班子成员与分管部门、单位主要负责同志谈心") == {frozenset({"赵敏", "孙伟"})}


def test_reimport_ends_roster_leadership_but_keeps_roles_set_by_hand(store: Store, tmp_path: Path) -> None:
    import_roster(store, write_xlsx(tmp_path / "v1.xlsx", real_rows(faults=False)), effective=date(2026, 1, 5))
    wu = store.scalar("SELECT id FROM people WHERE name = '吴强'")
    root = store.scalar("SELECT id FROM units WHERE parent_id IS NULL")
    store.insert("roles", {"person_id": wu, "unit_id": root, "role": "组织员", "source": ""})
    rows = real_rows(faults=False)
    rows[2][9], rows[2][10], rows[2][11] = "普通党员", "", ""  # 刘洋 leaves the team
    rows[4][9] = "班子成员"                                   # 孙伟 joins it
    plan = import_roster(store, write_xlsx(tmp_path / "v2.xlsx", rows), effective=date(2026, 6, 1))
    assert {p.row.name for p in plan.updated} == {"刘洋", "孙伟"}
    assert open_roles(store, "刘洋") == {("党员", "", BRANCH_1)}
    ended = store.query("SELECT r.role, r.start_date, r.end_date FROM roles r JOIN people p ON p.id = r.person_id "
                        "WHERE p.name = '刘洋' AND r.end_date IS NOT NULL ORDER BY r.role")
    assert ended == [{"role": "分管", "start_date": None, "end_date": "2026-06-01"},
                     {"role": "班子成员", "start_date": None, "end_date": "2026-06-01"}]
    assert open_roles(store, "孙伟") == {("党员", "", BRANCH_1), ("班子成员", "", ROOT)}
    started = store.scalar("SELECT r.start_date FROM roles r JOIN people p ON p.id = r.person_id "
                           "WHERE p.name = '孙伟' AND r.role = '班子成员'")
    assert started == "2026-06-01"  # a role a re-import starts begins on the import's effective date
    assert ("组织员", "", ROOT) in open_roles(store, "吴强")  # set by hand: a roster never ends it
    text = plan.describe()
    assert "结束 青川市财政局机关党委·班子成员（副书记）" in text and "结束 分管机关第二党支部" in text


def test_leadership_words_in_any_column(store: Store, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["姓名", "出生年月", "所在党组织", "党内职务", "领导职务"],
        ["甲", "1970.01", "第一党支部", "党组书记", ""],
        ["乙", "1971.02", "第一党支部", "书记", "党组成员、分管第一党支部、第二党支部"],
        ["丙", "1972.03", "第二党支部", "组织委员", "组织员"],
        ["丁", "1973.04", "第二党支部", "", "分管第三党支部"],
    ]
    with pytest.raises(RosterInvalid) as raised:
        import_roster(store, write_xlsx(tmp_path / "a.xlsx", rows, title=None), effective=TODAY)
    [problem] = raised.value.problems
    assert (problem.row, problem.column) == (5, "领导职务") and "「第三党支部」" in problem.reason
    rows[4][4] = "分管第二党支部"
    import_roster(store, write_xlsx(tmp_path / "b.xlsx", rows, title=None), effective=TODAY)
    assert open_roles(store, "甲") == {("党员", "", "第一党支部"), ("主要负责同志", "党组书记", "本组织"),
                                      ("班子成员", "", "本组织")}
    assert open_roles(store, "乙") == {("党员", "", "第一党支部"), ("支部书记", "", "第一党支部"),
                                      ("支委", "", "第一党支部"), ("班子成员", "党组成员", "本组织"),
                                      ("分管", "", "第一党支部"), ("分管", "", "第二党支部")}
    assert open_roles(store, "丙") == {("党员", "", "第二党支部"), ("支委", "组织委员", "第二党支部"),
                                      ("组织员", "", "本组织")}


def test_unknown_header_stops_the_import_until_mapped(db_path: Path, store: Store, tmp_path: Path) -> None:
    store.close()
    rows: list[list[Any]] = [
        ["序号", "姓名", "出生年月", "党组织", "人员身份类型", "工作单位", "身份证号码"],
        [1, "陈 静", "1968.05", BRANCH_1, "普通党员", "局办公室", "320500196805010000"],
        [2, "刘洋", "1972.03", BRANCH_1, "班子成员", "局领导", "320500197203010000"],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    refused = run_cli(["--db", str(db_path), "import-roster", str(path)])
    assert refused.exit_code == 1
    assert "第 2 行「人员身份类型」列：不认识的列名" in refused.stderr
    assert "第 2 行「工作单位」列：不认识的列名" in refused.stderr
    assert "--map 人员身份类型=备注" in refused.stderr and "人员类别、联系电话、备注" in refused.stderr
    assert "身份证号码" not in refused.stderr  # known, and knowingly not kept
    bad_field = run_cli(["--db", str(db_path), "import-roster", str(path), "--map", "工作单位=单位地址"])
    assert bad_field.exit_code == 1 and "不认识的字段「单位地址」" in bad_field.stderr and "出生年月" in bad_field.stderr
    no_equals = run_cli(["--db", str(db_path), "import-roster", str(path), "--map", "工作单位"])
    assert no_equals.exit_code == 1 and "列名=字段" in no_equals.stderr
    absent = run_cli(["--db", str(db_path), "import-roster", str(path), "--map", "人员身份类型=人员类别",
                      "--map", "工作单位=忽略", "--map", "籍 贯=籍贯"])
    assert absent.exit_code == 1 and "「籍贯」列：指定了对应关系，但表头中没有这一列" in absent.stderr
    done = run_cli(["--db", str(db_path), "import-roster", str(path), "--map", "人员身份类型=人员类别",
                    "--map", "工作单位=忽略"])
    assert done.exit_code == 0, done.stderr
    assert "不导入的列：序号（行号）、工作单位（指定为忽略）、身份证号码（不保存身份证号码）" in done.stdout
    people = {p["name"]: p for p in json.loads(run_cli(["--db", str(db_path), "people", "--json"]).stdout)}
    assert set(people) == {"陈静", "刘洋"} and "班子成员" in people["刘洋"]["roles"]


def test_data_under_no_header_is_named(store: Store, tmp_path: Path) -> None:
    rows: list[list[Any]] = [["姓名", "出生年月", "所在支部"], ["甲", "1970.01", "一支部", "", "借调市委"]]
    with pytest.raises(RosterInvalid) as raised:
        import_roster(store, write_xlsx(tmp_path / "a.xlsx", rows, title=None), effective=TODAY)
    [problem] = raised.value.problems
    assert (problem.row, problem.column) == (2, "E") and "借调市委" in problem.reason


def test_parse_mapping_accepts_any_header_word_and_ignore() -> None:
    assert parse_mapping(["党员 类型=人员类别", "工作单位=忽略", "组织=党支部"]) == {
        "党员类型": "category", "工作单位": "unused", "组织": "unit"}


def test_names_are_normalised_and_dots_kept(store: Store, tmp_path: Path) -> None:
    rows: list[list[Any]] = [[*HEADER[1:3], HEADER[4]], ["陈 静", "女", "1968.05"], ["司马\u3000倩", "女", "1983.04"],
                             ["阿依古丽・买买提", "女", "1985.03"]]
    import_roster(store, write_xlsx(tmp_path / "n.xlsx", rows, title=None), effective=TODAY)
    assert {r["name"] for r in store.query("SELECT name FROM people")} == {"陈静", "司马倩", "阿依古丽·买买提"}


def test_minjin_leadership_column(tmp_path: Path) -> None:
    from notes.unlock import init_database
    from prep.packs import load_policy

    store = init_database(tmp_path / "mj.db", PASSPHRASE, ["minjin-cq-2023"]).store
    try:
        rows: list[list[Any]] = [
            ["姓名", "出生年月", "所在基层组织", "入会时间", "会内职务", "班子职务"],
            ["甲", "1970.01", "第一支部", "2001.05", "", "主委"],
            ["乙", "1972.02", "第一支部", "2003.05", "", "专职副主委"],
            ["丙", "1975.03", "第二支部", "2008.05", "主委", "内部监督委员会委员"],
        ]
        import_roster(store, write_xlsx(tmp_path / "m.xlsx", rows, title="民进青川市委会会员花名册"),
                      policy=load_policy(["minjin-cq-2023"]), effective=TODAY)
        assert open_roles(store, "甲") == {("会员", "", "第一支部"), ("主委", "", "民进青川市委会"),
                                          ("班子成员", "", "民进青川市委会")}
        assert open_roles(store, "乙") == {("会员", "", "第一支部"), ("副主委", "专职副主委", "民进青川市委会"),
                                          ("班子成员", "", "民进青川市委会")}
        assert open_roles(store, "丙") == {("会员", "", "第二支部"), ("主委", "", "第二支部"),
                                          ("班子成员", "", "第二支部"), ("内部监督委员会委员", "", "民进青川市委会")}
        assert store.scalar("SELECT joined_date FROM people WHERE name = '甲'") == "2001-05"
    finally:
        store.close()


def test_invisible_controls_in_any_cell_are_named(store: Store, tmp_path: Path) -> None:
    rows: list[list[Any]] = [["姓名", "出生年月", "所在支部", "备注"],
                             ["甲", "1970.01", "一支部\u202e", "第一行\n第二行"], ["乙", "1971.01", "二支部", "\u200f注"]]
    with pytest.raises(RosterInvalid) as raised:
        import_roster(store, write_xlsx(tmp_path / "a.xlsx", rows, title=None), effective=TODAY)
    # A line break inside a 备注 cell is text; a bidi mark is not.
    assert {(p.row, p.column) for p in raised.value.problems} == {(2, "所在支部"), (3, "备注")}


def test_numbered_blank_lines_are_skipped(store: Store, tmp_path: Path) -> None:
    rows: list[list[Any]] = [["序号", "姓名", "出生年月"], [1, "甲", "1970.01"], [2, "", ""], [3, "", ""]]
    plan = import_roster(store, write_xlsx(tmp_path / "a.xlsx", rows, title=None), effective=TODAY)
    assert len(plan.created) == 1 and "跳过 2 行：只有序号的空行" in plan.describe()
