"""The `tanxin` command: the TUI when no command is given, otherwise one of the commands.

Exit codes: 0 success; 1 a failure, reported in Chinese on stderr (what happened and what to do);
2 a usage error. Errors are messages, never tracebacks; an unexpected one is written to a log file.
"""

from __future__ import annotations

import importlib
import os
import re
import tempfile
import traceback
from pathlib import Path

import click

from tui import __version__, click_chinese
from tui.commands.common import CliState

# Before any command is built: click evaluates some of its help texts (--version's) when decorating.
click_chinese.install()

COMMAND_MODULES = (
    "tui.commands.database",
    "tui.commands.prep",
    "tui.commands.roster",
    "tui.commands.organisation",
    "tui.commands.me",
    "tui.commands.compliance",
    "tui.commands.procedure",
    "tui.commands.records",
    "tui.commands.talk",
    "tui.commands.documents",
    "tui.commands.config",
    "tui.commands.watch",
)


# What a recovery key, or a piece of one, looks like where a command name is expected: `tanxin --recovery-key
# KEY …` as older versions took it, quoted or not (unquoted, a key typed with spaces arrives as eight words).
# Refused without echoing it back: click would repeat it in "No such command".
_RECOVERY_KEY_LIKE = re.compile(r"[0-9A-Fa-f]{8}(?:[-\s]?[0-9A-Fa-f]{8}){0,7}")


# What usage lines show for "[OPTIONS]" and "COMMAND [ARGS]..." (click's literals, not translated messages).
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."


class TanxinGroup(click.Group):
    """Turns tanxin's errors into messages and exit code 1, wherever the command runs (also under CliRunner)."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and _RECOVERY_KEY_LIKE.fullmatch(args[0].strip()):
            raise click.UsageError(
                "恢复密钥不能写在命令行上：其他用户可在进程列表中看到它，shell 也会把它记入历史。"
                "请只写 --recovery-key，然后在提示时输入恢复密钥，或经标准输入传入"
                "（tanxin --recovery-key passwd < 恢复密钥.txt）。"
                "刚才输入的恢复密钥可能已被看到：打开后请用 tanxin passwd --rekey 更换数据库密钥。",
                ctx,
            )
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        from notes.errors import TanxinError

        try:
            return super().invoke(ctx)
        except TanxinError as exc:
            from tui.text import visible

            # Messages quote stored text (names, units, reasons): shown, never acted on by the terminal.
            click.echo(f"错误：{visible(exc.message, keep_newlines=True)}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            ctx.exit(130)
        except Exception as exc:
            log_path = log_unexpected(exc)
            click.echo(f"内部错误：{type(exc).__name__}。详情已写入 {log_path}，请把该文件交给维护人员。", err=True)
            ctx.exit(1)


def log_unexpected(exc: BaseException) -> Path:
    from notes.unlock import default_db_path

    for log_dir in (default_db_path().parent, Path(tempfile.gettempdir())):
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            log_path = log_dir / "tanxin-error.log"
            fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with open(fd, "a", encoding="utf-8") as log:
                log.write("".join(traceback.format_exception(exc)))
            return log_path
        except OSError:
            continue
    return Path("(无法写入日志)")


@click.group(
    cls=TanxinGroup,
    invoke_without_command=True,
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar=SUBCOMMAND_METAVAR,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="TANXIN_DB",
    default=None,
    help="数据库文件（环境变量 TANXIN_DB）。默认在用户数据目录下。",
)
@click.option(
    "--recovery-key",
    "use_recovery_key",
    is_flag=True,
    help="用恢复密钥打开（忘记口令时），之后可用 passwd 设新口令。恢复密钥不写在命令行上："
    "在提示时输入（不回显），或经标准输入传入。",
)
@click.option("--demo", is_flag=True, help="在临时目录中生成演示数据并打开界面（不问口令，不写入钥匙串）。")
@click.version_option(__version__, "--version", "-V", prog_name="tanxin", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, use_recovery_key: bool, demo: bool) -> None:
    """tanxin（谈心）：谈心谈话的准备、记录、封存与跟踪。

    不带命令时打开界面。口令可由环境变量 TANXIN_PASSPHRASE 给出（供脚本与 CI 使用）。
    """
    from notes.unlock import default_db_path

    ctx.obj = CliState(db_path=(db or default_db_path()).expanduser(), use_recovery_key=use_recovery_key)
    if ctx.invoked_subcommand is not None:
        if demo:
            raise click.UsageError("--demo 只用于打开界面，不能与命令同用。")
        return
    if demo:
        open_demo_app(ctx.obj)
    else:
        open_app(ctx.obj)


def open_demo_app(state: CliState) -> None:
    """The TUI on a fresh demo database in a temporary folder, made as of the clock's today; its random
    passphrase is never shown or kept."""
    import secrets

    from notes.unlock import open_database
    from prep.demo import write_demo_database
    from tui.app import run_app

    with tempfile.TemporaryDirectory(prefix="tanxin-demo-") as folder:
        path = Path(folder) / "demo.db"
        passphrase = secrets.token_urlsafe(24)
        write_demo_database(path, passphrase, clock=state.clock)
        store = open_database(path, passphrase=passphrase, use_keyring=False, clock=state.clock)
        run_app(store, demo=True)


def open_app(state: CliState) -> None:
    """The app's own screens unlock the database (or create it on first run); with --recovery-key the key is
    asked for here, before the app starts."""
    from tui.app import run_app

    if not state.use_recovery_key:
        run_app(None, db_path=state.db_path, clock=state.clock)
    else:
        run_app(state.open_store())


for _module_name in COMMAND_MODULES:
    for _command in importlib.import_module(_module_name).COMMANDS:
        cli.add_command(_command)
click_chinese.chinese_command(cli, OPTIONS_METAVAR, SUBCOMMAND_METAVAR)


def main(argv: list[str] | None = None) -> None:
    # Files this process creates (databases, -wal, key files, backups, exports) are private to the user.
    os.umask(0o077)
    cli.main(args=argv, prog_name="tanxin")


if __name__ == "__main__":
    main()
