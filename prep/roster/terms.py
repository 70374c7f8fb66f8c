"""The words of a roster: the headers and their aliases, the 人员类别 and 党内职务 vocabularies (Party and 民进),
and what a 人员类别 or 党内职务 cell says about a person's membership and roles."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prep.packs import Policy

# The fields tanxin keeps, each with the header words rosters use for it (compared after normalise_header).
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "党员姓名", "会员姓名"),
    "gender": ("性别",),
    "birth_date": ("出生年月", "出生日期", "出生年月日", "出生时间", "生日"),
    "ethnicity": ("民族",),
    "native_place": ("籍贯",),
    "education": ("学历", "文化程度", "最高学历", "全日制学历", "学历学位"),
    "joined_date": ("入党时间", "入党日期", "入党年月", "入会时间", "入会日期", "入会年月"),
    "work_start_date": ("参加工作时间", "参加工作日期", "参加工作年月", "工作时间"),
    "unit": (
        "所在党支部", "党支部", "所在支部", "支部", "所属支部", "所属党支部", "所在党组织", "所属党组织",
        "所在组织", "所属组织", "基层组织", "所在基层组织", "所属基层组织",
    ),
    "position": ("职务", "行政职务", "现任职务", "职务职级", "工作单位及职务", "单位及职务"),
    "offices": ("党内职务", "支部职务", "党内职务支部职务", "会内职务"),
    "category": ("人员类别", "党员类别", "党员身份", "党员状态", "会员类别", "类别", "身份"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "note": ("备注",),
}
HEADER_TO_FIELD = {alias: name for name, aliases in FIELD_HEADERS.items() for alias in aliases}
FIELD_LABELS = {name: aliases[0] for name, aliases in FIELD_HEADERS.items()}
DATE_FIELDS = ("birth_date", "joined_date", "work_start_date")
# Columns copied to the people table as they are (after trimming).
TEXT_FIELDS = ("ethnicity", "native_place", "education", "position", "phone", "note")
HEADER_SEARCH_ROWS = 30

# Lines that are not people: totals, repeated headers, and the notes at the foot of a printed form.
SKIP_PREFIXES = ("合计", "总计", "小计", "共计", "制表", "填表", "审核", "注：", "注:", "说明")

# 人员类别 words → (membership, role). None for membership: keep the default membership; None for role: no role.
CATEGORY_WORDS: dict[str, tuple[str | None, str | None]] = {
    "正式党员": ("正式党员", "党员"),
    "党员": ("正式党员", "党员"),
    "中共党员": ("正式党员", "党员"),
    "在职党员": (None, None),
    "在职": (None, None),
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
    "拟入会": ("拟入会", "拟入会"),
    "拟入会人员": ("拟入会", "拟入会"),
}
MEMBERSHIP_ROLES = {"正式党员": "党员", "预备党员": "预备党员", "发展对象": "发展对象", "会员": "会员",
                    "拟入会": "拟入会"}
# The roles a roster speaks for: membership roles always, branch offices when the file has a 党内职务 column.
MEMBERSHIP_ROLE_NAMES = frozenset({"党员", "预备党员", "发展对象", "流动党员", "离退休", "生病住院", "会员", "拟入会"})
OFFICE_ROLE_NAMES = frozenset({"支部书记", "支委", "主委", "副主委", "常委", "委员"})

# The packs' registration convention (headers of suzhou-2018 and minjin-cq-2023): a 支部书记 is also a 支委, a 主委
# or 副主委 also a 班子成员, so the frequency rules count them. A roster that names the office records both.
IMPLIED_ROLES = {"支部书记": "支委", "主委": "班子成员", "副主委": "班子成员"}
ROSTER_SOURCE = "花名册"  # roles.source of what a roster recorded: "花名册 <file>"
NO_OFFICE_WORDS = frozenset({"无", "暂无", "-", "—", "--", "/", "／", "党员", "会员", "普通党员", "普通会员"})
SECRETARY_WORDS = frozenset({"书记", "支部书记", "党支部书记", "总支书记", "党总支书记"})
DEPUTY_SECRETARY_WORDS = frozenset({"副书记", "支部副书记", "党支部副书记", "总支副书记", "党总支副书记"})
MINJIN_OFFICE_WORDS = {"主委": "主委", "副主委": "副主委", "专职副主委": "副主委", "常委": "常委"}
LIST_SEPARATORS = re.compile(r"[、，,;；/／()\s]+")  # after NFKC: （） are ()


@dataclass(frozen=True, slots=True)
class RosterTerms:
    """What a blank 人员类别 means and how a bare 委员 reads: a Party roster or a 民进 one."""

    member_role: str = "党员"
    default_membership: str = "正式党员"

    @property
    def is_minjin(self) -> bool:
        return self.member_role == "会员"


PARTY_TERMS = RosterTerms()
MINJIN_TERMS = RosterTerms(member_role="会员", default_membership="会员")


def terms_for(policy: Policy | None) -> RosterTerms:
    """The roster vocabulary of the active packs: 会员 terminology means a 民进 roster."""
    if policy is None:
        return PARTY_TERMS
    return MINJIN_TERMS if policy.terminology.get("member") == "会员" else PARTY_TERMS


@dataclass(frozen=True, slots=True)
class RoleClaim:
    """A role a roster row says the person holds in its unit."""

    role: str
    title: str = ""


def split_words(text: str) -> list[str]:
    return [word for word in LIST_SEPARATORS.split(unicodedata.normalize("NFKC", text).strip()) if word]


def office_claims(text: str, terms: RosterTerms) -> tuple[list[RoleClaim], str | None]:
    words = split_words(text)
    if not words or all(word in NO_OFFICE_WORDS for word in words):
        return [], None
    claims: list[RoleClaim] = []
    for word in words:
        if word in NO_OFFICE_WORDS:
            continue
        if word in SECRETARY_WORDS:
            claims.append(RoleClaim("支部书记", "" if word in ("书记", "支部书记") else word))
        elif word in DEPUTY_SECRETARY_WORDS:
            claims.append(RoleClaim("支委", word))
        elif word in MINJIN_OFFICE_WORDS:
            role = MINJIN_OFFICE_WORDS[word]
            claims.append(RoleClaim(role, "" if word == role else word))
        elif word == "委员" and terms.is_minjin:
            claims.append(RoleClaim("委员"))
        elif word == "支委" or word.endswith("委员"):
            claims.append(RoleClaim("支委", "" if word == "支委" else word))
        else:
            return [], (
                f"不认识的党内职务「{word}」。可填：书记、副书记、组织委员等各类委员、主委、副主委、常委，"
                "没有职务时留空或填“无”"
            )
    return claims, None


def category(text: str, terms: RosterTerms) -> tuple[str | None, list[str], str | None]:
    """(membership, membership and status roles, problem) from a 人员类别 cell; (None, [], None) when blank."""
    if not split_words(text):
        return None, [], None
    memberships: list[str] = []
    roles: list[str] = []
    for word in split_words(text):
        if word not in CATEGORY_WORDS:
            known = "、".join(w for w in CATEGORY_WORDS if len(w) <= 4)
            return "", [], f"不认识的人员类别「{word}」。可填：{known}"
        membership, role = CATEGORY_WORDS[word]
        if membership is not None and membership not in memberships:
            memberships.append(membership)
        if role is not None and role not in roles and role not in MEMBERSHIP_ROLES.values():
            roles.append(role)
    if len(memberships) > 1:
        return "", [], f"人员类别互相矛盾：{'、'.join(memberships)}"
    membership = memberships[0] if memberships else terms.default_membership
    member_role = MEMBERSHIP_ROLES.get(membership)
    return membership, ([member_role] if member_role else []) + roles, None
