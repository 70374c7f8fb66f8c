"""Policy packs: the rules of 谈心谈话 as TOML files a unit can copy and edit (templates/packs/<id>.toml).

Every rule names its source clause ("004 三.1"). Packs compose: load_policy(("suzhou-2018", "cadre-talks",
"practice")) merges their tables in order; an entry whose id an earlier pack already used is refused unless it
says `override = true`, and then it replaces the earlier one. A broken pack is refused with a PackError that
names the file, the line and the problem in Chinese, so a unit editing its copy can fix it without code.

Never imports Textual (the TUI and the CLI both read policies through here).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from notes.errors import NotFound, TanxinError

__all__ = [
    "CATEGORIES",
    "CHANNELS",
    "DEFAULT_PACKS",
    "FLAGS",
    "FORMS",
    "ROLES",
    "TERMS",
    "Advice",
    "Category",
    "Caution",
    "Deadline",
    "Dimension",
    "EscalationStep",
    "Event",
    "Heading",
    "Method",
    "PackError",
    "PackInfo",
    "Point",
    "Policy",
    "Principle",
    "Rule",
    "Source",
    "Stage",
    "TalkType",
    "Term",
    "available_packs",
    "describe_policy",
    "load_policy",
    "policy_as_json",
]

DEFAULT_PACKS = ("suzhou-2018", "cadre-talks", "practice")

# -- vocabulary (the same strings as schema.sql and notes/model.py; tests/test_packs.py keeps them equal) ----

ROLES = (
    "主要负责同志", "班子成员", "分管", "部门负责人", "支部书记", "支委", "党员", "预备党员", "发展对象",
    "流动党员", "离退休", "生病住院", "主委", "副主委", "常委", "委员", "会员", "拟入会",
)
CATEGORIES = ("日常工作类", "关心关爱类", "职务任免类", "警示督促类")
FORMS = ("个别", "集体")
CHANNELS = ("面对面", "电话", "微信", "上门", "书面", "函询", "邮件")
DOCUMENTS = ("record", "reminder", "admonition")
FLAGS = ("followup_deadline_required", "notice_required", "dossier_excluded", "informant_caution")
SCOPES = ("same_unit", "overseen_units", "child_units")
COVERAGES = ("each_pair", "each_interviewee")
WHENS = ("before", "after")
TRIGGERS = ("overdue", "violation")
ADVICE_KINDS = ("谈话准备", "谈话重点", "谈话时机", "谈话方式", "责任分工", "跟踪落实", "台账记录", "结果运用")
FOLLOWUP_KINDS = ("整改", "帮扶", "转有关部门", "向党组织汇报", "移送纪检")
PERIOD_MONTHS = (1, 2, 3, 4, 6, 12)
# Words the interface uses, by concept, with the Party wording; a pack's [[terminology]] replaces some (民进).
TERMS = {
    "member": "党员",
    "organisation": "党组织",
    "branch": "支部",
    "secretary": "书记",
    "joining": "入党",
    "candidate": "发展对象",
    "inner_party": "党内",
}


class PackError(TanxinError):
    """A policy pack that cannot be used: unknown, conflicting, or wrong at a given line of its file."""


# -- the policy ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A document a pack cites: `id` is the prefix of its citations ("004" in "004 三.1")."""

    id: str
    file: str
    title: str


