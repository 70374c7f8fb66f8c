"""Creating, unlocking and safeguarding the database: init, demo, passwd (and --rekey), recovery-key, backup,
restore."""

from __future__ import annotations

from pathlib import Path

import click

from tui.commands.common import CliState, WholeNumber, ask_new_passphrase, pass_state, visible

NEW_PASSPHRASE_ENV = "TANXIN_NEW_PASSPHRASE"


def print_recovery_key(recovery_key: str) -> None:
    click.echo("恢复密钥（只显示这一次，请抄写或打印后交组织存入保险柜；忘记口令时凭它打开数据库）：")
    click.echo("")
    click.echo(f"    {recovery_key}")
    click.echo("")


@click.command("init")
@click.option(
    "--pack",
    "packs",
    multiple=True,
    metavar="政策包",
    help="启用的政策包（可多次给出）。默认 suzhou-2018 + cadre-talks + practice；民进组织用 minjin-cq-2023。",
)
@click.option("--org", "organisation", metavar="名称",
              help="本组织的名称，如“市财政局机关党委”（单位树的最上层；以后可用 tanxin org rename 修改）。")
@pass_state
def init_command(state: CliState, packs: tuple[str, ...], organisation: str | None) -> None:
    """创建新的加密数据库，并显示一次恢复密钥。

    口令取自环境变量 TANXIN_PASSPHRASE（脚本用），否则在终端中输入两次。
    """
    from notes.errors import InvalidInput
    from notes.organisation import check_unit_name, name_organisation
    from notes.unlock import PASSPHRASE_ENV, init_database
    from prep.packs import DEFAULT_PACKS, load_policy

    chosen = list(packs) or list(DEFAULT_PACKS)
    load_policy(chosen)  # refuse unknown or broken packs before anything is written
    if organisation is not None:
        try:  # a bad name is refused before the database is created
            organisation = check_unit_name(organisation, "组织名称")
        except InvalidInput as exc:
            raise click.BadParameter(exc.message, param_hint="--org") from None
    passphrase = ask_new_passphrase(PASSPHRASE_ENV)
    created = init_database(state.db_path, passphrase, chosen, clock=state.clock)
    try:
        if organisation is not None:
            name_organisation(created.store, organisation)
    finally:
        created.store.close()
    named = f"，组织名称：{visible(organisation)}" if organisation is not None else ""
    click.echo(f"已创建数据库 {state.db_path}（政策包：{' + '.join(chosen)}{named}）。")
    if organisation is None:
        click.echo("尚未设定组织名称：可用 tanxin org rename 名称 设定（导入花名册时也会按表头设定）。")
    print_recovery_key(created.recovery_key)


@click.command("demo")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="演示数据库的路径。")
@click.option("--seed", type=WholeNumber(), default=2026, show_default=True, help="随机种子：同一种子生成相同的数据。")
@click.option("--year", type=WholeNumber(min=2000), metavar="年度", default=None,
              help="演示数据截至哪一年的 12 月 1 日（默认截至今天；不能是将来的年份）。")
@pass_state
def demo_command(state: CliState, out: Path, seed: int, year: int | None) -> None:
    """生成一个虚构机关党委的演示数据库（口令取自 TANXIN_PASSPHRASE）：截至今天的一年谈话，全部发生在过去。"""
    import os
    from datetime import datetime

    from notes.clock import FixedClock
    from notes.errors import PassphraseRequired
    from notes.unlock import PASSPHRASE_ENV
    from prep.demo import write_demo_database

    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase is None:
        raise PassphraseRequired(f"请用环境变量 {PASSPHRASE_ENV} 给出演示数据库的口令。")
    clock = state.clock
    if year is not None:
        if year > clock.today().year:
            raise click.BadParameter(f"{year} 年还没有到，演示数据只能截至今天或过去的年份。", param_hint="--year")
        if year < clock.today().year:
            clock = FixedClock(datetime(year, 12, 1, 17, 0))
    summary = write_demo_database(out, passphrase, seed=seed, clock=clock)
    click.echo(f"已生成演示数据库 {out}：{summary}")


