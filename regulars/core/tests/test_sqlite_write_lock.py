"""Write transactions on an SQLite file queue on a file lock shared by every process."""

import fcntl
import os

import pytest
from django.db import connections, transaction

from regulars.core.sqlite.base import CHECKPOINT_EVERY, DatabaseWrapper, wait_for_checkpoint


@pytest.fixture
def file_db(db, tmp_path, settings):
    config = {
        **settings.DATABASES["default"],
        "ENGINE": "regulars.core.sqlite",
        "NAME": str(tmp_path / "shop.sqlite3"),
        "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        "TEST": {},
    }
    wrapper = DatabaseWrapper(config, alias="file_db")
    connections["file_db"] = wrapper
    yield wrapper
    wrapper.close()
    del connections["file_db"]


def lock_is_free(path) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_write_transaction_holds_the_lock_until_it_commits(file_db, tmp_path):
    lock = tmp_path / "shop.sqlite3.write-lock"
    with transaction.atomic(using="file_db"), file_db.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x INTEGER)")
        assert not lock_is_free(lock)
    assert lock_is_free(lock)
    with file_db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        assert cursor.fetchone() == (0,)


def test_the_lock_is_taken_at_the_first_statement_not_when_the_block_opens(file_db, tmp_path):
    lock = tmp_path / "shop.sqlite3.write-lock"
    with file_db.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x INTEGER)")
    with transaction.atomic(using="file_db"):
        assert lock_is_free(lock)
        with file_db.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (1)")
        assert not lock_is_free(lock)
        with transaction.atomic(using="file_db"), file_db.cursor() as cursor:  # a savepoint
            cursor.execute("INSERT INTO t VALUES (2)")
    assert lock_is_free(lock)
    with transaction.atomic(using="file_db"):
        pass  # no statement: nothing to lock, nothing to commit
    assert lock_is_free(lock)
    with file_db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        assert cursor.fetchone() == (2,)


def test_a_rolled_back_transaction_releases_the_lock(file_db, tmp_path):
    lock = tmp_path / "shop.sqlite3.write-lock"
    with pytest.raises(ZeroDivisionError), transaction.atomic(using="file_db"):
        file_db.cursor().execute("CREATE TABLE t (x INTEGER)")
        assert not lock_is_free(lock)
        _ = 1 / 0
    assert lock_is_free(lock)
    with file_db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 't'")
        assert cursor.fetchone() == (0,)


def test_reads_outside_a_transaction_do_not_take_the_lock(file_db, tmp_path):
    with file_db.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert not (tmp_path / "shop.sqlite3.write-lock").exists()


def _insert(file_db, n: int) -> None:
    with transaction.atomic(using="file_db"), file_db.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (%s)", [f"row {n} " * 100])


def test_the_wal_is_copied_back_in_the_background_after_commits_not_inside_them(file_db, tmp_path):
    database = tmp_path / "shop.sqlite3"
    with file_db.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone() == (0,)  # SQLite's own checkpoint would run inside the commit
        cursor.execute("CREATE TABLE t (x TEXT)")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_before = database.stat().st_size
    for n in range(CHECKPOINT_EVERY - 1):
        _insert(file_db, n)
    assert database.stat().st_size == size_before  # every new page is still in the WAL only

    _insert(file_db, CHECKPOINT_EVERY)
    wait_for_checkpoint()

    assert database.stat().st_size > size_before + CHECKPOINT_EVERY * 500