@dataclass(frozen=True, slots=True)
class PackInfo:
    id: str
    name: str
    description: str
    path: Path
    builtin: bool  # shipped with tanxin (False: a unit's own file from an extra directory)
    sources: tuple[Source, ...]
    requires: tuple[str, ...]
    conflicts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Point:
    """A required content point of a talk type; `condition` limits it to a case ("交流任职")."""

    text: str
    source: str
    condition: str = ""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A talk of `talk_type` is due within `days` before or after the person's `event`.

    `replaces`: when the person also has that other event (e.g. 任前公示期满 after 任职决定), this deadline applies
    instead of the one counted from it. `pack_choice`: the number of days is the pack's, not the document's.
    """

    event: str
    talk_type: str
    days: int
    when: str  # "before" | "after"
    source: str
    pack_choice: bool
    replaces: str
    pack: str


@dataclass(frozen=True, slots=True)
class TalkType:
    id: str
    name: str
    category: str  # 日常工作类 / 关心关爱类 / 职务任免类 / 警示督促类
    tone: str
    description: str
    interviewer: str
    audience_roles: tuple[str, ...]
    points: tuple[Point, ...]
    forms: tuple[str, ...]
    channels: tuple[str, ...]
    document: str  # the record template: "record" | "reminder" | "admonition"
    deadlines: tuple[Deadline, ...]  # from this type's own `deadlines` and from events' `due`
    followup_deadline_required: bool
    notice_required: bool
    dossier_excluded: bool
    informant_caution: bool
    source: str
    pack: str

    def has_flag(self, flag: str) -> bool:
        return flag in FLAGS and bool(getattr(self, flag))


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    name: str
    description: str
    source: str
    due: tuple[Deadline, ...]
    pack: str


@dataclass(frozen=True, slots=True)
class Rule:
    """How often an interviewer must talk with interviewees, as data the due engine evaluates.

    Pairs: a person holding `interviewer_role` in a unit, and each person holding one of `interviewee_roles` in
    the same unit (`same_unit`), in a unit the interviewer oversees through a 分管 row (`overseen_units`), or in a
    direct child unit (`child_units`); never the interviewer with themself. `mutual`: every unordered pair among
    the holders counts once, whoever started the talk. `coverage` "each_interviewee": each interviewee needs the
    talks from any one of the interviewers, not from each of them.

    Counting: the year is cut into periods of `period_months`; each pair needs `per_period` talks in each period.
    Only talks of `counts_types` (empty: any type) and `forms` (empty: any form) count. `months` are the months in
    which the periodic talk is scheduled (001 第十九条 "一般在每年7月或12月"); talks in other months still count.
    `new_in_role_days` > 0: only interviewees whose role started fewer days ago are in scope, and the talks held
    since the role started count (新任职, 000 二(一)2). `in_principle`: the document says 原则上 (a softer reminder).
    """

    id: str
    name: str
    interviewer_role: str
    interviewee_roles: tuple[str, ...]
    scope: str
    mutual: bool
    coverage: str
    min_per_year: int
    period_months: int
    months: tuple[int, ...]
    counts_types: tuple[str, ...]
    forms: tuple[str, ...]
    new_in_role_days: int
    in_principle: bool
    pack_choice: bool
    note: str
    source: str
    pack: str

    @property
    def per_period(self) -> int:
        return self.min_per_year * self.period_months // 12


@dataclass(frozen=True, slots=True)
class Principle:
    id: str
    name: str
    text: str
    details: tuple[str, ...]  # e.g. the 六个区别 of 实事求是
    methods: tuple[str, ...]  # method ids (有的放矢 → 家常式 …)
    source: str
    pack: str


@dataclass(frozen=True, slots=True)
class Method:
    id: str
    name: str
    description: str
    suits: str
    pack_choice: bool  # the description is the pack's gloss: the document only names the method
    source: str
    pack: str


@dataclass(frozen=True, slots=True)
class Dimension:
    """One of the 十个清楚: what to know about a person, and after how many days an assessment is stale."""

    id: str
    name: str
    text: str
    prompts: tuple[str, ...]
    stale_days: int
    source: str
    pack: str


@dataclass(frozen=True, slots=True)
class Term:
    id: str  # a key of TERMS
    text: str
    source: str
    pack: str


@dataclass(frozen=True, slots=True)
class Heading:
    """A note heading (四谈 …). Packs offering the same heading share it; `source` and `pack` list them all."""

    id: str
    name: str
    prompt: str
    source: str
    pack: str


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str  # one of CATEGORIES
    text: str
    tone: str
    source: str
    pack: str


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    name: str
    text: str
    source: str
    pack: str


@dataclass(frozen=True, slots=True)
class Advice:
    id: str
    name: str
    kind: str  # one of ADVICE_KINDS
    text: str
    items: tuple[str, ...]
    source: str
    pack: str


@dataclass(frozen=True, slots=True)
class Caution:
    """Shown for every talk, or only for types with `flag` set or listed in `talk_types`."""

    id: str
    name: str
    text: str
    flag: str
    talk_types: tuple[str, ...]
    source: str
    pack: str

    def applies_to(self, talk_type: TalkType) -> bool:
        if not self.flag and not self.talk_types:
            return True
        return talk_type.id in self.talk_types or (bool(self.flag) and talk_type.has_flag(self.flag))


@dataclass(frozen=True, slots=True)
class EscalationStep:
    """A rung of the ladder for an unfinished 整改: `trigger` "overdue" rungs are climbed in `level` order once
    the follow-up is `after_days` overdue; "violation" steps apply at once to a violation found in a talk."""

    id: str
    level: int
    name: str
    trigger: str
    text: str
    after_days: int
    talk_type: str
    followup_kind: str
    pack_choice: bool
    source: str
    pack: str


class _Named(Protocol):
    @property
    def name(self) -> str: ...


_N = TypeVar("_N", bound=_Named)


def _lookup(table: Mapping[str, _N], key: str, label: str) -> _N:
    key = key.strip()
    if key in table:
        return table[key]
    for item in table.values():
        if item.name == key:
            return item
    choices = "、".join(f"{item.name}（{ident}）" for ident, item in table.items()) or "（无）"
    raise NotFound(f"没有“{key}”这种{label}。可选的有：{choices}。")


@dataclass(frozen=True, slots=True, eq=False)
class Policy:
    """The merged rules of the active packs; every dict keeps the packs' order. Compared and hashed by identity
    (it holds dicts), so it can key a cache."""

    packs: tuple[PackInfo, ...]
    talk_types: dict[str, TalkType]
    events: dict[str, Event]
    rules: dict[str, Rule]
    principles: dict[str, Principle]
    methods: dict[str, Method]
    dimensions: dict[str, Dimension]  # the 十个清楚, in order
    terms: dict[str, Term]  # the packs' own wording, with sources
    terminology: dict[str, str]  # every TERMS concept → the word to show (the packs' wording over the Party's)
    headings: tuple[Heading, ...]
    categories: dict[str, Category]  # keyed by the Chinese name, as talks.category stores it
    stages: tuple[Stage, ...]
    advice: dict[str, Advice]
    cautions: dict[str, Caution]
    escalation: tuple[EscalationStep, ...]  # overdue rungs by level, then violation steps

    def talk_type(self, key: str) -> TalkType:
        """By id or Chinese name; NotFound lists the choices."""
        return _lookup(self.talk_types, key, "谈话类型")

    def event(self, key: str) -> Event:
        """By id or Chinese name; NotFound lists the choices."""
        return _lookup(self.events, key, "触发事件")

    def cautions_for(self, talk_type: TalkType) -> tuple[Caution, ...]:
        return tuple(caution for caution in self.cautions.values() if caution.applies_to(talk_type))

    def escalation_ladder(self) -> tuple[str, ...]:
        """The names of the overdue rungs, lowest level first (for notes.followups.next_step). One rung per
        level: where several packs define the same level, the earlier pack's rung is the one climbed."""
        rungs: dict[int, str] = {}
        for step in self.escalation:
            if step.trigger == "overdue":
                rungs.setdefault(step.level, step.name)
        return tuple(rungs[level] for level in sorted(rungs))


