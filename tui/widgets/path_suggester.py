"""Completing a file path as it is typed: the rest of the first matching folder or file is suggested, and → (or
end) takes it, as a shell's tab would.

Only folders and the kinds of file the field is for are offered, so a roster field never proposes a photo. The
folder is listed afresh at each keystroke (no cache): a file saved from Excel a moment ago is offered at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual.suggester import Suggester

MAX_LISTED = 2000  # entries read from one folder: a huge download folder never stalls a keystroke


class PathSuggester(Suggester):
    """Suggests the completion of a typed path among folders and files ending in `suffixes`."""

    def __init__(self, suffixes: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = tuple(s.lower() for s in suffixes)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, prefix = (typed, "") if value.endswith(os.sep) else (typed.parent, typed.name)
        try:
            with os.scandir(folder) as entries:
                names = []
                for index, entry in enumerate(entries):
                    if index >= MAX_LISTED:
                        break
                    if entry.name.startswith(prefix) and not entry.name.startswith("."):
                        wanted = entry.is_dir() or entry.name.lower().endswith(self.suffixes)
                        if wanted:
                            names.append(entry.name + (os.sep if entry.is_dir() else ""))
        except OSError:
            return None
        if not names:
            return None
        # What the user typed stays as typed (a leading ~ included); only the rest of the name is added.
        return value + sorted(names)[0][len(prefix):]
