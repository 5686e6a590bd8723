"""What the format readers hand to the writer: validated orders, and the rows they rejected.

Values are already in the form the database takes: amounts as decimal text ("12.50"), times as
UTC text in the database's format, coupon codes as JSON text. Every value was checked with the
shared validators first. Plain named tuples of text are cheap to build and cheap to pass from
the reading process to the writing one; a million orders go through here.
"""

from typing import NamedTuple


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not CSV, a required column is missing...)."""

    def __init__(self, file_name: str, problem: str):
        super().__init__(f"{file_name}: {problem}")
        self.file_name = file_name
        self.problem = problem


class RowError(NamedTuple):
    """A problem with one CSV row: its line number, the column and the reason.

    `rejected` is False for a note about a value that was left out while the order was kept
    (a Shopify phone number without a country code).
    """

    line: int
    column: str
    message: str
    rejected: bool = True

    def format(self, file_name: str) -> str:
        where = f"{self.column}: " if self.column else ""
        return f"{file_name}:{self.line}: {where}{self.message}"

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "field": self.column,
            "message": self.message,
            "level": "error" if self.rejected else "warning",
        }


class CustomerRecord(NamedTuple):
    """Who placed an order, as the file names them; found or created by the writer."""

    external_id: str
    email: str
    phone: str
    first_name: str
    last_name: str
    # Shopify's "Accepts Marketing": True, False, or None when the file does not say.
    accepts_marketing: bool | None = None


def customer_key(customer: CustomerRecord) -> tuple[str, str] | None:
    """The identity the writer matches on: external id, else e-mail, else phone."""
    # By position: the record may be a plain tuple in CustomerRecord's layout (generic.py).
    if customer[0]:
        return ("id", customer[0])
    if customer[1]:
        return ("email", customer[1])
    if customer[2]:
        return ("phone", customer[2])
    return None


class LineRecord(NamedTuple):
    # The product's key in the file: its external id (generic) or its SKU (Shopify).
    product_key: str
    sku: str
    title: str
    quantity: int
    unit_price: str
    total: str


class OrderRecord(NamedTuple):
    line: int  # CSV line of the order's first row
    rows: int  # how many CSV rows the order spans
    external_id: str
    name: str
    customer: CustomerRecord | None
    email: str
    status: str
    currency: str
    subtotal: str
    # None where the file's cell is empty: 0 for a new order, the kept value for a kept one.
    discount_total: str | None
    shipping_total: str | None
    tax_total: str | None
    total: str
    coupon_codes: str | None  # JSON
    placed_at: str
    paid_at: str | None  # a paid order without one gets placed_at (writer.py)
    cancelled_at: str | None
    refunded_at: str | None
    # When the store last changed the order, if the file says; drives the out-of-order rule.
    updated_at: str | None
    lines: tuple[LineRecord, ...]


class Batch(NamedTuple):
    """A run of consecutive orders from the file, with the rows rejected among them."""

    orders: list[OrderRecord]
    errors: list[RowError]
    rows: int  # CSV data rows read for this batch (accepted and rejected)
    rejected_rows: int
    bytes_done: int  # bytes of the file read so far
