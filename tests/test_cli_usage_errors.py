"""Every usage error of every command is Chinese (#14 item 3): a missing argument or option, and a bad value for
every typed option (dates, times, numbers, choices). The command tree is walked, so a new command is covered the
day it is added."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from cli_tree import all_commands
from conftest import run_cli

from notes.dates import DAY_EXAMPLE, MOMENT_EXAMPLE
from tui.cli import cli
from tui.commands.common import DayType, LabelledChoice, MomentType

COMMANDS = all_commands(cli)

# What a user typed comes back quoted ('--status', “封存”, 'tanxin talk new --help'); option names and the
# product name may stand anywhere. Everything else in Latin letters is English that reached the user.
_TYPED = re.compile(r"'[^']*'|“[^”]*”|--?[\w-]+|tanxin")


# File kinds a user knows by these names.
PRODUCT_WORDS = {"XLSX", "DOCX", "CSV"}


def english_words(text: str, path: tuple[str, ...] = ()) -> list[str]:
    """Latin words not typed by the user; the command path is typed (click's runner names the program `cli`)."""
    typed = {word for part in path for word in part.split("-")} | {"cli"}
    words = re.findall(r"[A-Za-z]{3,}", _TYPED.sub("", text))
    return [word for word in words if word not in typed and word.upper() not in PRODUCT_WORDS]


def _sample(param: click.Parameter, folder: Path) -> str:
    """A value the parameter accepts, so that only the value under test is wrong."""
    kind = param.type
    if isinstance(kind, DayType):
        return "2026-11-01"
    if isinstance(kind, MomentType):
        return "2026-11-01 09:00"
    if isinstance(kind, LabelledChoice):
        return next(iter(kind.labels.values()))
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.types.IntParamType):
        return "2026"
    if isinstance(kind, click.Path):
        existing = folder / "文件.xlsx"
        existing.touch()
        return str(existing)
    return "1"


def _bad_values(param: click.Parameter) -> list[str]:
    kind = param.type
    if isinstance(kind, DayType):
        return ["2026-02-30", "明天", "12/01/2026"]
    if isinstance(kind, MomentType):
        return ["下午三点", "2026-11-01 25:00"]
    if isinstance(kind, (LabelledChoice, click.Choice)):
        return ["完成了", "finished"]
    if isinstance(kind, click.IntRange) and kind.min is not None:
        return ["二〇二六", "12.5", str(int(kind.min) - 1)]
    if isinstance(kind, click.types.IntParamType):
        return ["二〇二六", "12.5"]
    return []


def _required_args(command: click.Command, folder: Path, leave_out: click.Parameter | None = None) -> list[str]:
    args: list[str] = []
    for param in command.params:
        if param is leave_out or not param.required:
            continue
        if isinstance(param, click.Argument):
            args.append(_sample(param, folder))
        elif isinstance(param, click.Option):
            args += [param.opts[0], _sample(param, folder)]
    return args


MISSING = [
    pytest.param(path, command, param, id=f"{' '.join(path)} {param.opts[0] if isinstance(param, click.Option) else param.name}")
    for path, command in COMMANDS
    for param in command.params
    if param.required
]
BAD = [
    pytest.param(path, command, param, value, id=f"{' '.join(path)} {param.opts[0]}={value}")
    for path, command in COMMANDS
    for param in command.params
    for value in _bad_values(param)
]


def test_the_tree_has_typed_options() -> None:
    # Guards the walk itself: if the types moved, the parametrised tests below would silently test nothing.
    assert len(MISSING) > 30 and len(BAD) > 40


@pytest.mark.parametrize(("path", "command", "param"), MISSING)
def test_missing_parameter_is_a_chinese_usage_error(
    path: tuple[str, ...], command: click.Command, param: click.Parameter, tmp_path: Path
) -> None:
    result = run_cli(["--db", str(tmp_path / "无.db"), *path, *_required_args(command, tmp_path, leave_out=param)])
    assert result.exit_code == 2, result.output
    assert "错误：缺少" in result.stderr, result.stderr
    assert english_words(result.output, path) == [], result.output
    assert not (tmp_path / "无.db").exists()


