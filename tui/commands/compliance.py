"""The compliance record from the command line: every obligation of a year and what became of it.

`tanxin compliance --year 2026` lists each duty of the year (frequency rules per pair or interviewee, and the
duties of the year's events) with its status: 未谈, 按时, 补办 (met late), 未完成 (missed), 免谈 (waived);
`waive` and `acknowledge` record, with a reason, that a duty will not be held or that a missed one is accounted
for (docs/compliance.md). Both are written once and cannot be changed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from tui.commands.common import DAY, DAY_FORMS, YEAR, CliState, echo_json, pass_state, visible

if TYPE_CHECKING:
    from notes.store import Store
    from prep.compliance import Obligation
    from prep.due import DueItem

AS_OF_HELP = "按哪一天计算（默认今天）。" + DAY_FORMS


def _line(ob: Obligation) -> str:
    from prep.compliance import STATUS_LABELS

    item = ob.item
    who = f"  谈话人：{visible('、'.join(item.interviewers))}" if item.interviewers else ""
    talks = f"  谈话 {'、'.join(str(t) for t in item.talk_ids)}" if item.talk_ids else ""
    note = f"  {'免谈' if ob.note.kind == 'waiver' else '已说明'}：{visible(ob.note.reason)}" if ob.note else ""
    holiday = f"  （期限逢{item.holiday}，请提前）" if item.holiday and item.status == "open" else ""
    status = "逾期未谈" if item.status == "open" and item.overdue else STATUS_LABELS[item.status]
    return (f"{status}  {item.due_by or '—'}  {visible(item.person)}（{visible(item.unit) or '—'}）"
            f"  {visible(item.detail)}〔{item.source}〕{who}{talks}{note}{holiday}  [{item.id}]")


@click.group("compliance", invoke_without_command=True)
@click.option("--year", type=YEAR, metavar="年度", help="年度，如 2026。")
@click.option("--as-of", "as_of", type=DAY, help=AS_OF_HELP)
@click.option("--json", "as_json", is_flag=True,
              help="输出 JSON：义务数组，每项含 id、person_id、person、interviewer_id、interviewer、rule、source、"
                   "due_by、status（open/met/met_late/missed/waived）、talk_ids、acknowledged、waiver。")
@click.pass_context
def compliance_group(ctx: click.Context, year: int | None, as_of: date | None, as_json: bool) -> None:
    """谈心谈话落实情况：一年中每一项应谈义务（频次规则、触发事件）及其结果——按时、补办、未谈、未完成、免谈。

    \b
    例：tanxin compliance --year 2026
        tanxin compliance waive event:12:appointment:after \\
            --reason "本人已调离，组织部另行谈话"
        tanxin compliance acknowledge --year 2026 --reason "已在年度总结中说明"
    """
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.find_object(CliState)
    assert state is not None
    from prep.active import active_policy
    from prep.compliance import STATUS_LABELS, compliance_record

    day = (as_of or state.today())
    with state.store(read_only=True) as store:
        record = compliance_record(store, active_policy(store), year or day.year, day)
    if as_json:
        echo_json([ob.as_json() for ob in record.obligations])
        return
    click.echo(f"{record.year} 年谈心谈话落实情况（截至 {record.as_of.isoformat()}）：")
    for ob in record.obligations:
        click.echo("  " + _line(ob))
    counts = record.counts()
    click.echo(f"共 {len(record.obligations)} 项：" + "，".join(f"{STATUS_LABELS[s]} {n}" for s, n in counts.items()) + "。")


def _owed(store: Store, obligation: str, day: date) -> tuple[DueItem, int]:
    """The open or missed duty of that id in `due` on the day, and the year it belongs to."""
    from notes.errors import NotFound
    from prep.active import active_policy
    from prep.due import due_report

    found = [item for item in due_report(store, active_policy(store), day).items if item.id == obligation]
    if not found:
        raise NotFound(f"截至 {day.isoformat()} 没有编号为“{obligation}”的未谈或未完成义务。"
                       "可用 tanxin due --json 或 tanxin compliance --year 年度 查看各项的 id。")
    item = found[0]
    return item, item.year or int((item.due_by or day.isoformat())[:4])


@compliance_group.command("waive")
@click.argument("obligation", metavar="义务")
@click.option("--reason", required=True, help="为什么不再谈（如 本人已调离、事件录入有误）。记录后不能修改。")
@click.option("--as-of", "as_of", type=DAY, help=AS_OF_HELP)
@pass_state
def waive_command(state: CliState, obligation: str, reason: str, as_of: date | None) -> None:
    """免谈：记录一项应谈义务不再进行及其理由。“义务”为 tanxin due --json 或 compliance 中的 id。"""
    from notes.errors import InvalidInput
    from notes.waivers import record_note

    day = (as_of or state.today())
    with state.store() as store:
        item, year = _owed(store, obligation, day)
        if item.kind not in ("event", "rule") or item.status != "open":
            raise InvalidInput(f"“{obligation}”不是待谈的义务：已到期未完成的频次义务请用 tanxin compliance acknowledge。")
        record_note(store, "waiver", obligation, year, item.person_id, reason)
    click.echo(f"已记录免谈：{visible(item.person)} {item.type_name}（{item.rule_name}），理由：{visible(reason)}。")


@compliance_group.command("acknowledge")
@click.argument("obligation", metavar="义务", required=False)
@click.option("--year", type=YEAR, metavar="年度", help="说明这一年全部未完成的频次义务（不给义务时）。")
@click.option("--reason", required=True, help="情况说明（如 已在年度总结中说明）。记录后不能修改。")
@click.option("--as-of", "as_of", type=DAY, help=AS_OF_HELP)
@pass_state
def acknowledge_command(state: CliState, obligation: str | None, year: int | None, reason: str,
                        as_of: date | None) -> None:
    """已说明：记录未完成的频次义务（“2026 年未完成”）已作说明；此后不再列入应谈。给出义务或 --year。"""
    from notes.errors import InvalidInput
    from notes.waivers import record_note, year_obligation

    if (obligation is None) == (year is None):
        raise click.UsageError("请给出一项义务的 id，或用 --year 说明一年的全部未完成义务（二者选一）。")
    if obligation is None:
        assert year is not None
        if year >= (as_of or state.today()).year:
            raise InvalidInput(f"{year} 年尚未结束：年度结束后才能对未完成的义务作说明。")
        with state.store() as store:
            record_note(store, "acknowledgement", year_obligation(year), year, None, reason)
        click.echo(f"已记录：{year} 年未完成的频次义务已作说明（{visible(reason)}）。")
        return
    day = (as_of or state.today())
    with state.store() as store:
        item, owed_year = _owed(store, obligation, day)
        if item.status != "missed":
            raise InvalidInput(f"“{obligation}”不是已到期未完成的频次义务；不再进行的应谈请用 tanxin compliance waive。")
        record_note(store, "acknowledgement", obligation, owed_year, item.person_id, reason)
    click.echo(f"已记录：{visible(item.person)} {item.rule_name}（{owed_year} 年未完成）已作说明。")


@compliance_group.command("delegate")
@click.argument("talk", metavar="谈话")
@click.option("--interviewer", required=True, metavar="人员", help="受托谈话的谈话人（id 或姓名），须已是这次谈话的谈话人。")
@click.option("--role", required=True, help="其代表的职务，即规则要求的谈话人，如 班子成员、支委、部门负责人。")
@click.option("--reason", required=True, help="受托理由（如 机关党委指派的组织员）。记录后不能修改。")
@pass_state
def delegate_command(state: CliState, talk: str, interviewer: str, role: str, reason: str) -> None:
    """受托谈话：记录某次谈话的谈话人受委托代表规则要求的职务谈话（如上级党组织指派的组织员）。

    “谈话”为谈话 id 或编号。此后该谈话按所代表的职务计入应谈事项。
    """
    from notes.errors import InvalidInput
    from notes.people import resolve_person
    from notes.talks import resolve_talk, talk_row
    from notes.waivers import record_delegate
    from prep.packs import ROLES

    if role not in ROLES:
        raise InvalidInput(f"没有“{role}”这种职务。可选的有：{'、'.join(ROLES)}。")
    with state.store() as store:
        talk_id = resolve_talk(store, talk)
        person_id = resolve_person(store, interviewer)
        record_delegate(store, talk_id, person_id, role, reason)
        code = talk_row(store, talk_id)["code"]
    click.echo(f"已记录：{code} 的谈话人 {visible(interviewer)} 代表{role}谈话（{visible(reason)}）。")


COMMANDS = [compliance_group]
