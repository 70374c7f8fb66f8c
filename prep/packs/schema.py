"""The fields every table of a pack may hold, and the checks of one entry's values against them."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from notes.vocabulary import CHANNELS, FOLLOWUP_KINDS, FORMS
from prep.packs.files import PACK_ID, At
from prep.packs.model import (
    ADVICE_KINDS,
    CATEGORIES,
    COVERAGES,
    DOCUMENTS,
    FLAGS,
    PERIOD_MONTHS,
    ROLES,
    SCOPES,
    TERMS,
    TRIGGERS,
    WHENS,
    PackError,
)

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


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

PACK = {
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
    # Who must hold the talk: an interviewer holding one of these roles over the person (in the person's unit or
    # one above it; 分管: overseeing it), or recorded as their delegate. `each_role`: 分别谈, every role in turn.
    "interviewer_roles": _F("texts", choices=ROLES),
    "each_role": _F("bool"),
    # The source's own words for who talks, where no role above names them (004: 区委或区委组织部的负责人).
    "interviewer": _F("str"),
}
TABLES: dict[str, dict[str, _F]] = {
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
        "same_as": _F("idents"),
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
        "same_as": _F("ref"),
        "source": _SOURCE, **_OVERRIDE,
    },
    "principles": {
        "id": _ID, "name": _NAME, "text": _F("text", required=True), "details": _F("texts"),
        "methods": _F("idents"),
        # The wording where a pack's terminology renames the organisation (a 民进 database): Party words such as
        # 党性 or 党组织 in a principle's name or text are not the organisation's.
        "non_party_name": _F("str"), "non_party_text": _F("str"),
        "source": _SOURCE, **_OVERRIDE,
    },
    "methods": {
        "id": _ID, "name": _NAME, "description": _F("text", required=True), "suits": _F("text", required=True),
        # The talks the brief proposes the method for (each fit: all its conditions hold), and those it is never
        # used for: record forms (提醒、诫勉 follow their own points) or talk types.
        "fits": _F("tables", sub={
            "talk_types": _F("idents"), "categories": _F("texts", choices=CATEGORIES),
            "roles": _F("texts", choices=ROLES), "reason": _F("text", required=True),
        }),
        "not_for_documents": _F("texts", choices=DOCUMENTS),
        "not_for_types": _F("idents"),
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
        "source": _F("source"),  # required unless the rung is the pack's own (loading._check_entry)
        **_OVERRIDE,
    },
}
LABELS = {
    "pack": "政策包信息 [pack]", "talk_types": "谈话类型", "events": "触发事件", "rules": "频次规则",
    "principles": "原则", "methods": "谈话方式", "dimensions": "了解维度", "terminology": "用词",
    "headings": "记录标题", "categories": "谈话类别", "stages": "谈话环节", "advice": "工作提示",
    "cautions": "注意事项", "escalation": "整改督促步骤",
}
_SUB_LABELS = {"points": "要点", "deadlines": "时限", "due": "应谈", "sources": "来源文件", "fits": "适用情形"}
_KIND_WORDS = {
    "text": "非空字符串", "str": "字符串", "ident": "英文 id（小写字母开头，只含小写字母、数字、下划线）",
    "ref": "英文 id", "pack_id": "政策包 id（小写字母、数字、- 或 _）", "pack_ids": "政策包 id 的列表",
    "bool": "true 或 false", "int": "整数", "texts": "字符串列表", "idents": "英文 id 的列表",
    "ints": "整数列表", "tables": "表格数组（[[...]] 或 [{...}, ...]）", "source": "出处字符串",
}


def quoted(values: Iterable[Any]) -> str:
    return "、".join(str(v) for v in values)


def _check_value(at: At, where: str, key: str, spec: _F, value: Any, sub: tuple[str, int] | None,
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
    if kind == "pack_id" and not PACK_ID.match(value):
        raise bad(f"\"{value}\" 应为{_KIND_WORDS[kind]}")
    if spec.choices and value not in spec.choices:
        raise bad(f"\"{value}\" 无效，可选：{quoted(spec.choices)}")
    if kind == "source":
        for part in re.split(r"[；;]", value):
            prefix = part.split()[0] if part.split() else ""
            if prefix not in sources:
                raise bad(f"\"{value}\" 应以本包 [pack] sources 中声明的文件编号开头（{quoted(sources)}），"
                          "后接空格和条款")
    return value


def _check_number(bad: Callable[[str], PackError], value: int, spec: _F) -> None:
    if spec.choices and value not in spec.choices:
        raise bad(f"为 {value}，只能是 {quoted(spec.choices)} 之一")
    if spec.low is not None and value < spec.low:
        raise bad("不能为负数" if spec.low == 0 else f"应不小于 {spec.low}（现为 {value}）")
    if spec.high is not None and value > spec.high:
        raise bad(f"应在 {spec.low}–{spec.high} 之间（现为 {value}）")


def clean(at: At, raw: Any, spec: Mapping[str, _F], sources: tuple[str, ...],
           sub: tuple[str, int] | None = None, where: str = "") -> dict[str, Any]:
    """Check one table against its spec: unknown keys, missing keys and wrong values are errors."""
    where = where or at.label
    if not isinstance(raw, dict):
        raise at.fail(f"{where} 应为表格（键 = 值）", "", sub)
    for key in raw:
        if key not in spec:
            raise at.fail(f"{where} 有未知字段 \"{key}\"（可用字段：{quoted(spec)}）", key, sub)
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
                clean(at, item, field.sub, sources, (key, n), f"{where} 的第 {n + 1} 个{_SUB_LABELS[key]}")
                for n, item in enumerate(items)
            )
        else:
            cleaned[key] = _check_value(at, where, key, field, raw[key], sub, sources)
    return cleaned
