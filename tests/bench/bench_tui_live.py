"""Benchmarks of the live screen (tui/screens/live.py): typing at the end of a note that already holds 20,000
characters (`keystroke_live`), and of one typed up to the editor's 30,000-character cap (`keystroke_long_entry`:
a whole talk in one entry).

Each is the main thread's CPU time per keystroke (handling the key, the autosave hand-off, the
checklist, and rendering the screen) in the real app's live editor, as a ratio to a bare Textual app with one
TextArea holding the same text. The autosave thread's own work (the commits) is not on the typing path and is
left out: `time.thread_time` counts the main thread only. Both apps are driven the same way, alternately, and
the median of the pairs' ratios is reported (the machine is shared and noisy).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable, Coroutine
from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import TextArea

Result = dict[str, Any]
# A note as it is typed: paragraphs of Chinese prose, a line break now and then.
PARAGRAPH = "谈话对象表示近期工作任务较重，家中老人住院，希望组织在工作安排上适当照顾，本人将克服困难做好本职工作。" * 3
TYPED = "表示服从组织安排"
SIZE = (80, 24)


def entry_text(chars: int) -> str:
    text = ""
    while len(text) < chars:
        text += PARAGRAPH + "\n"
    return text[:chars]


class BareTextArea(App[None]):
    """The baseline: nothing but a TextArea with the same text, as Textual ships it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, language=None, soft_wrap=True)


async def _type(pilot: Pilot[None], editor: TextArea, keys: int) -> float:
    """Main-thread CPU seconds per keystroke, the cursor at the end of the note."""
    editor.focus()
    editor.move_cursor(editor.document.end)
    await pilot.pause()
    started = time.thread_time()
    for index in range(keys):
        await pilot.press(TYPED[index % len(TYPED)])
    await pilot.pause()
    return (time.thread_time() - started) / keys


async def _bare(text: str, keys: int) -> float:
    app = BareTextArea(text)
    async with app.run_test(size=SIZE) as pilot:
        return await _type(pilot, app.query_one(TextArea), keys)


async def _live(folder: Path, text: str, keys: int) -> float:
    from notes import talks
    from notes.clock import FixedClock
    from notes.keys import new_database_key
    from notes.store import Store
    from tui.app import TanxinApp
    from tui.screens.live import LiveScreen
    from tui.widgets.entry_editor import EntryText

    store = Store.create(folder / f"live-{time.monotonic_ns()}.db", new_database_key())
    try:
        store.set_setting("active_packs", ["suzhou-2018", "cadre-talks", "practice"])
        unit = store.insert("units", {"name": "机关党委"})
        interviewer = store.insert("people", {"name": "张书记", "unit_id": unit})
        interviewee = store.insert("people", {"name": "李明", "unit_id": unit})
        talk_id = talks.create_talk(store, talk_type="appointment", interviewers=[interviewer],
                                    interviewees=[interviewee])
        talks.start_talk(store, talk_id)
        talks.add_entry(store, talk_id, text=text, heading="组织决定及任职的主要理由")
        app = TanxinApp(store, clock=FixedClock.on(date(2026, 3, 12)), cursor_blink=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.hold_talk(talk_id)
            for _ in range(200):
                await pilot.pause(0.02)
                if isinstance(app.screen, LiveScreen) and app.screen.query(EntryText):
                    break
            return await _type(pilot, app.screen.query_one(EntryText), keys)
    finally:
        store.close()


def _run(coroutine: Callable[[], Coroutine[Any, Any, float]]) -> float:
    return asyncio.run(coroutine())


def _keystroke(name: str, chars: int, quick: bool) -> list[Result]:
    # Five rounds even when quick: with three, one disturbed round of the six moved the median by ±0.2.
    keys, rounds = (60, 5) if quick else (120, 7)
    text = entry_text(chars)
    pairs: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="tanxin-bench-live-") as folder:
        for _ in range(rounds):
            live = _run(lambda: _live(Path(folder), text, keys))
            bare = _run(lambda: _bare(text, keys))
            pairs.append((live, bare))
    live_ms = statistics.median(p[0] for p in pairs) * 1000
    bare_ms = statistics.median(p[1] for p in pairs) * 1000
    return [{
        "name": name,
        "value": round(live_ms, 3),
        "baseline_value": round(bare_ms, 3),
        "ratio": round(statistics.median(p[0] / p[1] for p in pairs), 3),
        "target": 1.2,
        "baseline": f"bare Textual app with one TextArea holding the same {chars:,} characters",
        "unit": "ms",
        "detail": f"main-thread CPU per keystroke at the end of a {len(text)}-character note, {SIZE[0]}×{SIZE[1]}, "
                  f"{keys} keys × {rounds} alternating rounds (median of pair ratios)",
    }]


def keystroke_live(quick: bool) -> list[Result]:
    return _keystroke("keystroke_live", 20_000, quick)


def keystroke_long_entry(quick: bool) -> list[Result]:
    # An entry that reaches the editor's 30,000-character cap (tui/widgets/entry_editor.py) with the last key of
    # the longest run, so every key measured is typing, none is the move of an overflow into a new entry.
    return _keystroke("keystroke_long_entry", 30_000 - 120, quick)


BENCHMARKS = [keystroke_live, keystroke_long_entry]
