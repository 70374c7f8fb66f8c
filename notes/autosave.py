"""Durable saving for the live editor that never blocks typing.

The UI calls `update_entry_text` (and the other small setters) on every keystroke: that only records the change
in memory. A background thread with its own connection writes the pending changes in one transaction once typing
pauses (`quiet_seconds`) and, while typing goes on, at least every `max_delay_seconds` — so every change is
committed within a second of being typed, and a crash or SIGKILL loses at most that second. A burst of keystrokes
costs one commit.

Entry writes carry the version the editor loaded (`track_entries`): a write made against an older version than
the database holds (another window wrote the entry meanwhile) never replaces the newer text. Both are kept:
the other window's text stays in the entry, this window's text becomes a new entry beside it, the editor is
told (`take_moved`) and later typing goes to the new entry.

A failure (disk full, database locked) loses nothing: the changes stay pending, newer typing is merged over them,
and the write is retried. A change the record refuses (a lone surrogate in pasted text, a talk sealed meanwhile)
is set aside with its message, not retried, and replaced by the next change to the same entry.

The UI learns the state through `state` and the `on_state` callback. The callback runs in the saving thread
after each write, and in the typing thread when a first change turns the state from saved to pending (a Textual
app posts a message, which is safe from either thread); it must not call `flush` or `close`. Call `close()`
before the program ends: the saving thread is a daemon and would not write what is still pending.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from notes import talks
from notes.errors import InvalidInput, NotFound, TanxinError
from notes.store import DbError, Store, translate

ENTRY_FIELDS = frozenset({"heading", "kind", "text", "confidential", "offset_seconds", "position"})

Key = tuple[str, int]  # ("entry", entry id) | ("outcome", talk id) | ("draft", talk id)


@dataclass(slots=True)
class Written:
    """What a committed batch changed beyond the rows: entries' new versions, entries moved by a conflict."""

    versions: dict[int, int]
    moved: dict[int, int]  # entry written elsewhere → the new entry that keeps this window's text


@dataclass(frozen=True, slots=True)
class SaveState:
    """What the status bar shows. status: "saved", "pending" or "error"; message in Chinese."""

    status: str
    message: str
    pending: int = 0
    saved_at: str | None = None


