"""What every command shares: the global options, opening the store, printing JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from notes.clock import Clock, process_clock
from notes.dates import DAY_EXAMPLE, MOMENT_EXAMPLE
from notes.store import Store
from tui.text import visible

# User text a command prints (names, entries, reasons) goes through `visible`: control characters are shown as
# placeholders, so an escape sequence that came in with a roster cannot act on the terminal.
__all__ = ["DAY", "DAY_FORMS", "MOMENT", "MOMENT_FORMS", "YEAR", "CliState", "LabelledChoice", "WholeNumber", "echo_json", "pass_state", "visible"]

@dataclass
class CliState:
    """The global options, resolved once and passed to every command through click's context."""

    db_path: Path
    # --recovery-key was given. The key itself is never an argument (every local user sees argv in `ps`, and
    # the shell keeps it in its history): it is asked for without echo, or read from standard input, when a
    # command opens the database.
    use_recovery_key: bool = False
    # The process's one clock (the wall clock, or TANXIN_NOW): every store a command opens stamps with it.
    clock: Clock = field(default_factory=process_clock)
    # The recovery key once read (only with use_recovery_key).
    recovery_key: str | None = field(default=None, repr=False)

    def today(self) -> date:
        return self.clock.today()

    def ask_passphrase(self, prompt: str = "口令", needed_for: str = "") -> str:
        """A passphrase typed without echo; refused when there is no terminal to type it at. `needed_for` names
        what it opens (default: the database)."""
        if not sys.stdin.isatty():
            from notes.errors import PassphraseRequired

            raise PassphraseRequired(
                f"需要{needed_for or f'口令才能打开 {self.db_path}'}：标准输入不是终端。"
                "请在脚本中设置环境变量 TANXIN_PASSPHRASE。"
            )
        value: str = click.prompt(prompt, hide_input=True, err=True)
        return value

    def read_recovery_key(self) -> str:
        """The recovery key, read once: typed without echo at a terminal, otherwise the first line of standard
        input (`tanxin --recovery-key passwd < 恢复密钥.txt`)."""
        if self.recovery_key is None:
            if sys.stdin is not None and sys.stdin.isatty():
                value: str = click.prompt("恢复密钥", hide_input=True, err=True)
            else:
                value = (sys.stdin.readline() if sys.stdin is not None else "").strip()
            if not value:
                from notes.errors import PassphraseRequired

                raise PassphraseRequired(
                    "需要恢复密钥，但没有读到：请在终端中运行并在提示时输入，"
                    "或经标准输入传入，例如 tanxin --recovery-key passwd < 恢复密钥.txt。"
                )
            self.recovery_key = value
        return self.recovery_key

    def warn(self, message: str) -> None:
        click.echo(f"警告：{message}", err=True)

    def open_store(self, *, read_only: bool = False) -> Store:
        """The database, unlocked. `read_only`: the command only reads, so on a full disk it still runs and the
        "unlock" audit row that cannot be written becomes a warning (every other command is refused there)."""
        from notes.unlock import open_database

        return open_database(
            self.db_path,
            recovery_key=self.read_recovery_key() if self.use_recovery_key else None,
            ask_passphrase=self.ask_passphrase,
            clock=self.clock,
            warn=self.warn if read_only else None,
        )

    @contextmanager
    def store(self, *, read_only: bool = False) -> Iterator[Store]:
        store = self.open_store(read_only=read_only)
        try:
            yield store
        finally:
            store.close()


pass_state = click.make_pass_decorator(CliState)


def _today(ctx: click.Context | None) -> date:
    """Today by the command's clock (TANXIN_NOW in tests), for dates typed without a year."""
    state = ctx.find_object(CliState) if ctx is not None else None
    return state.today() if state is not None else process_clock().today()


def _why_not(error: ValueError) -> str:
    """The reason a date option's value was refused, for its message: a form that names a day that does not exist
    says which ("2026年2月没有30日"); text in no accepted form needs no reason beside the example."""
    from notes.dates import NotADate

    return "" if isinstance(error, NotADate) else f"（{error}）"


class DayType(click.ParamType[date]):
    """A date as people write it (2026-03-12, 2026/3/12, 2026.3.12, 2026年3月12日, 3月12日 for this year), read
    by notes/dates.py, the reader the app's date fields and the roster use too. A bad one is a usage error
    (exit 2) while the command line is parsed, before any database is opened."""

    name = "日期"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        from notes.dates import parse_day

        if isinstance(value, date):
            return value
        try:
            return parse_day(str(value), _today(ctx))
        except ValueError as error:
            self.fail(f"“{value}”不是有效日期{_why_not(error)}，应写作 {DAY_EXAMPLE}。", param, ctx)


class MomentType(click.ParamType[datetime]):
    """A talk's time: a day and a time of day (2026-03-12 14:30, 2026年3月12日 下午2点半 …), read by notes/dates.py
    as `DayType` reads a day; without its year, the nearest such day (the plan field of 谈前准备 reads it so too)."""

    name = "时间"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        from notes.dates import parse_moment

        if isinstance(value, datetime):
            return value
        try:
            return parse_moment(str(value), _today(ctx))
        except ValueError as error:
            self.fail(f"“{value}”不是有效时间{_why_not(error)}，应写作 {MOMENT_EXAMPLE}。", param, ctx)


class LabelledChoice(click.ParamType[str]):
    """One of a fixed set of English ids (talk and follow-up statuses), typed as its Chinese label (已封存) or as
    the id (sealed, what scripts and the JSON use). The command receives the id; help and errors show labels."""

    name = "choice"

    def __init__(self, labels: Mapping[str, str]) -> None:
        self.labels = dict(labels)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return f"[{'|'.join(self.labels.values())}]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        for key, label in self.labels.items():
            if text in (key, label):
                return key
        self.fail(f"“{value}”不是可选的值，可选：{'、'.join(self.labels.values())}。", param, ctx)


class WholeNumber(click.IntRange):
    """A whole number whose errors say 整数: click's own int type names itself "integer" in its messages."""

    name = "整数"


DAY = DayType()
MOMENT = MomentType()
# A year: records begin long after 1949, so a typo such as 226 is refused rather than searched for.
YEAR = WholeNumber(min=1949)
# What a date option's help says about the forms it accepts.
DAY_FORMS = f"日期写作 {DAY_EXAMPLE}。"
MOMENT_FORMS = f"写作 {MOMENT_EXAMPLE}；不写年份时取离今天最近的那一天。"


def echo_json(data: Any) -> None:
    """JSON for scripts: English snake_case keys, stable shapes, Chinese kept as text."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def ask_new_passphrase(env_var: str) -> str:
    """A new passphrase from the environment variable (scripts) or typed twice at the terminal."""
    import os

    from notes.errors import PassphraseRequired
    from notes.unlock import check_new_passphrase

    value = os.environ.get(env_var)
    if value is None:
        if not sys.stdin.isatty():
            raise PassphraseRequired(f"需要设置新口令：标准输入不是终端。请在脚本中设置环境变量 {env_var}。")
        value = click.prompt("新口令（至少 8 个字符）", hide_input=True, confirmation_prompt="再次输入新口令",
                             err=True)
    check_new_passphrase(value)
    return value
