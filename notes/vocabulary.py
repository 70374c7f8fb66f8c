"""The words of the record, in one place: talk and follow-up statuses with their Chinese labels, the kinds of
what was said, the headings, channels and forms. schema.sql's CHECK constraints use the same strings, the policy
packs (prep/packs) take their channels, forms and follow-up kinds from here, and every screen, command and
document shows these labels, so one status never reads two ways."""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("planned", "in_progress", "held", "sealed", "cancelled")
STATUS_LABELS = {
    "planned": "计划中",
    "in_progress": "进行中",
    "held": "已谈话",
    "sealed": "已封存",
    "cancelled": "已取消",
}
# The kinds of what was said (a CHECK in schema.sql keeps the same list).
ENTRY_KINDS = ("事实情况", "本人表态", "困难诉求", "意见建议", "发现问题", "谈话人要求")
# 四谈 (001 第九条): headings every talk may use besides its type's required points.
GENERAL_HEADINGS = ("谈思想", "谈履职", "谈作风", "谈生活")
CHANNELS = ("面对面", "电话", "微信", "上门", "书面", "函询", "邮件")
FORMS = ("个别", "集体")

# Stored in the Party's words whatever the organisation; a 民进 database shows two of them in its own
# (prep/wording.py: 向民进组织汇报, 移送相关部门查核), so changing the active packs never rewrites a record.
REPORT_FOLLOWUP = "向党组织汇报"
REFERRAL_FOLLOWUP = "移送纪检"
FOLLOWUP_KINDS = ("整改", "帮扶", "转有关部门", REPORT_FOLLOWUP, REFERRAL_FOLLOWUP)


def followup_kind_word(kind: str, organisation: str, referral: str) -> str:
    """A stored follow-up kind in the organisation's words (`organisation`: 民进组织; `referral`: what its packs
    do with a violation, 移送相关部门查核). Documents call it with PolicyFacts.wording()'s; prep.wording wraps it."""
    if kind == REPORT_FOLLOWUP:
        return f"向{organisation}汇报"
    if kind == REFERRAL_FOLLOWUP:
        return referral
    return kind

FOLLOWUP_STATUSES = ("open", "in_progress", "done", "verified", "escalated")
FOLLOWUP_STATUS_LABELS = {
    "open": "待办",
    "in_progress": "办理中",
    "done": "已完成待核实",
    "verified": "已核实办结",
    "escalated": "已升级处理",
}
# Where space is short (a tab, a line of the due list): the same statuses in fewer words.
FOLLOWUP_STATUS_SHORT_LABELS = {
    "open": "待办",
    "in_progress": "办理中",
    "done": "待核实",
    "verified": "已办结",
    "escalated": "已升级",
}
# Everything but verified still needs someone's attention and appears in later briefs.
UNFINISHED_FOLLOWUP_STATUSES = ("open", "in_progress", "done", "escalated")
# Work not yet done: only these can be overdue (done waits for verification, not for the person).
OVERDUE_FOLLOWUP_STATUSES = ("open", "in_progress", "escalated")

# -- roles a user sets by hand ------------------------------------------------------------------------------
#
# The one list of the leadership and office roles the app and `tanxin role add` offer. `role` is what roles.role
# stores: exactly the word the policy packs use (templates/packs/*.toml), so the rules find the holder; `word` is
# what a user reads and types, and differs where the packs abbreviate (支委) or where a variant is the same role
# with a title (专职副主委 is a 副主委). `implies`: the packs' registration convention (suzhou-2018 and
# minjin-cq-2023 headers) — a 主要负责同志 is also a 班子成员, a 支部书记 also a 支委, a 主委 or 副主委 also a
# 班子成员 — so the frequency rules count them; setting the role records the implied one as well.
PARTY = "party"
MINJIN = "minjin"


@dataclass(frozen=True, slots=True)
class RoleKind:
    word: str
    role: str
    family: str = ""  # PARTY, MINJIN, or '' for roles both kinds of organisation have
    title: str = ""  # stored in roles.title when the word is a variant of `role`
    implies: str = ""
    hint: str = ""

    @property
    def oversees(self) -> bool:
        """分管: its unit is the unit overseen (schema.sql), one row per overseen unit."""
        return self.role == "分管"


ROLE_KINDS = (
    RoleKind("主要负责同志", "主要负责同志", implies="班子成员", hint="党组织（单位）主要负责同志，同时登记为班子成员"),
    RoleKind("班子成员", "班子成员", hint="领导班子成员"),
    RoleKind("分管", "分管", hint="班子成员分管的部门、单位（可选多个）"),
    RoleKind("部门负责人", "部门负责人", hint="部门、单位的负责同志"),
    RoleKind("支部书记", "支部书记", PARTY, implies="支委", hint="党支部（总支）书记，同时登记为支委"),
    RoleKind("支部委员", "支委", PARTY, hint="支委会委员；分工（组织委员、宣传委员……）写在具体职务"),
    RoleKind("组织员", "组织员", PARTY, hint="党委组织员"),
    RoleKind("主委", "主委", MINJIN, implies="班子成员", hint="民进组织主委，同时登记为班子成员"),
    RoleKind("副主委", "副主委", MINJIN, implies="班子成员", hint="同时登记为班子成员"),
    RoleKind("专职副主委", "副主委", MINJIN, title="专职副主委", implies="班子成员",
             hint="记为副主委（具体职务：专职副主委），同时登记为班子成员"),
    RoleKind("常委", "常委", MINJIN, hint="民进组织常委"),
    RoleKind("委员", "委员", MINJIN, hint="民进组织委员"),
    RoleKind("内部监督委员会委员", "内部监督委员会委员", MINJIN, hint="市委会内部监督委员会委员"),
)


# What roles.role holds for each of them: the roles a user takes up and ends by hand.
OFFICES = frozenset(kind.role for kind in ROLE_KINDS) | frozenset(kind.implies for kind in ROLE_KINDS if kind.implies)


def role_kinds_for(minjin: bool | None) -> tuple[RoleKind, ...]:
    """The roles offered to a Party organisation (False), a 民进 one (True), or either (None: not known)."""
    if minjin is None:
        return ROLE_KINDS
    family = MINJIN if minjin else PARTY
    return tuple(kind for kind in ROLE_KINDS if kind.family in ("", family))


# 身份 a person is entered with by hand, and the role it records in the person's unit (None: no role), as a
# roster's 人员类别 does (prep/roster): the rules about 党员 or 会员 find members through these roles.
MEMBERSHIPS: dict[str, str | None] = {
    "正式党员": "党员",
    "预备党员": "预备党员",
    "发展对象": "发展对象",
    "入党积极分子": None,
    "会员": "会员",
    "拟入会": "拟入会",
}
PARTY_MEMBERSHIPS = ("正式党员", "预备党员", "发展对象", "入党积极分子")
MINJIN_MEMBERSHIPS = ("会员", "拟入会")
