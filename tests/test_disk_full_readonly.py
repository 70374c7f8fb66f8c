"""Read-only commands on a full disk: the "unlock" audit row cannot be written, the command runs anyway and says
so in a warning; commands that write are refused as before. The disk is the small tmpfs of test_disk_full.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from conftest import PASSPHRASE, run_cli
from talk_helpers import held_talk, make_org
from test_disk_full import _fill, small_disk

from notes import seal
from notes.store import Store
from notes.unlock import init_database, open_database
from tui.cli import cli

__all__ = ["small_disk"]  # the fixture, used here by name

# A command line for each command that opens the database read-only (`state.store(read_only=True)`), and what
# its output must contain.
COMMAND_LINES: dict[str, tuple[list[str], str]] = {
    "packs": (["packs"], "suzhou-2018"),
    "people": (["people"], "李明"),
    "due": (["due"], "截至 2026-11-22"),
    "talks": (["talks"], "TX-2026-0001"),
    "show": (["show", "TX-2026-0001"], "工作压力较大"),
    "followups": (["followups"], "跟踪事项"),
    "verify": (["verify"], "封存链完好"),
    "watch list": (["watch", "list"], "重点人员"),
    "config list": (["config", "list"], "idle_lock_minutes"),
    "config get": (["config", "get", "idle_lock_minutes"], "10"),
    "backup": (["backup", "OUT"], "已备份到"),
    "me": (["me"], "尚未设定本人"),
    "units": (["units"], "机关党委"),
    "roles": (["roles"], "在任的职务"),
    "compliance": (["compliance"], "落实情况"),
    "procedure show": (["procedure", "show", "TX-2026-0001"], "事由"),
}


@pytest.fixture
def small_disk_db(small_disk: Path) -> Iterator[Path]:
    """A closed database with a sealed talk on the small disk; afterwards, with room again, it is whole."""
    db = small_disk / "tanxin.db"
    with init_database(db, PASSPHRASE, ["suzhou-2018"]).store as store:
        seal.seal_talk(store, held_talk(store, make_org(store)))
    yield db
    (small_disk / "filler").unlink(missing_ok=True)
    with open_database(db, passphrase=PASSPHRASE, use_keyring=False) as reopened:
        assert reopened.scalar("PRAGMA integrity_check") == "ok"


@pytest.fixture
def full_disk_db(small_disk_db: Path) -> Path:
    """The same database on a disk with no room left."""
    _fill(small_disk_db.parent)
    return small_disk_db


def test_every_read_only_command_is_a_command_and_is_tested() -> None:
    for name in COMMAND_LINES:
        group: click.Command | None = cli
        for word in name.split():
            assert isinstance(group, click.Group)
            group = group.commands.get(word)
        assert group is not None, name
    # Each command opens the store once: as many read-only opens in the command modules as commands tested.
    sources = (Path(__file__).parents[1] / "tui" / "commands").glob("*.py")
    opens = sum(path.read_text(encoding="utf-8").count("store(read_only=True)") for path in sources)
    assert opens == len(COMMAND_LINES)


@pytest.mark.parametrize("command", ["due", "talks"])
@pytest.mark.parametrize("elsewhere", [False, True], ids=["closed", "open elsewhere"])
def test_read_only_commands_run_on_a_full_disk(small_disk_db: Path, command: str, elsewhere: bool) -> None:
    # Closed: the -shm file cannot even be created. Open elsewhere: it exists, only the audit row fails.
    other = open_database(small_disk_db, passphrase=PASSPHRASE, use_keyring=False) if elsewhere else None
    _fill(small_disk_db.parent)
    try:
        args, expected = COMMAND_LINES[command]
        result = run_cli(["--db", str(small_disk_db), *args])
    finally:
        if other is not None:
            other.close()
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout
    assert "警告：磁盘已满" in result.stderr and "审计日志" in result.stderr


@pytest.mark.parametrize("command", sorted(set(COMMAND_LINES) - {"due", "talks"}))
def test_the_other_read_only_commands_on_a_full_disk(full_disk_db: Path, tmp_path: Path, command: str) -> None:
    args, expected = COMMAND_LINES[command]
    args = [str(tmp_path / "b.db") if arg == "OUT" else arg for arg in args]  # a backup goes to another disk
    result = run_cli(["--db", str(full_disk_db), *args])
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout
    assert "警告：磁盘已满" in result.stderr


@pytest.mark.parametrize("args", [["config", "set", "idle_lock_minutes", "15"],
                                  ["event", "李明", "任职决定", "--date", "2026-11-20"],
                                  ["recovery-key"]])
def test_commands_that_write_are_refused_as_before(full_disk_db: Path, args: list[str]) -> None:
    result = run_cli(["--db", str(full_disk_db), *args])
    assert result.exit_code == 1
    assert "磁盘已满" in result.stderr and "警告" not in result.stderr and "内部错误" not in result.stderr


def test_a_full_disk_without_a_reader_still_refuses_to_open(full_disk_db: Path) -> None:
    from notes.errors import StorageFull

    with pytest.raises(StorageFull, match="磁盘已满"):
        open_database(full_disk_db, passphrase=PASSPHRASE, use_keyring=False)
    warnings: list[str] = []
    with open_database(full_disk_db, passphrase=PASSPHRASE, use_keyring=False, warn=warnings.append) as store:
        assert isinstance(store, Store) and store.scalar("SELECT count(*) FROM talks") == 1
    assert len(warnings) == 1 and "磁盘已满" in warnings[0]
