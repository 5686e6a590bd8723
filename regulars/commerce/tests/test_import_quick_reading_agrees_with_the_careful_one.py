"""The generic format reads each order the quick way (`build`) and, when that gives up, again
field by field (`explain`). Whatever `build` accepts must be exactly what `explain` makes of
the same rows; whatever `explain` rejects, `build` must refuse too."""

import pytest

from regulars.commerce.imports.formats import Problems
from regulars.commerce.imports.generic import GenericFormat
from regulars.commerce.imports.sql import time_text
from regulars.commerce.imports.values import Values
from regulars.commerce.tests.import_csv import GENERIC_HEADER, generic_row

pytestmark = pytest.mark.django_db

# Cells that read one way or another, or not at all, for the columns the quick way handles.
TRICKY = {
    "placed_at": [
        "2026-03-01T10:00:00Z",
        "2026-03-01 10:00:00 -0500",
        "2026-03-01T10:00:00+07:00",
        "2026-03-01 10:00:00",
        "2026-03-01",
        "2026-03-01 10:00:00 UTC",
        " 2026-03-01T10:00:00Z ",
        "2026-02-30",
        "1899-12-31T23:00:00Z",
        "1900-01-01T00:30:00+01:00",
        "2200-12-31T23:59:59-01:00",
        "",
        "yesterday",
    ],
    "total": [
        "15.00",
        "0.00",
        "0412.76",
        "12.5",
        "12.505",
        "1,234.50",
        "99999999999.99",
        "99999999999.999",
        "999999999999.00",
        "-1.00",
        ".50",
        " 7.00 ",
        "١٢.٣٤",
        "abc",
        "",
    ],
    "subtotal": ["", "10.00", "  ", "1e3", "NaN"],
    "currency": ["USD", "usd", " eur ", "JPY", "KWD", "XXX1", ""],
    "status": ["paid", "PAID", " pending ", "canceled", "refunded", "", "shipped"],
    "email": ["Ada@Example.com", "", "  ", "not-an-email", "a@b.co"],
    "phone": ["", "+66 81 234 5678", "0812345678", "+1"],
    "quantity": ["1", "", "0", "1000000", "1000001", "-1", "2.5", " 3 "],
    "unit_price": ["15.00", "", "0", "15.5", "abc", "99999999999.99"],
    "title": ["Blue Train LP", "", " ", "x" * 300, "x" * 301],
    "order_id": ["A-1", "x" * 64, "x" * 65],
    "coupon_codes": ["", "SPRING5; VIP", ";".join(["c"] * 21)],
    "updated_at": ["", "2026-03-02T00:00:00Z", "soon"],
}


def _reader():
    return GenericFormat(GENERIC_HEADER, Values("America/New_York", time_text()), "orders.csv")


def _rows(*rows: dict) -> list:
    return [
        (line, [row.get(column, "") for column in GENERIC_HEADER] + [""])
        for line, row in enumerate(rows, 2)
    ]


def _both(reader, rows):
    problems = Problems()
    careful = reader.explain(rows, problems)
    try:
        quick = reader.build(rows)
    except Exception:
        quick = None
    return quick, (None if problems.errors else careful)


@pytest.mark.parametrize(
    ("column", "cell"), [(column, cell) for column, cells in TRICKY.items() for cell in cells]
)
def test_the_quick_way_accepts_only_what_the_careful_way_accepts_and_reads_it_alike(column, cell):
    reader = _reader()
    rows = _rows({**generic_row("A-1"), column: cell}, generic_row("A-1", product_id="LP-2"))

    quick, careful = _both(reader, rows)

    if careful is None:
        assert quick is None
    elif quick is not None:
        assert quick == tuple(careful)
    # The second time the cells come from the tables of values already checked.
    assert _both(reader, rows) == (quick, careful)


def test_the_quick_way_reads_the_usual_row_itself(store):
    reader = _reader()
    rows = _rows(generic_row("A-1", customer_id="C-1", phone="+66 81 234 5678", subtotal=""))

    quick, careful = _both(reader, rows)

    assert quick is not None and quick == tuple(careful)
    assert quick[4] == ("C-1", "buyera-1@example.com", "+66812345678", "", "", None)
