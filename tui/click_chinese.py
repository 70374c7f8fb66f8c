"""click's own words in Chinese: usage errors, help headings and the --help/--version lines.

click marks every message it prints with gettext (`from gettext import gettext as _` in each of its modules) and
ships no catalogue. A compiled .mo would need a build step and a global text domain for the whole process; instead
`install()` gives click's modules a translator that looks a message up in `MESSAGES` and returns any message it
does not know unchanged, so a click upgrade that adds a message shows English rather than failing. The test
tests/test_cli_chinese.py runs the common usage errors and fails on any English word in them, so such a gap is
noticed. Placeholders ({name!r} …) are kept: click fills them in after translating.

Metavars (the placeholders in usage lines, help and "缺少参数 '人员'") are Chinese words, not click's ASCII: a
书记 reads `tanxin talk new 人员 --type 类型`, not `PERSON --type T`. Commands name their arguments' metavars
themselves (人员, 谈话, 日期, 时间, 类型, 单位, 文件 …); an option that names none gets its type's word from
`TYPE_METAVARS` through `chinese_command` (文字, 整数, 文件). Only typed values stay ASCII: option names
(`--as-of`), choices whose values are ASCII, and examples such as 2026-03-12. tests/test_cli_usage_errors.py
fails on any ASCII metavar left in a usage line.

Help is laid out by display width (`ChineseHelpFormatter`): click counts characters, and a Chinese character takes
two columns, so click put option descriptions out of line, let Chinese text (which has no spaces to wrap at) run
past the terminal's edge, cut a command list's lines at a number of characters and English sentences, and put a
space wherever the source broke a Chinese sentence across lines. tests/test_help_layout.py checks every command's
help at several widths.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable

import click

MESSAGES: dict[str, str] = {
    # usage errors
    "Error: {message}": "错误：{message}",
    "Missing argument": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "是否要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否要用以下之一：{possibilities}？）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Try '{command} {option}' for help.": "用 '{command} {option}' 查看帮助。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "数",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值，可用：{states}",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式：{formats}。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "Value must be an iterable.": "值必须是一组值。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，应为文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，应为文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "unknown error": "未知错误",
    "Aborted!": "已取消。",
    "Error: invalid input": "错误：输入无效",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Repeat for confirmation": "再次输入以确认",
    "Do you want to continue?": "是否继续？",
    "Press any key to continue...": "按任意键继续……",
    # help
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "deprecated": "已弃用",
    "(dynamic)": "（动态）",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
}

# The placeholder of an option that names no metavar, by its type's click name.
TYPE_METAVARS = {
    "text": "文字",
    "integer": "整数",
    "integer range": "整数",
    "float": "数",
    "path": "文件",
    "filename": "文件",
}

# Every click module that imports gettext's functions under its own names.
_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    return translate(singular if count == 1 else plural)


def install() -> None:
    """Give click's modules the Chinese translator (idempotent)."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural  # type: ignore[attr-defined]


# Where a line of Chinese may not break (the line-breaking rules of Chinese typesetting): never before closing
# punctuation, never after opening punctuation; ASCII punctuation follows Chinese text in help, so it counts too,
# and | keeps to the choice before it ([待办|办理中]).
_NO_LINE_START = frozenset("，。、；：？！）」』”’》〉】…—·%,.;:!?)]}|")
_NO_LINE_END = frozenset("（「『“‘《〈【([{")
# A number keeps its unit: "14\n时30分" or "3\n个月" reads as two things.
_UNITS = frozenset("年月日时分点号个项人次天")
_DIGITS = frozenset("0123456789")


def _cells(text: str) -> int:
    """How many terminal columns `text` takes: a CJK character takes two, and click counts it as one."""
    # rich measures as Textual draws; imported here because only --help needs it (startup of every command).
    from rich.cells import cell_len

    return cell_len(text)


def _wide(char: str) -> bool:
    return _cells(char) == 2


def _may_break_between(before: str, after: str) -> bool:
    if after in _NO_LINE_START or before in _NO_LINE_END or (before in _DIGITS and after in _UNITS):
        return False
    # Chinese breaks between any two characters; a run of ASCII ('--as-of', '2026-03-12') stays whole.
    return _wide(before) or _wide(after)


def _pieces(text: str, at_spaces_only: bool) -> list[tuple[str, str]]:
    """`text` cut where a line may break, as (the whitespace before the piece, the piece)."""
    pieces: list[tuple[str, str]] = []
    gap = current = ""
    for char in text:
        if char.isspace():
            if current:
                pieces.append((gap, current))
                gap = current = ""
            gap += " "
        elif not current and gap and char in _UNITS and pieces and pieces[-1][1][-1] in _DIGITS:
            # "2026 年" stays on one line too, its space kept.
            gap, current = pieces[-1][0], pieces.pop()[1] + gap + char
        elif current and not at_spaces_only and _may_break_between(current[-1], char):
            pieces.append((gap, current))
            gap, current = "", char
        else:
            current += char
    if current:
        pieces.append((gap, current))
    return pieces


