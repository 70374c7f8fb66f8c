"""Preparing talks from the command line: packs, people, event, due, brief.

User text (names, notes) is printed with control characters made visible, so an escape sequence that came in
with a roster cannot act on the terminal; JSON output carries the text exactly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tui.commands.common import DAY, DAY_FORMS, CliState, echo_json, pass_state, visible

if TYPE_CHECKING:
    from notes.model import Person
    from notes.store import Store
    from prep.due import DueItem
    from prep.packs import Policy


def _policy(store: Store) -> Policy:
    from prep.active import active_policy

    return active_policy(store)


AS_OF_HELP = "按哪一天计算（默认今天）。" + DAY_FORMS + "同一天总得到同样的结果。"


# -- packs -------------------------------------------------------------------------------------------------


@click.command("packs")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：政策包及其每条规则（每项含 kind 与 id）。")
@pass_state
def packs_command(state: CliState, as_json: bool) -> None:
    """列出数据库启用的政策包及其规则（谈话类型、触发事件、频次、原则、十个清楚……），每条注明依据。

    数据库不存在或无法打开时，列出默认政策包。
    """
    from notes.errors import TanxinError
    from prep.packs import DEFAULT_PACKS, describe_policy, load_policy, policy_as_json

    policy = None
    if state.db_path.exists() or state.use_recovery_key:
        try:
            with state.store(read_only=True) as store:
                policy = _policy(store)
        except TanxinError as exc:
            click.echo(f"提示：无法打开数据库（{exc.message}），下面列出默认政策包。", err=True)
    else:
        click.echo(f"提示：数据库 {state.db_path} 不存在，下面列出默认政策包。", err=True)
    if policy is None:
        policy = load_policy(list(DEFAULT_PACKS))
    if as_json:
        echo_json(policy_as_json(policy))
    else:
        click.echo(describe_policy(policy), nl=False)


# -- people ---------------------------------------------------------------------------------------------------


def _person_json(person: Person) -> dict[str, Any]:
    """A person with their unit and the roles they hold (`roles` names each kind of role once)."""
    roles = person.roles or ()
    return {
        "id": person.id,
        "name": person.name,
        "unit": person.unit,
        "unit_id": person.unit_id,
        "membership": person.membership,
        "status": person.status,
        "roles": list(dict.fromkeys(r.role for r in roles)),
        "role_details": [
            {"role": r.role, "title": r.title, "unit_id": r.unit_id, "unit": r.unit, "start_date": r.start_date}
            for r in roles
        ],
    }


@click.command("people")
@click.option("--as-of", "as_of", type=DAY, help="按哪一天的职务列出（默认今天）。" + DAY_FORMS)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：人员数组，每人含 id、name、unit、roles。")
@pass_state
def people_command(state: CliState, as_of: date | None, as_json: bool) -> None:
    """列出全部人员及其所在组织和当前职务（角色）。"""
    from notes.model import list_people

    day = (as_of or state.today())
    with state.store(read_only=True) as store:
        people = list_people(store, roles_on=day)
    if as_json:
        echo_json([_person_json(person) for person in people])
        return
    if not people:
        click.echo("还没有人员。可用 tanxin import-roster 导入花名册。")
        return
    for person in people:
        roles = "、".join(dict.fromkeys(role.role for role in person.roles or ())) or "—"
        left = "" if person.active else "（已不在册）"
        click.echo(f"{person.id:>6}  {visible(person.name)}{left}  {visible(person.unit) or '—'}  {roles}")
    click.echo(f"共 {len(people)} 人。")


# -- events ------------------------------------------------------------------------------------------------


@click.command("event")
@click.argument("person", metavar="人员")
@click.argument("event", metavar="事件")
@click.option("--date", "occurred_on", type=DAY, required=True, help="事件发生（决定作出）的日期。" + DAY_FORMS)
@click.option("--note", default="", help="说明，如决定文号、原因。")
@pass_state
def event_command(state: CliState, person: str, event: str, occurred_on: date, note: str) -> None:
    """记录触发事件（如 任职决定、免职决定、退休），据此计算应谈的谈话。

    “人员”是 tanxin people 中的编号或姓名（同名时列出各人，请改用编号）；“事件”是事件的中文名称或 id。
    """
    from notes.model import people_by_id
    from notes.people import resolve_person
    from prep.due import due_report
    from prep.events import record_event

    day = (occurred_on or state.today())
    with state.store() as store:
        policy = _policy(store)
        person_id = resolve_person(store, person)
        recorded = record_event(store, policy, person_id, event, day, note)
        name = people_by_id(store, [person_id])[person_id].name
        due = [item for item in due_report(store, policy, max(day, state.today()), person_id=person_id).items
               if item.event_id == recorded.id]
    click.echo(f"已记录：{visible(name)} {recorded.name}（{recorded.occurred_on}），编号 {recorded.id}。")
    for item in due:
        click.echo(f"  应谈：{item.type_name}，期限 {item.due_by}〔{item.source}〕")


# -- due ---------------------------------------------------------------------------------------------------


def _due_line(item: DueItem) -> str:
    if item.overdue:
        when = f"已逾期 {item.days_overdue} 天（{item.due_by}）"
    else:
        when = f"{item.due_by} 前" if item.due_by else "无期限"
        if item.holiday:
            when += f"（期限逢{item.holiday}，请提前安排）"
    who = f"  谈话人：{visible('、'.join(item.interviewers))}" if item.interviewers and item.kind == "rule" else ""
    planned = f"  已安排谈话 {item.planned_talk_id}" if item.planned_talk_id is not None else ""
    return (f"{when}  {visible(item.person)}（{visible(item.unit) or '—'}）  {item.type_name}："
            f"{visible(item.detail)}〔{item.source}〕{who}{planned}")


@click.command("due")
@click.option("--as-of", "as_of", type=DAY, help=AS_OF_HELP)
@click.option("--interviewer", metavar="人员", help="只看此谈话人（编号或姓名）要谈的人、覆盖情况和跟踪事项。")
@click.option("--mine", is_flag=True,
              help="只看本人（tanxin me 设定的人）要谈、要负责安排的谈话、覆盖情况和跟踪事项。")
@click.option("--coverage", is_flag=True, help="列出各频次规则本年度的覆盖情况（如 支部书记与每一位党员：12/40）。")
@click.option("--json", "as_json", is_flag=True,
              help="输出 JSON：待谈事项数组（含 id、person_id、person、type、type_name、due_by、overdue、"
                   "days_overdue、rule、source，以及已安排的谈话 planned_talk_id）；与 --coverage 同用时输出覆盖情况数组。")
@pass_state
def due_command(
    state: CliState, as_of: date | None, interviewer: str | None, mine: bool, coverage: bool, as_json: bool
) -> None:
    """应谈、逾期的谈话和待办跟踪事项：由触发事件、频次规则和以往谈话算出，逾期的在前。

    已计划或进行中的谈话注明在它所满足的事项上（planned_talk_id），不必再准备一次。
    """
    from notes.people import resolve_person
    from notes.talk_queries import open_talks
    from prep.due import due_report
    from prep.worklist import build_worklist, with_open_talks

    if mine and interviewer:
        raise click.UsageError("--mine 与 --interviewer 只能选一：--mine 即本人（tanxin me 设定的人）。")
    day = (as_of or state.today())
    with state.store(read_only=True) as store:
        interviewer_id = _mine(store) if mine else resolve_person(store, interviewer) if interviewer else None
        policy = _policy(store)
        report = due_report(store, policy, day, interviewer_id)
        # The talks already arranged, found through the rows of 工作台 (one row per pair).
        items = with_open_talks(report.items, build_worklist(report.items, policy, open_talks(store), interviewer_id))
    if coverage:
        if as_json:
            echo_json([row.as_json() for row in report.coverage])
            return
        click.echo(f"{day.year} 年频次规则覆盖情况（截至 {day.isoformat()}）：")
        for row in report.coverage:
            who = visible(row.interviewer) if row.interviewer else "（全体）"
            principle = "（原则上）" if row.in_principle else ""
            click.echo(f"  {row.rule_name}{principle}  {visible(row.unit)}  {who}  "
                       f"{row.done}/{row.total}〔{row.source}〕")
        return
    if as_json:
        echo_json([item.as_json() for item in items])
        return
    if not items:
        click.echo(f"截至 {day.isoformat()}，没有应谈的谈话和待办事项。")
        return
    for item in items:
        click.echo(_due_line(item))
    click.echo(f"共 {len(report.items)} 项，其中逾期 {len(report.overdue)} 项（截至 {day.isoformat()}）。")


def _mine(store: Store) -> int:
    """本人's id for --mine; refused, saying how to set it, when nobody is set or 本人 has left."""
    from notes.errors import InvalidInput
    from notes.owner import owner

    found = owner(store)
    if found is None:
        raise InvalidInput("尚未设定本人，--mine 不知道是谁：请先用 tanxin me 姓名 设定本人，或改用 --interviewer 姓名。")
    if not found.active:
        raise InvalidInput(f"本人 {found.name} 已不在册：请用 tanxin me 姓名 重新设定本人，或用 tanxin me --clear 清除。")
    return found.id


