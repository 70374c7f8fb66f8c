"""Pasted text stays pasted text: ESC inside a bracketed paste is turned into ␛ before Textual parses it.

Textual 8.2.8's input parser ends its paste handling at the first ESC inside a paste: everything after it is
replayed as keystrokes, so a pasted `…\x1b[2J…\x11…` quits the app (\x11 is ctrl+q), a pasted \r submits a
form, and the real end-of-paste marker can be swallowed (docs/pitfalls.md; reproduced under tmux with
`paste-buffer -p`). Terminals differ in whether they strip ESC from pastes; tmux does not. So the input stream
is rewritten before the parser sees it: between the terminal's paste markers every ESC becomes the visible ␛,
and the parser delivers the whole paste as one Paste event, which the fields then clean (tui/widgets/
safe_input.py). Outside pastes nothing is changed or delayed.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
VISIBLE_ESC = "␛"


class PasteGuard:
    """Rewrites chunks of terminal input; markers split across chunks are recognised."""

    def __init__(self) -> None:
        self.in_paste = False
        self._seen = ""  # the last characters outside a paste, to find a start marker split across chunks
        self._held = ""  # inside a paste: a trailing piece that may be the start of the end marker

    def feed(self, data: str) -> str:
        out: list[str] = []
        text = self._held + data
        self._held = ""
        position = 0
        while position < len(text):
            if not self.in_paste:
                window = self._seen + text[position:]
                found = window.find(PASTE_START)
                if found < 0:
                    out.append(text[position:])
                    self._seen = window[-(len(PASTE_START) - 1):]
                    break
                marker_end = found + len(PASTE_START) - len(self._seen)  # in text, relative to position
                out.append(text[position:position + marker_end])
                position += marker_end
                self._seen = ""
                self.in_paste = True
                continue
            found = text.find(PASTE_END, position)
            if found < 0:
                body = text[position:]
                keep = _partial_end(body)
                out.append(body[: len(body) - keep].replace("\x1b", VISIBLE_ESC))
                self._held = body[len(body) - keep:]
                break
            out.append(text[position:found].replace("\x1b", VISIBLE_ESC))
            out.append(PASTE_END)
            position = found + len(PASTE_END)
            self.in_paste = False
        return "".join(out)


def _partial_end(body: str) -> int:
    """How many trailing characters could be the beginning of the end marker (held for the next chunk)."""
    for size in range(min(len(PASTE_END) - 1, len(body)), 0, -1):
        if PASTE_END.startswith(body[-size:]):
            return size
    return 0


class PasteGuardDriver(LinuxDriver):
    """Textual's Linux/macOS driver, reading input through a PasteGuard.

    `run_input_thread` is LinuxDriver's own (textual 8.2.8, pinned) with one change: each decoded chunk passes
    through the guard before the parser. Keep it in step when Textual is upgraded.
    """

    def run_input_thread(self) -> None:
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        guard = PasteGuard()
        decode = getincrementaldecoder("utf-8")().decode

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break
                    for event in parser.feed(guard.feed(unicode_data)):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