def wrap(
    text: str, width: int, initial_indent: str = "", subsequent_indent: str = "", *, at_spaces_only: bool = False
) -> list[str]:
    """`text` in lines of at most `width` columns, each indented (the indents count), broken where Chinese and
    English allow (`at_spaces_only`: between words, for a usage line's placeholders such as 单位); a piece wider
    than a whole line is cut."""
    from rich.cells import chop_cells

    lines: list[str] = []
    line, used, empty = initial_indent, _cells(initial_indent), True
    for gap, piece in _pieces(text, at_spaces_only):
        size = _cells(piece)
        if not empty and used + len(gap) + size > width:
            lines.append(line)
            line, used, empty = subsequent_indent, _cells(subsequent_indent), True
        if empty:
            gap = ""
            # At least two columns a line, so that a Chinese character always gets onto one.
            while used + size > width and len(chunks := chop_cells(piece, max(width - used, 2))) > 1:
                lines.append(line + chunks[0])
                piece = "".join(chunks[1:])
                line, used, size = subsequent_indent, _cells(subsequent_indent), _cells(piece)
        line += gap + piece
        used += len(gap) + size
        empty = False
    if not empty or not lines:
        lines.append(line)
    return lines


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph as one text. A line break between two Chinese characters is no space (click puts
    one there, as English needs), so a help text wrapped in the source does not show a gap mid-sentence."""
    text = ""
    for line in filter(None, (line.strip() for line in lines)):
        if text and not (_wide(text[-1]) and _wide(line[0])):
            text += " "
        text += line
    return text


def wrap_paragraphs(text: str, width: int, indent: str = "") -> list[str]:
    """Help text as click lays it out (paragraphs apart by a blank line, each keeping the indent of its first
    line; a paragraph opened by a line holding only \\b printed as written, for examples to copy), wrapped by
    `wrap`."""
    paragraphs: list[list[str]] = [[]]
    for line in text.expandtabs().splitlines():
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    out: list[str] = []
    for paragraph in (p for p in paragraphs if p):
        if out:
            out.append("")
        own = indent + " " * (len(paragraph[0]) - len(paragraph[0].lstrip()))
        if paragraph[0].strip() == "\b":
            out += [indent + line for line in paragraph[1:]]
        else:
            out += wrap(join_lines(paragraph), width, own, own)
    return out


def first_sentence(help_text: str) -> str:
    """The first sentence of a command's help (to the first 。), the line a command list shows for it."""
    summary = join_lines(inspect.cleandoc(help_text).partition("\f")[0].partition("\n\n")[0].splitlines())
    end = summary.find("。")
    return summary if end == -1 else summary[: end + 1]


class ChineseHelpFormatter(click.HelpFormatter):
    """Help laid out by display width: click measures text in characters, so a Chinese metavar or description
    (two columns a character) pushed the descriptions of an option list out of line and past the terminal's
    edge, and Chinese text (which has no spaces) was not wrapped at all. Headings and the usage prefix take a
    full-width colon, as Chinese text writes them. Help is as wide as the terminal down to `MIN_WIDTH` columns
    (click makes it at least 50, so at 40 every long line ran past the edge and the terminal broke it anywhere);
    the option list narrows its first column to leave the descriptions `MIN_WIDTH` columns."""

    MIN_WIDTH = 20

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        super().__init__(indent_increment, width, max_width)
        if width is None and click.formatting.FORCED_WIDTH is None:
            import shutil

            # click's own rule (the terminal less a margin of 2, at most max_width) without its floor of 50.
            columns = shutil.get_terminal_size().columns
            self.width = max(min(columns, max_width or 80) - 2, self.MIN_WIDTH)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = f"{' ' * self.current_indent}{translate('Usage:') if prefix is None else prefix}{prog}"
        if not args:
            self.write(f"{head}\n")
            return
        room = self.width - self.current_indent
        if room >= _cells(head) + 1 + 20:
            # The arguments fit to the right of the prefix, and continue under their first one.
            lines = wrap(args, self.width, f"{head} ", " " * (_cells(head) + 1), at_spaces_only=True)
        else:
            indent = " " * (self.current_indent + 4)
            lines = [head, *wrap(args, self.width, indent, indent, at_spaces_only=True)]
        self.write("\n".join(lines) + "\n")

    def write_text(self, text: str) -> None:
        self.write("\n".join(wrap_paragraphs(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """Terms and their descriptions in two columns, the second starting in one display column for every row
        (a term wider than `col_max` has its description start on the next line)."""
        rows = list(rows)
        # In a narrow terminal a wide first column would leave the descriptions a sliver.
        col_max = max(min(col_max, self.width - self.current_indent - col_spacing - self.MIN_WIDTH), 4)
        first_width = min(max((_cells(term) for term, _ in rows), default=0), col_max)
        column = self.current_indent + first_width + col_spacing
        indent = " " * self.current_indent
        for term, description in rows:
            # A term wider than the whole line (a long list of choices) continues further indented.
            *whole, line = wrap(term, self.width, indent, indent + " " * 4)
            self.write("".join(f"{text}\n" for text in whole))
            if not description:
                self.write(f"{line}\n")
                continue
            if whole or _cells(term) > first_width:
                self.write(f"{line}\n")
                line = ""
            line += " " * (column - _cells(line))
            # The rest of the line, at least 10 columns as click leaves however narrow the terminal.
            lines = wrap_paragraphs(description, max(self.width, column + 10) - column)
            self.write("\n".join(f"{line if i == 0 else ' ' * column}{text}" if text else ""
                                  for i, text in enumerate(lines)) + "\n")


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


def chinese_command(command: click.Command, options_metavar: str, subcommand_metavar: str) -> None:
    """Chinese usage placeholders, help formatting, metavars and command-list lines for a command and, in a group,
    every subcommand."""
    command.options_metavar = options_metavar
    command.context_class = ChineseContext
    # click shortens a command's help for a command list to a number of characters and English sentences.
    if command.short_help is None and command.help:
        command.short_help = first_sentence(command.help)
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
            param.metavar = TYPE_METAVARS.get(param.type.name)
    if isinstance(command, click.Group):
        command.subcommand_metavar = subcommand_metavar
        for subcommand in command.commands.values():
            chinese_command(subcommand, options_metavar, subcommand_metavar)