class Autosaver:
    def __init__(
        self,
        store: Store,
        *,
        quiet_seconds: float = 0.3,
        max_delay_seconds: float = 0.6,
        retry_seconds: float = 1.0,
        busy_timeout_ms: int | None = None,
        on_state: Callable[[SaveState], None] | None = None,
    ) -> None:
        self._reopen = store.reopen
        self._clock = store.clock
        self._db_path = store.path
        self._quiet = quiet_seconds
        self._max_delay = max_delay_seconds
        self._retry = retry_seconds
        self._busy_timeout_ms = busy_timeout_ms
        self._on_state = on_state
        self._cond = threading.Condition(threading.Lock())
        self._pending: dict[Key, dict[str, Any]] = {}
        self._in_flight: dict[Key, dict[str, Any]] = {}  # being written right now
        self._rejected: dict[Key, tuple[dict[str, Any], str]] = {}
        self._versions: dict[int, int] = {}  # entry id → the version this window last loaded or wrote
        self._moved: dict[int, int] = {}  # every move so far: a change to an old id goes to its new entry
        self._moved_unseen: dict[int, int] = {}  # moves the editor has not been told of yet
        self._first_change: float | None = None
        self._last_change = 0.0
        self._retry_at: float | None = None
        self._flush_requested = False
        self._saving = False
        self._closing = False
        self._state = SaveState("saved", "已保存")
        self._thread = threading.Thread(target=self._run, name="tanxin-autosave", daemon=True)
        self._thread.start()

    # -- what the UI calls (cheap: memory only) ----------------------------------------------------------

    def track_entries(self, versions: Mapping[int, int]) -> None:
        """The versions of the entries as the editor loaded them: writes are checked against them."""
        with self._cond:
            self._versions.update(versions)

    def take_moved(self) -> dict[int, int]:
        """Entries whose text another window changed meanwhile, each with the new entry that now holds this
        window's text; each move is reported once."""
        with self._cond:
            moved, self._moved_unseen = self._moved_unseen, {}
            return moved

    def update_entry_text(self, entry_id: int, text: str) -> None:
        self._change(("entry", entry_id), {"text": text})

    def update_entry(self, entry_id: int, **fields: Any) -> None:
        """heading, kind, text, confidential, offset_seconds, position."""
        unknown = set(fields) - ENTRY_FIELDS
        if unknown:
            raise InvalidInput(f"记录没有“{'、'.join(sorted(unknown))}”这一项。")
        self._change(("entry", entry_id), fields)

    def set_outcome(self, talk_id: int, *, summary: str | None = None, statement: str | None = None,
                    confirmed: bool | None = None) -> None:
        fields = {k: v for k, v in (("summary", summary), ("statement", statement), ("confirmed", confirmed))
                  if v is not None}
        if fields:
            self._change(("outcome", talk_id), fields)

    def save_draft_state(self, talk_id: int, state: Mapping[str, Any]) -> None:
        self._change(("draft", talk_id), {"state": dict(state)})

    @property
    def state(self) -> SaveState:
        with self._cond:
            return self._state

    def unsaved(self) -> dict[Key, dict[str, Any]]:
        """Every change not yet known to be in the database (set aside as refused, being written, pending),
        with the newest values."""
        with self._cond:
            merged = {key: dict(fields) for key, (fields, _) in self._rejected.items()}
            for layer in (self._in_flight, self._pending):
                for key, fields in layer.items():
                    merged.setdefault(key, {}).update(fields)
            return merged

    def versions(self) -> dict[int, int]:
        """The entry versions the unsaved changes were made against (a rescue copy keeps them)."""
        with self._cond:
            return dict(self._versions)

    def flush(self, timeout: float = 5.0) -> bool:
        """Write everything pending now and wait for it. True when nothing is left unsaved."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._flush_requested = True
            self._retry_at = None  # asked to save now: a failing write is tried again at once
            self._cond.notify_all()
            while (self._pending or self._saving) and self._thread.is_alive():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            self._flush_requested = False
            return not self._pending and not self._rejected and not self._saving

    def discard(self) -> None:
        """Forget what is unsaved: it was written elsewhere (a rescue copy) and must not be written twice."""
        with self._cond:
            self._pending.clear()
            self._rejected.clear()
            self._retry_at = None
            self._cond.notify_all()

    def close(self, timeout: float = 5.0) -> bool:
        """Flush, stop the saving thread and close its connection. True when nothing was left unsaved."""
        saved = self.flush(timeout)
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout)
        return saved

    # -- the saving thread -------------------------------------------------------------------------------

    def _change(self, key: Key, fields: dict[str, Any]) -> None:
        with self._cond:
            if self._closing:
                raise InvalidInput("自动保存已关闭，修改未被记录。请重新打开这次谈话。")
            now = time.monotonic()
            while key[0] == "entry" and key[1] in self._moved:  # a move can be moved again
                key = ("entry", self._moved[key[1]])
            refused = self._rejected.pop(key, None)
            merged = self._pending.setdefault(key, dict(refused[0]) if refused else {})
            merged.update(fields)
            self._last_change = now
            # Only the first change of a batch moves the write earlier; later ones only postpone the quiet
            # deadline, which the saving thread rechecks when it wakes, so they need not wake it.
            starts_batch = self._first_change is None
            if starts_batch:
                self._first_change = now
                self._cond.notify_all()
            became_pending = self._state.status == "saved"
            if became_pending:
                self._state = SaveState("pending", "正在保存…", len(self._pending), self._state.saved_at)
        if became_pending:
            self._emit(self._state)

    def _due_in(self) -> float | None:
        """Seconds until the next write (≤ 0: now), or None when there is nothing to write."""
        if not self._pending:
            return None
        now = time.monotonic()
        if self._retry_at is not None:
            return self._retry_at - now
        if self._flush_requested or self._closing:
            return 0.0
        first = self._first_change if self._first_change is not None else now
        return min(self._last_change + self._quiet, first + self._max_delay) - now

    def _run(self) -> None:
        store: Store | None = None
        try:
            while True:
                with self._cond:
                    while True:
                        wait = self._due_in()
                        # Closing: one last write, unless writing is failing (close() has reported it).
                        if self._closing and (wait is None or self._retry_at is not None):
                            return
                        if wait is not None and wait <= 0:
                            break
                        self._cond.wait(wait)
                    batch, self._pending = self._pending, {}
                    versions = dict(self._versions)
                    self._in_flight = batch
                    self._first_change = None
                    self._saving = True
                try:
                    if store is None:
                        store = self._open()
                    refused, written = write_changes(store, batch, versions)
                except TanxinError as exc:
                    self._failed(batch, exc.message)
                except DbError as exc:
                    self._failed(batch, translate(exc, self._db_path).message)
                except Exception as exc:  # a bug must not lose the text either: keep it and try again
                    self._failed(batch, f"内部错误（{type(exc).__name__}）。")
                else:
                    self._saved(refused, written)
        finally:
            if store is not None:
                store.close()

    def _open(self) -> Store:
        store = self._reopen()
        if self._busy_timeout_ms is not None:
            store.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
        return store

    def _saved(self, refused: dict[Key, tuple[dict[str, Any], str]], written: Written) -> None:
        with self._cond:
            self._saving = False
            self._in_flight = {}
            self._retry_at = None
            self._versions.update(written.versions)
            for old, new in written.moved.items():
                self._versions[new] = 0
                self._moved[old] = new
                self._moved_unseen[old] = new
                later = self._pending.pop(("entry", old), None)
                if later is not None:
                    self._pending[("entry", new)] = later
            for key, item in refused.items():
                if key in self._pending:  # typed again meanwhile: the newer change replaces the refused one
                    self._pending[key] = {**item[0], **self._pending[key]}
                else:
                    self._rejected[key] = item
            saved_at = self._clock.now().strftime("%H:%M:%S")
            if self._rejected:
                message = next(iter(self._rejected.values()))[1]
                self._state = SaveState("error", f"有内容无法保存：{message}", len(self._rejected), saved_at)
            elif self._pending:
                self._state = SaveState("pending", "正在保存…", len(self._pending), saved_at)
            else:
                self._state = SaveState("saved", f"已保存 {saved_at}", 0, saved_at)
            state = self._state
            self._cond.notify_all()
        self._emit(state)

    def _failed(self, batch: dict[Key, dict[str, Any]], message: str) -> None:
        with self._cond:
            self._saving = False
            self._in_flight = {}
            for key, fields in batch.items():  # newer typing wins over the batch that failed
                self._pending[key] = {**fields, **self._pending.get(key, {})}
            if self._first_change is None:
                self._first_change = time.monotonic()
            self._retry_at = time.monotonic() + self._retry
            self._state = SaveState(
                "error",
                f"保存失败：{message} 内容仍在本窗口中，{self._retry:g} 秒后自动重试。",
                len(self._pending),
                self._state.saved_at,
            )
            state = self._state
            self._cond.notify_all()
        self._emit(state)

    def _emit(self, state: SaveState) -> None:
        if self._on_state is None:
            return
        try:
            self._on_state(state)
        except Exception:  # a broken status bar must never stop the saving
            return


def write_changes(store: Store, batch: Mapping[Key, dict[str, Any]], versions: Mapping[int, int],
                  ) -> tuple[dict[Key, tuple[dict[str, Any], str]], Written]:
    """All of a batch in one transaction (one commit); a change the record refuses is set aside alone.
    What the batch did to versions is applied only once it is committed (a failed commit undoes it)."""
    refused: dict[Key, tuple[dict[str, Any], str]] = {}
    written = Written({}, {})
    with store.transaction():
        for key, fields in batch.items():
            try:  # each setter checks before it writes: a refused change has written nothing
                _apply(store, key, fields, versions, written)
            except (InvalidInput, NotFound) as exc:
                refused[key] = (fields, exc.message)
    return refused, written


def _apply(store: Store, key: Key, fields: dict[str, Any], versions: Mapping[int, int], written: Written) -> None:
    kind, ident = key
    if kind == "entry":
        try:
            written.versions[ident] = talks.update_entry(store, ident, expected_version=versions.get(ident),
                                                         **fields)
        except talks.EditConflict:
            if "text" in fields:  # two texts: keep both
                written.moved[ident] = _keep_beside(store, ident, fields)
            else:  # a kind, heading or 保密 mark: the newest choice wins, no text is at stake
                written.versions[ident] = talks.update_entry(store, ident, **fields)
    elif kind == "outcome":
        talks.set_outcome(store, ident, **fields)
    else:
        talks.save_draft_state(store, ident, fields["state"])


def _keep_beside(store: Store, entry_id: int, fields: Mapping[str, Any]) -> int:
    """This window's text of an entry another window changed, as a new entry with the same heading, kind
    and 保密 mark (the record shows both; the interviewer merges them)."""
    talk_id, entry = talks.get_entry(store, entry_id)
    return talks.add_entry(
        store, talk_id, text=fields["text"], heading=fields.get("heading", entry.heading),
        kind=fields.get("kind", entry.kind), confidential=fields.get("confidential", entry.confidential),
        offset_seconds=entry.offset_seconds,
    )
