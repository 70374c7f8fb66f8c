"""The roster from the command line: import-roster.

Problems are printed with control characters made visible, so an escape sequence in a roster cell cannot act on
the terminal.
"""

from __future__ import annotations

from pathlib import Path

import click

from tui.commands.common import CliState, day_option, pass_state, visible


@click.command("import-roster")
@click.argument("file", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只检查并报告将要新增、更新的人员和职务变动，不写入数据库。")
@click.option("--date", "effective", metavar="DATE", help="职务变动的生效日期（YYYY-MM-DD，默认今天）。")
@pass_state
def import_roster_command(state: CliState, file: Path, dry_run: bool, effective: str | None) -> None:
    """导入党员花名册（.xlsx 或 .csv，GBK 编码的 CSV 也可以）。

    按表头内容识别各列（姓名、性别、出生年月、所在党支部、党内职务、人员类别……），跳过标题行、空行和合计行。
    要么全部导入，要么一条也不写：任何一行有问题，都会列出每处问题的行号、列名和原因。
    重新导入同一花名册会更新已有人员（按姓名和出生年月识别），不会重复；职务变动记入职务历史。
    """
    from prep.active import active_policy
    from prep.roster import import_roster

    day = day_option(state, effective, "--date")
    with state.store() as store:
        plan = import_roster(store, file, policy=active_policy(store), dry_run=dry_run, effective=day)
    click.echo(visible(plan.describe(), keep_newlines=True))


COMMANDS = [import_roster_command]
