"""The words of the record, in one place: talk and follow-up statuses with their Chinese labels, the kinds of
what was said, the headings, channels and forms. schema.sql's CHECK constraints use the same strings, the policy
packs (prep/packs) take their channels, forms and follow-up kinds from here, and every screen, command and
document shows these labels, so one status never reads two ways."""

from __future__ import annotations

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

FOLLOWUP_KINDS = ("整改", "帮扶", "转有关部门", "向党组织汇报", "移送纪检")
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
