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
"""

from __future__ import annotations

import importlib

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


class ChineseHelpFormatter(click.HelpFormatter):
    """Headings and the usage prefix with a full-width colon, as Chinese text writes them."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, translate("Usage:") if prefix is None else prefix)


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


def chinese_command(command: click.Command, options_metavar: str, subcommand_metavar: str) -> None:
    """Chinese usage placeholders, help formatting and metavars for a command and, in a group, every subcommand."""
    command.options_metavar = options_metavar
    command.context_class = ChineseContext
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
            param.metavar = TYPE_METAVARS.get(param.type.name)
    if isinstance(command, click.Group):
        command.subcommand_metavar = subcommand_metavar
        for subcommand in command.commands.values():
            chinese_command(subcommand, options_metavar, subcommand_metavar)
