"""What every command shares: the global options, opening the store, printing JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click

from notes.clock import Clock, process_clock
from notes.store import Store


@dataclass
class CliState:
    """The global options, resolved once and passed to every command through click's context."""

    db_path: Path
    recovery_key: str | None
    # The process's one clock (the wall clock, or TANXIN_NOW): every store a command opens stamps with it.
    clock: Clock = field(default_factory=process_clock)

    def today(self) -> date:
        return self.clock.today()

    def ask_passphrase(self) -> str:
        if not sys.stdin.isatty():
            from notes.errors import PassphraseRequired

            raise PassphraseRequired(
                f"需要口令才能打开 {self.db_path}：标准输入不是终端。请在脚本中设置环境变量 TANXIN_PASSPHRASE。"
            )
        value: str = click.prompt("口令", hide_input=True, err=True)
        return value

    def open_store(self) -> Store:
        from notes.unlock import open_database

        return open_database(
            self.db_path,
            recovery_key=self.recovery_key,
            ask_passphrase=self.ask_passphrase,
            clock=self.clock,
        )

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = self.open_store()
        try:
            yield store
        finally:
            store.close()


pass_state = click.make_pass_decorator(CliState)


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
