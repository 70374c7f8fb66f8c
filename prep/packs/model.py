"""The policy model: the vocabulary packs may use, the dataclasses a policy is made of, and Policy itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from notes.errors import NotFound, TanxinError

DEFAULT_PACKS = ("suzhou-2018", "cadre-talks", "practice")

# -- vocabulary (channels, forms and follow-up kinds are the record's own: notes/vocabulary.py) ---------------

ROLES = (
    "主要负责同志", "班子成员", "分管", "部门负责人", "支部书记", "支委", "党员", "预备党员", "发展对象",
    "流动党员", "离退休", "生病住院", "主委", "副主委", "常委", "委员", "会员", "拟入会",
)
CATEGORIES = ("日常工作类", "关心关爱类", "职务任免类", "警示督促类")
DOCUMENTS = ("record", "reminder", "admonition")
FLAGS = ("followup_deadline_required", "notice_required", "dossier_excluded", "informant_caution")
SCOPES = ("same_unit", "overseen_units", "child_units")
COVERAGES = ("each_pair", "each_interviewee")
WHENS = ("before", "after")
TRIGGERS = ("overdue", "violation")
ADVICE_KINDS = ("谈话准备", "谈话重点", "谈话时机", "谈话方式", "责任分工", "跟踪落实", "台账记录", "结果运用")
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
    `interviewer_roles`: a talk counts only when one of its interviewers holds one of these roles over the person
    (or is recorded as a delegate for it); `each_role`: 分别谈, each role must have talked (000 三(六)2–3).
    `interviewer`: who the source says must talk, in its words, for the source's people no role of ours names
    (004 "区委或区委组织部的负责人", 000 二(二)6 "党委委员或组织员"); shown, never checked.
    """

    event: str
    talk_type: str
    days: int
    when: str  # "before" | "after"
    source: str
    pack_choice: bool
    replaces: str
    interviewer_roles: tuple[str, ...]
    each_role: bool
    interviewer: str
    pack: str

    @property
    def who(self) -> str:
        """Who must hold the talk, as the brief and `tanxin packs` say it ('' when the deadline does not say):
        the source's words, else the roles ("支委、部门负责人分别谈" for 分别谈)."""
        if self.interviewer:
            return self.interviewer
        if self.each_role:
            return "、".join(self.interviewer_roles) + "分别谈"
        return "或".join(self.interviewer_roles)


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
    """A fact that makes talks due. `same_as`: events of other packs that are the same fact (配偶病故 is 000's
    重要家事 and 002's 家庭变故): recording one makes the duties of all of them due, once (docs/compliance.md)."""

    id: str
    name: str
    description: str
    source: str
    due: tuple[Deadline, ...]
    same_as: tuple[str, ...]
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
    `same_as`: another pack's rule this one repeats (三必谈 of 002 is 000 二(二)1–2); with both active the other
    is evaluated once, citing both (prep/packs/loading.py).
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
    same_as: str
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
class MethodFit:
    """A kind of talk a method suits, with the reason the brief gives for choosing it. Every condition given must
    hold: the talk is of one of `talk_types`, of one of `categories`, and the person holds one of `roles`; a fit
    with no condition suits any talk the method is not unfit for (the everyday choice)."""

    talk_types: tuple[str, ...]
    categories: tuple[str, ...]
    roles: tuple[str, ...]
    reason: str

    def matches(self, talk_type: TalkType, roles: Iterable[str]) -> bool:
        return ((not self.talk_types or talk_type.id in self.talk_types)
                and (not self.categories or talk_type.category in self.categories)
                and (not self.roles or bool(set(self.roles).intersection(roles))))

    @property
    def weight(self) -> int:
        """How closely the fit names the talk: a named type over a role over a category over nothing, so the
        most specific fit wins whatever the order of the packs."""
        return 4 * bool(self.talk_types) + 2 * bool(self.roles) + bool(self.categories)


@dataclass(frozen=True, slots=True)
class Method:
    """A way of talking. `fits`: the talks it suits (the brief proposes it for them); `not_for_documents` and
    `not_for_types`: the talks it must never be used for (a 诫勉 is no talk to listen in: 004 三.6)."""

    id: str
    name: str
    description: str
    suits: str
    fits: tuple[MethodFit, ...]
    not_for_documents: tuple[str, ...]
    not_for_types: tuple[str, ...]
    pack_choice: bool  # the description is the pack's gloss: the document only names the method
    source: str
    pack: str

    def usable_for(self, talk_type: TalkType) -> bool:
        return talk_type.document not in self.not_for_documents and talk_type.id not in self.not_for_types

    def best_fit(self, talk_type: TalkType, roles: Iterable[str]) -> MethodFit | None:
        """The most specific of its fits that this talk matches (None: it does not suit it, or is unfit)."""
        if not self.usable_for(talk_type):
            return None
        held = tuple(roles)
        matching = [fit for fit in self.fits if fit.matches(talk_type, held)]
        return max(matching, key=lambda fit: fit.weight, default=None)


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
    the follow-up is `after_days` overdue; "violation" steps apply at once to a violation found in a talk.
    Steps of one pack at the same level are alternatives (001 第十七条 警示或组织处理意见). `pack_choice`: the
    rung is the pack's own (no source says it), so it has no `source`; `after_days` are always the pack's."""

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

    def _ladder(self) -> list[EscalationStep]:
        """The overdue steps of the earliest pack that has any (rungs of different documents are not one ladder)."""
        overdue = [step for step in self.escalation if step.trigger == "overdue"]
        return [step for step in overdue if step.pack == overdue[0].pack]

    def followup_source(self) -> str:
        """Where the active packs say unfinished 整改 must be followed up: the sources of their overdue rungs, each
        clause once, in order. Empty when no active pack has a ladder: nothing is cited that no pack says."""
        clauses = (clause.strip() for step in self._ladder() for clause in step.source.split("；"))
        return "；".join(dict.fromkeys(clause for clause in clauses if clause))

    def escalation_rungs(self) -> tuple[tuple[int, str], ...]:
        """The overdue rungs, lowest level first, as (after_days, name). Alternatives of one level are one rung
        ("警示或组织处理意见"). One ladder is climbed, the earliest pack's that has one: rungs of different
        documents do not make one ladder."""
        levels: dict[int, list[EscalationStep]] = {}
        for step in self._ladder():
            levels.setdefault(step.level, []).append(step)
        return tuple((min(s.after_days for s in levels[level]), "或".join(s.name for s in levels[level]))
                     for level in sorted(levels))

    def escalation_ladder(self) -> tuple[str, ...]:
        """The names of the overdue rungs, lowest level first."""
        return tuple(name for _, name in self.escalation_rungs())
