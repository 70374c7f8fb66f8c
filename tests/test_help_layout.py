"""--help laid out by display width (tui/click_chinese.py, #14): a Chinese character takes two terminal columns and
click counts it as one, so option lists with Chinese metavars went out of line and Chinese descriptions ran past
the terminal's edge. Every command's help is checked at three terminal widths."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from itertools import pairwise

import click
import pytest
from cli_tree import all_commands
from rich.cells import cell_len

from tui.cli import cli
from tui.click_chinese import ChineseHelpFormatter, first_sentence, wrap

# Where click puts an option list's descriptions: after the widest term up to 30 columns and two spaces.
COL_MAX, COL_SPACING, INDENT = 30, 2, 2
# The largest width help uses, whatever the terminal (cli's max_content_width, less click's margin of 2).
MAX_WIDTH = 100 - 2
SECTIONS = ("参数：", "选项：", "命令：")
CLOSING = "，。、；：？！）」』”》…,.;:!?)"


COMMANDS = [((), cli), *all_commands(cli)]  # `tanxin --help` itself too
CASES = [
    pytest.param(path, command, columns, id=f"{' '.join(path) or 'tanxin'} {columns}")
    for path, command in COMMANDS
    for columns in (60, 80, 120)
]


@pytest.fixture
def help_at(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[[tuple[str, ...], int], str]:
    """`tanxin PATH --help` in a terminal COLUMNS wide. Not through click's test runner, which forces 80 columns:
    the width is found as for a user, from the terminal (COLUMNS first)."""

    def run(path: tuple[str, ...], columns: int) -> str:
        monkeypatch.setenv("COLUMNS", str(columns))
        capsys.readouterr()
        assert cli.main([*path, "--help"], prog_name="tanxin", standalone_mode=False) == 0
        return capsys.readouterr().out

    return run


def _examples(command: click.Command) -> set[str]:
    """The lines of the help's \\b blocks: examples printed as written, so that they can be copied."""
    lines: set[str] = set()
    for paragraph in inspect.cleandoc(command.help or "").split("\n\n"):
        block = paragraph.splitlines()
        if block and block[0].strip() == "\b":
            lines |= {line.strip() for line in block[1:]}
    return lines


def _lists(output: str) -> dict[str, list[tuple[str, int, list[tuple[int, str]]]]]:
    """Each definition list: per term, the display column its description starts in on the term's line (or -1
    when the term stands alone) and the description's lines with their columns."""
    found: dict[str, list[tuple[str, int, list[tuple[int, str]]]]] = {}
    current: list[tuple[str, int, list[tuple[int, str]]]] | None = None
    for line in output.splitlines():
        if line in SECTIONS:
            current = found.setdefault(line, [])
        elif not line.strip():
            current = None
        elif current is not None:
            term = re.fullmatch(r" {2}(\S+(?: \S+)*)(?: {2,}(\S.*))?", line)
            if current and current[-1][1] == -1 and not current[-1][2] and re.match(r" {6}\S", line):
                # A term wider than the line continues 4 columns further in.
                name, start, lines = current.pop()
                current.append((name + line.strip(), start, lines))
            elif term is not None:
                start = cell_len(line) - cell_len(term[2]) if term[2] else -1
                current.append((term[1], start, [(start, term[2])] if term[2] else []))
            else:
                text = line.lstrip(" ")
                current[-1][2].append((len(line) - len(text), text))
    return found


@pytest.mark.parametrize(("path", "command", "columns"), CASES)
def test_no_line_is_wider_than_the_help(
    path: tuple[str, ...], command: click.Command, columns: int, help_at: Callable[[tuple[str, ...], int], str]
) -> None:
    width = min(columns, MAX_WIDTH + 2) - 2
    examples = _examples(command)
    too_wide = [line for line in help_at(path, columns).splitlines()
                if cell_len(line) > width and line.strip() not in examples]
    assert too_wide == []


