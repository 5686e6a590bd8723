"""Django's SQLite backend, with write transactions queued on a file lock.

Several web processes and the task worker write to one SQLite file. SQLite lets one writer in
at a time and makes the others poll, sleeping up to 100 ms between tries, so under load a
request can wait far longer than the transaction it waits for (hundreds of milliseconds at the
99th percentile). Here every write transaction (Django opens them with BEGIN IMMEDIATE) first
takes an exclusive flock on `<database>.write-lock`; the kernel wakes the next waiter the moment
the lock is released, so writers queue instead of polling. Reads never take the lock (WAL).
Single statements outside a transaction still rely on SQLite's busy timeout.

SQLite checkpoints the WAL (copies it back into the database file, with an fsync) inside the
commit that fills it, which here would be while the file lock is held, stalling every queued
writer for the length of the copy. So automatic checkpoints are off and, every CHECKPOINT_EVERY
commits of a connection, a background thread of the process runs a passive checkpoint on a
connection of its own: a passive checkpoint never waits for readers or writers, they never wait
for it, and no request waits for its fsync (which takes 100 ms and more on some disks).

The transaction itself (the lock, then BEGIN IMMEDIATE) starts at the first statement run inside
`transaction.atomic()`, not when the block is entered: the Python work before that statement
(building and compiling the first query) then happens before the lock is taken, not while every
other writer waits for it.
"""

import fcntl
import os
import sqlite3
import threading

from django.db.backends.sqlite3 import base

# Commits of one connection between checkpoints: about SQLite's default WAL size at ~5 pages each.
CHECKPOINT_EVERY = 200

_checkpointing = threading.Lock()  # one checkpoint at a time in a process
_checkpoint_thread: threading.Thread | None = None


def _run_checkpoint(path: str) -> None:
    try:
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        pass  # busy with another process's checkpoint, or closing down: the next one catches up
    finally:
        _checkpointing.release()


def start_checkpoint(path: str) -> None:
    """Checkpoint the WAL of the database at `path` in a background thread (if none runs)."""
    global _checkpoint_thread
    if not _checkpointing.acquire(blocking=False):
        return
    _checkpoint_thread = threading.Thread(
        target=_run_checkpoint, args=(path,), name="sqlite-checkpoint", daemon=True
    )
    _checkpoint_thread.start()


def wait_for_checkpoint() -> None:
    """For tests: until the checkpoint started last is done."""
    if _checkpoint_thread is not None:
        _checkpoint_thread.join()


class _Cursor(base.SQLiteCursorWrapper):
    """Starts the connection's pending transaction before its first statement."""

    database: "DatabaseWrapper"

    def execute(self, query, params=None):
        self.database.begin_if_pending()
        return super().execute(query, params)

    def executemany(self, query, param_list):
        self.database.begin_if_pending()
        return super().executemany(query, param_list)


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _lock_held = False
    _begin_pending = False
    _commits = 0

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=_Cursor)
        cursor.database = self
        return cursor

    def init_connection_state(self):
        super().init_connection_state()
        if self._lock_path() is not None:
            self.connection.execute("PRAGMA wal_autocheckpoint=0")

    def _lock_path(self) -> str | None:
        if self.is_in_memory_db() or self.transaction_mode not in ("IMMEDIATE", "EXCLUSIVE"):
            return None
        return f"{self.settings_dict['NAME']}.write-lock"

    def _acquire_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._lock_held:
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._lock_held = True

    def _release_write_lock(self) -> None:
        if self._lock_held:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            self._lock_held = False

    def _start_transaction_under_autocommit(self):
        if self._lock_path() is None:
            super()._start_transaction_under_autocommit()
        else:
            self._begin_pending = True

    def begin_if_pending(self) -> None:
        if not self._begin_pending:
            return
        self._begin_pending = False
        self._acquire_write_lock()
        try:
            self.connection.execute(f"BEGIN {self.transaction_mode}")
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        self._begin_pending = False  # a block that ran no statement has nothing to commit
        locked = self._lock_held
        try:
            super()._commit()
        finally:
            self._release_write_lock()
        if locked:
            self._commits += 1
            if self._commits % CHECKPOINT_EVERY == 0:
                start_checkpoint(str(self.settings_dict["NAME"]))

    def _rollback(self):
        self._begin_pending = False
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        self._begin_pending = False
        try:
            return super()._close()
        finally:
            self._release_write_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
