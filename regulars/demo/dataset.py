"""The bundled CDNOW purchase log, read with gzip and grouped into one purchase per customer-day.

The log has several rows for some customers on one day; a shop would have taken them as one
order, so rows of the same customer and day are merged (CDs and dollars added up).
"""

import functools
import gzip
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "cdnow" / "CDNOW_master.txt.gz"


class DatasetError(ValueError):
    pass


@dataclass(frozen=True)
class Purchase:
    day: date
    cds: int
    cents: int


@dataclass(frozen=True)
class History:
    """One CDNOW customer's purchases, oldest first."""

    customer_id: str
    purchases: tuple[Purchase, ...]


def _cents(text: str, line_number: int) -> int:
    whole, _, fraction = text.partition(".")
    if not whole.isdigit() or not (fraction + "0").isdigit() or len(fraction) > 2:
        raise DatasetError(f"{DATA_FILE.name} line {line_number}: {text!r} is not a dollar value")
    return int(whole) * 100 + int(fraction.ljust(2, "0"))


def _read_rows(path: Path) -> dict[tuple[str, date], list[int]]:
    """(customer_id, day) -> [cds, cents], merged over the rows of that day."""
    merged: dict[tuple[str, date], list[int]] = {}
    with gzip.open(path, "rt", encoding="ascii") as lines:
        next(lines)  # header
        for line_number, line in enumerate(lines, start=2):
            fields = line.split()
            if len(fields) != 4:
                raise DatasetError(f"{path.name} line {line_number}: expected 4 columns")
            customer_id, day_text, cds, value = fields
            day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:8]))
            totals = merged.setdefault((customer_id, day), [0, 0])
            totals[0] += int(cds)
            totals[1] += _cents(value, line_number)
    return merged


@functools.lru_cache(maxsize=2)
def _all_histories(path: Path) -> tuple[History, ...]:
    # Kept for the life of the process: the tests build many demos from the same file.
    by_customer: dict[str, list[Purchase]] = {}
    for (customer_id, day), (cds, cents) in sorted(_read_rows(path).items()):
        by_customer.setdefault(customer_id, []).append(Purchase(day, cds, cents))
    return tuple(History(c, tuple(by_customer[c])) for c in sorted(by_customer))


def load_histories(
    *, customers: int | None = None, rng: random.Random | None = None, path: Path = DATA_FILE
) -> list[History]:
    """Every customer's history, sorted by customer id; `customers` picks a seeded sample."""
    histories = _all_histories(path)
    if customers is None or customers >= len(histories):
        return list(histories)
    if customers < 1:
        raise DatasetError("--customers must be at least 1")
    chosen = sorted((rng or random.Random(0)).sample(range(len(histories)), customers))
    return [histories[index] for index in chosen]


def last_day(histories: list[History]) -> date:
    return max(history.purchases[-1].day for history in histories)