@pytest.mark.parametrize(("path", "command", "columns"), CASES)
def test_descriptions_start_in_one_column(
    path: tuple[str, ...], command: click.Command, columns: int, help_at: Callable[[tuple[str, ...], int], str]
) -> None:
    lists = _lists(help_at(path, columns))
    assert "选项：" in lists
    for heading, rows in lists.items():
        column = INDENT + min(max(cell_len(term) for term, _, _ in rows), COL_MAX) + COL_SPACING
        for term, start, lines in rows:
            # A term wider than the column has its description begin on the next line.
            assert start == (column if cell_len(term) <= COL_MAX else -1), (heading, term)
            assert lines and {at for at, _ in lines} == {column}, (heading, term, lines)
            # Chinese typesetting: no line of a description begins with closing punctuation.
            assert not [text for _, text in lines if text[0] in CLOSING], (heading, term, lines)


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("path", "command"), [pytest.param(p, c, id=" ".join(p) or "tanxin") for p, c in COMMANDS])
def test_wrapping_keeps_every_word(
    path: tuple[str, ...], command: click.Command, help_at: Callable[[tuple[str, ...], int], str]
) -> None:
    """The descriptions shown are the options' and commands' help entire, and a line break in the source
    between two Chinese characters shows no gap."""
    output = help_at(path, 60)
    lists = _lists(output)
    shown = {term: "".join(text for _, text in lines) for rows in lists.values() for term, _, lines in rows}
    with click.Context(command, info_name=" ".join(path)) as ctx:
        for param in command.get_params(ctx):
            record = param.get_help_record(ctx) if isinstance(param, click.Option) else None
            if record is not None:
                assert _bare(shown[record[0]]) == _bare(record[1]), record
    if isinstance(command, click.Group):
        for name, subcommand in command.commands.items():
            summary = _bare(shown[name])
            assert summary and _bare(inspect.cleandoc(subcommand.help or "")).startswith(summary), name
            assert not summary.endswith("..."), name
    # A space between two Chinese characters is shown only where the help itself has one ("如 任职决定"); the
    # usage line (up to the first blank line) has its placeholders apart.
    sources = [command.help or "", *(getattr(p, "help", "") or "" for p in command.params)]
    if isinstance(command, click.Group):
        sources += [subcommand.help or "" for subcommand in command.commands.values()]
    wide = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    text = output.partition("\n\n")[2]
    assert [gap for gap in re.findall(f"{wide} {wide}", text) if not any(gap in help for help in sources)] == []


def test_a_command_list_shows_each_commands_first_sentence(help_at: Callable[[tuple[str, ...], int], str]) -> None:
    output = help_at((), 120)
    assert "  chain-head       显示封存链的链头（序号:链哈希）。\n" in output
    assert first_sentence("新建一次谈话。“人员”为谈话对象。\n\n更多。") == "新建一次谈话。"
    # A summary written over two source lines reads as one sentence.
    assert first_sentence("列出跟踪事项（整改、\n帮扶），按期限排序") == "列出跟踪事项（整改、帮扶），按期限排序"


def test_chinese_wraps_between_characters_and_english_between_words() -> None:
    text = "谈话人（id 或姓名），可重复给出；用 --as-of 2026-03-12 指定日期，“本人”见 tanxin me。"
    for width in range(12, 40):
        lines = wrap(text, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not [line for line in lines[1:] if line[0] in CLOSING or line.endswith(("（", "“"))], lines
        for word in ("--as-of", "2026-03-12", "tanxin"):
            assert any(word in line for line in lines), (width, word, lines)
    # A piece wider than a line is cut rather than let past the edge.
    assert wrap("A" * 25, 10) == ["A" * 10, "A" * 10, "A" * 5]


def test_usage_continues_under_its_first_argument() -> None:
    args = "[选项] 人员 职务 " + " ".join(["单位"] * 12)
    formatter = ChineseHelpFormatter(width=50)
    formatter.write_usage("tanxin role add", args)
    first, *rest = formatter.getvalue().splitlines()
    assert first.startswith("用法：tanxin role add [选项] 人员")
    assert rest and all(line.startswith(" " * cell_len("用法：tanxin role add ") + "单位") for line in rest)
    assert all(cell_len(line) <= 50 for line in (first, *rest))
    # Too narrow for the arguments beside the prefix: they go on the lines below it.
    narrow = ChineseHelpFormatter(width=40)
    narrow.write_usage("tanxin role add", args)
    first, *rest = narrow.getvalue().splitlines()
    assert first == "用法：tanxin role add" and rest[0].startswith("    [选项] 人员")
    assert all(cell_len(line) <= 40 for line in rest)


NARROW = [pytest.param(path, command, id=f"{' '.join(path) or 'tanxin'} 40") for path, command in COMMANDS]


@pytest.mark.parametrize(("path", "command"), NARROW)
def test_a_narrow_terminal_gets_help_that_fits(
    path: tuple[str, ...], command: click.Command, help_at: Callable[[tuple[str, ...], int], str]
) -> None:
    """click never makes help narrower than 50 columns, so at 40 every long line ran past the edge; help is as
    wide as the terminal (less click's margin of 2), and the option list keeps its descriptions readable."""
    output = help_at(path, 40)
    examples = _examples(command)
    assert [line for line in output.splitlines() if cell_len(line) > 38 and line.strip() not in examples] == []
    for rows in _lists(output).values():
        for term, _, lines in rows:
            # A description is never squeezed into a column too narrow to read: it keeps at least 20 columns.
            assert all(at <= 38 - ChineseHelpFormatter.MIN_WIDTH for at, _ in lines), (term, lines)
    # A number and its unit stay on one line.
    assert not re.search(r"\d\n\s*[年月日时分点号个项人次天]", output)


def test_a_number_keeps_its_unit() -> None:
    text = "谈话时长 14时30分，期限为 3个月，每年至少 2次，共 12项，“2026 年未完成”。"
    for width in range(8, 40):
        lines = wrap(text, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert not [(a, b) for a, b in pairwise(lines) if a[-1].isdigit() and b[0] in "年月日时分点号个项人次天"], lines
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # The floor is the formatter's, not click's 50.
    assert ChineseHelpFormatter(width=None, max_width=100).width >= ChineseHelpFormatter.MIN_WIDTH
