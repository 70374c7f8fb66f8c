"""Errors the user sees. Each message says, in Chinese, what happened and what to do."""

from __future__ import annotations


class TanxinError(Exception):
    """A failure to report to the user as a message, never as a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DatabaseMissing(TanxinError):
    pass


class DatabaseExists(TanxinError):
    pass


class WrongPassphrase(TanxinError):
    pass


class WrongRecoveryKey(TanxinError):
    pass


class KeyFileProblem(TanxinError):
    """The key file beside the database is missing, unreadable or damaged."""


class NotATanxinDatabase(TanxinError):
    """The file is plaintext SQLite, random bytes, or opens with no key we hold."""


class NewerDatabase(TanxinError):
    """The database was written by a newer tanxin with a schema this version does not know."""


class DatabaseBusy(TanxinError):
    """Another tanxin (or another process) holds the write lock longer than the busy timeout."""


class StorageFull(TanxinError):
    """The disk is full: nothing is lost, but nothing new could be written."""


class PassphraseRequired(TanxinError):
    pass


class NotFound(TanxinError):
    pass


class Ambiguous(TanxinError):
    """A name matched several records; the message lists the candidates. Nothing is guessed."""


class InvalidInput(TanxinError):
    pass
