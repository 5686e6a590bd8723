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
writer for the length of the copy. So automatic checkpoints are off and a connection runs a
passive checkpoint itself every CHECKPOINT_EVERY commits, after releasing the lock: a passive
checkpoint never waits for readers or writers, and they never wait for it.
"""

import contextlib
import fcntl
import os

from django.db.backends.sqlite3 import base

CHECKPOINT_EVERY = (
    200  # commits of one connection; about SQLite's default WAL size at ~5 pages each
)


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _lock_held = False
    _commits = 0

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
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        locked = self._lock_held
        try:
            super()._commit()
        finally:
            self._release_write_lock()
        if locked:
            self._commits += 1
            if self._commits % CHECKPOINT_EVERY == 0:
                self._checkpoint()

    def _checkpoint(self) -> None:
        # Another connection checkpointing at the same moment makes this one a no-op (busy).
        with contextlib.suppress(self.Database.OperationalError):
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