# -- brief -------------------------------------------------------------------------------------------------


@click.command("brief")
@click.argument("person", metavar="人员")
@click.option("--type", "talk_type", metavar="类型", required=True, help="谈话类型的中文名称或 id，如 任职谈话。")
@click.option("--as-of", "as_of", type=DAY, help=AS_OF_HELP)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="写入文件：.md 为 Markdown，.docx 为 Word 文档。不给出时打印到屏幕。")
@pass_state
def brief_command(state: CliState, person: str, talk_type: str, as_of: date | None, out: Path | None) -> None:
    """生成谈话提纲：谈话缘由（触发事件、期限、应由谁谈）与未办结事项、必谈要点、十个清楚（民进为四谈）中要问清的、
    以往谈话、原则与方法、注意事项、谈话安排。"""
    from notes.errors import InvalidInput
    from notes.people import resolve_person
    from prep.brief import build_brief, render_markdown

    day = (as_of or state.today())
    if out is not None and out.suffix.lower() not in (".md", ".docx"):
        raise InvalidInput(f"不支持的文件类型 {out.name}：提纲可写成 .md 或 .docx。")
    if out is not None and out.exists():
        raise InvalidInput(f"{out} 已存在，未覆盖。请换一个文件名或先移走原文件。")
    with state.store() as store:
        brief = build_brief(store, _policy(store), resolve_person(store, person), talk_type, day)
        if out is None:
            click.echo(render_markdown(brief), nl=False)  # a document's text: control characters already removed
            return
        from prep.brief_document import export_brief_markdown, render_brief_docx

        if out.suffix.lower() == ".md":
            export_brief_markdown(brief, out, store=store)
        else:
            render_brief_docx(brief, out, store=store)
    click.echo(f"已写出谈话提纲 {out}（含对本人的了解情况，注意保密）。")


COMMANDS = [packs_command, people_command, event_command, due_command, brief_command]
