"""Rosters shaped like the ones a 机关 keeps, written by the tests: a merged title row, blank rows, a 合计 line,
人员类别 words that are really roles (班子成员, 中层正职), a 班子职务 and a 分管单位 column, and the faults real
files have (a month 13, an empty name, a person twice, a bidi control hidden in a name)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from notes.store import Store

TITLE = "青川市财政局机关党委党员花名册（2026年）"
HEADER = ["序号", "姓 名", "性别", "民族", "出生年月", "学历", "入党时间", "党组织", "现任职务", "党员类型", "班子职务",
          "分管单位", "联系电话"]
BRANCH_1 = "机关第一党支部"
BRANCH_2 = "机关第二党支部"
ROOT = "青川市财政局机关党委"


def real_rows(*, faults: bool) -> list[list[Any]]:
    """The roster; with `faults`, row 7 has 1985.13, row 9 no name, row 11 repeats row 4 and row 12 hides U+202E
    in a name (rows as Excel numbers them: title 1, header 2)."""
    rows: list[list[Any]] = [
        HEADER,
        [1, "陈 静", "女", "汉族", "1968.05", "研究生", "1992.06", BRANCH_1, "局长", "班子成员", "书记", "", "13800000001"],
        [2, "刘洋", "男", "汉族", "1972.03", "大学本科", "1995.07", BRANCH_1, "副局长", "班子成员", "副书记",
         BRANCH_2, ""],
        [3, "赵　敏", "女", "回族", "1975.09", "研究生", "1998.06", BRANCH_2, "副局长", "班子成员", "",
         BRANCH_1, ""],
        [4, "孙伟", "男", "汉族", "1980.11", "大学本科", "2003.06", BRANCH_1, "办公室主任", "中层正职", "", "", ""],
        [5, "周丽", "女", "汉族", "1985.13" if faults else "1985.12", "大学本科", "2010.07", BRANCH_2, "科员",
         "普通党员", "", "", ""],
        [],
        [6, "" if faults else "王芳", "女", "汉族", "1988.04", "大学本科", "2012.05", BRANCH_2, "科员", "普通党员",
         "", "", ""],
        [7, "吴强", "男", "汉族", "1990.02", "研究生", "2014.06", BRANCH_2, "副科长", "中层副职", "", "", ""],
    ]
    if faults:
        rows.append([8, "刘 洋", "男", "汉族", "1972.03", "大学本科", "1995.07", BRANCH_1, "副局长", "班子成员", "", "",
                     ""])
    rows.append([9, "郑\u202e凯" if faults else "郑凯", "男", "汉族", "1979.01", "大学本科", "2001.07", BRANCH_1,
                 "四级调研员", "普通党员", "", "", ""])
    rows.append(["合计", "", "", "", "", "", "", "", "", "", "", "", ""])
    return rows


def write_xlsx(path: Path, rows: list[list[Any]], title: str | None = TITLE) -> Path:
    """An XLSX as Excel users make them: the title merged across the header's width above it."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title is not None:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def open_roles(store: Store, name: str) -> set[tuple[str, str, str]]:
    """(role, title, unit) of the roles `name` holds now."""
    return {(r["role"], r["title"], r["unit"]) for r in store.query(
        "SELECT r.role, r.title, u.name AS unit FROM roles r JOIN units u ON u.id = r.unit_id "
        "JOIN people p ON p.id = r.person_id WHERE p.name = ? AND r.end_date IS NULL", [name])}
