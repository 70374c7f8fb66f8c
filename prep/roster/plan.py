"""Rows to an ImportPlan against the database (matching people, units and roles; conflicts named by row and
column), its description in Chinese, and applying it in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes.model import Person, Role, list_people, open_roles, unit_tree
from notes.organisation import DEFAULT_ORGANISATION, normalise_name
from notes.store import Store
from prep.roster.parse import (
    BLANK_ROW,
    ColumnMap,
    ParsedRoster,
    RosterInvalid,
    RosterProblem,
    RosterRow,
    organisation_name_from_title,
    read_roster,
)
from prep.roster.terms import (
    DATE_FIELDS,
    IMPLIED_ROLES,
    LEADERSHIP_ROLE_NAMES,
    MEMBERSHIP_ROLE_NAMES,
    OFFICE_ROLE_NAMES,
    OVERSEES,
    ROSTER_SOURCE,
    RoleClaim,
    terms_for,
)

if TYPE_CHECKING:
    from prep.packs import Policy

PEOPLE_COLUMNS = ("gender", "birth_date", "joined_date", "work_start_date", "ethnicity", "native_place", "education",
                  "position", "phone", "membership", "note")
COLUMN_LABELS = {
    "gender": "性别", "birth_date": "出生年月", "joined_date": "入党时间", "work_start_date": "参加工作时间",
    "ethnicity": "民族", "native_place": "籍贯", "education": "学历", "position": "职务", "phone": "联系电话",
    "membership": "人员类别", "note": "备注", "name": "姓名", "unit": "所在组织",
}


@dataclass(frozen=True, slots=True)
class RoleChange:
    role: str
    title: str
    unit: str

    def describe(self) -> str:
        if self.role == OVERSEES:
            return f"{OVERSEES}{self.unit}"
        title = f"（{self.title}）" if self.title else ""
        return f"{self.unit}·{self.role}{title}"


@dataclass(slots=True)
class PersonPlan:
    """What the import does to one person."""

    row: RosterRow
    person_id: int | None  # None: a new person
    changes: dict[str, tuple[str | None, str]]  # column → (before, after)
    unit: str  # the unit's name after the import
    roles_ended: list[tuple[int, RoleChange]] = field(default_factory=list)  # (roles.id, role)
    roles_started: list[RoleChange] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.person_id is None

    @property
    def changed(self) -> bool:
        return self.is_new or bool(self.changes or self.roles_ended or self.roles_started)

    def change_texts(self) -> list[str]:
        return [f"{COLUMN_LABELS.get(c, c)} {before or '（空）'} → {after}" for c, (before, after) in self.changes.items()]

    def role_texts(self) -> list[str]:
        return [f"结束 {r.describe()}" for _, r in self.roles_ended] + [f"开始 {r.describe()}" for r in self.roles_started]


@dataclass(slots=True)
class ImportPlan:
    roster: ParsedRoster
    effective: date
    root_name: str
    root_id: int | None  # None: the root unit is created
    new_units: list[str]
    unit_ids: dict[str, int]  # existing units the rows use
    people: list[PersonPlan]
    dry_run: bool = False
    written: bool = False

    @property
    def created(self) -> list[PersonPlan]:
        return [p for p in self.people if p.is_new]

    @property
    def updated(self) -> list[PersonPlan]:
        return [p for p in self.people if not p.is_new and p.changed]

    @property
    def unchanged(self) -> int:
        return sum(1 for p in self.people if not p.changed)

    def describe(self) -> str:
        return describe_plan(self)


def _stored(person: Person, column: str) -> str:
    """What the database holds for one of PEOPLE_COLUMNS ('' for nothing)."""
    if column in ("position", "membership"):
        return str(getattr(person, column))
    return str(getattr(person.details, column))


def _resolve_units(
    store: Store, parsed: ParsedRoster, problems: list[RosterProblem]
) -> tuple[str, int | None, list[str], dict[str, int]]:
    tree = unit_tree(store)
    roots = tree.children(None)
    if roots:
        root_name, root_id = roots[0].name, roots[0].id
    else:
        root_name, root_id = organisation_name_from_title(parsed.title) or DEFAULT_ORGANISATION, None
    by_name: dict[str, list[int]] = {}
    for unit in tree.units:
        by_name.setdefault(normalise_name(unit.name), []).append(unit.id)
    new_units: list[str] = []
    unit_ids: dict[str, int] = {}
    reported: set[str] = set()

    def known(row: RosterRow, name: str, column: str) -> bool:
        """Find the unit `name` in the database; False (and a problem, once) when several units bear it."""
        matches = by_name.get(name, [])
        if len(matches) == 1:
            unit_ids[name] = matches[0]
        elif len(matches) > 1 and name not in reported:
            reported.add(name)
            problems.append(RosterProblem(row.sheet, row.row, row.headers.get(column, column), (
                f"数据库中有 {len(matches)} 个名为「{name}」的组织，无法确定是哪一个，请在表格中写全称")))
        return len(matches) == 1

    for row in parsed.rows:
        if row.unit is None or row.unit == root_name or row.unit in unit_ids or row.unit in new_units:
            continue
        if not known(row, row.unit, "unit") and row.unit not in by_name:
            new_units.append(row.unit)
    # A unit overseen (分管) must be one the organisation has, or one the roster creates: a typo never creates one.
    for row in parsed.rows:
        for claim in row.offices:
            name = normalise_name(claim.unit)
            if claim.role != OVERSEES or name == root_name or name in unit_ids or name in new_units:
                continue
            if not known(row, name, "oversees") and name not in by_name:
                column = row.headers.get("oversees") or row.headers.get("leadership") or row.headers.get("offices", "")
                problems.append(RosterProblem(row.sheet, row.row, column, (
                    f"分管的单位「{name}」既不在数据库中，也不是花名册中任何人的所在组织，请写单位全称")))
    if root_id is not None:
        unit_ids[root_name] = root_id
    return root_name, root_id, new_units, unit_ids


def _match_person(
    row: RosterRow, by_key: dict[str, Person], by_name_month: dict[tuple[str, str], list[Person]]
) -> tuple[Person | None, str | None]:
    found = by_key.get(row.identity_key)
    if found is not None:
        return found, None
    if row.birth_month is None:
        return None, None
    # Entered by hand or keyed differently (a name stored with a space): the same name and birth month.
    candidates = by_name_month.get((row.name, row.birth_month), [])
    if len(candidates) > 1:
        ids = "、".join(str(person_id) for person_id in sorted(c.id for c in candidates))
        return None, f"数据库中有多位同名、同出生年月的人员（编号 {ids}），无法确定更新哪一位"
    return (candidates[0] if candidates else None), None


def plan_import(store: Store, parsed: ParsedRoster, effective: date) -> ImportPlan:
    """What importing `parsed` would change, computed from a few reads; raises RosterInvalid on conflicts."""
    problems: list[RosterProblem] = []
    root_name, root_id, new_units, unit_ids = _resolve_units(store, parsed, problems)
    existing = list_people(store, details=True)
    by_key: dict[str, Person] = {}
    by_name_month: dict[tuple[str, str], list[Person]] = {}
    for known in existing:
        assert known.details is not None  # asked for above
        if known.details.identity_key is not None:
            by_key[known.details.identity_key] = known
        if known.details.birth_date:
            by_name_month.setdefault((normalise_name(known.name), known.details.birth_date[:7]), []).append(known)
    open_by_person: dict[int, list[Role]] = {}
    for role in open_roles(store):
        open_by_person.setdefault(role.person_id, []).append(role)
    claimed: dict[int, int] = {}
    plans: list[PersonPlan] = []
    for row in parsed.rows:
        person, why = _match_person(row, by_key, by_name_month)
        if why:
            problems.append(RosterProblem(row.sheet, row.row, row.headers["name"], why))
            continue
        if person is not None:
            earlier = claimed.get(person.id)
            if earlier is not None:
                problems.append(RosterProblem(row.sheet, row.row, row.headers["name"],
                                              f"与第 {earlier} 行对应数据库中的同一人（编号 {person.id}）"))
                continue
            claimed[person.id] = row.row
        plans.append(_plan_person(row, person, open_by_person, parsed, root_name))
    if problems:
        raise RosterInvalid(parsed.file_name, problems)
    return ImportPlan(parsed, effective, root_name, root_id, new_units, unit_ids, plans)


def _claimed(claims: list[RoleClaim], unit: str, root_name: str) -> list[RoleChange]:
    """Where each claimed role is held (see prep/roster/terms.py), each role once in each unit: 班子成员 in
    人员类别 and 副书记 in 班子职务 are one 班子成员 role, with the title 副书记."""
    changes = [RoleChange(c.role, c.title, normalise_name(c.unit) if c.unit else root_name if c.top else unit)
               for c in claims]
    titled = {(c.role, c.unit) for c in changes if c.title}
    return list(dict.fromkeys(c for c in changes if c.title or (c.role, c.unit) not in titled))


def _plan_person(
    row: RosterRow,
    person: Person | None,
    open_by_person: dict[int, list[Role]],
    parsed: ParsedRoster,
    root_name: str,
) -> PersonPlan:
    if person is None:
        unit = row.unit or root_name
        claims = row.member_roles or [RoleClaim(parsed.terms.member_role)]
        return PersonPlan(row, None, {}, unit, [], _claimed(claims + row.offices, unit, root_name))
    changes: dict[str, tuple[str | None, str]] = {}
    for column, value in row.values.items():
        before = _stored(person, column)
        if value != before and not (column in DATE_FIELDS and before and before.startswith(value)):
            changes[column] = (before, value)
    if row.name != person.name:
        changes["name"] = (person.name, row.name)
    unit = row.unit or person.unit or root_name
    if person.unit != unit:
        changes["unit"] = (person.unit, unit)
    # A role is the roster's to end only if the row speaks for it: membership roles when 人员类别 is filled
    # (or the person moved: their membership goes with them), offices when the file has a 党内职务 or 班子职务
    # column, leadership roles when a column of the file names them. Of the leadership roles (and the 班子成员 an
    # office implies) only those a roster recorded (roles.source) are its to end: one set by hand (role add, the
    # person page) stays, since a roster may name only part of the team.
    moved = "unit" in changes
    endable = (MEMBERSHIP_ROLE_NAMES if row.membership is not None or moved else frozenset()) | (
        OFFICE_ROLE_NAMES if parsed.has_offices else frozenset())

    def is_endable(role: Role) -> bool:
        by_roster = role.source.startswith(ROSTER_SOURCE)
        return role.role in endable or (by_roster and (
            (parsed.states_leadership and role.role in LEADERSHIP_ROLE_NAMES)
            or (parsed.has_offices and role.role in IMPLIED_ROLES.values())))

    held = open_by_person.get(person.id, [])
    claims = list(row.member_roles)
    if moved and row.membership is None:
        claims += [RoleClaim(r.role, r.title) for r in held if r.role in MEMBERSHIP_ROLE_NAMES]
    wanted = _claimed(claims + row.offices, unit, root_name)
    ended: list[tuple[int, RoleChange]] = []
    kept: set[RoleChange] = set()
    for role in held:
        current = RoleChange(role.role, role.title, role.unit)
        same = next((w for w in wanted if w.role == current.role and w.unit == current.unit
                     and (not w.title or w.title == current.title)), None)
        if same is not None:
            kept.add(same)
        elif is_endable(role):
            ended.append((role.id, current))
    started = [w for w in wanted if w not in kept]
    return PersonPlan(row, person.id, changes, unit, ended, started)


def describe_plan(plan: ImportPlan) -> str:
    """The plan in Chinese, for the terminal: what was (or would be) created, updated, ended and started."""
    verb = "将" if not plan.written else "已"
    roster = plan.roster
    skipped = [reason for _, _, reason in roster.skipped if reason != BLANK_ROW]  # blank lines go unmentioned
    lines = [f"花名册 {roster.file_name}：共 {len(roster.rows)} 人" + (
        f"（跳过 {len(skipped)} 行：{'、'.join(sorted(set(skipped)))}）" if skipped else "")]
    if plan.root_id is None:
        lines.append(f"{verb}新建上级组织「{plan.root_name}」。")
    if plan.new_units:
        lines.append(f"{verb}在「{plan.root_name}」下新建组织 {len(plan.new_units)} 个：{'、'.join(plan.new_units)}。")
    lines.append(f"{verb}新增 {len(plan.created)} 人，更新 {len(plan.updated)} 人，{plan.unchanged} 人无变化。")
    for person in plan.created:
        offices = [r.describe() for r in person.roles_started if r.role not in MEMBERSHIP_ROLE_NAMES]
        if offices:
            lines.append(f"  新增 {person.row.name}（第 {person.row.row} 行）：{'、'.join(offices)}")
    for person in plan.updated:
        where = f"第 {person.row.row} 行"
        details = person.change_texts() + person.role_texts()
        lines.append(f"  更新 {person.row.name}（{where}）：{'；'.join(details)}")
    if any(p.roles_ended for p in plan.updated):
        lines.append(f"  职务变动记入职务历史：旧职务于 {plan.effective.isoformat()} 结束，新职务同日开始。")
    if roster.unused_columns:
        columns = [f"{header}（{why}）" if why else header for header, why in roster.unused_columns]
        lines.append(f"不导入的列：{'、'.join(columns)}")
    if plan.dry_run:
        lines.append("试运行：没有写入数据库。去掉 --dry-run 即按以上内容导入。")
    return "\n".join(lines)


def _unit_kind(name: str) -> str:
    for suffix, kind in (("党总支", "党总支"), ("总支", "党总支"), ("党支部", "党支部"), ("支部", "党支部"),
                         ("党委", "党委"), ("支社", "基层组织"), ("基层委员会", "基层组织")):
        if name.endswith(suffix):
            return kind
    return ""


def apply_plan(store: Store, plan: ImportPlan) -> None:
    """Write the plan in one transaction: all of it, or (on any error) none of it."""
    effective = plan.effective.isoformat()
    stamp = store.now()
    source = f"{ROSTER_SOURCE} {plan.roster.file_name}"
    with store.transaction():
        unit_ids = dict(plan.unit_ids)
        root_id = plan.root_id
        if root_id is None:
            root_id = store.insert("units", {"name": plan.root_name, "kind": _unit_kind(plan.root_name)})
            unit_ids[plan.root_name] = root_id
        next_order = int(store.scalar("SELECT coalesce(max(sort_order), 0) FROM units WHERE parent_id = ?", [root_id]))
        for offset, name in enumerate(plan.new_units, start=1):
            unit_ids[name] = store.insert(
                "units", {"name": name, "parent_id": root_id, "kind": _unit_kind(name), "sort_order": next_order + offset})
        for person in plan.people:
            if not person.changed:
                continue
            unit_id = unit_ids[person.unit]
            if person.person_id is None:
                person_id = store.insert("people", {
                    "name": person.row.name, "unit_id": unit_id, "identity_key": person.row.identity_key,
                    "membership": plan.roster.terms.default_membership, **person.row.values,
                })
                role_start: str | None = None  # held since before the roster: unknown
            else:
                person_id = person.person_id
                columns: dict[str, Any] = {c: after for c, (_, after) in person.changes.items() if c != "unit"}
                columns.update(unit_id=unit_id, identity_key=person.row.identity_key, updated_at=stamp)
                assignments = ", ".join(f"{c} = ?" for c in columns)
                store.execute(f"UPDATE people SET {assignments} WHERE id = ?", [*columns.values(), person_id])
                role_start = effective
            for role_id, _ in person.roles_ended:
                store.execute(
                    "UPDATE roles SET end_date = max(?, coalesce(start_date, ?)) WHERE id = ?",
                    [effective, effective, role_id],
                )
            for role in person.roles_started:
                store.insert("roles", {
                    "person_id": person_id, "unit_id": unit_ids[role.unit], "role": role.role, "title": role.title,
                    "start_date": role_start, "source": source,
                })
        store.audit(
            "import_roster", "roster", None, file=plan.roster.file_name, created=len(plan.created),
            updated=len(plan.updated), units=len(plan.new_units) + (plan.root_id is None), effective=effective,
        )
    plan.written = True


def import_roster(
    store: Store,
    path: Path,
    *,
    policy: Policy | None = None,
    dry_run: bool = False,
    effective: date | None = None,
    mapping: ColumnMap | None = None,
) -> ImportPlan:
    """Read, check and (unless dry_run) import a roster file. Raises RosterInvalid, writing nothing, on any problem.
    `mapping` names the field of columns whose header tanxin does not know (prep.roster.parse_mapping)."""
    today = store.clock.today()
    parsed = read_roster(path, today, terms_for(policy), mapping)
    plan = plan_import(store, parsed, effective or today)
    plan.dry_run = dry_run
    if not dry_run:
        apply_plan(store, plan)
    return plan


def plan_rows(plan: ImportPlan) -> list[tuple[str, str, str, str]]:
    """The plan as table rows (what, name, row, detail): 新增 for each new person, 更新 for changed columns,
    职务变动 for roles ended and started — what the app shows before the user confirms."""
    rows: list[tuple[str, str, str, str]] = []
    for person in plan.people:
        where = f"{person.row.sheet} 第 {person.row.row} 行".strip()
        if person.is_new:
            roles = "、".join(r.describe() for r in person.roles_started)
            rows.append(("新增", person.row.name, where, roles))
            continue
        if person.changes:
            rows.append(("更新", person.row.name, where, "；".join(person.change_texts())))
        if person.roles_ended or person.roles_started:
            rows.append(("职务变动", person.row.name, where, "；".join(person.role_texts())))
    return rows
