"""One export on a screen: where to write it, a button, a progress bar and what happened.

The panel asks (`ExportPanel.Requested`); the screen answers with the job to run (`run(job, path)`), built on
the main thread from what the screen shows. The panel runs the job in a thread worker with its own database
connection, so typing elsewhere never waits for a document, and shows how it ended.

An export never replaces a file: when the name is taken, the panel asks for the next free one (`…(2).docx`)
and says so, and the document functions refuse to replace a file that appears meanwhile. The demo's exports
go to a folder of their own (演示), so a demo record never lands beside, or on, a real signed one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, ProgressBar, Static
from textual.worker import Worker

from tui.safe import labelled, safe
from tui.screens.base import forward_failure, tanxin_app
from tui.screens.talk_support import export_dir
from tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from notes.store import Store

ExportJob = Callable[["Store"], Path]
DEMO_EXPORT_DIR = "演示"


class ExportPanel(Vertical):
    DEFAULT_CSS = """
    ExportPanel { height: auto; margin-bottom: 1; }
    ExportPanel .export-title { text-style: bold; }
    ExportPanel Horizontal { height: 1; }
    ExportPanel SafeInput { width: 1fr; }
    ExportPanel Button { min-width: 8; margin-left: 2; }
    ExportPanel ProgressBar { display: none; }
    ExportPanel.-running ProgressBar { display: block; }
    ExportPanel .export-status { color: $text-muted; height: auto; }
    ExportPanel .export-status.-error { color: $text-error; }
    """

    @dataclass
    class Requested(Message):
        """The user asked for the export, to `path`; the screen calls `panel.run(job, path)`."""

        panel: ExportPanel
        path: Path

        @property
        def control(self) -> ExportPanel:
            return self.panel

    @dataclass
    class Finished(Message):
        path: Path

    @dataclass
    class Failed(Message):
        message: str

    def __init__(self, title: str, default_path: Path, *, id: str, button_label: str = "导出") -> None:
        super().__init__(id=id)
        self.title = title
        self.default_path = default_path
        self.button_label = button_label
        # The name asked for, when it was taken and the export went to the next free name instead.
        self.taken = ""

    def compose(self) -> ComposeResult:
        yield Static(self.title, classes="export-title", markup=False)
        with Horizontal():
            yield SafeInput(str(self.placed(self.default_path)), placeholder="导出文件路径", classes="export-path",
                            compact=True)
            yield Button(self.button_label, variant="primary", classes="export-button", compact=True)
        yield ProgressBar(total=None, show_eta=False)
        yield Static("", classes="export-status", markup=False)

    @property
    def running(self) -> bool:
        return self.has_class("-running")

    def placed(self, path: Path) -> Path:
        """Where a suggested path really goes: a demo's exports into the 演示 folder of the export folder."""
        if tanxin_app(self).demo and path.parent == export_dir():
            return path.parent / DEMO_EXPORT_DIR / path.name
        return path

    def set_path(self, path: Path) -> None:
        self.query_one(".export-path", SafeInput).value = str(self.placed(path))

    @on(Button.Pressed, ".export-button")
    @on(SafeInput.Submitted, ".export-path")
    def _submitted(self, event: Message) -> None:
        event.stop()
        self.request()

    def request(self) -> None:
        """Ask the screen to export to the path in the field (nothing happens while an export runs)."""
        if self.running:
            return
        from notes.documents.docxfile import versioned_path

        value = self.query_one(".export-path", SafeInput).value.strip()
        if not value:
            self._status("请先填写导出文件的路径。", error=True)
            return
        path = Path(value).expanduser()
        free = versioned_path(path)
        self.taken = path.name if free != path else ""
        if self.taken:
            self.set_path(free)
        self.post_message(self.Requested(self, free))

    def run(self, job: ExportJob, path: Path) -> None:
        """Run `job` (which writes `path`) in a thread worker, showing progress until it ends."""
        self.add_class("-running")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one(".export-button", Button).disabled = True
        self._status(f"{self.taken} 已存在，不覆盖，另存为 {path.name}；正在导出……" if self.taken else "正在导出……")
        self._export(job, path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self, job: ExportJob, path: Path) -> None:
        from notes.errors import TanxinError

        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # records are for the user alone
            with tanxin_app(self).thread_store() as store:
                written = job(store)
        except TanxinError as error:
            self.post_message(self.Failed(error.message))
            return
        except OSError as error:
            self.post_message(self.Failed(f"无法写入 {path}：{error.strerror or error}。请换一个目录或文件名。"))
            return
        self.post_message(self.Finished(written))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected error in the export (the expected ones become Failed above): the panel stops waiting and
        the app reports it like any worker's failure."""
        if forward_failure(self, event):
            self._stop()
            self._status("导出失败，未写出文件。", error=True)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self._stop()
        done = f"已导出（{self.taken} 已存在，未覆盖）：" if self.taken else "已导出："
        self.query_one(".export-status", Static).update(labelled(done, str(message.path), "bold $text-success"))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._stop()
        self._status(message.message, error=True)

    def _stop(self) -> None:
        self.remove_class("-running")
        self.query_one(ProgressBar).update(total=100, progress=100)
        self.query_one(".export-button", Button).disabled = False

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one(".export-status", Static)
        status.update(safe(text))
        status.set_class(error, "-error")
