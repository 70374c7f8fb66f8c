"""The organisation from the command line: its name, units and the roles people hold.

Units and people are named by id or by name; a name several of them share is refused with the candidates listed,
never guessed. Every write is checked whole before anything is written (notes/organisation.py). Names are printed
with control characters made visible; JSON carries the text exactly.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from tui.commands.common import DAY, DAY_FORMS, CliState, echo_json, pass_state, visible

if TYPE_CHECKING:
    from notes.model import Role
    from notes.store import Store
    from notes.vocabulary import RoleKind


def offered_role_kinds(store: Store) -> tuple[RoleKind, ...]:
    """The roles the database's packs use: a 民进 organisation's or a Party one's (notes/vocabulary.py)."""
    from notes.vocabulary import role_kinds_for
    from prep.active import active_policy
    from prep.roster.terms import terms_for

    return role_kinds_for(terms_for(active_policy(store)).is_minjin)


# -- the organisation and its units ------------------------------------------------------------------------


@click.group("org")
def org_group() -> None:
    """本组织（单位树的最上层）：命名、改名。下属单位用 tanxin unit 管理，全部单位见 tanxin units。"""


@org_group.command("rename")
@click.argument("name", metavar="名称")
@pass_state
def org_rename_command(state: CliState, name: str) -> None:
    """把本组织改名为给出的名称（还没有本组织时，以此名称设立）。"""
    from notes.model import unit_tree
    from notes.organisation import name_organisation

    with state.store() as store:
        before = unit_tree(store).top
        name_organisation(store, name)
        after = unit_tree(store).top
    assert after is not None
    if before is None:
        click.echo(f"已设定组织名称：{visible(after.name)}（单位 id {after.id}）。")
    else:
        click.echo(f"已将本组织“{visible(before.name)}”改名为“{visible(after.name)}”。")


@click.group("unit")
def unit_group() -> None:
    """下属单位（党委、总支、支部、部门、基层组织……）：添加、改名。全部单位见 tanxin units。"""


@unit_group.command("add")
@click.argument("name", metavar="名称")
@click.option("--parent", metavar="单位", help="上级单位的 id 或名称（默认为本组织）。")
@click.option("--kind", default="", help="组织类别，如 党支部、党总支、基层组织。")
@pass_state
def unit_add_command(state: CliState, name: str, parent: str | None, kind: str) -> None:
    """在上级单位下添加一个单位。"""
    from notes.model import resolve_unit, unit_tree
    from notes.organisation import add_unit

    with state.store() as store:
        parent_id = None if parent is None else resolve_unit(store, parent)
        unit_id = add_unit(store, name, parent_id, kind)
        path = unit_tree(store).path(unit_id)
    click.echo(f"已添加单位 {visible(path)}（id {unit_id}）。")


@unit_group.command("rename")
@click.argument("unit", metavar="单位")
@click.argument("name", metavar="新名称")
@pass_state
def unit_rename_command(state: CliState, unit: str, name: str) -> None:
    """把单位（id 或名称）改名为新名称。谈话记录和职务随单位一起，不受影响。"""
    from notes.model import resolve_unit, unit_tree
    from notes.organisation import rename_unit

    with state.store() as store:
        unit_id = resolve_unit(store, unit)
        old = unit_tree(store).path(unit_id)
        rename_unit(store, unit_id, name)
        new = unit_tree(store).path(unit_id)
    click.echo(f"已将单位“{visible(old)}”改名为“{visible(new)}”。")


@click.command("units")
@click.option("--json", "as_json", is_flag=True,
              help="输出 JSON：单位数组（自上而下），每项含 id、name、kind、parent_id、depth、path、people（在册人数）。")
