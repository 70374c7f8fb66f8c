"""The CLI contract: help for everything, exit codes, init/passwd/recovery-key/backup/demo."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from conftest import PASSPHRASE, run_cli, run_tanxin_process

from notes.keys import parse_recovery_key
from notes.store import Store
from notes.unlock import open_database
from tui.cli import cli

RECOVERY_KEY = re.compile(r"\b(?:[0-9A-F]{8}-){7}[0-9A-F]{8}\b")


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in sorted(group.commands.items()):
        found.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            found.extend(_all_commands(command, (*prefix, name)))
    return found


def test_every_command_and_option_has_help() -> None:
    missing = []
    for path, command in _all_commands(cli):
        if not (command.help or "").strip():
            missing.append(" ".join(path))
        for param in command.params:
            if isinstance(param, click.Option) and not (param.help or "").strip():
                missing.append(f"{' '.join(path)} {param.opts[0]}")
    assert missing == []
    for option in cli.params:
        assert isinstance(option, click.Option) and (option.help or (option.is_flag and option.name == "version"))


@pytest.mark.parametrize("path", [[]] + [list(p) for p, _ in _all_commands(cli)])
def test_help_runs_for_every_command(path: list[str]) -> None:
    result = run_cli([*path, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("用法：")
    for english in ("[OPTIONS]", "COMMAND [ARGS]", "Show this message", "Options:"):
        assert english not in result.output


def test_version() -> None:
    result = run_cli(["--version"])
    assert result.exit_code == 0 and result.output.startswith("tanxin ")


def test_usage_error_exits_2() -> None:
    result = run_cli(["no-such-command"])
    assert result.exit_code == 2
    result = run_cli(["--demo", "init"])
    assert result.exit_code == 2


def test_init_prints_the_recovery_key_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    result = run_cli(["--db", str(db), "init"])
    assert result.exit_code == 0, result.stderr
    keys = RECOVERY_KEY.findall(result.output)
    assert len(keys) == 1
    with open_database(db, recovery_key=keys[0]) as store:
        assert store.get_setting("active_packs") == ["suzhou-2018", "cadre-talks", "practice"]
    # The same key comes back after unlocking, and only then.
    again = run_cli(["--db", str(db), "recovery-key"])
    assert again.exit_code == 0 and RECOVERY_KEY.findall(again.output) == keys
    assert parse_recovery_key(keys[0])


def test_init_with_minjin_pack(tmp_path: Path) -> None:
    db = tmp_path / "mj.db"
    result = run_cli(["--db", str(db), "init", "--pack", "minjin-cq-2023"])
    assert result.exit_code == 0, result.stderr
    with open_database(db, passphrase=PASSPHRASE) as store:
        assert store.get_setting("active_packs") == ["minjin-cq-2023"]


def test_init_with_unknown_pack_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = run_cli(["--db", str(db), "init", "--pack", "no-such-pack"])
    assert result.exit_code == 1
    assert "no-such-pack" in result.stderr
    assert not db.exists()


def test_init_refuses_a_short_passphrase(tmp_path: Path) -> None:
    result = run_cli(["--db", str(tmp_path / "x.db"), "init"], env={"TANXIN_PASSPHRASE": "short"})
    assert result.exit_code == 1 and "口令太短" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_passphrase_required_without_a_terminal(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert run_cli(["--db", str(db), "init"]).exit_code == 0
    result = run_tanxin_process(["--db", str(db), "recovery-key"], stdin=None)
    assert result.returncode == 1
    assert "TANXIN_PASSPHRASE" in result.stderr and "Traceback" not in result.stderr


def test_passwd_then_backup(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert run_cli(["--db", str(db), "init"]).exit_code == 0
    changed = run_cli(["--db", str(db), "passwd"], env={"TANXIN_NEW_PASSPHRASE": "第二个口令 second"})
    assert changed.exit_code == 0, changed.stderr
    old = run_cli(["--db", str(db), "recovery-key"])
    assert old.exit_code == 1 and "口令错误" in old.stderr
    backed = run_cli(["--db", str(db), "backup", str(tmp_path / "b.db")],
                     env={"TANXIN_PASSPHRASE": "第二个口令 second"})
    assert backed.exit_code == 0, backed.stderr
    with open_database(tmp_path / "b.db", passphrase="第二个口令 second") as copy:
        assert copy.get_setting("active_packs")


def test_missing_database_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = run_tanxin_process(["--db", str(tmp_path / "none.db"), "recovery-key"],
                                env={"TANXIN_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 1
    assert "tanxin init" in result.stderr and "Traceback" not in result.stderr


def test_demo_out_writes_a_readable_database(tmp_path: Path) -> None:
    out = tmp_path / "demo.db"
    result = run_cli(["demo", "--out", str(out), "--seed", "7"])
    assert result.exit_code == 0, result.stderr
    with open_database(out, passphrase=PASSPHRASE) as store:
        assert store.scalar("SELECT count(*) FROM people") >= 35
        assert store.scalar("SELECT count(*) FROM talks WHERE status = 'sealed'") > 0


def test_demo_needs_a_passphrase(tmp_path: Path) -> None:
    result = run_tanxin_process(["demo", "--out", str(tmp_path / "d.db")])
    assert result.returncode == 1 and "TANXIN_PASSPHRASE" in result.stderr


def test_error_messages_show_stored_and_typed_text_without_acting_on_the_terminal(store: Store, db_path: Path) -> None:
    """A refusal quotes what it refused (here the name typed): escape sequences in it are shown as
    placeholders, never sent to the terminal."""
    result = run_cli(["--db", str(db_path), "event", "李\x1b[2J明", "任职决定", "--date", "2026-03-02"])
    assert result.exit_code == 1 and "李" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
