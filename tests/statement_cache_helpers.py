"""What a connection holds prepared, asked of SQLite itself (sqlite3_next_stmt, sqlite3_stmt_status) through the
library sqlcipher3 links: its statement cache cannot be inspected from Python, and a statement it evicts is
finalized, so the prepared statements left and their run counts tell whether the cache kept them."""

from __future__ import annotations

import ctypes
from pathlib import Path

import sqlcipher3._sqlite3 as binding

from notes.store import Store

# sqlite3.h: the number of times a statement has run to completion or been reset after running.
_STMTSTATUS_RUN = 6

_lib = ctypes.CDLL(binding.__file__)
_lib.sqlite3_next_stmt.restype = ctypes.c_void_p
_lib.sqlite3_next_stmt.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
_lib.sqlite3_sql.restype = ctypes.c_char_p
_lib.sqlite3_sql.argtypes = [ctypes.c_void_p]
_lib.sqlite3_stmt_status.restype = ctypes.c_int
_lib.sqlite3_stmt_status.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
_lib.sqlite3_db_filename.restype = ctypes.c_char_p
_lib.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]


def _handle(store: Store) -> int:
    """The sqlite3* of the store's connection: pysqlite's Connection object holds it right after its object
    header. Checked against the database's file name, so a different layout fails here, not later."""
    handle = ctypes.c_void_p.from_address(id(store.conn) + object.__basicsize__).value
    assert handle, "no sqlite3 handle where pysqlite keeps it"
    name = _lib.sqlite3_db_filename(handle, b"main")
    assert name is not None and Path(name.decode()).resolve() == store.path.resolve(), (
        "the sqlite3 handle read is not this store's connection")
    return handle


def prepared_statements(store: Store) -> list[tuple[str, int]]:
    """(SQL text, times run) of every statement the connection holds prepared."""
    handle = _handle(store)
    found: list[tuple[str, int]] = []
    statement = _lib.sqlite3_next_stmt(handle, None)
    while statement:
        sql = _lib.sqlite3_sql(statement) or b""
        found.append((sql.decode(), _lib.sqlite3_stmt_status(statement, _STMTSTATUS_RUN, 0)))
        statement = _lib.sqlite3_next_stmt(handle, statement)
    return found
