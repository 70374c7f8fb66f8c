"""帮助 (f1): the keys of the screen the user is on, read from its live bindings, and how the app is used day to day.

The keys are not a second list kept by hand: they are the bindings active on the screen underneath, with the
keymap the unit set in 设置 applied, so the help can never disagree with the footer. What a screen does with
keys that are not bindings (enter on a list, typing a name) it says in its `HELP_TEXT`, shown above its keys.

A modal screen (a dialog, 选择本人) hides the app's bindings from Textual, f1 among them: it lists
`HELP_BINDING` among its own, so f1 opens its help there too and the footer shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.keys import format_key
from textual.widgets import Static

from tui.screens.base import TanxinModalScreen
from tui.widgets.footer import TanxinFooter

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

# Keys that are no binding but work the same on every screen: said before the screen's own keys, so a small
# terminal shows them without scrolling.
EVERYWHERE = ("通用：↑ ↓ 移动；enter 打开选中的一行、选定或按下按钮；tab / shift+tab 在各项之间移动；"
              "esc 关闭对话框或返回。")

DAILY_USE = (
    "打开：在终端中运行 tanxin，输入口令。忘记口令时运行 tanxin --recovery-key passwd，输入恢复密钥后设新口令。",
    "工作台（f2）列出今天该谈、逾期的谈话和到期的跟踪事项；选中一行按 enter，做谈前准备或继续已开始的谈话。",
    "谈话中每个字都自动保存（状态栏显示“已保存”）；f8 结束谈话，到谈后填写汇总与表态、签章封存、导出记录表。",
    "谈话中离开一下按 esc 暂离：谈话仍在进行，计时暂停；在工作台选中它按 enter 接着谈。",
    "有人走近时按 f12 立即隐藏屏幕，按任意键恢复；离开座位按 ctrl+l 锁定。",
    "ctrl+p 打开命令面板：输入中文、拼音或首字母（如 gzt 即 工作台、zs 即 张三）查找功能和人员。在没有输入框的"
    "页面上直接打字，也会打开命令面板并按所打的字查找；在人员列表中直接打字即开始查找。",
    "在表单中按 tab 移到下一项，shift+tab 回到上一项；底部按键中颜色变暗的，表示此时不能用，按下时会说明原因。",
    "按键可在 设置 → 自定义按键 → 按键一览… 中更改：选中功能，按下新的按键。命令行用法：tanxin --help。",
)


def _key_label(key: str) -> str:
    """As the footer names the key (esc, /), with ctrl spelt out; enter keeps its name, which the footer's ⏎
    would not tell a new user."""
    *modifiers, base = key.split("+")
    return "+".join([*modifiers, base if base == "enter" else format_key(base)])


def key_lines(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding of the app's own that is active on `screen`, each action once.

    The app's bindings all carry an id (so a unit can rebind them); Textual's built-in ones (tab, copy) have
    none and English descriptions, and are left out."""
    by_action: dict[tuple[str, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.id is None or not binding.description or not active.enabled:
            continue
        what = binding.description if not binding.tooltip else f"{binding.description}：{binding.tooltip}"
        by_action.setdefault((binding.action, what), []).append(_key_label(key))
    return [(" / ".join(keys), what) for (_, what), keys in by_action.items()]


class HelpScreen(TanxinModalScreen[None]):
    """The keys of the screen underneath and how the app is used; esc or f1 closes it."""

    # Each key and each point of 每天使用 on a line of its own, wrapped under its own text: a long line
    # continues beside the key or the bullet, not under it.
    DEFAULT_CSS = """
    HelpScreen .help-heading { margin-top: 1; }
    HelpScreen .help-line { height: auto; }
    HelpScreen .help-mark { width: 4; }
    HelpScreen .help-what { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "dismiss", "关闭", id="help.close", tooltip="关闭帮助，回到原来的界面"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.keys = key_lines(under)
        self.where = under.title or "谈心"
        self.about: str = getattr(under, "HELP_TEXT", "")

    def compose(self) -> ComposeResult:
        with Vertical(classes="card wide"):
            yield Static("帮助", classes="card-title")
            with VerticalScroll(id="help-text"):
                if self.about:
                    yield Static(Content(self.about), id="help-about")
                yield Static(Content(EVERYWHERE), id="help-everywhere")
                yield Static(Content(f"本界面（{self.where}）的按键"), classes="help-heading")
                yield from self._key_lines()
                yield Static(Content("每天使用"), classes="help-heading")
                for point in DAILY_USE:
                    yield self._line("  · ", 4, point)
        yield TanxinFooter()

    def _key_lines(self) -> ComposeResult:
        if not self.keys:
            yield Static(Content("  （本界面没有按键）"))
            return
        width = max(cell_len(keys) for keys, _ in self.keys) + 4  # two spaces before the keys, two after
        for keys, what in self.keys:
            yield self._line(f"  {keys}", width, what)

    @staticmethod
    def _line(mark: str, width: int, text: str) -> Horizontal:
        """`mark` (a key, a bullet) in a column `width` cells wide, `text` wrapping beside it."""
        column = Static(Content(mark), classes="help-mark")
        column.styles.width = width
        return Horizontal(column, Static(Content(text), classes="help-what"), classes="help-line")
