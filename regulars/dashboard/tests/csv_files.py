"""Small generic orders CSV files (docs/csv-import.md) for the imports page tests."""

from pathlib import Path

HEADER = "order_id,placed_at,currency,total,email,title,quantity,unit_price\n"


def orders_csv(directory: Path, name: str, *, good: int, bad: int = 0) -> Path:
    """`good` valid orders, then `bad` orders whose total is not a number."""
    rows = [
        f"{n},2026-03-01T10:00:00Z,USD,15.00,buyer{n}@example.com,Blue Train LP,1,15.00\n"
        for n in range(1, good + 1)
    ]
    rows += [
        f"{n},2026-03-01T10:00:00Z,USD,abc,buyer{n}@example.com,Blue Train LP,1,15.00\n"
        for n in range(good + 1, good + bad + 1)
    ]
    path = directory / name
    path.write_text(HEADER + "".join(rows))
    return path
