"""The record from the command line: talks, show, followups, verify, chain-head, public-key.

User text (names, entries) is printed with control characters made visible, so an escape sequence stored in a
record cannot act on the terminal; JSON output carries the text exactly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from notes.vocabulary import FOLLOWUP_STATUS_LABELS, STATUS_LABELS
from tui.commands.common import YEAR, CliState, LabelledChoice, echo_json, pass_state, visible

if TYPE_CHECKING:
    from notes.model import Followup, Person, TalkRecord
    from notes.store import Store
    from notes.talk_pause import TalkTime


@dataclass(frozen=True)
class PackView:
    """What the lists need from the active packs: talk type names and the escalation ladder."""

    type_names: dict[str, str]
    ladder: tuple[tuple[int, str], ...]

    def type_name(self, type_id: str) -> str:
        return self.type_names.get(type_id, type_id)


def _pack_view(store: Store) -> PackView:
    """The records stay listable when a pack cannot be loaded (removed, broken): ids instead of names."""
    from notes.errors import TanxinError
    from prep.active import active_policy

    try:
        policy = active_policy(store)
    except TanxinError as exc:
        click.echo(f"注意：政策包无法载入，谈话类型以 id 显示，不给出督促建议。（{exc.message}）", err=True)
        return PackView({}, ())
    return PackView({type_id: kind.name for type_id, kind in policy.talk_types.items()},
                    policy.escalation_rungs())


def _when(value: str | None) -> str:
    return "—" if not value else value.replace("T", " ")[:16]


def _person_id(store: Store, text: str | None) -> int | None:
    from notes.people import resolve_person

    return None if text is None else resolve_person(store, text)


# -- talks -------------------------------------------------------------------------------------------------


@click.command("talks")
@click.option("--person", "person", metavar="人员", help="人员 id 或姓名：只列出此人参加的谈话。")
@click.option("--status", type=LabelledChoice(STATUS_LABELS),
              help="只列出此状态的谈话（也可写英文 id，如 sealed，与 JSON 中的 status 相同）。")
@click.option("--year", type=YEAR, metavar="年度", help="只列出这一年进行（或计划）的谈话。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（每个谈话含 id、person、type、held_at、status）。")
@pass_state
def talks_command(state: CliState, person: str | None, status: str | None, year: int | None, as_json: bool) -> None:
    """列出谈话，最近的在前。"""
    from notes.talks import list_talks

    with state.store(read_only=True) as store:
        found = list_talks(store, person_id=_person_id(store, person), status=status, year=year)
        packs = _pack_view(store)
    if as_json:
        echo_json([{**t.as_json(), "type_name": packs.type_name(t.talk_type)} for t in found])
        return
    if not found:
        click.echo("没有符合条件的谈话。")
        return
    for t in found:
        click.echo(
            f"{t.code or t.id:<14} {_when(t.held_at):<16}  {packs.type_name(t.talk_type)}  "
            f"{visible(t.person)}  {t.status_label}"
        )
    click.echo(f"共 {len(found)} 次谈话。")


# -- show --------------------------------------------------------------------------------------------------


def _people(refs: Sequence[Person]) -> str:
    return "、".join(
        visible(p.name) + (f"（{visible('·'.join(x for x in (p.unit, p.position) if x))}）" if p.unit or p.position
                            else "")
        for p in refs
    ) or "—"


def _indented(text: str, indent: str) -> str:
    return visible(text, keep_newlines=True).replace("\n", "\n" + indent)


def _followup_line(f: Followup, ladder: Sequence[tuple[int, str]], today: date) -> str:
    from notes.followups import next_step

    due = f"，期限 {f.due_on}" if f.due_on else ""
    late = "，已逾期" if f.is_overdue(today) else ""
    step = next_step(f, ladder, today)
    suggestion = f"，建议：{step}" if step else ""
    owner = f"，负责人 {visible(f.owner.name)}" if f.owner else ""
    return f"#{f.id} {f.kind}：{visible(f.title)}（{f.status_label}{due}{late}{owner}{suggestion}）"


def _time_away(time: TalkTime, today: date) -> str:
    """（其间暂离 12 分钟）, and while the interviewer is away（暂离中，10:05 起, with the day when it was not
    today）: the time not counted as talk time."""
    from notes.talk_pause import away_moment_text, away_note

    parts = [away_note(time.paused_seconds)]
    if time.away_since is not None:
        parts.append(f"暂离中，{away_moment_text(time.away_since, today)} 起")
    shown = "，".join(part for part in parts if part)
    return f"（{shown}）" if shown else ""


def _print_record(record: TalkRecord, time: TalkTime, type_name: str, ladder: Sequence[tuple[int, str]],
                  today: date) -> None:
    echo = click.echo
    echo(f"谈话 {record.code}（id {record.id}）  {type_name}  {record.status_label}")
    echo(f"时间：{_when(record.held_at)} 至 {_when(record.ended_at)}{_time_away(time, today)}  地点：{visible(record.place) or '—'}  "
         f"形式：{record.form} · {record.channel}")
    echo(f"谈话人：{_people(record.interviewers)}")
    echo(f"谈话对象：{_people(record.interviewees)}")
    if record.note_taker:
        echo(f"记录人：{_people([record.note_taker])}")
    if record.subject:
        echo(f"事由：{_indented(record.subject, '      ')}")
    if record.status == "cancelled":
        echo(f"取消原因：{visible(record.cancel_reason)}" + ("（谈话对象拒绝谈话）" if record.refused else ""))
    secret = sum(1 for e in record.entries if e.confidential)
    echo("")
    echo(f"记录（{len(record.entries)} 条" + (f"，其中保密 {secret} 条" if secret else "") + "）：")
    for number, entry in enumerate(record.entries, 1):
        mark = "【保密】" if entry.confidential else ""
        heading = f"{visible(entry.heading)} · " if entry.heading else ""
        echo(f"  {number}. {mark}[{heading}{entry.kind}] {_indented(entry.text, '     ')}")
    if record.summary:
        echo(f"信息汇总：{_indented(record.summary, '  ')}")
    if record.statement or record.confirmed:
        echo(f"谈话对象表态：{_indented(record.statement, '  ') or '—'}（{'已' if record.confirmed else '未'}确认）")
    if record.inquiry:
        inquiry = record.inquiry
        echo(f"函询：{inquiry.sent_on or '—'} 发函；问题：{_indented(inquiry.questions, '  ') or '—'}")
        echo(f"书面回复：{inquiry.received_on or '未收到'}；{_indented(inquiry.reply, '  ') or '—'}")
    if record.followups:
        echo("跟踪事项：")
        for followup in record.followups:
            echo(f"  {_followup_line(followup, ladder, today)}")
    if record.seal:
        s = record.seal
        echo(f"封存：第 {s.seq} 号，{_when(s.sealed_at)}；内容哈希 {s.content_hash}；链哈希 {s.chain_hash}")
    for amendment in record.amendments:
        sealed = f"第 {amendment.seal.seq} 号封存" if amendment.seal else "未封存"
        echo(f"更正 #{amendment.id}（{_when(amendment.created_at)}，{sealed}）：{visible(amendment.reason)}")
        echo(f"  {visible(json.dumps(amendment.change, ensure_ascii=False))}")


@click.command("show")
@click.argument("talk", metavar="谈话")
@click.option("--json", "as_json", is_flag=True, help="输出整个记录的 JSON（含保密条目及其标记、跟踪事项、封存）。")
@pass_state
def show_command(state: CliState, talk: str, as_json: bool) -> None:
    """显示一次谈话的完整记录（供谈话人本人查看，含保密内容）。“谈话”为谈话 id 或编号（如 TX-2026-0001）。"""
    from notes.talks import get_talk, resolve_talk, talk_time

    with state.store(read_only=True) as store:
        talk_id = resolve_talk(store, talk)
        record = get_talk(store, talk_id)
        time = talk_time(store, talk_id)
        packs = _pack_view(store)
    if as_json:
        away = time.away_since
        echo_json({**record.as_json(state.today(), include_confidential=True), "type_name": packs.type_name(record.talk_type),
                   # The talk's time without the time away (null when it has no start time), so far if in progress.
                   "duration_seconds": time.net_seconds(state.clock.now()) if time.started_at else None,
                   "paused_seconds": time.paused_seconds,
                   "away_since": None if away is None else away.isoformat(timespec="seconds")})
    else:
        _print_record(record, time, packs.type_name(record.talk_type), packs.ladder, state.today())


# -- followups ---------------------------------------------------------------------------------------------


@click.command("followups")
@click.option("--overdue", is_flag=True, help="只列出已过期限、尚未完成的事项。")
@click.option("--person", "person", metavar="人员", help="人员 id 或姓名：只列出涉及此人的事项。")
@click.option("--status", type=LabelledChoice(FOLLOWUP_STATUS_LABELS),
              help="只列出此状态的事项（也可写英文 id，如 open，与 JSON 中的 status 相同）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@pass_state
def followups_command(state: CliState, overdue: bool, person: str | None, status: str | None, as_json: bool) -> None:
    """列出谈话后的跟踪事项（整改、帮扶、转有关部门、向党组织汇报、移送纪检），按期限排序。"""
    from notes.followups import list_followups, next_step

    today = state.today()
    with state.store(read_only=True) as store:
        found = list_followups(store, person_id=_person_id(store, person), status=status,
                               overdue_as_of=today if overdue else None)
        ladder = _pack_view(store).ladder
    if as_json:
        echo_json([{**f.as_json(today), "next_step": next_step(f, ladder, today)} for f in found])
        return
    if not found:
        click.echo("没有逾期的跟踪事项。" if overdue else "没有符合条件的跟踪事项。")
        return
    for followup in found:
        click.echo(f"{visible(followup.person.name)}（谈话 {followup.talk_code}）{_followup_line(followup, ladder, today)}")
    click.echo(f"共 {len(found)} 项。")


# -- verify and the chain head -----------------------------------------------------------------------------


def _verify_document(store: Store, path: Path, as_json: bool) -> bool:
    from notes.docverify import verify_document
    from prep.active import policy_facts

    report = verify_document(store, path, facts=policy_facts(store))
    if as_json:
        echo_json(report.as_json())
    else:
        for line in report.lines():
            click.echo(visible(line))
    return report.ok


def _verify_chain(store: Store, head: str | None, public_key: Path | None, as_json: bool) -> bool:
    from notes.seal import verify_chain

    trusted = None if public_key is None else public_key.read_text(encoding="utf-8", errors="replace")
    report = verify_chain(store, head, trusted_public_key=trusted)
    if as_json:
        echo_json(report.as_json())
        return report.ok
    if report.ok:
        click.echo(f"封存链完好：核对了 {report.checked} 条封存记录，内容、链接和签名均一致。")
        click.echo(f"当前链头：{report.head}")
        if head is None:
            click.echo("提示：用 --head 对照保存在数据库之外的链头，才能发现被截去的链尾。")
        return True
    first = report.first_problem
    assert first is not None
    click.echo(f"封存链核验未通过：发现 {len(report.problems)} 处问题（核对了 {report.checked} 条封存记录）。", err=True)
    click.echo(f"第一处：{visible(first.message)}", err=True)
    for problem in report.problems:
        if problem is not first:
            click.echo(f"  {visible(problem.message)}", err=True)
    return False


@click.command("verify")
@click.argument("file", metavar="文件", required=False, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--head", metavar="链头", help="保存在数据库之外的链头（tanxin chain-head 的输出），用来发现被截去的链尾。")
@click.option("--public-key", "public_key", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="早先导出的公钥文件（PEM），用来发现被替换的签名密钥。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@pass_state
def verify_command(state: CliState, file: Path | None, head: str | None, public_key: Path | None,
                   as_json: bool) -> None:
    """核验封存链：每条封存记录的内容、链接与签名；有问题时指出第一条出问题的记录，退出码为 1。

    给出文件（.docx）时，核验 tanxin 导出的文档与数据库中的封存记录是否一致。
    """
    if file is not None and file.suffix.lower() != ".docx":
        raise click.UsageError(f"只能核验 .docx 文档，{file.name} 不是。")
    if file is not None and (head or public_key):
        raise click.UsageError("--head 与 --public-key 只用于核验封存链；核验文档时，文档自带本记录封存时的链位置。")
    with state.store(read_only=True) as store:
        ok = _verify_document(store, file, as_json) if file else _verify_chain(store, head, public_key, as_json)
    if not ok:
        click.get_current_context().exit(1)


@click.command("chain-head")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（head、seq、chain_hash）。")
@pass_state
def chain_head_command(state: CliState, as_json: bool) -> None:
    """显示封存链的链头（序号:链哈希）。请把它抄存在数据库之外，核验时用 verify --head 对照。"""
    from notes.seal import chain_head, parse_head

    with state.store() as store:
        head = chain_head(store)
        store.audit("export", "chain_head", None, head=head)
    if as_json:
        seq, chain_hash = parse_head(head)
        echo_json({"head": head, "seq": seq, "chain_hash": chain_hash})
    else:
        click.echo(head)


@click.command("public-key")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="把公钥写入此文件（不覆盖已有文件）。")
@pass_state
def public_key_command(state: CliState, out: Path | None) -> None:
    """导出签名公钥（PEM），供上级组织核验封存记录的签名。首次使用时生成密钥对。"""
    from notes.errors import TanxinError
    from notes.seal import export_public_key

    with state.store() as store:
        pem = export_public_key(store)
    if out is None:
        click.echo(pem, nl=False)
        return
    try:
        with out.open("x", encoding="ascii") as handle:
            handle.write(pem)
    except FileExistsError:
        raise TanxinError(f"{out} 已存在，未作改动。请换一个文件名。") from None
    except OSError as exc:
        raise TanxinError(f"无法写入 {out}：{exc.strerror}。") from None
    click.echo(f"公钥已写入 {out}。")


COMMANDS = [talks_command, show_command, followups_command, verify_command, chain_head_command, public_key_command]