@pass_state
def units_command(state: CliState, as_json: bool) -> None:
    """列出单位树：本组织在最上层，下属单位逐级缩进，附在册人数。"""
    from notes.model import list_people, unit_tree

    with state.store(read_only=True) as store:
        tree = unit_tree(store)
        counts: dict[int, int] = {}
        for person in list_people(store, active_only=True):
            if person.unit_id is not None:
                counts[person.unit_id] = counts.get(person.unit_id, 0) + 1
    walked = list(tree.walk())
    if as_json:
        echo_json([{"id": unit.id, "name": unit.name, "kind": unit.kind, "parent_id": unit.parent_id, "depth": depth,
                    "path": tree.path(unit.id), "people": counts.get(unit.id, 0)} for unit, depth in walked])
        return
    if not walked:
        click.echo("还没有单位：请用 tanxin org rename 名称 设定组织名称，再用 tanxin unit add 添加下属单位，"
                   "或用 tanxin import-roster 导入花名册。")
        return
    for unit, depth in walked:
        kind = f"〔{visible(unit.kind)}〕" if unit.kind else ""
        click.echo(f"{unit.id:>6}  {'    ' * depth}{visible(unit.name)}{kind}  {counts.get(unit.id, 0)} 人")


# -- roles -------------------------------------------------------------------------------------------------


def _role_json(role: Role, names: dict[int, str]) -> dict[str, Any]:
    return {"id": role.id, "person_id": role.person_id, "person": names.get(role.person_id, ""), "role": role.role,
            "title": role.title, "unit_id": role.unit_id, "unit": role.unit, "from": role.start_date,
            "to": role.end_date, "source": role.source}


def _role_line(role: Role, name: str) -> str:
    held = f"{role.start_date or '……'} 至 {role.end_date or '今'}"
    source = f"  依据：{visible(role.source)}" if role.source else ""
    return f"{role.id:>6}  {visible(name)}  {visible(role.label)}  {held}{source}"


@click.group("role")
def role_group() -> None:
    """职务（主要负责同志、班子成员、分管、部门负责人、支部书记、支部委员、组织员；民进：主委、副主委、专职副主委、
    常委、委员、内部监督委员会委员）：任职、免职。查看用 tanxin roles。

    主要负责同志、主委、副主委同时登记为班子成员，支部书记同时登记为支委（政策包的约定，频次规则据此计算）。
    """


@role_group.command("add")
@click.argument("person", metavar="人员")
@click.argument("role", metavar="职务")
@click.option("--unit", metavar="单位", help="任职的单位（id 或名称，默认为此人所在单位）。")
@click.option("--oversees", metavar="单位", multiple=True,
              help="分管的单位（可多次给出，每个单位登记一条“分管”）。与班子成员等职务同用时，另行登记分管。")
@click.option("--from", "start", type=DAY, help="任职日期（不写则视为早已担任）。" + DAY_FORMS)
@click.option("--to", "end", type=DAY, help="免职日期（补录已卸任的职务时用）。" + DAY_FORMS)
@click.option("--title", default="", help="具体职务或分工，如 组织委员、办公室主任。")
@click.option("--source", default="", help="依据，如任职文件文号（默认“手工录入”）。")
@pass_state
def role_add_command(state: CliState, person: str, role: str, unit: str | None, oversees: tuple[str, ...],
                     start: date | None, end: date | None, title: str, source: str) -> None:
    """登记人员（编号或姓名）担任职务。

    职务是数据库所用政策包的职务之一（见 tanxin role --help）；分管用 --oversees 给出所分管的单位。例：

    \b
    tanxin role add 李红 班子成员 --oversees 办公室 \\
        --oversees 规划发展处 --from 2025-01-01
    """
    from notes.errors import InvalidInput
    from notes.model import find_person, resolve_unit, unit_tree
    from notes.organisation import HAND_SOURCE, add_role, role_kind
    from notes.people import resolve_person

    with state.store() as store:
        kind = role_kind(role, offered_role_kinds(store))
        found = find_person(store, resolve_person(store, person))
        assert found is not None
        tree = unit_tree(store)
        overseen = [resolve_unit(store, text, tree) for text in oversees]
        if kind.oversees:
            if unit is not None:
                raise InvalidInput("分管的单位请用 --oversees 给出（可多次给出），不用 --unit。")
            unit_ids = overseen
        elif unit is not None:
            unit_ids = [resolve_unit(store, unit, tree)]
        elif found.unit_id is not None:
            unit_ids = [found.unit_id]
        else:
            raise InvalidInput(f"{found.name} 不属于任何单位：请用 --unit 给出任职的单位。")
        with store.transaction():  # the role and the 分管 rows that come with it: all of them or none
            written = add_role(store, found.id, kind, unit_ids, start=start, end=end, title=title,
                               source=source or HAND_SOURCE)
            if overseen and not kind.oversees:
                written += add_role(store, found.id, role_kind("分管"), overseen, start=start, end=end,
                                    source=source or HAND_SOURCE)
    for row in written:
        click.echo(f"已登记：{_role_line(row, found.name)}")


