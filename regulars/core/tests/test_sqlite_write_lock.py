"""Write transactions on an SQLite file queue on a file lock shared by every process."""

import fcntl
import os

import pytest
from django.db import connections, transaction

from regulars.core.sqlite.base import DatabaseWrapper


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
