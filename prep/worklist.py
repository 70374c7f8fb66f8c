"""工作台's list: one row per talk to hold.

The due engine (prep/due.py) names obligations — one per rule, event and pair — but one talk answers many of
them: a 支部书记's talk with a newly appointed member can be the 任职谈话 and count for "支部书记与每一位党员谈心"
at once. Listed one per obligation, the same person came up to seven times. Here they are grouped by
(interviewer, interviewee):

* an obligation naming one interviewer goes to that pair's row; a team obligation (any one of a team may talk,
  000 二(二)2 分工负责) joins the row of a team member who already has one with the person, else a row of its
  own; an obligation naming no interviewer (an event: 任职决定 …) joins the row of whoever has its talk planned,
  else has a row of its own (谈话人 to be decided). Seen by one person (`viewer`, 本人) everything in their
  report is theirs to hold or arrange, so the rows are their pairs;
* a row is as urgent as its worst obligation (overdue first, then the earliest deadline) and lists every
  obligation it would satisfy, worst first;
* it suggests the talk type that satisfies most of them: a type a rule or an event requires wins over one a
  rule merely accepts, and a rule that counts talks of any type suggests the pack's type made for it (its name,
  its interviewer, its audience), never the bare word 谈心谈话;
* a planned or in-progress talk with the pair (notes.talk_queries.open_talks) shows on the row, so the app
  resumes it instead of preparing a second one, and `tanxin due --json` names it as `planned_talk_id`.

Pure Python over what the engine and one query return: no Textual, no database access of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from notes.talk_queries import OpenTalk
from prep.due import DueItem
from prep.packs import Policy, Rule, TalkType

ROUTINE_CATEGORY = "日常工作类"  # 003: the category of the periodic talks the frequency rules ask for


@dataclass(frozen=True, slots=True)
class WorkRow:
    """One talk to hold: with whom, by whom, why (every obligation, worst first), of which type, and the talk
    already planned or under way for it."""

    id: str
    person_id: int
    person: str
    unit: str
    interviewer_ids: tuple[int, ...]  # empty: the rules name nobody (an event's talk, whoever holds it)
    interviewers: tuple[str, ...]
    items: tuple[DueItem, ...]
    talk_type: str  # the suggested type's id; "" when no type of the packs fits (any type counts)
    type_name: str
    talk: OpenTalk | None = None

    @property
    def worst(self) -> DueItem:
        return self.items[0]

    @property
    def due_by(self) -> str | None:
        return self.worst.due_by

    @property
    def overdue(self) -> bool:
        return self.worst.overdue

    @property
    def days_overdue(self) -> int:
        return self.worst.days_overdue

    @property
    def event_item(self) -> DueItem | None:
        """The first event obligation: a talk prepared from the row is linked to its event."""
        return next((item for item in self.items if item.kind == "event"), None)

    @property
    def state(self) -> str:
        """计划中 12-05 · 进行中 · 暂离 (esc 暂离 or quitting: its timer paused; since when, with its day, is in the
        row's detail) · "" (nothing arranged yet)."""
        if self.talk is None:
            return ""
        if self.talk.status == "in_progress":
            return "暂离" if self.talk.away_since else "进行中"
        return f"计划中 {self.talk.planned_at[5:10]}" if self.talk.planned_at else "计划中"


def satisfies(policy: Policy, item: DueItem, talk_type: str) -> bool:
    """Whether a talk of `talk_type` (with the right people) answers the obligation."""
    if item.kind == "rule" and (rule := policy.rules.get(item.rule)) is not None:
        return not rule.counts_types or talk_type in rule.counts_types
    return item.type == talk_type


def fitting_type(policy: Policy, rule: Rule) -> str:
    """For a rule that counts talks of any type, the type of the packs made for it: named like the rule, held by
    its interviewer's role, not reserved by another rule, routine (日常工作类, not triggered by an event), for
    as many of its interviewees' roles as possible. "" when no type is meant for its interviewees."""
    return _fitting_types(policy).get(rule.id, "")


@lru_cache(maxsize=8)
def _fitting_types(policy: Policy) -> dict[str, str]:
    # Cached per policy (hashed by identity; loaded once and kept by prep.active), so a list of thousands of
    # rows scores the types once, not per row.
    reserved = {t for rule in policy.rules.values() for t in rule.counts_types}
    found: dict[str, str] = {}
    for rule in policy.rules.values():
        if rule.counts_types:
            continue
        scored = [(_fit(rule, kind, reserved), kind.id) for kind in policy.talk_types.values()
                  if set(kind.audience_roles) & set(rule.interviewee_roles)]
        if scored:
            # max() keeps the first of equals: the packs' own order decides a tie.
            found[rule.id] = max(scored, key=lambda pair: pair[0])[1]
    return found


def _fit(rule: Rule, kind: TalkType, reserved: set[str]) -> tuple[bool, bool, bool, bool, bool, int]:
    return (kind.name == rule.name, rule.interviewer_role in kind.interviewer, kind.id not in reserved,
            kind.category == ROUTINE_CATEGORY, not kind.deadlines,
            len(set(kind.audience_roles) & set(rule.interviewee_roles)))


def _candidate(policy: Policy, item: DueItem) -> str:
    """The type an obligation asks for: its own, or for a rule of any type the one made for the rule."""
    rule = policy.rules.get(item.rule) if item.kind == "rule" else None
    return fitting_type(policy, rule) if rule is not None and not rule.counts_types else item.type


def suggested_type(policy: Policy, items: Sequence[DueItem]) -> str:
    """The type satisfying most of the obligations; among equals the one the most urgent obligation asks for."""
    if len(items) == 1:  # most rows: nothing to weigh
        return _candidate(policy, items[0])
    candidates = [found for item in items if (found := _candidate(policy, item))]
    # A type some obligation requires comes before one a rule merely accepts (max keeps the first of equals).
    required = [c for c in candidates if any(item.type == c for item in items)]
    ordered = list(dict.fromkeys(required + candidates))
    if len(ordered) <= 1:
        return ordered[0] if ordered else ""
    return max(ordered, key=lambda t: sum(1 for item in items if satisfies(policy, item, t)))


def build_worklist(
    items: Iterable[DueItem], policy: Policy, talks: Iterable[OpenTalk] = (), viewer: int | None = None,
    viewer_name: str = "",
) -> list[WorkRow]:
    """The due talks (follow-ups are left out: they are not talks) as rows, in the order of each row's most
    urgent obligation. `items` come in the due report's order (most urgent first); `viewer` (named
    `viewer_name`): 本人, when the report is theirs."""
    ordered = [item for item in items if item.kind != "followup"]
    position = {item.id: index for index, item in enumerate(ordered)}
    groups: dict[tuple[tuple[int, ...], int], list[DueItem]] = {}
    of_person: dict[int, list[tuple[tuple[int, ...], int]]] = defaultdict(list)

    def put(key: tuple[tuple[int, ...], int], item: DueItem) -> None:
        if key not in groups:
            groups[key] = []
            of_person[key[1]].append(key)
        groups[key].append(item)

    singles: list[DueItem] = []
    teams: list[DueItem] = []
    unnamed: list[DueItem] = []
    for item in ordered:
        if len(item.interviewer_ids) == 1 or (viewer is not None and viewer in item.interviewer_ids):
            singles.append(item)
        else:
            (teams if item.interviewer_ids else unnamed).append(item)
    for item in singles:
        put(((viewer,) if viewer in item.interviewer_ids else item.interviewer_ids, item.person_id), item)
    for item in teams:
        put(next((key for key in of_person[item.person_id] if key[0] and key[0][0] in item.interviewer_ids),
                 (item.interviewer_ids, item.person_id)), item)
    talks = list(talks)
    interviewers_of = {talk.id: talk.interviewer_ids for talk in talks}
    for item in unnamed:
        if viewer is not None:
            put(((viewer,), item.person_id), item)
            continue
        # Whoever holds the talk already planned for it; else a row of its own (谈话人 not yet decided) rather
        # than another pair's row, which would make that interviewer look chosen.
        planned_by = interviewers_of.get(item.planned_talk_id or 0, ())
        put(next((key for key in of_person[item.person_id] if key[0] and key[0][0] in planned_by),
                 ((), item.person_id)), item)
    open_by_person: dict[int, list[OpenTalk]] = defaultdict(list)
    for talk in talks:
        for person in talk.interviewee_ids:
            open_by_person[person].append(talk)
    # An event 本人 must arrange names no interviewer: 本人 is the row's, by the name given.
    names = {viewer: viewer_name} if viewer is not None else {}
    names.update({i: name for item in ordered for i, name in zip(item.interviewer_ids, item.interviewers,
                                                                    strict=False)})
    rows = [_row(policy, key, found if len(found) == 1 else sorted(found, key=lambda i: position[i.id]),
                 open_by_person.get(key[1], []), names)
            for key, found in groups.items()]
    rows.sort(key=lambda row: position[row.worst.id])
    return rows


def _row(policy: Policy, key: tuple[tuple[int, ...], int], items: list[DueItem], talks: list[OpenTalk],
         names: dict[int, str]) -> WorkRow:
    interviewer_ids, person = key
    first = items[0]
    talk_type = suggested_type(policy, items)
    kind = policy.talk_types.get(talk_type)
    return WorkRow(
        id=f"{'-'.join(map(str, interviewer_ids)) or 'any'}:{person}",
        person_id=person,
        person=first.person,
        unit=first.unit,
        interviewer_ids=interviewer_ids,
        interviewers=tuple([names.get(i, "") for i in interviewer_ids]),
        items=tuple(items),
        talk_type=talk_type,
        type_name=kind.name if kind is not None else "",
        talk=_open_talk(policy, interviewer_ids, items, talks, talk_type) if talks else None,
    )


def _open_talk(
    policy: Policy, interviewers: tuple[int, ...], items: list[DueItem], talks: list[OpenTalk], suggested: str
) -> OpenTalk | None:
    """The pair's talk already under way (first) or planned: one the event items were linked to, else one with
    the row's interviewer (any, when the rules name nobody) — of a type answering the row, the soonest."""
    linked = {item.planned_talk_id for item in items if item.planned_talk_id is not None}
    chosen = set(interviewers)
    mine = [t for t in talks if t.id in linked or not chosen or not chosen.isdisjoint(t.interviewer_ids)]
    if len(mine) <= 1:
        return mine[0] if mine else None
    # `talks` come soonest first (open_talks); min() keeps the first of equals.
    return min(mine, key=lambda t: (t.status != "in_progress", t.id not in linked,
                                    not any(satisfies(policy, i, t.talk_type) for i in items),
                                    t.talk_type != suggested))


def with_open_talks(items: Iterable[DueItem], rows: Iterable[WorkRow]) -> list[DueItem]:
    """The items with `planned_talk_id` filled from their row's talk, where the engine left it empty."""
    talk_of = {item.id: row.talk.id for row in rows if row.talk is not None for item in row.items}
    return [replace(item, planned_talk_id=talk_of[item.id])
            if item.planned_talk_id is None and item.id in talk_of else item for item in items]