@role_group.command("end")
@click.argument("person", metavar="人员")
@click.argument("role", metavar="职务")
@click.option("--date", "day", type=DAY, required=True, help="免职日期：从这一天起不再担任。" + DAY_FORMS)
@click.option("--unit", metavar="单位", help="在哪个单位的职务（此人在几个单位担任同一职务时必须给出）。")
@pass_state
def role_end_command(state: CliState, person: str, role: str, day: date, unit: str | None) -> None:
    """免去人员（编号或姓名）在任的职务。记录保留在职务经历中。"""
    from notes.model import find_person, resolve_unit
    from notes.organisation import end_role, open_role, role_kind
    from notes.people import resolve_person

    ended_on = (day or state.today())
    with state.store() as store:
        found = find_person(store, resolve_person(store, person))
        assert found is not None
        unit_id = None if unit is None else resolve_unit(store, unit)
        ended = end_role(store, open_role(store, found.id, role_kind(role), unit_id).id, ended_on)
    click.echo(f"已免去：{_role_line(ended, found.name)}")


@click.command("roles")
@click.argument("person", metavar="人员", required=False)
@click.option("--as-of", "as_of", type=DAY, help="列出这一天在任的职务（默认今天）。" + DAY_FORMS)
@click.option("--history", is_flag=True, help="列出全部职务经历，包括已免去的。")
@click.option("--json", "as_json", is_flag=True,
              help="输出 JSON：职务数组，每项含 id、person_id、person、role、title、unit_id、unit、from、to、source"
                   "（from 为空：早已担任；to 为空：仍在任）。")
@pass_state
def roles_command(state: CliState, person: str | None, as_of: date | None, history: bool, as_json: bool) -> None:
    """列出职务：某人（编号或姓名）或全体人员在某一天在任的职务，或（--history）全部职务经历。"""
    from notes.model import list_people, role_history, roles_held_on
    from notes.people import resolve_person

    if history and as_of is not None:
        raise click.UsageError("--history 列出全部经历，不能与 --as-of 同用。")
    day = (as_of or state.today())
    with state.store(read_only=True) as store:
        person_id = None if person is None else resolve_person(store, person)
        if history:
            roles = role_history(store, person_id)
        else:
            roles = roles_held_on(store, day, None if person_id is None else [person_id])
        names = {p.id: p.name for p in list_people(store, ids={r.person_id for r in roles})}
    if as_json:
        echo_json([_role_json(role, names) for role in roles])
        return
    when = "全部职务经历" if history else f"{day.isoformat()} 在任的职务"
    if not roles:
        click.echo(f"{when}：无。可用 tanxin role add 登记。")
        return
    for role in roles:
        click.echo(_role_line(role, names.get(role.person_id, "")))
    click.echo(f"共 {len(roles)} 项（{when}）。")


COMMANDS = [org_group, unit_group, units_command, role_group, roles_command]
