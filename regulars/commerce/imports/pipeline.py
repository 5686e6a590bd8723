"""Reading and checking the file in a second process while this one writes to the database.

Parsing and validating is Python work; writing is mostly the database's. One process doing
both leaves a core idle, so for a file of some size a forked child reads the CSV and sends
each checked Batch (named tuples of text, cheap to pickle) through a pipe. The pipe holds
at most about one batch, so memory stays flat: the child waits while the writer is behind.
The child never touches the database and ends with os._exit, so it closes nothing of the
parent's (connections, files) on the way out. It pays only where two cores are really free
(`regulars import orders --parallel`); on a machine whose second core is busy it is slower,
see docs/csv-import.md.
"""

import multiprocessing
from collections.abc import Callable, Iterator

from regulars.commerce.imports.records import Batch, ImportFileError


def batches_in_background(make_batches: Callable[[], Iterator[Batch]]) -> Iterator[Batch]:
    """The batches of `make_batches()`, made in a forked child process."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(make_batches, sender), daemon=True)
    child.start()
    sender.close()
    try:
        while True:
            kind, payload = receiver.recv()
            if kind == "batch":
                yield payload
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
    try:
        for batch in make_batches():
            sender.send(("batch", batch))
        sender.send(("done", None))
    except ImportFileError as exc:
        sender.send(("file_error", (exc.file_name, exc.problem)))
    except Exception as exc:
        sender.send(("error", repr(exc)))
    finally:
        sender.close()
