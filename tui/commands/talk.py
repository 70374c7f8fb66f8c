"""A talk from the command line, as it happens or written up afterwards (补录): new, note, end, seal.

Many talks are held away from the laptop and written up later from paper notes. `talk new --at` in the past
records when the talk really began, and `talk end --at` when it ended: the record, its follow-ups, the due engine
and the ledger all file the talk under the day it was held, not the day it was typed (docs/clock.md). The
record itself shows that it was written up later (notes/documents/records.py).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from notes.vocabulary import ENTRY_KINDS, FORMS
from tui.commands.common import MOMENT, MOMENT_FORMS, CliState, pass_state

if TYPE_CHECKING:
    from notes.store import Store

def _people(store: Store, names: tuple[str, ...]) -> list[int]:
    from notes.people import resolve_person

    return [resolve_person(store, name) for name in names]


def _talk_id(store: Store, talk: str) -> int:
    from notes.talks import resolve_talk

    return resolve_talk(store, talk)


def refuse_if_edited(store: Store, talk_id: int, doing: str) -> None:
    """A talk open for editing in an app window is written there (notes/leases.py)."""
    from notes.leases import refuse_if_edited as refuse

    refuse(store, talk_id, doing)


@click.group("talk")
def talk_group() -> None:
    """记录一次谈话：新建（可补录已进行的谈话）、记要点、结束、封存。

    \b
    例：tanxin talk new 李明 --type 日常谈话 --at "2026-03-12 14:30" \\
            --interviewer 张书记 --recorder 赵干事
        tanxin talk note TX-2026-0007 "工作压力较大，希望多交流" \\
            --kind 困难诉求 --heading 谈生活
        tanxin talk end TX-2026-0007 --at "2026-03-12 15:10" \\
            --summary "思想稳定" --statement "按期整改"
        tanxin talk seal TX-2026-0007
    """


@talk_group.command("new")
@click.argument("person", metavar="人员")
@click.option("--type", "talk_type", required=True, metavar="类型", help="谈话类型（id 或名称，如 routine 或 日常谈话）。")
@click.option("--at", "at", type=MOMENT, help="谈话开始的时间：已过去的时间即补录；将来的时间为计划中的谈话。默认现在开始。" + MOMENT_FORMS)
@click.option("--interviewer", "interviewers", multiple=True, required=True, metavar="人员",
              help="谈话人（id 或姓名），可重复给出。")
@click.option("--recorder", metavar="人员", help="记录人（id 或姓名）。")
@click.option("--form", type=click.Choice(FORMS), default="个别", show_default=True, help="个别谈话或集体谈话。")
@click.option("--with", "others", multiple=True, metavar="人员", help="其他谈话对象（集体谈话），可重复给出。")
@click.option("--channel", default="面对面", show_default=True, help="谈话方式：面对面、电话、上门、函询……")
@click.option("--place", default="", help="谈话地点。")
@click.option("--subject", default="", help="谈话事由（默认“姓名同志＋谈话类型”）。")
@pass_state
def new_command(state: CliState, person: str, talk_type: str, at: datetime | None, interviewers: tuple[str, ...],
                recorder: str | None, form: str, others: tuple[str, ...], channel: str, place: str,
                subject: str) -> None:
    """新建一次谈话。“人员”为谈话对象（id 或姓名）。--at 为过去的时间时，谈话即从那时开始（补录）。"""
    from notes import talks
    from notes.model import people_by_id
    from prep.active import active_policy

    with state.store() as store:
        kind = active_policy(store).talk_type(talk_type)
        interviewees = _people(store, (person, *others))
        now = store.clock.now()
        moment = (at or now).replace(second=0, microsecond=0)
        name = people_by_id(store, interviewees[:1])[interviewees[0]].name
        talk_id = talks.create_talk(
            store,
            talk_type=kind.id,
            category=kind.category,
            interviewers=_people(store, interviewers),
            interviewees=interviewees,
            note_taker=_people(store, (recorder,))[0] if recorder else None,
            form=form,
            channel=channel,
            planned_at=moment.isoformat(),
            place=place,
            subject=subject or f"{name}同志{kind.name}",
        )
        code = talks.talk_row(store, talk_id)["code"]
        if moment > now:
            click.echo(f"已安排 {code}：{kind.name}，{moment:%Y-%m-%d %H:%M}。到时用 tanxin talk note {code} 记录。")
            return
        talks.start_talk(store, talk_id, at=moment.isoformat())
    late = "（补录）" if at is not None and at.date() < now.date() else ""
    click.echo(f"已开始 {code}{late}：{kind.name}，{moment:%Y-%m-%d %H:%M}。用 tanxin talk note {code} 记录要点。")


@talk_group.command("note")
@click.argument("talk", metavar="谈话")
@click.argument("text", metavar="内容")
@click.option("--kind", type=click.Choice(ENTRY_KINDS), default="事实情况", show_default=True, help="记录类别。")
@click.option("--heading", default="", help="所属要点：本类谈话的必谈要点，或 谈思想/谈履职/谈作风/谈生活。")
@click.option("--confidential", is_flag=True, help="保密：只出现在内部存档件中，不进入签字件、台账和提纲。")
@pass_state
def note_command(state: CliState, talk: str, text: str, kind: str, heading: str, confidential: bool) -> None:
    """给一次谈话记一条要点。“谈话”为谈话 id 或编号；“内容”为要点（含空格时加引号）。"""
    from notes import talks

    with state.store() as store:
        talk_id = _talk_id(store, talk)
        refuse_if_edited(store, talk_id, "添加记录")
        record = talks.talk_row(store, talk_id)  # the talk's own row: code, type, times
        # Written up on a later day, an entry's minute in the talk is unknown: the time since the start would
        # be days. During the talk it is the time since the start, as in the app.
        live = record["started_at"] is not None and record["started_at"][:10] == store.clock.today().isoformat()
        entry_id = talks.add_entry(store, talk_id, text=text, heading=heading, kind=kind, confidential=confidential,
                                   offset_seconds=None if live else 0)
        _, entry = talks.get_entry(store, entry_id)
    click.echo(f"已记录 {record['code']} 第 {entry.position} 条（{kind}{'，保密' if confidential else ''}）。")


@talk_group.command("end")
@click.argument("talk", metavar="谈话")
@click.option("--at", "at", type=MOMENT, help="谈话结束的时间，默认现在；补录时必须给出。" + MOMENT_FORMS)
@click.option("--summary", help="信息汇总。")
@click.option("--statement", help="谈话对象表态。")
@click.option("--confirmed", is_flag=True, help="记录内容已经谈话对象确认。")
@pass_state
def end_command(state: CliState, talk: str, at: datetime | None, summary: str | None, statement: str | None,
                confirmed: bool) -> None:
    """结束一次谈话，可同时写入信息汇总与表态。“谈话”为谈话 id 或编号。"""
    from notes import talks
    from notes.errors import InvalidInput
    from notes.talk_pause import away_note

    with state.store() as store:
        talk_id = _talk_id(store, talk)
        refuse_if_edited(store, talk_id, "结束")
        record = talks.talk_row(store, talk_id)  # the talk's own row: code, type, times
        started = record["started_at"]
        if at is None and started and started[:10] != store.clock.today().isoformat():
            raise InvalidInput(f"谈话 {record['code']} 开始于 {started[:16].replace('T', ' ')}，不是今天："
                               "补录的谈话请用 --at 给出结束时间。")
        talks.finish_talk(store, talk_id, at=None if at is None else at.isoformat())
        if summary is not None or statement is not None or confirmed:
            talks.set_outcome(store, talk_id, summary=summary, statement=statement, confirmed=confirmed or None)
        away = away_note(talks.talk_time(store, talk_id).paused_seconds)
    away_part = f"（{away}，不计入谈话用时）" if away else ""
    click.echo(f"已结束 {record['code']}{away_part}。核对无误后用 tanxin talk seal {record['code']} 封存。")


@talk_group.command("seal")
@click.argument("talk", metavar="谈话")
@pass_state
def seal_command(state: CliState, talk: str) -> None:
    """签章封存一次已结束的谈话：此后只能以更正记录修改。“谈话”为谈话 id 或编号。

    记录不完整（必谈要点未记录、信息汇总或表态为空、谈话对象未确认）时先列出缺项；在终端中须两次确认才封存，
    在脚本中照常封存并在标准错误输出中列出缺项。
    """
    from notes import talks
    from notes.procedure import require_procedure_before
    from notes.seal import record_gaps, seal_talk
    from prep.active import active_policy, policy_facts

    with state.store() as store:
        talk_id = _talk_id(store, talk)
        refuse_if_edited(store, talk_id, "封存")
        # 提醒/诫勉/函询 need their 事由 (and 诫勉 its decision) before anything about completeness is asked.
        require_procedure_before(store, talk_id, policy_facts(store), "封存")
        record = talks.get_talk(store, talk_id)
        kind = active_policy(store).talk_types.get(record.talk_type)
        gaps = record_gaps(record, [point.text for point in kind.points] if kind else [])
        if gaps:
            click.echo(f"注意：{record.code} 的记录还不完整：", err=True)
            for gap in gaps:
                click.echo(f"  · {gap}", err=True)
            if _at_terminal() and not (
                click.confirm("封存后不能再补充，只能添加更正记录。仍要封存？", default=False, err=True)
                and click.confirm("再次确认：封存这份不完整的记录？", default=False, err=True)
            ):
                raise click.Abort
        info = seal_talk(store, talk_id, require_rectification=bool(kind and kind.followup_deadline_required))
    click.echo(f"已封存 {record.code}（链上第 {info.seq} 号）。可用 tanxin export record {record.code} 导出签字件。")


def _at_terminal() -> bool:
    """Someone at a terminal can be asked; a script cannot."""
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


@talk_group.command("rescue")
@click.argument("file", metavar="文件", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_state
def rescue_command(state: CliState, file: Path) -> None:
    """把退出时写出的加密救援副本放回记录。“文件”为救援副本（.tanxin-rescue）。

    期间被另一窗口改过的条目两份文字都保留；已封存的谈话不再改动，列出未放回的内容。
    """
    from notes.rescue import apply_rescue

    with state.store() as store:
        written, refused = apply_rescue(store, file)
    click.echo(f"已放回 {written} 项内容。")
    for message in refused:
        click.echo(f"未放回：{message}", err=True)


COMMANDS = [talk_group]
