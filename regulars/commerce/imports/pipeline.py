"""Reading and checking the file in a second process while this one writes to the database.

Parsing and validating is Python work; writing is mostly the database's. One process doing
both leaves a core idle, so for a file of some size a forked child reads the CSV and sends
each checked Batch through a pipe, as marshal data: the orders are plain tuples of text and
numbers, which marshal writes and reads several times faster than pickle. The pipe holds
at most about one batch, so memory stays flat: the child waits while the writer is behind.
The child never touches the database and ends with os._exit, so it closes nothing of the
parent's (connections, files) on the way out. It is the default where the machine has two
cores or more; `regulars import orders --no-parallel` turns it off (docs/csv-import.md).
"""

import marshal
import multiprocessing
import os
from collections.abc import Callable, Iterator

from regulars.commerce.imports.records import Batch, ImportFileError, OrderRecord, RowError

# Below this a file is read in well under a second; forking would not pay.
BACKGROUND_FROM_BYTES = 1 << 20


def pays_to_read_in_background(size: int) -> bool:
    return (os.cpu_count() or 1) >= 2 and size >= BACKGROUND_FROM_BYTES


def batches_in_background(make_batches: Callable[[], Iterator[Batch]]) -> Iterator[Batch]:
    """The batches of `make_batches()`, made in a forked child process."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(make_batches, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            # From our own forked child, through a pipe only the two processes hold.
            kind, payload = marshal.loads(receiver.recv_bytes())  # noqa: S302
            if kind == "batch":
                orders, errors, *counts = payload
                yield Batch(orders, [RowError(*error) for error in errors], *counts)
            elif kind == "done":
                return
            elif kind == "file_error":
                raise ImportFileError(*payload)
            else:
                raise RuntimeError(f"reading the file failed: {payload}")
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _produce(make_batches, sender) -> None:
    def send(kind: str, payload) -> None:
        sender.send_bytes(marshal.dumps((kind, payload)))

    try:
        for batch in make_batches():
            orders = [o if o.__class__ is tuple else _plain(o) for o in batch.orders]
            errors = [tuple(error) for error in batch.errors]
            send("batch", (orders, errors, *batch[2:]))
        send("done", None)
    except ImportFileError as exc:
        send("file_error", (exc.file_name, exc.problem))
    except Exception as exc:
        send("error", repr(exc))
    finally:
        sender.close()


def _plain(order: OrderRecord) -> tuple:
    """An OrderRecord (named tuples) as the plain tuples marshal takes, in the same layout."""
    customer = order.customer
    return (
        *order[:4],
        None if customer is None else tuple(customer),
        *order[5:-1],
        tuple(tuple(line) for line in order.lines),
    )
