"""The roster from the command line: import-roster and roster-template.

Problems are printed with control characters made visible, so an escape sequence in a roster cell cannot act on
the terminal.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from tui.commands.common import DAY, DAY_FORMS, CliState, pass_state, visible


@click.command("import-roster")
@click.argument("file", metavar="文件", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只检查并报告将要新增、更新的人员和职务变动，不写入数据库。")
@click.option("--date", "effective", type=DAY, help="职务变动的生效日期（默认今天）。" + DAY_FORMS)
@click.option("--map", "mapping", metavar="列名=字段", multiple=True,
              help="说明不认识的列是哪一项，如 --map 党员类型=人员类别；不需要的列写 --map 列名=忽略。可重复。")
@pass_state
def import_roster_command(
    state: CliState, file: Path, dry_run: bool, effective: date | None, mapping: tuple[str, ...]
) -> None:
    """导入党员花名册（.xlsx 或 .csv，GBK 编码的 CSV 也可以）。

    按表头内容识别各列（姓名、性别、出生年月、所在党支部、人员类别、党内职务、班子职务、分管单位……），跳过标题行、
    空行和合计行。不认识的列不会被悄悄丢掉：导入会停下并指出列名，用 --map 说明它是哪一项或忽略它。
    要么全部导入，要么一条也不写：任何一行有问题，都会列出每处问题的行号、列名和原因。
    重新导入同一花名册会更新已有人员（按姓名和出生年月识别），不会重复；职务变动记入职务历史。
    """
    from prep.active import active_policy
    from prep.roster import import_roster, parse_mapping
    from prep.roster.terms import terms_for

    day = (effective or state.today())
    with state.store() as store:
        policy = active_policy(store)
        columns = parse_mapping(mapping, terms_for(policy))
        plan = import_roster(store, file, policy=policy, dry_run=dry_run, effective=day, mapping=columns)
    click.echo(visible(plan.describe(), keep_newlines=True))


@click.command("roster-template")
@click.argument("out", metavar="文件.xlsx", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--minjin", is_flag=True, help="民进组织的会员花名册（入会时间、所在基层组织、会内职务）。")
@click.option("--force", is_flag=True, help="文件已存在时覆盖它。")
def roster_template_command(out: Path, minjin: bool, force: bool) -> None:
    """写出花名册模板（.xlsx）：导入能识别的各列、一行示例（导入时自动跳过）和一页填写说明。"""
    from prep.roster.template import write_template
    from prep.roster.terms import MINJIN_TERMS, PARTY_TERMS

    written = write_template(out, MINJIN_TERMS if minjin else PARTY_TERMS, force=force)
    click.echo(visible(f"已写出花名册模板：{written}。从第 4 行起每人一行，填好后用 tanxin import-roster 导入。"))


COMMANDS = [import_roster_command, roster_template_command]
