"""Group commit: the writes of concurrent requests in one process committed as one transaction.

A database takes one write transaction at a time (SQLite always; PostgreSQL per row lock and
per fsync), and for a tiny write such as keeping a webhook delivery the transaction's fixed
cost (the lock, BEGIN, COMMIT, the task row) is most of the work. Under load, requests arriving
while a transaction is being written wait for the next one anyway; here they wait by handing
their item to the thread that writes next, which writes all the items waiting at that moment
in one transaction.

No thread of its own: the first caller to find the writer free becomes the writer for every
item queued so far (leader/follower), on its own database connection. A caller is answered
only after the transaction holding its item has committed, so an answer still means "kept".
"""

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from django.db import connection

Item = TypeVar("Item")
Result = TypeVar("Result")


class _Slot(Generic[Item, Result]):
    __slots__ = ("done", "error", "item", "result")

    def __init__(self, item: Item):
        self.item = item
        self.done = False
        self.result: Result | None = None
        self.error: BaseException | None = None


class GroupCommit(Generic[Item, Result]):
    """Write items in batches with `write_batch`, which runs in one transaction per call and
    returns one result per item, in order.

    When a batch of several fails, each of its items is written again alone, so one bad item
    costs only its own request. A caller already inside a transaction writes its item alone, in
    that transaction (its rows must commit or roll back with the caller's).
    """

    def __init__(self, write_batch: Callable[[Sequence[Item]], Sequence[Result]]):
        self._write_batch = write_batch
        self._writer = threading.Lock()  # held by the thread writing a batch
        self._queue_lock = threading.Lock()  # guards _queue only, for a moment
        self._queue: list[_Slot[Item, Result]] = []

    def submit(self, item: Item) -> Result:
        if connection.in_atomic_block:
            return self._write_batch([item])[0]
        slot: _Slot[Item, Result] = _Slot(item)
        with self._queue_lock:
            self._queue.append(slot)
        with self._writer:
            if not slot.done:  # no writer took it while we waited: write the queue now
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._write(batch)
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _write(self, batch: list[_Slot[Item, Result]]) -> None:
        try:
            results = self._write_batch([slot.item for slot in batch])
        except Exception as exc:
            if len(batch) == 1:
                self._finish(batch[0], error=exc)
                return
            for slot in batch:
                try:
                    result = self._write_batch([slot.item])[0]
                except Exception as alone:
                    self._finish(slot, error=alone)
                else:
                    self._finish(slot, result=result)
            return
        except BaseException as exc:  # interrupted: nothing of the batch is known to be kept
            for slot in batch:
                self._finish(slot, error=exc)
            raise
        for slot, result in zip(batch, results, strict=True):
            self._finish(slot, result=result)

    @staticmethod
    def _finish(slot: _Slot, *, result=None, error: BaseException | None = None) -> None:
        slot.result, slot.error = result, error
        slot.done = True
