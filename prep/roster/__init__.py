"""Importing the rosters units already keep (党员花名册, 会员名册) from XLSX or CSV.

Real rosters are untidy: Chinese headers in any order and wording (姓名 / 姓 名, 出生年月 / 出生日期 …), a merged
title row above the header, blank rows, a 合计 line, dates typed every way (1985.03, 1985年3月, 1985-03-01,
1985/3/1, Excel dates and serial numbers), names with spaces or a middle dot, CSV saved by Chinese Excel in GBK.
The header row is found by its content, not its position.

The import is all-or-nothing: the whole file is checked first, every problem is reported with its row (as Excel
numbers it), its column (the header as written) and a reason, and nothing is written unless there is none. Then
one transaction writes everything.

Identity (people.identity_key) — how a re-import finds the person it already holds:
  "姓名|出生年月" (name with whitespace removed, birth year-month: "张三|1985-03"). Rosters almost always keep the
  birth month, and the month survives the many ways it is typed (1985.03 and 1985-03-01 give the same key). Without
  a birth date: "姓名|电话…", else "姓名|所在组织". Two rows of one file with the same key are reported, not merged.
  A person entered by hand (or keyed another way) is matched by the same name and birth month, and then gets
  the key; several such people are reported, not guessed between.

Columns: every header is either one tanxin knows (prep/roster/terms.py: 党组织, 党员类型, 现任职务, 班子职务,
分管单位 … and the 民进 words), one it knowingly does not keep (序号, 身份证号码 — the plan says so), or one the
user names (`--map 列名=字段`, the app's mapping step; `忽略` to skip it). Any other header stops the import,
naming the column; so does data under no header. Nothing is dropped without a word.

Roles: the 人员类别 words (普通党员, 班子成员, 中层正职 …), 党内职务 / 会内职务, 班子职务 and 分管单位 record the
roles the policy packs name, each in its place (the person's unit, the top organisation, or the unit overseen);
terms.py says which word means what and where, and why.

What a re-import changes: the columns the file has, where the cell is filled (a blank cell never erases what the
database knows); the person's unit; and the roles the roster speaks for — membership roles (党员, 预备党员, 发展对象,
流动党员, 离退休, 生病住院, 会员, 拟入会) when 人员类别 is filled, branch offices (支部书记, 支委; 主委, 副主委, 常委,
委员) when the file has a 党内职务 or 班子职务 column, leadership roles (主要负责同志, 班子成员, 部门负责人, 分管,
组织员, 内部监督委员会委员) when a column of the file names them, and of these only the ones a roster recorded:
a leadership role set by hand (`tanxin role add`, the person page) is never ended by a roster, which may hold
only some of the team. A role that changes is ended on the effective date and the new
one starts on it, so the history stays. A person's roles on their first import have no start date (held since
before the roster: unknown), so no "newly appointed" rule fires for a whole organisation at once. People absent
from the file are left as they are (a roster is often one branch's).

The template (template.py, `tanxin roster-template`) has exactly the recognised headers and a sample row that
import skips.

The package, one module per job: read (files → tables: XLSX, CSV in UTF-8 or GBK), cells (one cell: text, header,
name, date, gender), terms (the words of a roster: header aliases, the Party and 民进 人员类别 and 党内职务
vocabularies), parse (tables → rows and problems, read_roster, parse_mapping), plan (rows → an ImportPlan against the
database, apply_plan, import_roster) and template.
"""

from __future__ import annotations

# Explicit re-exports (`X as X`): the names other modules imported from prep.roster before it became a package.
from notes.organisation import normalise_name as normalise_name
from prep.roster.cells import parse_roster_date as parse_roster_date
from prep.roster.parse import RosterInvalid as RosterInvalid
from prep.roster.parse import organisation_name_from_title as organisation_name_from_title
from prep.roster.parse import parse_mapping as parse_mapping
from prep.roster.parse import read_roster as read_roster
from prep.roster.plan import import_roster as import_roster
from prep.roster.terms import MINJIN_TERMS as MINJIN_TERMS

__all__ = [
    "MINJIN_TERMS",
    "RosterInvalid",
    "import_roster",
    "normalise_name",
    "organisation_name_from_title",
    "parse_mapping",
    "parse_roster_date",
    "read_roster",
]
