"""One editor per talk: the window that edits a talk holds its lease.

Two windows typing into one talk overwrote each other silently. Now a window (the app's live or 谈后 screen)
takes the talk's lease before it writes; a second window finds the lease held and opens the talk read-only,
saying who holds it and since when, or takes it over when the user says so explicitly (the first window then
turns read-only at its next heartbeat). The command line refuses to write a talk another window is editing.

The lease is a row in the database (talk_leases), so it works across processes and machines sharing the file:
a token per window, with its process id and host for the message, and a heartbeat. A lease lapses when its
heartbeat is older than LEASE_STALE_SECONDS, or at once when its holder was a process on this host that no
longer exists (a window killed or crashed), so a talk is never locked out for long. Leases are a courtesy
between honest windows; what guarantees that no text is lost is the entry versions (notes/talks.py
update_entry), which hold even when a lease has lapsed under a window that was merely slow.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from notes.errors import InvalidInput
from notes.store import Store

__all__ = ["LEASE_RENEW_SECONDS", "LEASE_STALE_SECONDS", "Holder", "acquire", "holder_of", "holds", "new_token",
           "refuse_if_edited", "release", "renew"]

LEASE_RENEW_SECONDS = 10.0
# Several missed heartbeats: a window that is merely busy (a long export) keeps its lease.
LEASE_STALE_SECONDS = 60


def new_token() -> str:
    """A window's own token: two windows of one process (or tests) are two holders."""
    return secrets.token_hex(8)


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a talk's lease."""

    token: str
    pid: int
    host: str
    acquired_at: str
    heartbeat_at: str

    def describe(self) -> str:
        """Who and since when, in Chinese, for the read-only message and the command line's refusal."""
        where = "本机" if self.host == socket.gethostname() else f"计算机 {self.host} 上"
        since = self.acquired_at.replace("T", " ")[:16]
        seen = self.heartbeat_at.replace("T", " ")[11:19]
        return f"{where}的另一窗口（进程 {self.pid}），自 {since} 起编辑，最近一次活动 {seen}"


def _alive_here(holder: Holder) -> bool:
    """False only when the holder was a process on this host that has ended."""
    if holder.host != socket.gethostname() or holder.pid == os.getpid():
        return True
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    except OSError:  # a platform without signal 0 (Windows, some pids): trust the heartbeat
        return True
    return True


def _live(store: Store, holder: Holder) -> bool:
    beat = datetime.fromisoformat(holder.heartbeat_at)
    return store.clock.now() - beat < timedelta(seconds=LEASE_STALE_SECONDS) and _alive_here(holder)


def _lease(store: Store, talk_id: int) -> Holder | None:
    """The talk's lease row, live or lapsed."""
    row = store.query_one(
        "SELECT holder, pid, host, acquired_at, heartbeat_at FROM talk_leases WHERE talk_id = ?", [talk_id])
    return None if row is None else Holder(row["holder"], row["pid"], row["host"], row["acquired_at"],
                                           row["heartbeat_at"])


def holder_of(store: Store, talk_id: int) -> Holder | None:
    """The live holder of the talk's lease, or None when nobody (alive) holds it."""
    holder = _lease(store, talk_id)
    return holder if holder is not None and _live(store, holder) else None


def holds(store: Store, talk_id: int, token: str) -> bool:
    """The lease is `token`'s: nobody took it over. As for the heartbeat (`renew`), a lease that merely lapsed
    is still its holder's until another window takes it."""
    return store.scalar("SELECT 1 FROM talk_leases WHERE talk_id = ? AND holder = ?", [talk_id, token]) is not None


def _away_since_lapse(store: Store, talk_id: int, lapsed: Holder) -> None:
    """A window that ended without letting go of a talk in progress (it crashed, was killed, its terminal
    closed) left the talk at its last heartbeat: from then on the interviewer was away (暂离, notes/talks.py
    step_away), not talking, and the window that takes the lease over comes back from there. Written here
    because this is where the lapse is found, in the transaction that takes the lease."""
    cursor = store.execute(
        "UPDATE talks SET away_since = max(?, started_at), updated_at = ? "
        "WHERE id = ? AND status = 'in_progress' AND away_since IS NULL",
        [lapsed.heartbeat_at, store.now(), talk_id])
    if cursor.rowcount:
        store.audit("step_away", "talk", talk_id, at=lapsed.heartbeat_at, lease_lapsed_pid=lapsed.pid)


def acquire(store: Store, talk_id: int, token: str, *, take_over: bool = False) -> Holder | None:
    """Take the talk's lease for `token`. Returns None when it is ours now, else the other live holder (and
    nothing is changed). `take_over` takes it from a live holder too: the user said so."""
    with store.transaction():
        lease = _lease(store, talk_id)
        other = lease if lease is not None and _live(store, lease) else None
        if other is not None and other.token != token and not take_over:
            return other
        if lease is not None and other is None and lease.token != token:
            _away_since_lapse(store, talk_id, lease)
        now = store.now()
        mine = other is not None and other.token == token
        store.execute(
            "INSERT INTO talk_leases (talk_id, holder, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (talk_id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host, "
            "acquired_at = CASE WHEN ? THEN acquired_at ELSE excluded.acquired_at END, "
            "heartbeat_at = excluded.heartbeat_at",
            [talk_id, token, os.getpid(), socket.gethostname(), now, now, int(mine)],
        )
        if other is not None and other.token != token:
            store.audit("take_over", "talk", talk_id, from_pid=other.pid, from_host=other.host)
    return None


def renew(store: Store, talk_id: int, token: str) -> bool:
    """The heartbeat. False when the lease is no longer ours (another window took it over)."""
    cursor = store.execute("UPDATE talk_leases SET heartbeat_at = ? WHERE talk_id = ? AND holder = ?",
                           [store.now(), talk_id, token])
    return bool(cursor.rowcount)


def release(store: Store, talk_id: int, token: str) -> None:
    store.execute("DELETE FROM talk_leases WHERE talk_id = ? AND holder = ?", [talk_id, token])


def refuse_if_edited(store: Store, talk_id: int, doing: str) -> None:
    """For the command line: a talk open for editing in a window is written there, not here."""
    holder = holder_of(store, talk_id)
    if holder is not None:
        raise InvalidInput(f"这次谈话正在另一窗口中编辑：{holder.describe()}。现在不能{doing}，以免两处记录互相覆盖。"
                           "请在该窗口中记录，或关闭该窗口的谈话页面后再试。")