@click.command("passwd")
@click.option("--rekey", is_flag=True,
              help="同时更换数据库密钥本身：旧的密钥文件、旧口令和旧恢复密钥从此都打不开数据库；显示一次新的恢复密钥。")
@pass_state
def passwd_command(state: CliState, rekey: bool) -> None:
    """修改口令。默认只重新包装密钥，数据库本身不变；加 --rekey 时更换数据库密钥（口令或恢复密钥可能泄露时用）。

    用 --recovery-key 打开时，可在忘记口令后设置新口令。新口令取自 TANXIN_NEW_PASSPHRASE，否则在终端中输入两次。
    """
    from notes.unlock import change_passphrase, rekey_database

    with state.store() as store:
        new_passphrase = ask_new_passphrase(NEW_PASSPHRASE_ENV)
        if not rekey:
            change_passphrase(store, new_passphrase)
            click.echo("口令已修改。恢复密钥不变。")
            return
        rekeyed = rekey_database(store, new_passphrase)
    click.echo("数据库密钥已更换，口令已修改。旧的密钥文件、旧口令和旧恢复密钥从此都打不开数据库。")
    print_recovery_key(rekeyed.recovery_key)
    click.echo("此前做的备份仍用旧密钥加密：请用 tanxin backup 重新备份，再销毁旧备份、其密钥文件和旧恢复密钥。")
    for warning in rekeyed.warnings:
        state.warn(warning)


@click.command("recovery-key")
@pass_state
def recovery_key_command(state: CliState) -> None:
    """解锁后再次显示恢复密钥。"""
    from notes.unlock import recovery_key_of

    with state.store() as store:
        store.audit("show_recovery_key", "database", None)
        print_recovery_key(recovery_key_of(store))


@click.command("backup")
@click.argument("out", metavar="备份文件", type=click.Path(path_type=Path, dir_okay=False))
@pass_state
def backup_command(state: CliState, out: Path) -> None:
    """写一份加密备份（连同密钥文件）：先写在临时文件中，重新打开核对无误后才改为给出的文件名。"""
    from notes.unlock import backup

    with state.store(read_only=True) as store:
        backup(store, out, warn=state.warn)
    click.echo(f"已备份到 {out}（密钥文件 {out.name}.key），已重新打开核对，内容一致。口令与原库相同。")
    click.echo(f"恢复时用：tanxin restore {out}")


@click.command("restore")
@click.argument("backup_file", metavar="备份文件", type=click.Path(path_type=Path, dir_okay=False))
@pass_state
def restore_command(state: CliState, backup_file: Path) -> None:
    """用 tanxin backup 写出的备份替换当前数据库；原数据库改名保留，不删除。

    先核验备份：用它的密钥文件和做备份时的口令打开（口令取自 TANXIN_PASSPHRASE，否则在终端中输入；或用 --recovery-key 加当时的恢复密钥），做完整性检查，核验封存链。不通过就拒绝，当前数据库不动。

    通过后，把当前数据库连同 -wal、-shm 和密钥文件改名保留在原目录（名称带恢复的时刻），再把备份换入。另一个 tanxin 正在使用数据库时拒绝。
    """
    from notes.unlock import restore

    def ask_backup_passphrase() -> str:
        return state.ask_passphrase("备份的口令（做备份时的口令）", f"备份 {backup_file.name} 的口令")

    restored = restore(
        state.db_path,
        backup_file,
        recovery_key=state.read_recovery_key() if state.use_recovery_key else None,
        ask_passphrase=ask_backup_passphrase,
        clock=state.clock,
    )
    click.echo(f"已从备份 {backup_file} 恢复数据库 {state.db_path}（备份已核验：能打开，完整性检查通过，封存链完好）。")
    if restored.set_aside:
        click.echo("原来的文件已改名保留（未删除）：")
        for path in restored.set_aside:
            click.echo(f"    {path}")
    if restored.key_file_installed:
        click.echo("口令和恢复密钥是做备份时的口令和恢复密钥。")
    else:
        click.echo("备份没有可用的密钥文件：请用 tanxin --recovery-key passwd 加备份时的恢复密钥设置口令。")


COMMANDS = [init_command, demo_command, passwd_command, recovery_key_command, backup_command, restore_command]
