"""Documents from the command line: `tanxin export record|notice|inquiry|ledger|handbook …` and `tanxin report`.

An existing file is never overwritten without --force: a signed record or a ledger someone edited by hand could
otherwise be lost to a mistyped path. The check is made twice: before the database is opened (a quick answer),
and again when the file is put in place (notes/documents/docxfile.py), so a file that appears meanwhile is not
replaced either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from tui.commands.common import DAY, DAY_FORMS, YEAR, CliState, pass_state

OUT_HELP = "输出文件（已存在时不覆盖，除非加 --force）。"
FORCE_HELP = "覆盖已存在的输出文件。"
TEMPLATE_HELP = "改用本单位的 DOCX 模板（只能使用 tanxin 提供的变量，见 templates/docx/README.md）。"


def _out_option(suffix: str) -> Callable[[Any], Any]:
    return click.option(
        "--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False),
        help=f"{OUT_HELP[:-1]}，通常以 {suffix} 结尾。",
    )


def _force_option() -> Callable[[Any], Any]:
    return click.option("--force", is_flag=True, help=FORCE_HELP)


def _template_option() -> Callable[[Any], Any]:
    return click.option("--template", "template", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                        help=TEMPLATE_HELP)


def _refuse_overwrite(out: Path, force: bool) -> Path:
    from notes.errors import InvalidInput

    out = out.expanduser()
    if out.exists() and not force:
        raise InvalidInput(f"{out} 已存在，未覆盖。要覆盖请加 --force，或换一个文件名。")
    return out


def _done(out: Path, what: str) -> None:
    click.echo(f"已导出{what}：{out}")


@click.group("export")
def export_group() -> None:
    """导出文档：谈话记录、诫勉通知书、函询函、台账、《党员手册》记录和谈话提纲。"""


@export_group.command("record")
@click.argument("talk", metavar="谈话")
@_out_option(".docx")
@click.option("--internal", is_flag=True,
              help="内部存档件：包含保密条目，页眉与条目旁标注“内部存档·保密”。不得交给谈话对象签字。")
@_template_option()
@_force_option()
@pass_state
def export_record(state: CliState, talk: str, out: Path, internal: bool, template: Path | None, force: bool) -> None:
    """导出一次谈话的记录表（供签字；保密条目不出现）。“谈话”为谈话 id 或编号。

    记录表的样式取决于谈话类型：谈心谈话记录表、提醒谈话记录表或诫勉谈话记录。已封存的记录带有校验码行，
    可用 tanxin verify 文件.docx 核验。
    """
    from notes.documents import render_record
    from notes.talks import resolve_talk
    from prep.active import policy_facts

    out = _refuse_overwrite(out, force)
    with state.store() as store:
        render_record(store, resolve_talk(store, talk), out, facts=policy_facts(store), internal=internal,
                      template=template, replace=force)
    _done(out, "谈话记录（内部存档·保密件）" if internal else "谈话记录")


@export_group.command("notice")
@click.argument("talk", metavar="谈话")
@_out_option(".docx")
@_template_option()
@_force_option()
@pass_state
def export_notice(state: CliState, talk: str, out: Path, template: Path | None, force: bool) -> None:
    """导出诫勉谈话的《诫勉通知书》（与谈话一并下达；由组织部门留存，不归入本人档案）。"""
    from notes.documents import render_notice
    from notes.talks import resolve_talk
    from prep.active import policy_facts

    out = _refuse_overwrite(out, force)
    with state.store() as store:
        render_notice(store, resolve_talk(store, talk), out, facts=policy_facts(store), template=template,
                      replace=force)
    _done(out, "诫勉通知书")


@export_group.command("inquiry")
@click.argument("talk", metavar="谈话")
@_out_option(".docx")
@_template_option()
@_force_option()
@pass_state
def export_inquiry(state: CliState, talk: str, out: Path, template: Path | None, force: bool) -> None:
    """导出函询通知书及函询回复表（已收到回复时一并填入）。"""
    from notes.documents import render_inquiry
    from notes.talks import resolve_talk
    from prep.active import policy_facts

    out = _refuse_overwrite(out, force)
    with state.store() as store:
        render_inquiry(store, resolve_talk(store, talk), out, facts=policy_facts(store), template=template,
                       replace=force)
    _done(out, "函询通知书")


@export_group.command("ledger")
@click.option("--year", type=YEAR, metavar="年度", required=True, help="台账年度。")
@click.option("--unit", "unit", metavar="单位", help="单位 id 或名称（含其下属单位）；默认全部单位。")
@_out_option(".xlsx")
@_force_option()
@pass_state
def export_ledger_command(state: CliState, year: int, unit: str | None, out: Path, force: bool) -> None:
    """导出谈心谈话台账（XLSX）：每次谈话一行，另附按频次规定的覆盖情况表。保密条目不进入台账。"""
    from notes.documents import export_ledger
    from prep.active import policy_facts

    out = _refuse_overwrite(out, force)
    with state.store() as store:
        export_ledger(store, year, out, facts=policy_facts(store), unit=unit, replace=force)
    _done(out, f"{year}年度台账")


@export_group.command("handbook")
@click.option("--year", type=YEAR, metavar="年度", required=True, help="年度。")
@click.option("--unit", "unit", metavar="单位", help="单位 id 或名称（含其下属单位）；默认全部单位。")
@_out_option(".docx")
@_template_option()
@_force_option()
@pass_state
def export_handbook_command(state: CliState, year: int, unit: str | None, out: Path, template: Path | None,
                            force: bool) -> None:
    """导出每名党员本年度的谈心谈话情况，供填入《党员手册》“其他情况记录”。"""
    from notes.documents import export_handbook
    from prep.active import policy_facts

    out = _refuse_overwrite(out, force)
    with state.store() as store:
        export_handbook(store, year, out, facts=policy_facts(store), unit=unit, template=template, replace=force)
    _done(out, f"{year}年度《党员手册》记录")


@export_group.command("brief")
@click.argument("person", metavar="人员")
@click.option("--type", "talk_type", required=True, metavar="类型", help="谈话类型（id 或名称，如 routine 或 日常谈话）。")
@click.option("--date", "as_of", type=DAY, help="准备日期（默认今天）。" + DAY_FORMS)
@_out_option(".docx")
@_template_option()
@_force_option()
@pass_state
def export_brief(state: CliState, person: str, talk_type: str, as_of: date | None, out: Path,
                 template: Path | None, force: bool) -> None:
    """导出与某人谈话前的谈话提纲（DOCX）。“人员”为 id 或姓名。提纲含对本人的了解情况，注意保密。"""
    from notes.people import resolve_person
    from prep.active import active_policy
    from prep.brief import build_brief
    from prep.brief_document import render_brief_docx

    out = _refuse_overwrite(out, force)
    with state.store() as store:
        brief = build_brief(store, active_policy(store), resolve_person(store, person), talk_type,
                            as_of or state.today())
        render_brief_docx(brief, out, store=store, template=template)
    _done(out, "谈话提纲")


@click.command("report")
@click.option("--year", type=YEAR, metavar="年度", required=True, help="报告年度。")
@click.option("--unit", "unit", metavar="单位", help="单位 id 或名称（含其下属单位）；默认全部单位。")
@_out_option(".docx")
@_template_option()
@_force_option()
@pass_state
def report_command(state: CliState, year: int, unit: str | None, out: Path, template: Path | None,
                   force: bool) -> None:
    """生成年度谈心谈话工作情况报告（DOCX）：按类型、类别、形式统计，频次覆盖，跟踪事项办结情况；不含个人信息。"""
    from notes.documents import render_report
    from prep.active import policy_facts

    out = _refuse_overwrite(out, force)
    with state.store() as store:
        render_report(store, year, out, facts=policy_facts(store), unit=unit, template=template, replace=force)
    _done(out, f"{year}年度工作情况报告")


COMMANDS = [export_group, report_command]
