"""The words of a roster: the headers and their aliases, the 人员类别 and role vocabularies (Party and 民进), and
what a 人员类别, 党内职务, 班子职务 or 分管 cell says about a person's membership and roles.

Roles are stored under the names the policy packs use (templates/packs/*.toml: interviewer_role,
interviewee_roles, audience_roles), so the rules find their holders. Where a role is held:
  * the person's own unit (所在党支部 / 基层组织) for branch offices (支部书记, 支委; in a 民进 会内职务 column 主委,
    副主委, 常委, 委员) and for 部门负责人 (the head of the department the person works in);
  * the top organisation (the root of the unit tree: the organisation the roster belongs to) for its leadership
    team — 主要负责同志, 班子成员, 组织员, 内部监督委员会委员 — so the 班子 rules (scope same_unit) pair the team
    with each other whatever branch each member belongs to as a Party member;
  * the named units for 分管 (one row per unit overseen; schema.sql).
A word that reads differently by column is decided by the column: 书记 in a 党内职务 column is the branch's
支部书记, in a 班子职务 column the organisation's 书记, i.e. its 主要负责同志 (in a 机关 the 党组书记 or 党委书记 is
the 主要负责同志 the rules of 000 二(二)1 mean); 副书记 and the other 委员 are 支委 there and 班子成员 here. Words
that can only mean the organisation's team (党组书记, 党委书记, 党组成员, 党委委员 …) mean it in any column.

人员类别 words that are really roles: 班子成员 → a 班子成员 role; 中层正职 → 部门负责人 (the rules name the head
of a department: 分管部门主要负责同志); 中层副职 is understood but records no role (a deputy is none of the
packs' roles; the word stays readable in 现任职务); 普通党员 → 党员.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notes.vocabulary import MEMBERSHIPS, ROLE_KINDS
from prep.roster.cells import normalise_header

if TYPE_CHECKING:
    from prep.packs import Policy

# The fields tanxin keeps, each with the header words rosters use for it (compared after normalise_header).
# The first word is the one the template writes and messages use.
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "党员姓名", "会员姓名"),
    "gender": ("性别",),
    "birth_date": ("出生年月", "出生日期", "出生年月日", "出生时间", "生日"),
    "ethnicity": ("民族",),
    "native_place": ("籍贯",),
    "education": ("学历", "文化程度", "最高学历", "全日制学历", "学历学位"),
    "joined_date": ("入党时间", "入党日期", "入党年月", "入会时间", "入会日期", "入会年月", "加入民进时间",
                    "加入民进日期"),
    "work_start_date": ("参加工作时间", "参加工作日期", "参加工作年月", "工作时间"),
    "unit": (
        "所在党支部", "党支部", "所在支部", "支部", "所属支部", "所属党支部", "所在党组织", "所属党组织", "党组织",
        "所在组织", "所属组织", "基层组织", "所在基层组织", "所属基层组织", "所在支社", "支社",
    ),
    "position": ("现任职务", "职务", "行政职务", "职务职级", "工作单位及职务", "单位及职务", "工作职务"),
    "offices": ("党内职务", "支部职务", "党内职务支部职务", "会内职务", "组织内职务"),
    "leadership": ("班子职务", "领导职务", "班子分工", "领导班子职务", "党组党委职务"),
    "oversees": ("分管单位", "分管部门", "分管", "分管支部", "分管部门单位"),
    "category": ("人员类别", "党员类别", "党员类型", "人员类型", "党员身份", "党员状态", "会员类别", "会员类型", "类别",
                 "身份"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "note": ("备注",),
}
HEADER_TO_FIELD = {alias: name for name, aliases in FIELD_HEADERS.items() for alias in aliases}
FIELD_LABELS = {name: aliases[0] for name, aliases in FIELD_HEADERS.items()}
# The same fields as a 民进 roster heads them (the template, and the list a user maps an unknown column to).
MINJIN_FIELD_LABELS = {**FIELD_LABELS, "joined_date": "入会时间", "unit": "所在基层组织", "offices": "会内职务"}
DATE_FIELDS = ("birth_date", "joined_date", "work_start_date")
# Columns copied to the people table as they are (after trimming).
TEXT_FIELDS = ("ethnicity", "native_place", "education", "position", "phone", "note")
HEADER_SEARCH_ROWS = 30

# A column a roster has and tanxin knowingly does not keep, with the reason the plan states. 序号 is the row's
# number; an identity card number is more than tanxin needs to know whom to talk to.
UNUSED = "unused"  # the field of such a column (and of one the user maps to 忽略)
UNUSED_HEADERS: dict[str, str] = {
    "序号": "行号", "编号": "行号", "序": "行号",
    "身份证号": "不保存身份证号码", "身份证号码": "不保存身份证号码", "公民身份号码": "不保存身份证号码",
}
IGNORE_WORDS = ("忽略", "不导入", "跳过")  # what --map 列名=… (or the app's mapping step) takes for "skip it"

# Lines that are not people: totals, repeated headers, and the notes at the foot of a printed form.
SKIP_PREFIXES = ("合计", "总计", "小计", "共计", "制表", "填表", "审核", "注：", "注:", "说明")
# What the template's title row holds until the user names the organisation: never taken as its name.
ORG_PLACEHOLDER = "（单位名称）"
# The sample row of `tanxin roster-template` starts its name with this; such a row is skipped, and said so.
SAMPLE_MARK = "示例"

# 人员类别 words → (membership, role). None for membership: keep the default membership; None for role: no role.
CATEGORY_WORDS: dict[str, tuple[str | None, str | None]] = {
    "正式党员": ("正式党员", "党员"),
    "党员": ("正式党员", "党员"),
    "中共党员": ("正式党员", "党员"),
    "普通党员": ("正式党员", "党员"),
    "在职党员": (None, None),
    "在职": (None, None),
    "中层副职": (None, None),
    "预备党员": ("预备党员", "预备党员"),
    "中共预备党员": ("预备党员", "预备党员"),
    "发展对象": ("发展对象", "发展对象"),
    "入党积极分子": ("入党积极分子", None),
    "积极分子": ("入党积极分子", None),
    "流动党员": (None, "流动党员"),
    "外出流动党员": (None, "流动党员"),
    "流动": (None, "流动党员"),
    "离退休": (None, "离退休"),
    "离退休党员": (None, "离退休"),
    "离退休干部": (None, "离退休"),
    "退休": (None, "离退休"),
    "退休党员": (None, "离退休"),
    "退休干部": (None, "离退休"),
    "离休": (None, "离退休"),
    "离休党员": (None, "离退休"),
    "生病住院": (None, "生病住院"),
    "会员": ("会员", "会员"),
    "普通会员": ("会员", "会员"),
    "拟入会": ("拟入会", "拟入会"),
    "拟入会人员": ("拟入会", "拟入会"),
}
MEMBERSHIP_ROLES = {membership: role for membership, role in MEMBERSHIPS.items() if role}
# The roles a roster speaks for: membership roles when 人员类别 is filled, branch offices when the file has a 党内职务 (or
# 班子职务) column, the leadership roles when a column of the file names them (see plan.py).
MEMBERSHIP_ROLE_NAMES = frozenset({"党员", "预备党员", "发展对象", "流动党员", "离退休", "生病住院", "会员", "拟入会"})
OFFICE_ROLE_NAMES = frozenset({"支部书记", "支委", "主委", "副主委", "常委", "委员"})
LEADERSHIP_ROLE_NAMES = frozenset({"主要负责同志", "班子成员", "部门负责人", "分管", "组织员", "内部监督委员会委员"})
OVERSEES = "分管"

# The packs' registration convention (headers of suzhou-2018 and minjin-cq-2023), kept in notes/vocabulary.py:
# a 主要负责同志 is also a 班子成员, a 支部书记 a 支委, a 主委 or 副主委 a 班子成员, so the frequency rules count
# them. A roster that names the role records both, in the same unit.
IMPLIED_ROLES = {kind.role: kind.implies for kind in ROLE_KINDS if kind.implies}
ROSTER_SOURCE = "花名册"  # roles.source of what a roster recorded: "花名册 <file>"
NO_OFFICE_WORDS = frozenset({"无", "暂无", "-", "—", "--", "/", "／", "党员", "会员", "普通党员", "普通会员"})
LIST_SEPARATORS = re.compile(r"[、，,;；/／()\s]+")  # after NFKC: （） are ()

# Words that name one role wherever they are written: word → (role, held in the top organisation).
ROLE_WORDS: dict[str, tuple[str, bool]] = {
    **dict.fromkeys(("主要负责同志", "主要负责人", "党组书记", "党委书记", "机关党委书记", "党工委书记", "党组织书记"),
                    ("主要负责同志", True)),
    **dict.fromkeys(("班子成员", "领导班子成员", "党组成员", "党委委员", "机关党委委员", "党组副书记", "党委副书记",
                     "机关党委副书记", "纪委书记", "机关纪委书记"), ("班子成员", True)),
    **dict.fromkeys(("部门负责人", "中层正职", "处室负责人", "科室负责人", "部门主要负责人"), ("部门负责人", False)),
    "组织员": ("组织员", True),
    **dict.fromkeys(("支部书记", "党支部书记", "总支书记", "党总支书记"), ("支部书记", False)),
    **dict.fromkeys(("支部副书记", "党支部副书记", "总支副书记", "党总支副书记", "支委", "支部委员", "党支部委员"),
                    ("支委", False)),
    **dict.fromkeys(("内部监督委员会委员", "内部监督委员", "监督委员会委员"), ("内部监督委员会委员", True)),
}
# Words whose level is the column's: (role in a 党内职务 column, role in a 班子职务 column).
PARTY_COLUMN_WORDS = {"书记": ("支部书记", "主要负责同志"), "副书记": ("支委", "班子成员")}
MINJIN_OFFICE_WORDS = {"主委": "主委", "副主委": "副主委", "专职副主委": "副主委", "常委": "常委"}
CATEGORY_ROLE_HINT = "班子成员、中层正职、部门负责人"


@dataclass(frozen=True, slots=True)
class RosterTerms:
    """What a blank 人员类别 means and how a bare 委员 reads: a Party roster or a 民进 one."""

    member_role: str = "党员"
    default_membership: str = "正式党员"

    @property
    def is_minjin(self) -> bool:
        return self.member_role == "会员"

    def label(self, field: str) -> str:
        """A field as this kind of roster heads it."""
        return (MINJIN_FIELD_LABELS if self.is_minjin else FIELD_LABELS)[field]


PARTY_TERMS = RosterTerms()
MINJIN_TERMS = RosterTerms(member_role="会员", default_membership="会员")


def terms_for(policy: Policy | None) -> RosterTerms:
    """The roster vocabulary of the active packs: 会员 terminology means a 民进 roster."""
    if policy is None:
        return PARTY_TERMS
    return MINJIN_TERMS if policy.terminology.get("member") == "会员" else PARTY_TERMS


@dataclass(frozen=True, slots=True)
class RoleClaim:
    """A role a roster row says the person holds: in their own unit, in the top organisation (`top`), or — for
    分管 — in the unit named by `unit`."""

    role: str
    title: str = ""
    top: bool = False
    unit: str = ""


def split_words(text: str) -> list[str]:
    return [word for word in LIST_SEPARATORS.split(unicodedata.normalize("NFKC", text).strip()) if word]


def _title(word: str, role: str) -> str:
    return "" if word == role else word


def _role_word(word: str, terms: RosterTerms, top: bool) -> RoleClaim | None:
    """The role one word of a 党内职务 (top=False) or 班子职务 (top=True) cell names, or None."""
    if word in ROLE_WORDS:
        role, at_top = ROLE_WORDS[word]
        return RoleClaim(role, _title(word, role), at_top)
    if word in PARTY_COLUMN_WORDS and not terms.is_minjin:
        role = PARTY_COLUMN_WORDS[word][top]
        return RoleClaim(role, "" if role == "支部书记" else word, top)
    if word in MINJIN_OFFICE_WORDS:
        role = MINJIN_OFFICE_WORDS[word]
        return RoleClaim(role, _title(word, role), top)
    if word == "委员" and terms.is_minjin:
        return RoleClaim("委员", "", top)
    if word.endswith("委员") and not terms.is_minjin:
        role = "班子成员" if top else "支委"
        return RoleClaim(role, _title(word, "支委"), top)
    return None


def _overseen(word: str) -> str:
    return word.removeprefix(OVERSEES).lstrip(":：")


def office_claims(text: str, terms: RosterTerms, *, top: bool = False) -> tuple[list[RoleClaim], str | None]:
    """The roles of a 党内职务 / 会内职务 cell (top=False) or a 班子职务 cell (top=True).

    "分管第一党支部、第二党支部" names the units overseen: the words after 分管 that are no role are units too."""
    words = split_words(text)
    if not words or all(word in NO_OFFICE_WORDS for word in words):
        return [], None
    claims: list[RoleClaim] = []
    overseeing = False
    for word in words:
        if word in NO_OFFICE_WORDS:
            continue
        if word.startswith(OVERSEES):
            overseeing = True
            if _overseen(word):
                claims.append(RoleClaim(OVERSEES, unit=_overseen(word)))
            continue
        claim = _role_word(word, terms, top)
        if claim is not None:
            claims.append(claim)
            overseeing = False
        elif overseeing:
            claims.append(RoleClaim(OVERSEES, unit=word))
        else:
            return [], f"不认识的职务「{word}」。可填：{office_hint(terms)}；行政职务请写在“现任职务”列，没有职务时留空或填“无”"
    return claims, None


def office_hint(terms: RosterTerms) -> str:
    if terms.is_minjin:
        return "主委、副主委、专职副主委、常委、委员、内部监督委员会委员、班子成员、部门负责人、分管某单位"
    return ("书记、副书记、组织委员等各类委员、主要负责同志、党组书记、班子成员、党组成员、部门负责人、组织员、"
            "分管某单位")


def oversees_claims(text: str) -> list[RoleClaim]:
    """A 分管单位 cell: the units overseen, one per word (a leading 分管 is allowed)."""
    return [RoleClaim(OVERSEES, unit=_overseen(word)) for word in split_words(text) if _overseen(word)
            and word not in NO_OFFICE_WORDS]


def category(text: str, terms: RosterTerms) -> tuple[str | None, list[RoleClaim], str | None]:
    """(membership, membership, status and leadership roles, problem) from a 人员类别 cell; (None, [], None) when
    blank. A word that is a role (班子成员, 中层正职) records the role and leaves the membership at its default."""
    if not split_words(text):
        return None, [], None
    memberships: list[str] = []
    claims: list[RoleClaim] = []
    for word in split_words(text):
        if word in CATEGORY_WORDS:
            membership, role = CATEGORY_WORDS[word]
            if membership is not None and membership not in memberships:
                memberships.append(membership)
            if role is not None and role not in MEMBERSHIP_ROLES.values() and all(c.role != role for c in claims):
                claims.append(RoleClaim(role))
        elif word in ROLE_WORDS:
            role, top = ROLE_WORDS[word]
            claims.append(RoleClaim(role, "", top))  # a category is a kind of person, not a title
        else:
            known = "、".join(w for w in CATEGORY_WORDS if len(w) <= 4 and CATEGORY_WORDS[w] != (None, None))
            return "", [], f"不认识的人员类别「{word}」。可填：{known}，以及{CATEGORY_ROLE_HINT}"
    if len(memberships) > 1:
        return "", [], f"人员类别互相矛盾：{'、'.join(memberships)}"
    membership = memberships[0] if memberships else terms.default_membership
    member_role = MEMBERSHIP_ROLES.get(membership)
    return membership, ([RoleClaim(member_role)] if member_role else []) + claims, None


def field_for(word: str) -> str | None:
    """The field a user names (in --map or the app's mapping step): any header word for it, or 忽略."""
    folded = normalise_header(word)
    if folded in IGNORE_WORDS:
        return UNUSED
    return HEADER_TO_FIELD.get(folded)
