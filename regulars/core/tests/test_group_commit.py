"""Concurrent callers' items are written together; each caller still gets its own result, or
its own error, and only after its batch was written."""

import threading
import time

import pytest
from django.db import connection, transaction

from regulars.core.groupcommit import GroupCommit

CALLERS = 8


class Recorder:
    """A batch writer that is slow on its first batch, so the other callers queue meanwhile."""

    def __init__(self, fail_on: object = None):
        self.batches: list[list] = []
        self.first_started = threading.Event()
        self.fail_on = fail_on
        self.in_transaction: list[bool] = []

    def __call__(self, items):
        self.in_transaction.append(connection.in_atomic_block)
        if not self.batches:
            self.first_started.set()
            time.sleep(0.3)
        self.batches.append(list(items))
        if self.fail_on in items:
            raise ValueError(f"cannot write {self.fail_on}")
        return [f"kept {item}" for item in items]


def _submit_concurrently(group: GroupCommit, recorder: Recorder, items: list) -> dict:
    answers: dict = {}

    def call(item):
        try:
            answers[item] = group.submit(item)
        except ValueError as exc:
            answers[item] = exc

    first = threading.Thread(target=call, args=(items[0],))
    first.start()
    assert recorder.first_started.wait(5)
    others = [threading.Thread(target=call, args=(item,)) for item in items[1:]]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(10)
    return answers


def test_items_arriving_during_a_write_are_written_together_in_the_next_one():
    recorder = Recorder()
    group = GroupCommit(recorder)

    answers = _submit_concurrently(group, recorder, list(range(CALLERS)))

    assert answers == {item: f"kept {item}" for item in range(CALLERS)}
    assert recorder.batches[0] == [0]
    assert sorted(recorder.batches[1]) == list(range(1, CALLERS))
    assert len(recorder.batches) == 2


def test_a_failing_item_fails_only_its_own_caller():
    recorder = Recorder(fail_on=3)
    group = GroupCommit(recorder)

    answers = _submit_concurrently(group, recorder, list(range(CALLERS)))

    assert isinstance(answers.pop(3), ValueError)
    assert answers == {item: f"kept {item}" for item in range(CALLERS) if item != 3}
    # the batch of seven failed as a whole, then each of its items was written alone
    assert [len(batch) for batch in recorder.batches] == [1, CALLERS - 1] + [1] * (CALLERS - 1)


def test_one_caller_alone_is_written_at_once():
    recorder = Recorder()
    recorder.batches.append(["not slow"])  # skip the slow first batch
    group = GroupCommit(recorder)

    assert group.submit("a") == "kept a"
    assert group.submit("b") == "kept b"
    assert recorder.batches[1:] == [["a"], ["b"]]


@pytest.mark.django_db
def test_a_caller_inside_a_transaction_writes_its_item_in_that_transaction():
    recorder = Recorder()
    recorder.batches.append(["not slow"])
    group = GroupCommit(recorder)

    with transaction.atomic():
        assert group.submit("a") == "kept a"
    assert recorder.in_transaction == [True]
