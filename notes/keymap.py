"""The keys a unit may change (the keymap setting): each action's id, Chinese name, where it works and its
default key, and the one check every new key goes through — in 设置 and in `tanxin config set keymap`.

The app's bindings live in tui/ (Textual); this is plain data so that notes/settings.py can check a keymap
without importing the faces. tests/test_keymap.py compares it with the app's actual bindings, so the two
cannot drift apart. Each action is given one key: a letter or a digit alone is refused, because it would be
typed into fields or fire while someone types a name (the traps of issue #14).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from notes.errors import InvalidInput

APP = "全局"  # the app's own keys: they work on every screen, so they collide with every screen's keys


@dataclass(frozen=True, slots=True)
class KeyAction:
    """An action a unit may move to another key."""

    id: str
    label: str
    scope: str  # the screen it works on (its Chinese name), or APP
    default: str


KEY_ACTIONS: tuple[KeyAction, ...] = (
    KeyAction("tanxin.help", "帮助", APP, "f1"),
    KeyAction("tanxin.dashboard", "到工作台", APP, "f2"),
    KeyAction("tanxin.people", "到人员", APP, "f3"),
    KeyAction("tanxin.followups", "到跟踪事项", APP, "f4"),
    KeyAction("tanxin.ledger", "到台账", APP, "f5"),
    KeyAction("tanxin.blank", "隐藏屏幕", APP, "f12"),
    KeyAction("tanxin.lock", "锁定", APP, "ctrl+l"),
    KeyAction("tanxin.palette", "命令面板", APP, "ctrl+p"),
    KeyAction("dashboard.prepare", "准备谈话", "工作台", "ctrl+t"),
    KeyAction("dashboard.scope", "本人/全部", "工作台", "ctrl+a"),
    KeyAction("dashboard.owner", "选择本人", "工作台", "ctrl+u"),
    KeyAction("dashboard.refresh", "刷新", "工作台", "ctrl+r"),
    KeyAction("dashboard.import_roster", "导入花名册", "工作台", "f7"),
    KeyAction("people.search", "查找", "人员", "slash"),
    KeyAction("people.prepare", "准备谈话", "人员", "ctrl+t"),
    KeyAction("people.import_roster", "导入花名册", "人员", "f7"),
    KeyAction("people.add_person", "添加人员", "人员", "ctrl+n"),
    KeyAction("person.add_profile", "添加情况", "人员页面", "ctrl+n"),
    KeyAction("person.add_event", "记录事件", "人员页面", "ctrl+e"),
    KeyAction("person.watch", "重点人员", "人员页面", "ctrl+w"),
    KeyAction("person.add_role", "登记职务", "人员页面", "ctrl+r"),
    KeyAction("person.end_role", "免去职务", "人员页面", "ctrl+x"),
    KeyAction("person.prepare", "准备谈话", "人员页面", "ctrl+t"),
    KeyAction("followups.filter", "筛选", "跟踪事项", "ctrl+f"),
    KeyAction("followups.order", "排序", "跟踪事项", "ctrl+d"),
    KeyAction("followups.talk", "谈话记录", "跟踪事项", "ctrl+t"),
    KeyAction("followups.reload", "刷新", "跟踪事项", "ctrl+r"),
    KeyAction("ledger.export_all", "全部导出", "台账", "ctrl+o"),
    KeyAction("prepare.next", "下一步", "谈前准备", "f8"),
    KeyAction("prepare.previous", "上一步", "谈前准备", "f7"),
    KeyAction("prepare.finish", "完成", "谈前准备", "ctrl+s"),
    KeyAction("live.new_entry", "新条目", "谈话中", "ctrl+n"),
    KeyAction("live.kind", "类别", "谈话中", "ctrl+t"),
    KeyAction("live.heading", "要点", "谈话中", "ctrl+r"),
    KeyAction("live.confidential", "保密", "谈话中", "ctrl+b,f6"),
    KeyAction("live.followup", "转跟踪", "谈话中", "ctrl+g"),
    KeyAction("live.save", "保存", "谈话中", "ctrl+s"),
    KeyAction("live.finish", "结束谈话", "谈话中", "f8"),
    KeyAction("review.seal", "签章封存", "谈后", "f9"),
    KeyAction("review.verify", "核验", "谈后", "f9"),  # shares f9 with 签章封存: one before sealing, one after
    KeyAction("review.procedure", "程序信息", "谈后", "f6"),
    KeyAction("review.export", "导出记录", "谈后", "ctrl+o"),
    KeyAction("review.to_profile", "记入十个清楚", "谈后", "ctrl+e"),
    KeyAction("review.followup", "添加跟踪", "谈后", "ctrl+g"),
    KeyAction("review.amend", "更正", "谈后", "ctrl+r"),
    KeyAction("review.check_view", "核对视图", "谈后", "ctrl+t"),
    KeyAction("review.resume", "继续记录", "谈后", "f8"),
    KeyAction("roster.check", "检查花名册", "导入花名册", "ctrl+r"),
    KeyAction("roster.confirm", "确认导入", "导入花名册", "ctrl+s"),
    KeyAction("roster.template", "写出模板", "导入花名册", "ctrl+t"),
    KeyAction("settings.save", "保存设置", "设置", "ctrl+s"),
    KeyAction("first_run.create", "创建数据库", "第一次使用", "ctrl+s"),
    KeyAction("form.save", "保存表单", "表单", "ctrl+s"),
    KeyAction("tanxin.procedure.save", "保存程序信息", "程序信息", "ctrl+s"),
)
ACTIONS: dict[str, KeyAction] = {action.id: action for action in KEY_ACTIONS}

# Keys no action may take, with why (in the user's words).
_MOVING = "用于在界面中移动和编辑"
RESERVED: dict[str, str] = {
    "ctrl+q": "是退出键，始终保留",
    "ctrl+c": "是复制键",
    "ctrl+v": "是粘贴键",
    "ctrl+i": "在终端中就是 tab 键",
    "ctrl+m": "在终端中就是回车键",
    "ctrl+j": "在终端中就是回车键",
    "ctrl+h": "在终端中就是退格键",
    "ctrl+z": "在终端中会把程序挂起",
    **dict.fromkeys(("tab", "shift+tab", "enter", "escape", "space", "backspace", "delete", "up", "down", "left",
                     "right", "home", "end", "pageup", "pagedown", "insert"), _MOVING),
}
_MODIFIERS = ("ctrl", "alt", "shift")
_NAMED = re.compile(r"^(f([1-9]|1[0-9]|2[0-4])|[a-z0-9]|tab|enter|escape|space|backspace|delete|up|down|left|right"
                    r"|home|end|pageup|pagedown|insert)$")


def normalise_key(text: str) -> str:
    """"Ctrl+K" → "ctrl+k"; "F9" → "f9" (the form Textual names keys by)."""
    return "+".join(part.strip().lower() for part in text.strip().split("+"))


def key_problem(key: str) -> str | None:
    """Why `key` (normalised) cannot be given to an action on its own, or None when it can."""
    *modifiers, base = key.split("+")
    if not _NAMED.match(base) or any(m not in _MODIFIERS for m in modifiers) or len(set(modifiers)) < len(modifiers):
        return f"看不懂按键“{key}”：应写成 ctrl+字母、f1 到 f24 之类，如 ctrl+k、f9"
    if key in RESERVED:
        return f"按键 {key} {RESERVED[key]}，不能另作他用"
    if not modifiers and len(base) == 1:
        return f"单独的字母或数字 {key} 会在输入姓名、文字时被误按，请用 ctrl+ 组合键或 f1 到 f24"
    if modifiers == ["shift"] and len(base) == 1:
        return f"{key} 就是输入大写字母或符号，会在输入文字时被误按，请用 ctrl+ 组合键或 f1 到 f24"
    return None


def _keys(spec: str) -> list[str]:
    return [k for k in (normalise_key(part) for part in spec.split(",")) if k]


def _overlap(one: KeyAction, other: KeyAction) -> bool:
    return one.scope == other.scope or APP in (one.scope, other.scope)


def effective_keys(keymap: Mapping[str, str]) -> dict[str, list[str]]:
    """Each action's keys with `keymap` applied."""
    return {action.id: _keys(keymap.get(action.id, action.default)) for action in KEY_ACTIONS}


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """What is wrong with a keymap, one sentence per problem (empty when it may be saved)."""
    problems: list[str] = []
    for action_id, spec in keymap.items():
        action = ACTIONS.get(action_id)
        if action is None:
            problems.append(f"没有编号为“{action_id}”的按键功能（编号见 设置 → 按键一览）")
            continue
        keys = _keys(spec)
        if len(keys) != 1:
            problems.append(f"“{action.scope}：{action.label}”应设一个按键，收到的是“{spec}”")
            continue
        problem = key_problem(keys[0])
        if problem:
            problems.append(f"“{action.scope}：{action.label}”：{problem}")
    if problems:
        return problems
    current = effective_keys(keymap)
    for action_id, spec in keymap.items():
        action, key = ACTIONS[action_id], _keys(spec)[0]
        other = _clash(action, key, current)
        if other is not None:
            problems.append(f"“{action.scope}：{action.label}”：按键 {key} 已用于“{other.scope}：{other.label}”")
    return problems


def _clash(action: KeyAction, key: str, current: Mapping[str, list[str]]) -> KeyAction | None:
    """Another action that `key` already starts where `action` works, or None."""
    for other in KEY_ACTIONS:
        if other.id == action.id or not _overlap(action, other) or key not in current[other.id]:
            continue
        # Actions made to share their default key are never offered at the same time (签章封存, 核验).
        if key == action.default and key in _keys(other.default):
            continue
        return other
    return None


def check_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """The keymap with its keys normalised, or InvalidInput naming every problem; nothing wrong is kept."""
    problems = keymap_problems(keymap)
    if problems:
        raise InvalidInput("按键设置有误：" + "；".join(problems) + "。")
    return {action_id: _keys(spec)[0] for action_id, spec in keymap.items()}