@pytest.mark.parametrize(("path", "command", "param", "value"), BAD)
def test_bad_value_is_a_chinese_usage_error(
    path: tuple[str, ...], command: click.Command, param: click.Parameter, value: str, tmp_path: Path
) -> None:
    args = _required_args(command, tmp_path, leave_out=param)
    result = run_cli(["--db", str(tmp_path / "无.db"), *path, *args, param.opts[0], value])
    assert result.exit_code == 2, result.output
    assert "的值无效" in result.stderr, result.stderr
    assert english_words(result.output, path) == [], result.output
    assert not (tmp_path / "无.db").exists()
    # A date or time says how to write one (the forms notes/dates.py reads for every date field).
    if isinstance(param.type, DayType):
        assert f"“{value}”不是有效日期" in result.stderr and DAY_EXAMPLE in result.stderr, result.stderr
    if isinstance(param.type, MomentType):
        assert f"“{value}”不是有效时间" in result.stderr and MOMENT_EXAMPLE in result.stderr, result.stderr


@pytest.mark.parametrize(("path", "command"), [pytest.param(p, c, id=" ".join(p)) for p, c in COMMANDS])
def test_usage_line_and_help_placeholders_are_chinese(path: tuple[str, ...], command: click.Command) -> None:
    """No PERSON, TEXT or INTEGER: metavars are Chinese words (tui/click_chinese.py); only ASCII choice values
    stay as typed."""
    with click.Context(command, info_name=" ".join(path)) as ctx:
        pieces = command.collect_usage_pieces(ctx)
        for param in command.params:
            if isinstance(param.type, click.Choice):
                continue
            record = param.get_help_record(ctx) if isinstance(param, click.Option) else None
            if record is not None:
                pieces.append(_TYPED.sub("", record[0]))
    words = re.findall(r"[A-Za-z]{2,}", " ".join(pieces))
    assert [word for word in words if word.upper() not in PRODUCT_WORDS] == [], pieces


def test_groups_without_a_command_show_chinese_help() -> None:
    for path, command in COMMANDS:
        if isinstance(command, click.Group) and not command.invoke_without_command:
            result = run_cli(list(path))
            assert result.exit_code == 2 and result.output.startswith("用法："), result.output
            assert "选项：" in result.output and "命令：" in result.output


@pytest.mark.parametrize("status", ["已封存", "sealed"])
def test_talk_status_takes_the_chinese_label_or_the_id(status: str, tmp_path: Path) -> None:
    db = str(tmp_path / "状态.db")
    assert run_cli(["--db", db, "init"]).exit_code == 0
    result = run_cli(["--db", db, "talks", "--status", status, "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.output.strip() == "[]"


def test_followup_status_takes_the_chinese_label(tmp_path: Path) -> None:
    db = str(tmp_path / "跟踪.db")
    assert run_cli(["--db", db, "init"]).exit_code == 0
    assert run_cli(["--db", db, "followups", "--status", "待办"]).exit_code == 0
    shown = run_cli(["--db", db, "followups", "--help"]).output
    assert "[待办|办理中|已完成待核实|已核实办结|已升级处理]" in shown


@pytest.mark.parametrize("day", ["2026-12-01", "2026/12/01", "2026.12.1", "2026年12月1日", "12月1日", "２０２６－１２－０１"])
def test_every_date_form_is_accepted(day: str, tmp_path: Path) -> None:
    db = str(tmp_path / "日期.db")
    assert run_cli(["--db", db, "init"]).exit_code == 0
    result = run_cli(["--db", db, "compliance", "--as-of", day, "--json"])
    assert result.exit_code == 0, result.stderr
    assert run_cli(["--db", db, "people", "--as-of", day]).exit_code == 0


def test_date_help_says_the_accepted_forms() -> None:
    for path, command in COMMANDS:
        for param in command.params:
            if isinstance(param, click.Option) and isinstance(param.type, DayType):
                assert "2026年3月12日" in (param.help or ""), (path, param.opts)
                assert "YYYY" not in (param.help or "")
