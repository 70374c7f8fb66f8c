"""Pack files: where a pack's file is (a unit's folders, then the shipped packs), reading it, and finding the
line of an entry or a key in it (tomllib keeps no positions)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prep.packs.model import PackError


def shipped_dir() -> Path:
    # notes/resources.py knows where the templates are in a checkout and in an installed wheel.
    from notes.resources import templates_dir

    return templates_dir() / "packs"


PACK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(?:#.*)?$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class File:
    """One pack file: its parsed data and enough of its raw text to point at the line of a problem."""

    def __init__(self, path: Path, builtin: bool) -> None:
        self.path = path
        self.builtin = builtin
        self.label = path.name if builtin else str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")  # tolerate the BOM Windows editors add
        except UnicodeDecodeError as exc:
            raise PackError(f"{self.label}：文件不是 UTF-8 编码（{exc.reason}），请另存为 UTF-8 后重试。") from exc
        except OSError as exc:
            raise PackError(f"{self.label}：无法读取（{exc.strerror or exc}）。") from exc
        self.lines = text.splitlines()
        try:
            self.data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = _TOML_POSITION.search(str(exc))
            line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
            detail = _TOML_POSITION.sub("", str(exc)).strip()
            raise PackError(f"{self.label} 第 {line} 行：TOML 语法错误（第 {column} 列）：{detail}") from exc
        self.headers: list[tuple[int, str]] = []  # (line number, dotted table path)
        in_string = ""
        for number, raw in enumerate(self.lines, start=1):
            if not in_string and (found_header := _HEADER.match(raw)):
                self.headers.append((number, found_header.group(2)))
            for quote in ('"""', "'''"):
                if (not in_string or in_string == quote) and raw.count(quote) % 2:
                    in_string = "" if in_string else quote
        self.header_lines = {line for line, _ in self.headers}

    def error(self, line: int, message: str) -> PackError:
        return PackError(f"{self.label} 第 {line} 行：{message}")

    # Where things are: tomllib keeps no positions, so look for the table header and `key =` lines.

    def _key_line(self, start: int, end: int, key: str) -> int | None:
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        for number in range(start, min(end, len(self.lines)) + 1):
            if number > start and number in self.header_lines:
                return None  # a nested [table.sub] begins: the key is not at this level
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def _span(self, path: str, index: int, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
        low, high = within or (1, len(self.lines))
        count = -1
        for position, (line, header) in enumerate(self.headers):
            if header != path or not low <= line <= high:
                continue
            count += 1
            if count == index:
                later = (ln for ln, h in self.headers[position + 1:] if not h.startswith(path + "."))
                return line, min(next(later, len(self.lines) + 1) - 1, high)
        return None

    def line(self, table: str, index: int, key: str = "", sub: tuple[str, int] | None = None) -> int:
        """The line of `key` in the index-th entry of `table` (or of item sub=(list key, item index) in it)."""
        span = self._span(table, index)
        if span is None:
            return self.top_line(table)
        start, end = span
        if sub is not None:
            sub_key, item = sub
            sub_span = self._span(f"{table}.{sub_key}", item, span)
            if sub_span is not None:
                return (self._key_line(sub_span[0], sub_span[1], key) if key else None) or sub_span[0]
            list_line = self._key_line(start, end, sub_key)
            if list_line is None:
                return start
            braces = [n for n in range(list_line, end + 1)
                      if "{" in self.lines[n - 1] and not self.lines[n - 1].lstrip().startswith("#")]
            return braces[item] if item < len(braces) else list_line
        for candidate in (key, "id"):
            if candidate and (found := self._key_line(start, end, candidate)):
                return found
        return start

    def top_line(self, key: str) -> int:
        """The line where a top-level table or key first appears."""
        for line, header in self.headers:
            if header == key or header.startswith(key + "."):
                return line
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        return next((n for n, raw in enumerate(self.lines, start=1) if pattern.match(raw)), 1)


def find(pack_id: str, extra_dirs: Sequence[Path]) -> tuple[Path, bool] | None:
    if not PACK_ID.match(pack_id):
        return None
    for folder in extra_dirs:
        candidate = Path(folder) / f"{pack_id}.toml"
        if candidate.is_file():
            return candidate, False
    shipped = shipped_dir() / f"{pack_id}.toml"
    return (shipped, True) if shipped.is_file() else None


@dataclass(frozen=True, slots=True)
class At:
    """An entry of a pack file: where to point when it is wrong."""

    file: File
    table: str
    index: int
    label: str  # 谈话类型 "admonition"

    def fail(self, message: str, key: str = "", sub: tuple[str, int] | None = None) -> PackError:
        return self.file.error(self.file.line(self.table, self.index, key, sub), message)
