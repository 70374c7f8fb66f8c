"""`tanxin procedure` and `tanxin inquiry`: what a 提醒, 诫勉 or 函询 needs beside its talk, step by step.

`procedure set` gives the 事由 (the problem, in the user's words) and a 诫勉's decision (day, deciding body, 文号);
their documents are not exported, nor the talks sealed, without them (notes/procedure.py). `inquiry send`,
`reply` and `assess` record a 函询: the letter sent with its questions and reply deadline, the written reply,
the organisation's assessment. User text is printed with control characters made visible.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from tui.commands.common import DAY, DAY_FORMS, CliState, echo_json, pass_state, visible

if TYPE_CHECKING:
    from notes.store import Store

def _show_procedure(store: Store, talk_id: int, as_json: bool) -> None:
    """The talk's procedure data, and what it still lacks for export and seal."""
    from notes.procedure import how_to_add, load_procedure, procedure_gaps
    from notes.talks import get_talk
    from prep.active import policy_facts

    talk = get_talk(store, talk_id)
    info = policy_facts(store).talk_type(talk.talk_type)
    procedure = load_procedure(store, talk, info)
    gaps = procedure_gaps(talk, info, procedure)
    if as_json:
        echo_json({"code": talk.code, "talk_type": info.name, **procedure.as_json(),
                   "inquiry": talk.inquiry.as_json() if talk.inquiry else None, "missing": gaps})
        return
    click.echo(f"{talk.code}　{info.name}　{talk.channel}")
    click.echo(f"事由：{visible(procedure.reason) or '（未填写）'}")
    if procedure.decided_on or procedure.decided_by or procedure.decision_number:
        click.echo(f"诫勉决定：{procedure.decided_on or '—'}　{visible(procedure.decided_by) or '—'}　"
                   f"文号：{visible(procedure.decision_number) or '无'}")
    if talk.inquiry is not None:
        inquiry = talk.inquiry
        click.echo(f"发函：{inquiry.sent_on or '未发'}　回复期限：{procedure.reply_due_on or '—'}　"
                   f"收到回复：{inquiry.received_on or '未收到'}")
        click.echo(f"函询问题：{visible(inquiry.questions) or '—'}")
        click.echo(f"书面回复：{visible(inquiry.reply) or '—'}")
        click.echo(f"组织意见：{visible(talk.summary) or '—'}")
    if gaps:
        click.echo(f"还缺少：{'、'.join(gaps)}。{how_to_add(talk, info)}")


@click.group("procedure")
def procedure_group() -> None:
    """提醒、诫勉、函询的程序信息：事由，诫勉决定（日期、决定机关、文号）。

    提醒谈话、诫勉谈话和函询须写明事由（谈话所针对的问题，用自己的话），诫勉还须有诫勉决定；缺少时不能导出记录、
    通知书或函询函，也不能封存。
    """


@procedure_group.command("set")
@click.argument("talk", metavar="谈话")
@click.option("--reason", help="事由：谈话所针对的问题，如“近两个月三次未按时报送价格监测数据”。")
@click.option("--decision-date", "decided_on", type=DAY, help="诫勉决定的日期。" + DAY_FORMS)
@click.option("--decided-by", help="作出诫勉决定的机关，如“中共青川市发展和改革委员会机关委员会”。")
@click.option("--number", "decision_number", help="诫勉决定的文号，如“青发改机党〔2026〕7号”；没有文号时不填。")
@pass_state
def set_command(state: CliState, talk: str, reason: str | None, decided_on: date | None, decided_by: str | None,
                decision_number: str | None) -> None:
    """填写谈话的事由和诫勉决定；未给出的项保持不变。“谈话”是谈话编号（如 TX-2026-0001）或 id。"""
    from notes.procedure import set_procedure
    from notes.talks import resolve_talk

    if reason is None and decided_on is None and decided_by is None and decision_number is None:
        raise click.UsageError("请至少给出 --reason、--decision-date、--decided-by、--number 中的一项。")
    with state.store() as store:
        talk_id = resolve_talk(store, talk)
        set_procedure(store, talk_id, reason=reason, decided_on=decided_on, decided_by=decided_by,
                      decision_number=decision_number)
        _show_procedure(store, talk_id, as_json=False)


@procedure_group.command("show")
@click.argument("talk", metavar="谈话")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@pass_state
def show_command(state: CliState, talk: str, as_json: bool) -> None:
    """显示谈话的事由、诫勉决定和函询各步，以及导出、封存前还缺少什么。“谈话”是谈话编号或 id。"""
    from notes.talks import resolve_talk

    with state.store(read_only=True) as store:
        _show_procedure(store, resolve_talk(store, talk), as_json)


@click.group("inquiry")
def inquiry_group() -> None:
    """函询：发函（问题、回复期限）、收到书面回复、组织意见。

    谈话方式须为“函询”。发函之日谈话开始，函询函以此日落款；收到回复之日谈话结束；之后填写组织意见、封存。
    """


@inquiry_group.command("send")
@click.argument("talk", metavar="谈话")
@click.option("--sent", "sent_on", type=DAY, help="发函日期（默认今天）。" + DAY_FORMS)
@click.option("--question", "questions", multiple=True,
              help="要求对方说明的问题，每个问题给一次 --question；已记录过问题时可省略。")
@click.option("--due", "reply_due_on", type=DAY, help="回复期限：请对方在此日前书面回复。" + DAY_FORMS)
@pass_state
def send_command(state: CliState, talk: str, sent_on: date | None, questions: tuple[str, ...],
                 reply_due_on: date | None) -> None:
    """记录函询已发出：发函日期、函询问题、回复期限。“谈话”是谈话编号或 id。"""
    from notes.inquiry import send_inquiry
    from notes.talks import resolve_talk

    with state.store() as store:
        talk_id = resolve_talk(store, talk)
        send_inquiry(store, talk_id, sent_on=sent_on or state.today(),
                     questions="\n".join(q.strip() for q in questions) if questions else None,
                     reply_due_on=reply_due_on)
        _show_procedure(store, talk_id, as_json=False)


@inquiry_group.command("reply")
@click.argument("talk", metavar="谈话")
@click.option("--text", "reply", required=True, help="书面回复的内容（必填）。")
@click.option("--received", "received_on", type=DAY, help="收到回复的日期（默认今天）。" + DAY_FORMS)
@pass_state
def reply_command(state: CliState, talk: str, reply: str, received_on: date | None) -> None:
    """记录收到的书面回复；函询进行中时，谈话于收到之日结束。“谈话”是谈话编号或 id。"""
    from notes.inquiry import reply_received
    from notes.talks import resolve_talk

    with state.store() as store:
        talk_id = resolve_talk(store, talk)
        reply_received(store, talk_id, received_on=received_on or state.today(), reply=reply)
        _show_procedure(store, talk_id, as_json=False)


@inquiry_group.command("assess")
@click.argument("talk", metavar="谈话")
@click.option("--text", "assessment", required=True, help="组织对回复的意见（必填），记为谈话的信息汇总。")
@pass_state
def assess_command(state: CliState, talk: str, assessment: str) -> None:
    """填写组织对书面回复的意见（了结、提醒、进一步核查等）。“谈话”是谈话编号或 id。"""
    from notes.inquiry import assess_reply
    from notes.talks import resolve_talk

    with state.store() as store:
        talk_id = resolve_talk(store, talk)
        assess_reply(store, talk_id, assessment)
        _show_procedure(store, talk_id, as_json=False)


COMMANDS = [procedure_group, inquiry_group]
