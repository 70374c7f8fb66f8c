"""One note of a live talk: a header line (序号 · 类别 · 要点 · 时间 · 保密) over its own small editor.

One editor per entry, never one huge document: in Textual 8.2.8 an edit can rework the whole document, so a
talk's notes are many small TextAreas (language=None, no highlighting) and each is capped. An entry that
already holds more than the cap (imported, or added from the command line) is shown read-only, shortened,
and never rewritten from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tui.safe import safe
from tui.widgets.safe_input import SafeTextArea
from tui.widgets.timer import format_elapsed

if TYPE_CHECKING:
    from notes.model import Entry

# Beyond this many characters an entry is continued in a new one (the live screen moves the overflow), so an
# editor stays quick to type in. Longer stored entries are shown read-only.
ENTRY_CHAR_CAP = 30_000
READ_ONLY_PREVIEW_CHARS = 2_000

KIND_STYLES = {
    "事实情况": "$text-primary",
    "本人表态": "$text-success",
    "困难诉求": "$text-warning",
    "意见建议": "$text-accent",
    "发现问题": "$text-error",
    "谈话人要求": "$text-secondary",
}


class EntryText(SafeTextArea):
    """The editor of one entry (a class of its own so the live screen's handlers find exactly these)."""


class EntryEditor(Vertical):
    DEFAULT_CSS = """
    EntryEditor { height: auto; }
    EntryEditor .entry-header { height: 1; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    EntryEditor:focus-within .entry-header { background: $primary 30%; }
    EntryEditor EntryText { height: auto; min-height: 1; max-height: 14; border: none; padding: 0 1; }
    EntryEditor EntryText:focus { min-height: 3; }
    EntryEditor.-confidential EntryText { border-left: thick $error; }
    EntryEditor .entry-too-long { height: auto; max-height: 14; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, entry: Entry, number: int, *, has_followup: bool = False, read_only: bool = False) -> None:
        # No widget id from the entry: a conflict moves this editor's text to a new entry (notes/autosave.py).
        super().__init__()
        self.entry_id = entry.id
        self.number = number
        self.kind = entry.kind
        self.heading = entry.heading
        self.confidential = entry.confidential
        self.offset_seconds = entry.offset_seconds
        self.has_followup = has_followup
        self.too_long = len(entry.text) > ENTRY_CHAR_CAP
        self.empty = not entry.text.strip()
        self.read_only = read_only  # another window edits the talk
        self.handed = entry.text  # the text the autosaver last had from this editor
        self._initial_text = entry.text

    def compose(self) -> ComposeResult:
        yield Static(self.header(), classes="entry-header")
        if self.too_long:
            yield Static(
                Content.assemble(
                    (f"本条共 {len(self._initial_text)} 字，超过编辑上限，只读显示开头部分；完整内容已保存在记录中。\n",
                     "italic"),
                    safe(self._initial_text[:READ_ONLY_PREVIEW_CHARS] + "…"),
                ),
                classes="entry-too-long",
            )
        else:
            yield EntryText(self._initial_text, language=None, soft_wrap=True, placeholder="在此记录谈话内容……",
                            read_only=self.read_only)
        self._initial_text = ""  # the editor owns the text from here on

    def on_mount(self) -> None:
        self.set_class(self.confidential, "-confidential")
        if self.editor is not None:  # as shown: controls in stored text are made visible in the editor
            self.handed = self.editor.text

    @property
    def editor(self) -> EntryText | None:
        """The text editor, or None for an over-long entry shown read-only."""
        found = self.query(EntryText)
        return found.first() if found else None

    def header(self) -> Content:
        """序号 时间 类别 [保密] [已转跟踪] · 要点 — the heading last, so a narrow screen cuts only the heading."""
        parts: list[Content] = [
            Content.styled(f"{self.number:>2} ", "bold"),
            Content.styled(f"{format_elapsed(self.offset_seconds)} ", "dim"),
            Content.styled(self.kind, f"bold {KIND_STYLES.get(self.kind, '')}".strip()),
        ]
        if self.confidential:
            parts.append(Content.styled(" 保密 ", "bold reverse $text-error"))
        if self.has_followup:
            parts.append(Content.styled(" 已转跟踪", "$text-warning"))
        parts.append(Content.styled(" · ", "dim"))
        parts.append(safe(self.heading) if self.heading else Content.styled("未选要点", "dim italic"))
        return Content.assemble(*parts)

    def refresh_header(self) -> None:
        self.query_one(".entry-header", Static).update(self.header())
        self.set_class(self.confidential, "-confidential")
