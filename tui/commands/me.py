"""Who is using this database: `tanxin me` names 本人, whose talks the 工作台 and `due --mine` show first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tui.commands.common import CliState, echo_json, pass_state, visible

if TYPE_CHECKING:
    from notes.model import Person


def describe(person: Person) -> str:
    """张三（机关第一党支部）, and 已不在册 for someone who has left since."""
    left = "，已不在册" if not person.active else ""
    return f"{visible(person.name)}（{visible(person.unit) or '—'}{left}）"


@click.command("me")
@click.argument("person", metavar="[人员]", required=False)
@click.option("--clear", is_flag=True, help="清除本人设定（工作台改为列出全部）。")
@click.option("--json", "as_json", is_flag=True,
              help="输出 JSON：含本人的数组（id、name、unit、active）；未设定时为空数组。")
@pass_state
def me_command(state: CliState, person: str | None, clear: bool, as_json: bool) -> None:
    """本人：使用这个数据库的人。工作台与 tanxin due --mine 先列出本人要谈、要负责安排的谈话。

    不带参数时显示本人；“人员”是 tanxin people 中的编号或姓名（同名时请用编号）。设定与清除都记入审计日志。
    """
    from notes.owner import owner, set_owner
    from notes.people import resolve_person

    if person is not None and clear:
        raise click.UsageError("给出人员是设定本人，--clear 是清除本人，二者只能选一。")
    if person is None and not clear:
        with state.store(read_only=True) as store:
            found = owner(store)
        said = (f"本人：{describe(found)}" if found is not None
                else "尚未设定本人。用 tanxin me 姓名 设定后，工作台和 tanxin due --mine 先列出你的谈话。")
    else:
        with state.store() as store:
            set_owner(store, None if clear else resolve_person(store, person or ""))
            found = owner(store)
        said = ("已清除本人设定，工作台将列出全部应谈谈话。" if found is None
                else f"本人已设为 {describe(found)}。工作台和 tanxin due --mine 将先列出其要谈、要安排的谈话。")
    if as_json:
        echo_json([] if found is None else [
            {"id": found.id, "name": found.name, "unit": found.unit, "active": found.active}])
    else:
        click.echo(said)


COMMANDS = [me_command]
