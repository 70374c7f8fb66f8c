"""The roster template (`tanxin roster-template`, the app's 导入花名册 screen): an XLSX with the headers import
recognises, one sample row, and a sheet that says what each column takes.

The sample row is marked in its name cell (示例：…); import skips such a row and says so in its plan ("跳过 1 行：
模板中的示例行"), so a template filled below the sample imports as it is, and the sample never becomes a person.
Overwriting the sample's name with a real one makes it a real row. The instructions sheet has no roster header,
so import passes over it.
"""

from __future__ import annotations

import os
from pathlib import Path

from notes.errors import InvalidInput
from prep.roster.terms import ORG_PLACEHOLDER, SAMPLE_MARK, RosterTerms, office_hint

# The template's columns, in the order a 花名册 usually has them ("序号" is read and knowingly not imported).
TEMPLATE_FIELDS = ("name", "gender", "ethnicity", "birth_date", "native_place", "education", "work_start_date",
                   "joined_date", "unit", "position", "category", "offices", "leadership", "oversees", "phone", "note")


def _sample(terms: RosterTerms) -> dict[str, str]:
    if terms.is_minjin:
        return {"name": f"{SAMPLE_MARK}：王明", "gender": "男", "ethnicity": "汉族", "birth_date": "1975.06",
                "native_place": "重庆", "education": "研究生", "work_start_date": "1998.07", "joined_date": "2005.03",
                "unit": "第一支部", "position": "某中学副校长", "category": "会员", "offices": "委员", "leadership": "",
                "oversees": "", "phone": "13800000000", "note": "示例行：导入时自动跳过，可删除"}
    return {"name": f"{SAMPLE_MARK}：王明", "gender": "男", "ethnicity": "汉族", "birth_date": "1978.06",
            "native_place": "江苏苏州", "education": "大学本科", "work_start_date": "2000.07", "joined_date": "1999.06",
            "unit": "机关第一党支部", "position": "副局长", "category": "班子成员", "offices": "",
            "leadership": "班子成员", "oversees": "机关第一党支部", "phone": "13800000000",
            "note": "示例行：导入时自动跳过，可删除"}


def _explanations(terms: RosterTerms) -> dict[str, str]:
    member = "会员" if terms.is_minjin else "党员"
    categories = ("会员、拟入会、离退休、流动、生病住院" if terms.is_minjin else
                  "正式党员（普通党员）、预备党员、发展对象、入党积极分子、流动党员、离退休、生病住院；"
                  "班子成员、中层正职（记为部门负责人）、中层副职")
    return {
        "name": "必填。中间的空格会去掉（陈 静 → 陈静），少数民族姓名中的“·”保留。",
        "gender": "男 或 女。",
        "ethnicity": "如 汉族。",
        "birth_date": "必填（用于区分同名的人）。可写 1985.03、1985年3月、1985-03-01。",
        "native_place": "",
        "education": "",
        "work_start_date": "日期，写法同出生年月。",
        "joined_date": "日期，写法同出生年月。",
        "unit": f"{member}所在的{'基层组织' if terms.is_minjin else '党支部'}全称；没有的组织会在本组织下新建。留空则记在本组织。",
        "position": "行政职务，原样保存。",
        "category": f"可填：{categories}。几项用“、”分隔。留空则为{terms.default_membership}。",
        "offices": f"{'会内' if terms.is_minjin else '支部内'}职务：{office_hint(terms)}。没有职务时留空或填“无”。",
        "leadership": ("本组织领导班子中的职务：书记（即主要负责同志）、副书记、班子成员、组织员等；"
                       if not terms.is_minjin else "本组织领导班子中的职务：主委、副主委、专职副主委、常委、委员、班子成员；")
        + "写在这一列的职务记在本组织（而不是所在支部）。",
        "oversees": "班子成员分管的单位，写全称，几个用“、”分隔。须是本组织已有的或本表中有人所在的单位。",
        "phone": "",
        "note": "原样保存。",
    }


def write_template(path: Path, terms: RosterTerms, *, force: bool = False) -> Path:
    """Write the template to `path` (.xlsx); an existing file is kept unless `force`. Returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"模板是 Excel 文件，文件名应以 .xlsx 结尾，而不是「{path.name}」。")
    if path.exists() and not force:
        raise InvalidInput(f"{path} 已存在，未覆盖。请换一个文件名（命令行可加 --force 覆盖）。")
    if path.is_dir():
        raise InvalidInput(f"{path} 是目录，请给出 .xlsx 文件名。")
    headers = ["序号", *(terms.label(field) for field in TEMPLATE_FIELDS)]
    sample = _sample(terms)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "花名册"
    sheet.append([f"{ORG_PLACEHOLDER}{'会员' if terms.is_minjin else '党员'}花名册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(headers)
    sheet.append([SAMPLE_MARK, *(sample[field] for field in TEMPLATE_FIELDS)])
    for column in range(1, len(headers) + 1):
        sheet.cell(row=2, column=column).font = Font(bold=True)
        sheet.cell(row=3, column=column).fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.cell(row=3, column=column).font = Font(italic=True, color="808080")
        sheet.column_dimensions[get_column_letter(column)].width = 14
    # Dates typed as 1985.03 must stay text: as a number Excel would show 1985.3 for October's 1985.10.
    for column in range(1, len(headers) + 1):
        for row in range(3, 203):
            sheet.cell(row=row, column=column).number_format = "@"
    sheet.freeze_panes = "B3"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "怎么填"])
    notes.append(["第 1 行", f"把“{ORG_PLACEHOLDER}”改成本组织的名称：第一次导入时用它给本组织命名。"])
    notes.append(["第 3 行", "示例行（姓名以“示例”开头），导入时自动跳过，可删除。从第 4 行起每人一行。"])
    explanations = _explanations(terms)
    for field in TEMPLATE_FIELDS:
        notes.append([terms.label(field), explanations[field]])
    notes.append(["其他列", "可以保留，但导入时须说明它是哪一项或忽略它（命令行 --map 列名=字段，或在界面中选择）。"])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 100
    # Written beside the target, then renamed: an interrupted write never leaves half a file under the name.
    partial = path.with_name(f".{path.name}.partial")
    try:
        workbook.save(partial)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise InvalidInput(f"无法写入 {path}：{error.strerror or error}。请换一个目录或文件名。") from None
    return path
