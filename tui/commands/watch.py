"""`tanxin watch`: the 重点人员 watch list from the command line (add, end, list).

A flag is never deleted: ending it keeps the date and the reason (prep/profile.py). Dates default to today by
the store's clock (docs/clock.md). Names are printed with control characters made visible; JSON carries the
text exactly.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from tui.commands.common import DAY, DAY_FORMS, CliState, echo_json, pass_state, visible

if TYPE_CHECKING:
    from notes.store import Store


def _name(store: Store, person_id: int) -> str:
    from notes.model import people_by_id

    return people_by_id(store, [person_id])[person_id].name


@click.group("watch")
def watch_group() -> None:
    """重点人员名单：列入（写明原因）、解除（写明日期和原因）、查看。

    解除不会删除记录：何时、为何列入和解除都留在历史中。十个清楚“重点人员”一项中的记载也会使人列入名单。
    """


@watch_group.command("add")
@click.argument("person", metavar="人员")
@click.option("--reason", required=True, help="列为重点人员的原因（必填）。")
@click.option("--since", "since", type=DAY, help="列入日期（默认今天）。" + DAY_FORMS)
@click.option("--source", default="", help="来源，如“支部研究确定”。")
@pass_state
def add_command(state: CliState, person: str, reason: str, since: date | None, source: str) -> None:
    """把一名人员列为重点人员。“人员”是 tanxin people 中的编号或姓名（同名时请用编号）。"""
    from notes.people import resolve_person
    from prep.profile import flag_person

    day = (since or state.today())
    with state.store() as store:
        person_id = resolve_person(store, person)
        flag_id = flag_person(store, person_id, reason, day, source)
        name = _name(store, person_id)
    click.echo(f"已将 {visible(name)} 列为重点人员（自 {day.isoformat()}），标记编号 {flag_id}。")


@watch_group.command("end")
@click.argument("person", metavar="人员")
@click.option("--on", "ended_on", type=DAY, help="解除日期（默认今天）。" + DAY_FORMS)
@click.option("--reason", default="", help="解除原因，如“考察期满，表现良好”。")
@pass_state
def end_command(state: CliState, person: str, ended_on: date | None, reason: str) -> None:
    """解除一名人员的重点人员标记（此人的全部未解除标记）。“人员”是编号或姓名。"""
    from notes.people import resolve_person
    from prep.active import active_policy
    from prep.profile import end_watch, profile_summary

    day = (ended_on or state.today())
    with state.store() as store:
        person_id = resolve_person(store, person)
        policy = active_policy(store)
        ended = end_watch(store, person_id, day, reason, policy)
        name = _name(store, person_id)
        still = profile_summary(store, policy, person_id, day).watch_reasons
    click.echo(f"已解除 {visible(name)} 的重点人员标记（{len(ended)} 项），解除日期 {day.isoformat()}。")
    for left in still:
        click.echo(f"注意：此人仍因十个清楚“重点人员”一项的记载在名单上：{visible(left.reason)}"
                   "（如已不属于，请为该项记一条新情况）。")


@watch_group.command("list")
@click.option("--as-of", "as_of", type=DAY, help="按哪一天列出（默认今天）。" + DAY_FORMS)
@click.option("--json", "as_json", is_flag=True,
              help="输出 JSON：人员数组，每人含 id（人员编号）、name、unit、reasons"
                   "（每项含 reason、since、source、flag_id、entry_id）。")
@pass_state
def list_command(state: CliState, as_of: date | None, as_json: bool) -> None:
    """列出某一天的重点人员及各自的原因、列入日期和来源。"""
    from prep.active import active_policy
    from prep.profile import watch_list

    day = (as_of or state.today())
    with state.store(read_only=True) as store:
        items = watch_list(store, day, active_policy(store))
    if as_json:
        echo_json([
            {"id": item.person_id, "name": item.name, "unit": item.unit,
             "reasons": [{"reason": r.reason, "since": r.since, "source": r.source, "flag_id": r.flag_id,
                          "entry_id": r.entry_id} for r in item.reasons]}
            for item in items
        ])
        return
    if not items:
        click.echo(f"截至 {day.isoformat()}，没有重点人员。")
        return
    for item in items:
        click.echo(f"{item.person_id:>6}  {visible(item.name)}  {visible(item.unit) or '—'}")
        for reason in item.reasons:
            where = "标记" if reason.flag_id is not None else "十个清楚"
            source = f"（{visible(reason.source)}）" if reason.source else ""
            click.echo(f"        自 {reason.since}  {visible(reason.reason)}{source}〔{where}〕")
    click.echo(f"共 {len(items)} 人（截至 {day.isoformat()}）。")


COMMANDS = [watch_group]