# -- pack files ------------------------------------------------------------------------------------------------


def _shipped_dir() -> Path:
    # notes/resources.py knows where the templates are in a checkout and in an installed wheel.
    from notes.resources import templates_dir

    return templates_dir() / "packs"


_PACK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(?:#.*)?$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class _File:
    """One pack file: its parsed data and enough of its raw text to point at the line of a problem."""

    def __init__(self, path: Path, builtin: bool) -> None:
        self.path = path
        self.builtin = builtin
        self.label = path.name if builtin else str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")  # tolerate the BOM Windows editors add
        except UnicodeDecodeError as exc:
            raise PackError(f"{self.label}：文件不是 UTF-8 编码（{exc.reason}），请另存为 UTF-8 后重试。") from exc
        except OSError as exc:
            raise PackError(f"{self.label}：无法读取（{exc.strerror or exc}）。") from exc
        self.lines = text.splitlines()
        try:
            self.data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = _TOML_POSITION.search(str(exc))
            line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
            detail = _TOML_POSITION.sub("", str(exc)).strip()
            raise PackError(f"{self.label} 第 {line} 行：TOML 语法错误（第 {column} 列）：{detail}") from exc
        self.headers: list[tuple[int, str]] = []  # (line number, dotted table path)
        in_string = ""
        for number, raw in enumerate(self.lines, start=1):
            if not in_string and (found_header := _HEADER.match(raw)):
                self.headers.append((number, found_header.group(2)))
            for quote in ('"""', "'''"):
                if (not in_string or in_string == quote) and raw.count(quote) % 2:
                    in_string = "" if in_string else quote
        self.header_lines = {line for line, _ in self.headers}

    def error(self, line: int, message: str) -> PackError:
        return PackError(f"{self.label} 第 {line} 行：{message}")

    # Where things are: tomllib keeps no positions, so look for the table header and `key =` lines.

    def _key_line(self, start: int, end: int, key: str) -> int | None:
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        for number in range(start, min(end, len(self.lines)) + 1):
            if number > start and number in self.header_lines:
                return None  # a nested [table.sub] begins: the key is not at this level
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def _span(self, path: str, index: int, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
        low, high = within or (1, len(self.lines))
        count = -1
        for position, (line, header) in enumerate(self.headers):
            if header != path or not low <= line <= high:
                continue
            count += 1
            if count == index:
                later = (ln for ln, h in self.headers[position + 1:] if not h.startswith(path + "."))
                return line, min(next(later, len(self.lines) + 1) - 1, high)
        return None

    def line(self, table: str, index: int, key: str = "", sub: tuple[str, int] | None = None) -> int:
        """The line of `key` in the index-th entry of `table` (or of item sub=(list key, item index) in it)."""
        span = self._span(table, index)
        if span is None:
            return self.top_line(table)
        start, end = span
        if sub is not None:
            sub_key, item = sub
            sub_span = self._span(f"{table}.{sub_key}", item, span)
            if sub_span is not None:
                return (self._key_line(sub_span[0], sub_span[1], key) if key else None) or sub_span[0]
            list_line = self._key_line(start, end, sub_key)
            if list_line is None:
                return start
            braces = [n for n in range(list_line, end + 1)
                      if "{" in self.lines[n - 1] and not self.lines[n - 1].lstrip().startswith("#")]
            return braces[item] if item < len(braces) else list_line
        for candidate in (key, "id"):
            if candidate and (found := self._key_line(start, end, candidate)):
                return found
        return start

    def top_line(self, key: str) -> int:
        """The line where a top-level table or key first appears."""
        for line, header in self.headers:
            if header == key or header.startswith(key + "."):
                return line
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        return next((n for n, raw in enumerate(self.lines, start=1) if pattern.match(raw)), 1)


# -- field specifications ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _F:
    """A field: kind text (non-empty) | str | ident | ref (ident or "") | pack_id | pack_ids | bool | int |
    texts | idents | ints | tables | source (citations of the pack's sources)."""

    kind: str
    required: bool = False
    choices: tuple[Any, ...] = ()
    low: int | None = None
    high: int | None = None
    default: Any = None
    nonempty: bool = False
    sub: Mapping[str, _F] | None = None


_OVERRIDE = {"override": _F("bool")}
_SOURCE = _F("source", required=True)
_ID = _F("ident", required=True)
_NAME = _F("text", required=True)

_PACK = {
    "id": _F("pack_id", required=True),
    "name": _NAME,
    "description": _F("str"),
    "sources": _F("tables", required=True, nonempty=True, sub={
        "id": _F("text", required=True), "file": _F("str"), "title": _F("text", required=True),
    }),
    "requires": _F("pack_ids"),
    "conflicts": _F("pack_ids"),
}
_DEADLINE_COMMON = {
    "days": _F("int", required=True, low=0),
    "when": _F("text", required=True, choices=WHENS),
    "source": _F("source"),  # defaults to the entry's own source
    "pack_choice": _F("bool"),
    "replaces": _F("ref"),
}
_TABLES: dict[str, dict[str, _F]] = {
    "talk_types": {
        "id": _ID, "name": _NAME,
        "category": _F("text", required=True, choices=CATEGORIES),
        "tone": _F("text", required=True),
        "description": _F("str"),
        "interviewer": _F("str"),
        "audience_roles": _F("texts", choices=ROLES),
        "points": _F("tables", required=True, nonempty=True, sub={
            "text": _F("text", required=True), "source": _SOURCE, "condition": _F("str"),
        }),
        "forms": _F("texts", required=True, nonempty=True, choices=FORMS),
        "channels": _F("texts", required=True, nonempty=True, choices=CHANNELS),
        "document": _F("text", required=True, choices=DOCUMENTS),
        "deadlines": _F("tables", sub={"event": _ID, **_DEADLINE_COMMON}),
        **{flag: _F("bool") for flag in FLAGS},
        "source": _SOURCE, **_OVERRIDE,
    },
    "events": {
        "id": _ID, "name": _NAME, "description": _F("str"), "source": _SOURCE,
        "due": _F("tables", sub={"talk_type": _ID, **_DEADLINE_COMMON}),
        **_OVERRIDE,
    },
    "rules": {
        "id": _ID, "name": _NAME,
        "interviewer_role": _F("text", required=True, choices=ROLES),
        "interviewee_roles": _F("texts", required=True, nonempty=True, choices=ROLES),
        "scope": _F("text", required=True, choices=SCOPES),
        "mutual": _F("bool"),
        "coverage": _F("text", choices=COVERAGES, default="each_pair"),
        "min_per_year": _F("int", required=True, low=1),
        "period_months": _F("int", choices=PERIOD_MONTHS, default=12),
        "months": _F("ints", low=1, high=12),
        "counts_types": _F("idents"),
        "forms": _F("texts", choices=FORMS),
        "new_in_role_days": _F("int", low=0, default=0),
        "in_principle": _F("bool"),
        "pack_choice": _F("bool"),
        "note": _F("str"),
        "source": _SOURCE, **_OVERRIDE,
    },
    "principles": {
        "id": _ID, "name": _NAME, "text": _F("text", required=True), "details": _F("texts"),
        "methods": _F("idents"), "source": _SOURCE, **_OVERRIDE,
    },
    "methods": {
        "id": _ID, "name": _NAME, "description": _F("text", required=True), "suits": _F("text", required=True),
        "pack_choice": _F("bool"), "source": _SOURCE, **_OVERRIDE,
    },
    "dimensions": {
        "id": _ID, "name": _NAME, "text": _F("text", required=True),
        "prompts": _F("texts", required=True, nonempty=True),
        "stale_days": _F("int", required=True, low=1), "source": _SOURCE, **_OVERRIDE,
    },
    "terminology": {
        "id": _F("text", required=True, choices=tuple(TERMS)), "text": _F("text", required=True),
        "source": _SOURCE, **_OVERRIDE,
    },
    "headings": {"id": _ID, "name": _NAME, "prompt": _F("str"), "source": _SOURCE, **_OVERRIDE},
    "categories": {
        "id": _ID, "name": _F("text", required=True, choices=CATEGORIES), "text": _F("text", required=True),
        "tone": _F("text", required=True), "source": _SOURCE, **_OVERRIDE,
    },
    "stages": {"id": _ID, "name": _NAME, "text": _F("text", required=True), "source": _SOURCE, **_OVERRIDE},
    "advice": {
        "id": _ID, "name": _NAME, "kind": _F("text", required=True, choices=ADVICE_KINDS),
        "text": _F("text", required=True), "items": _F("texts"), "source": _SOURCE, **_OVERRIDE,
    },
    "cautions": {
        "id": _ID, "name": _NAME, "text": _F("text", required=True), "flag": _F("str", choices=FLAGS),
        "talk_types": _F("idents"), "source": _SOURCE, **_OVERRIDE,
    },
    "escalation": {
        "id": _ID, "level": _F("int", required=True, low=1), "name": _NAME,
        "trigger": _F("text", required=True, choices=TRIGGERS), "text": _F("text", required=True),
        "after_days": _F("int", low=0, default=0), "talk_type": _F("ref"),
        "followup_kind": _F("str", choices=FOLLOWUP_KINDS), "pack_choice": _F("bool"),
        "source": _SOURCE, **_OVERRIDE,
    },
}
_LABELS = {
    "pack": "政策包信息 [pack]", "talk_types": "谈话类型", "events": "触发事件", "rules": "频次规则",
    "principles": "原则", "methods": "谈话方式", "dimensions": "了解维度", "terminology": "用词",
    "headings": "记录标题", "categories": "谈话类别", "stages": "谈话环节", "advice": "工作提示",
    "cautions": "注意事项", "escalation": "整改督促步骤",
}
_SUB_LABELS = {"points": "要点", "deadlines": "时限", "due": "应谈", "sources": "来源文件"}
_KIND_WORDS = {
    "text": "非空字符串", "str": "字符串", "ident": "英文 id（小写字母开头，只含小写字母、数字、下划线）",
    "ref": "英文 id", "pack_id": "政策包 id（小写字母、数字、- 或 _）", "pack_ids": "政策包 id 的列表",
    "bool": "true 或 false", "int": "整数", "texts": "字符串列表", "idents": "英文 id 的列表",
    "ints": "整数列表", "tables": "表格数组（[[...]] 或 [{...}, ...]）", "source": "出处字符串",
}


@dataclass(frozen=True, slots=True)
class _At:
    """An entry of a pack file: where to point when it is wrong."""

    file: _File
    table: str
    index: int
    label: str  # 谈话类型 "admonition"

    def fail(self, message: str, key: str = "", sub: tuple[str, int] | None = None) -> PackError:
        return self.file.error(self.file.line(self.table, self.index, key, sub), message)


def _quoted(values: Iterable[Any]) -> str:
    return "、".join(str(v) for v in values)


def _check_value(at: _At, where: str, key: str, spec: _F, value: Any, sub: tuple[str, int] | None,
                 sources: tuple[str, ...]) -> Any:
    def bad(message: str) -> PackError:
        return at.fail(f"{where} 的 {key} {message}", key, sub)

    kind = spec.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad(f"应为{_KIND_WORDS[kind]}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad(f"应为{_KIND_WORDS[kind]}")
        _check_number(bad, value, spec)
        return value
    if kind in ("texts", "idents", "ints", "pack_ids"):
        element = {"texts": "text", "idents": "ident", "ints": "int", "pack_ids": "pack_id"}[kind]
        if not isinstance(value, list):
            raise bad(f"应为{_KIND_WORDS[kind]}")
        if spec.nonempty and not value:
            raise bad("不能为空")
        items = tuple(_check_value(at, where, key, dataclasses.replace(spec, kind=element), item, sub, sources)
                      for item in value)
        if len(set(items)) != len(items):
            raise bad("有重复的值")
        return items
    if not isinstance(value, str):
        raise bad(f"应为{_KIND_WORDS[kind]}")
    value = value.strip()
    if kind == "str" and not value:
        return ""
    if not value:
        raise bad("不能为空")
    if kind in ("ident", "ref") and not _IDENT.match(value):
        raise bad(f"\"{value}\" 应为{_KIND_WORDS['ident']}")
    if kind == "pack_id" and not _PACK_ID.match(value):
        raise bad(f"\"{value}\" 应为{_KIND_WORDS[kind]}")
    if spec.choices and value not in spec.choices:
        raise bad(f"\"{value}\" 无效，可选：{_quoted(spec.choices)}")
    if kind == "source":
        for part in re.split(r"[；;]", value):
            prefix = part.split()[0] if part.split() else ""
            if prefix not in sources:
                raise bad(f"\"{value}\" 应以本包 [pack] sources 中声明的文件编号开头（{_quoted(sources)}），"
                          "后接条款，如 \"004 三.1\"")
    return value


def _check_number(bad: Callable[[str], PackError], value: int, spec: _F) -> None:
    if spec.choices and value not in spec.choices:
        raise bad(f"为 {value}，只能是 {_quoted(spec.choices)} 之一")
    if spec.low is not None and value < spec.low:
        raise bad("不能为负数" if spec.low == 0 else f"应不小于 {spec.low}（现为 {value}）")
    if spec.high is not None and value > spec.high:
        raise bad(f"应在 {spec.low}–{spec.high} 之间（现为 {value}）")


def _clean(at: _At, raw: Any, spec: Mapping[str, _F], sources: tuple[str, ...],
           sub: tuple[str, int] | None = None, where: str = "") -> dict[str, Any]:
    """Check one table against its spec: unknown keys, missing keys and wrong values are errors."""
    where = where or at.label
    if not isinstance(raw, dict):
        raise at.fail(f"{where} 应为表格（键 = 值）", "", sub)
    for key in raw:
        if key not in spec:
            raise at.fail(f"{where} 有未知字段 \"{key}\"（可用字段：{_quoted(spec)}）", key, sub)
    cleaned: dict[str, Any] = {}
    for key, field in spec.items():
        if key not in raw:
            if field.required:
                raise at.fail(f"{where} 缺少 {key}", "", sub)
            empty: dict[str, Any] = {"bool": False, "text": "", "str": "", "ref": "", "source": ""}
            cleaned[key] = field.default if field.default is not None else empty.get(field.kind, ())
        elif field.kind == "tables":
            items = raw[key]
            if not isinstance(items, list):
                raise at.fail(f"{where} 的 {key} 应为{_KIND_WORDS['tables']}", key, sub)
            if field.nonempty and not items:
                raise at.fail(f"{where} 的 {key} 不能为空", key, sub)
            assert field.sub is not None
            cleaned[key] = tuple(
                _clean(at, item, field.sub, sources, (key, n), f"{where} 的第 {n + 1} 个{_SUB_LABELS[key]}")
                for n, item in enumerate(items)
            )
        else:
            cleaned[key] = _check_value(at, where, key, field, raw[key], sub, sources)
    return cleaned


# -- loading -------------------------------------------------------------------------------------------------


def _find(pack_id: str, extra_dirs: Sequence[Path]) -> tuple[Path, bool] | None:
    if not _PACK_ID.match(pack_id):
        return None
    for folder in extra_dirs:
        candidate = Path(folder) / f"{pack_id}.toml"
        if candidate.is_file():
            return candidate, False
    shipped = _shipped_dir() / f"{pack_id}.toml"
    return (shipped, True) if shipped.is_file() else None


def _pack_info(file: _File) -> PackInfo:
    for key in file.data:
        if key != "pack" and key not in _TABLES:
            raise file.error(file.top_line(key), f"未知的表 \"{key}\"（可用：pack、{_quoted(_TABLES)}）")
    if "pack" not in file.data:
        raise file.error(1, "缺少 [pack] 表（id、name、description、sources）")
    at = _At(file, "pack", 0, _LABELS["pack"])
    pack = _clean(at, file.data["pack"], _PACK, ())
    if pack["id"] != file.path.stem:
        raise at.fail(f"id \"{pack['id']}\" 应与文件名 {file.path.stem}.toml 一致", "id")
    return PackInfo(
        id=pack["id"], name=pack["name"], description=pack["description"], path=file.path, builtin=file.builtin,
        sources=tuple(Source(s["id"], s["file"], s["title"]) for s in pack["sources"]),
        requires=pack["requires"], conflicts=pack["conflicts"],
    )


def available_packs(extra_dirs: Sequence[Path] = ()) -> list[PackInfo]:
    """The shipped packs and a unit's own (*.toml in extra_dirs, which win over a shipped pack of the same id)."""
    found: dict[str, PackInfo] = {}
    folders = [(Path(folder), False) for folder in extra_dirs] + [(_shipped_dir(), True)]
    for folder, builtin in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            if path.stem not in found:
                found[path.stem] = _pack_info(_File(path, builtin))
    return sorted(found.values(), key=lambda info: (info.id not in DEFAULT_PACKS, info.id))


@dataclass(slots=True)
class _Entry:
    data: dict[str, Any]
    at: _At
    pack: str


def _merge_entry(merged: dict[str, _Entry], table: str, entry: _Entry, seen_here: dict[str, _At]) -> None:
    ident = entry.data["id"]
    at = entry.at
    if ident in seen_here:
        first = seen_here[ident]
        raise at.fail(f"{at.label} 与本文件第 {first.file.line(table, first.index, 'id')} 行重复", "id")
    seen_here[ident] = at
    earlier = merged.get(ident)
    if earlier is None or entry.data["override"]:
        merged[ident] = entry
        return
    if table == "headings" and earlier.data["name"] == entry.data["name"]:
        sources = earlier.data["source"].split("；")
        if entry.data["source"] not in sources:
            earlier.data["source"] += "；" + entry.data["source"]
        earlier.pack += "、" + entry.pack
        return
    where = f"{earlier.at.file.label} 第 {earlier.at.file.line(table, earlier.at.index, 'id')} 行"
    raise at.fail(f"{at.label} 与 {where}重复；如确需替换，请在本条目中加上 override = true", "id")


def load_policy(pack_ids: Sequence[str], extra_dirs: Sequence[Path] = ()) -> Policy:
    """The merged policy of the packs, in order (none given: DEFAULT_PACKS). Raises PackError."""
    wanted = list(dict.fromkeys(pack_id.strip() for pack_id in (pack_ids or DEFAULT_PACKS)))
    infos: list[PackInfo] = []
    files: list[_File] = []
    for pack_id in wanted:
        located = _find(pack_id, extra_dirs)
        if located is None:
            choices = _quoted(info.id for info in available_packs(extra_dirs))
            raise PackError(f"没有名为“{pack_id}”的政策包。可用的有：{choices}。")
        file = _File(*located)
        infos.append(_pack_info(file))
        files.append(file)
    for info, file in zip(infos, files, strict=True):
        for other in info.requires:
            if other not in wanted:
                raise file.error(file.line("pack", 0, "requires"), f"政策包 {info.id} 需要同时启用 {other}")
        for other in info.conflicts:
            if other in wanted:
                raise file.error(file.line("pack", 0, "conflicts"),
                                 f"政策包 {info.id} 与 {other} 不能同时启用（见 conflicts）")

    merged: dict[str, dict[str, _Entry]] = {table: {} for table in _TABLES}
    for info, file in zip(infos, files, strict=True):
        sources = tuple(source.id for source in info.sources)
        for table, spec in _TABLES.items():
            raw = file.data.get(table, [])
            if not isinstance(raw, list):
                raise file.error(file.top_line(table), f"{table} 应写成 [[{table}]]（每个条目一个）")
            seen_here: dict[str, _At] = {}
            for index, item in enumerate(raw):
                ident = item.get("id") if isinstance(item, dict) else None
                label = f"{_LABELS[table]} \"{ident}\"" if isinstance(ident, str) else (
                    f"{_LABELS[table]}（第 {index + 1} 条）")
                at = _At(file, table, index, label)
                data = _clean(at, item, spec, sources)
                _check_entry(table, data, at)
                _merge_entry(merged[table], table, _Entry(data, at, info.id), seen_here)
    return _build(tuple(infos), merged)


def _check_entry(table: str, data: dict[str, Any], at: _At) -> None:
    """The checks that look at several fields of one entry."""
    if table == "rules":
        if data["min_per_year"] * data["period_months"] % 12:
            raise at.fail(f"{at.label} 的 min_per_year（{data['min_per_year']}）按 period_months"
                          f"（{data['period_months']} 个月）分不成整数次", "period_months")
        if data["mutual"] and data["interviewer_role"] not in data["interviewee_roles"]:
            raise at.fail(f"{at.label} 是相互谈心（mutual = true），interviewee_roles 应包含 "
                          f"interviewer_role \"{data['interviewer_role']}\"", "interviewee_roles")
        if data["mutual"] and data["coverage"] != "each_pair":
            raise at.fail(f"{at.label} 是相互谈心（mutual = true），coverage 只能是 each_pair", "coverage")
    for key in ("deadlines", "due"):
        for item in data.get(key, ()):
            if not item["source"]:
                item["source"] = data["source"]


def _check_refs(merged: Mapping[str, Mapping[str, _Entry]]) -> list[Deadline]:
    """Every id an entry names must exist in the merged policy; returns the deadlines, talk type's first."""

    def need(entry: _Entry, table: str, ident: str, key: str, sub: tuple[str, int] | None = None) -> None:
        if ident and ident not in merged[table]:
            choices = _quoted(merged[table]) or "（无）"
            raise entry.at.fail(f"{entry.at.label} 引用了不存在的{_LABELS[table]} \"{ident}\"（现有：{choices}）",
                                key, sub)

    deadlines: dict[tuple[str, str, str], tuple[Deadline, _Entry]] = {}
    for table, list_key, own, other, other_table in (
        ("talk_types", "deadlines", "talk_type", "event", "events"),
        ("events", "due", "event", "talk_type", "talk_types"),
    ):
        for ident, entry in merged[table].items():
            for n, item in enumerate(entry.data[list_key]):
                need(entry, other_table, item[other], other, (list_key, n))
                need(entry, "events", item["replaces"], "replaces", (list_key, n))
                deadline = Deadline(
                    event=ident if own == "event" else item["event"],
                    talk_type=ident if own == "talk_type" else item["talk_type"],
                    days=item["days"], when=item["when"], source=item["source"], pack_choice=item["pack_choice"],
                    replaces=item["replaces"], pack=entry.pack,
                )
                key = (deadline.event, deadline.talk_type, deadline.when)
                if key in deadlines:
                    first = deadlines[key][1].at
                    raise entry.at.fail(
                        f"{entry.at.label} 的时限（{deadline.event} → {deadline.talk_type}，{deadline.when}）"
                        f"已在 {first.file.label} 的{first.label}中规定过", other, (list_key, n))
                deadlines[key] = (deadline, entry)
    for entry in merged["rules"].values():
        for ident in entry.data["counts_types"]:
            need(entry, "talk_types", ident, "counts_types")
    for entry in merged["principles"].values():
        for ident in entry.data["methods"]:
            need(entry, "methods", ident, "methods")
    for entry in merged["cautions"].values():
        for ident in entry.data["talk_types"]:
            need(entry, "talk_types", ident, "talk_types")
    for entry in merged["escalation"].values():
        need(entry, "talk_types", entry.data["talk_type"], "talk_type")
    for table in ("talk_types", "events", "headings", "categories"):
        names: dict[str, _Entry] = {}
        for entry in merged[table].values():
            name = entry.data["name"]
            if name in names:
                first = names[name].at
                raise entry.at.fail(f"{entry.at.label} 的名称“{name}”与 {first.file.label} 第 "
                                    f"{first.file.line(first.table, first.index, 'name')} 行的{first.label}相同",
                                    "name")
            names[name] = entry
    return [deadline for deadline, _ in deadlines.values()]


def _build(packs: tuple[PackInfo, ...], merged: Mapping[str, Mapping[str, _Entry]]) -> Policy:
    deadlines = _check_refs(merged)

    def make(table: str, cls: type[Any], **extra: Callable[[str, dict[str, Any]], Any]) -> dict[str, Any]:
        names = {field.name for field in dataclasses.fields(cls)}
        made = {}
        for ident, entry in merged[table].items():
            values = {key: value for key, value in entry.data.items() if key in names}
            values.update({key: build(ident, entry.data) for key, build in extra.items()})
            made[ident] = cls(**values, pack=entry.pack)
        return made

    talk_types: dict[str, TalkType] = make(
        "talk_types", TalkType,
        points=lambda _, d: tuple(Point(p["text"], p["source"], p["condition"]) for p in d["points"]),
        deadlines=lambda ident, _: tuple(x for x in deadlines if x.talk_type == ident),
    )
    terms: dict[str, Term] = make("terminology", Term)
    escalation: dict[str, EscalationStep] = make("escalation", EscalationStep)
    categories: dict[str, Category] = make("categories", Category)
    return Policy(
        packs=packs,
        talk_types=talk_types,
        events=make("events", Event, due=lambda ident, _: tuple(x for x in deadlines if x.event == ident)),
        rules=make("rules", Rule),
        principles=make("principles", Principle),
        methods=make("methods", Method),
        dimensions=make("dimensions", Dimension),
        terms=terms,
        terminology={**TERMS, **{ident: term.text for ident, term in terms.items()}},
        headings=tuple(make("headings", Heading).values()),
        categories={category.name: category for category in categories.values()},
        stages=tuple(make("stages", Stage).values()),
        advice=make("advice", Advice),
        cautions=make("cautions", Caution),
        escalation=tuple(sorted(escalation.values(), key=lambda s: (TRIGGERS.index(s.trigger), s.level))),
    )


# -- presenting ----------------------------------------------------------------------------------------------

_WHEN_WORDS = {"before": "前", "after": "后"}
_SCOPE_WORDS = {"same_unit": "本单位", "overseen_units": "所分管单位", "child_units": "下一级组织"}
_DOCUMENT_WORDS = {"record": "谈话记录", "reminder": "提醒谈话记录（含函询）", "admonition": "诫勉谈话记录"}
_FLAG_WORDS = {
    "followup_deadline_required": "整改须明确时限",
    "notice_required": "须一并下达《诫勉通知书》",
    "dossier_excluded": "记录由组织部门留存，不归入本人档案",
    "informant_caution": "涉及信访举报时注意保护举报人",
}
_CHOICE = "（本包设定）"


def _deadline_text(policy: Policy, deadline: Deadline, subject: str) -> str:
    event = policy.events[deadline.event].name
    text = f"{event}{_WHEN_WORDS[deadline.when]} {deadline.days} 天内{subject}"
    if deadline.replaces:
        text += f"（有此事件时取代按“{policy.events[deadline.replaces].name}”计算的时限）"
    return text + (_CHOICE if deadline.pack_choice else "") + f"〔{deadline.source}〕"


def _rule_text(rule: Rule) -> str:
    parts = [f"{rule.interviewer_role} → {'、'.join(rule.interviewee_roles)}（{_SCOPE_WORDS[rule.scope]}）"]
    if rule.mutual:
        parts.append("相互谈心，每两人之间")
    if rule.coverage == "each_interviewee":
        parts.append("每名谈话对象由其中任一人谈")
    if rule.period_months == 12:
        parts.append(f"每年至少 {rule.min_per_year} 次")
    else:
        parts.append(f"每 {rule.period_months} 个月至少 {rule.per_period} 次")
    if rule.new_in_role_days:
        parts.append(f"仅任职未满 {rule.new_in_role_days} 天者")
    if rule.months:
        parts.append("一般在 " + "、".join(str(month) for month in rule.months) + " 月")
    if rule.forms:
        parts.append("形式：" + "、".join(rule.forms))
    if rule.counts_types:
        parts.append("计入类型：" + "、".join(rule.counts_types))
    if rule.in_principle:
        parts.append("原则上")
    return "，".join(parts) + (_CHOICE if rule.pack_choice else "")


def describe_policy(policy: Policy) -> str:
    """The active packs and every rule with its source, as readable Chinese text (for `tanxin packs`)."""
    out = ["已启用的政策包（按合并顺序）："]
    for info in policy.packs:
        origin = "内置" if info.builtin else f"单位文件 {info.path}"
        out.append(f"  {info.id}  {info.name}（{origin}）")
        if info.description:
            out.append(f"    {info.description}")
        for cited in info.sources:
            out.append(f"    依据 {cited.id}：{cited.title}" + (f"（{cited.file}）" if cited.file else ""))
    out.append("  标有“本包设定”的天数、次数或释义由政策包规定，原文没有规定。")

    out += ["", "【谈话类型】"]
    for t in policy.talk_types.values():
        out.append(f"{t.name}（{t.id}）· {t.category}〔{t.source}〕〈{t.pack}〉")
        out.append(f"  基调：{t.tone}")
        if t.description:
            out.append(f"  适用：{t.description}")
        if t.interviewer:
            out.append(f"  谈话人：{t.interviewer}")
        out.append(f"  形式：{'、'.join(t.forms)}；方式：{'、'.join(t.channels)}；记录：{_DOCUMENT_WORDS[t.document]}")
        for deadline in t.deadlines:
            out.append("  时限：" + _deadline_text(policy, deadline, ""))
        flags = [_FLAG_WORDS[flag] for flag in FLAGS if t.has_flag(flag)]
        if flags:
            out.append("  要求：" + "；".join(flags))
        out.append("  要点：")
        for number, point in enumerate(t.points, start=1):
            condition = f"（{point.condition}时）" if point.condition else ""
            out.append(f"    {number}. {condition}{point.text}〔{point.source}〕")

    out += ["", "【触发事件】"]
    for e in policy.events.values():
        out.append(f"{e.name}（{e.id}）〔{e.source}〕〈{e.pack}〉")
        if e.description:
            out.append(f"  {e.description}")
        for deadline in e.due:
            name = policy.talk_types[deadline.talk_type].name
            out.append("  应谈：" + _deadline_text(policy, deadline, f"进行{name}"))

    out += ["", "【频次规则】"]
    for r in policy.rules.values():
        out.append(f"{r.name}（{r.id}）〔{r.source}〕〈{r.pack}〉")
        out.append(f"  {_rule_text(r)}")
        if r.note:
            out.append(f"  说明：{r.note}")

    def overdue(step: EscalationStep) -> str:
        if step.trigger != "overdue":
            return ""
        return ("整改逾期即提示" if not step.after_days else f"整改逾期 {step.after_days} 天起提示") + (
            _CHOICE if step.pack_choice else "")

    # (title, rows of (name, text, source, pack, details))
    sections: list[tuple[str, list[tuple[str, str, str, str, list[str]]]]] = [
        ("原则", [(p.name, p.text, p.source, p.pack, list(p.details) + (
            ["方式：" + "、".join(policy.methods[m].name for m in p.methods)] if p.methods else []))
            for p in policy.principles.values()]),
        ("谈话方式", [(m.name, m.description + (_CHOICE if m.pack_choice else ""), m.source, m.pack,
                    [f"适用：{m.suits}"]) for m in policy.methods.values()]),
        ("十个清楚（了解维度）", [(d.name, f"{d.text}超过 {d.stale_days} 天未更新即提示重新了解{_CHOICE}",
                              d.source, d.pack, list(d.prompts)) for d in policy.dimensions.values()]),
        ("用词", [(TERMS[t.id], f"改称“{t.text}”", t.source, t.pack, []) for t in policy.terms.values()]),
        ("记录标题", [(h.name, h.prompt, h.source, h.pack, []) for h in policy.headings]),
        ("谈话类别", [(c.name, c.text, c.source, c.pack, [f"基调：{c.tone}"]) for c in policy.categories.values()]),
        ("谈话环节", [(s.name, s.text, s.source, s.pack, []) for s in policy.stages]),
        ("工作提示", [(f"{a.kind}·{a.name}", a.text, a.source, a.pack, list(a.items))
                   for a in policy.advice.values()]),
        ("注意事项", [(c.name, c.text, c.source, c.pack, []) for c in policy.cautions.values()]),
        ("整改督促", [(f"{'整改逾期' if s.trigger == 'overdue' else '发现违规违纪违法'}·第 {s.level} 步 {s.name}",
                    s.text, s.source, s.pack, [overdue(s)] if overdue(s) else []) for s in policy.escalation]),
    ]
    for title, rows in sections:
        if rows:
            out += ["", f"【{title}】"]
        for name, text, source, pack, details in rows:
            out.append(f"{name}：{text}〔{source}〕〈{pack}〉")
            out += [f"  · {detail}" for detail in details]
    return "\n".join(out) + "\n"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def policy_as_json(policy: Policy) -> list[dict[str, Any]]:
    """Every pack and rule as a JSON-ready dict with `kind` and `id` (English snake_case keys)."""
    groups: list[tuple[str, Iterable[Any]]] = [
        ("pack", policy.packs), ("talk_type", policy.talk_types.values()), ("event", policy.events.values()),
        ("rule", policy.rules.values()), ("principle", policy.principles.values()),
        ("method", policy.methods.values()), ("dimension", policy.dimensions.values()),
        ("term", policy.terms.values()), ("heading", policy.headings),
        ("category", policy.categories.values()), ("stage", policy.stages), ("advice", policy.advice.values()),
        ("caution", policy.cautions.values()), ("escalation", policy.escalation),
    ]
    return [{"kind": kind, **_plain(item)} for kind, items in groups for item in items]
