"""The generic orders CSV documented in docs/csv-import.md: one row per order line.

`build` reads an order the quick way and gives up at the first problem; `explain` then reads it
again field by field to report every problem with its column. Both apply the same rules; the
tests hold them to the same answers.
"""

from decimal import Decimal

from regulars.commerce.imports.formats import ZERO, NumberedRow, OrderFormat, Problems, Refused
from regulars.commerce.imports.records import CustomerRecord, LineRecord, OrderRecord
from regulars.commerce.imports.values import bounded, line_total, quantity, remember
from regulars.commerce.models import OrderStatus
from regulars.commerce.schemas import clean_email, clean_phone
from regulars.core.money import minor_units

ORDER_COLUMNS = (
    "order_id",
    "name",
    "placed_at",
    "updated_at",
    "paid_at",
    "cancelled_at",
    "refunded_at",
    "customer_id",
    "email",
    "first_name",
    "last_name",
    "phone",
    "currency",
    "status",
    "subtotal",
    "discount_total",
    "shipping_total",
    "tax_total",
    "total",
    "coupon_codes",
)
LINE_COLUMNS = ("product_id", "sku", "title", "quantity", "unit_price")
_AMOUNTS = ("subtotal", "discount_total", "shipping_total", "tax_total", "total")
_TIMES = ("placed_at", "paid_at", "cancelled_at", "refunded_at", "updated_at")

# Plain text values, not the enum members: records cross a process boundary (pipeline.py).
_STATUSES = {
    "": OrderStatus.PAID.value,
    "pending": OrderStatus.PENDING.value,
    "paid": OrderStatus.PAID.value,
    "cancelled": OrderStatus.CANCELLED.value,
    "canceled": OrderStatus.CANCELLED.value,
    "refunded": OrderStatus.REFUNDED.value,
}


class GenericFormat(OrderFormat):
    name = "generic"
    label = "generic orders CSV"
    key_column = "order_id"
    required = ("order_id", "placed_at", "currency", "total")
    order_columns = ORDER_COLUMNS

    def __init__(self, header, values, file_name):
        super().__init__(header, values, file_name)
        self._i = {column: self.column(column) for column in ORDER_COLUMNS + LINE_COLUMNS}
        self._order_at = tuple(self._i[column] for column in ORDER_COLUMNS)
        self._line_at = tuple(self._i[column] for column in LINE_COLUMNS)
        self._seen = _Seen(values)

    # --- the quick way ------------------------------------------------------------------------

    def build(self, rows: list[NumberedRow]) -> OrderRecord:
        """Every order of the file goes through here, so it is one flat function: the cells
        are looked up in tables of raw cells already checked (`_Seen`), and the record is
        built as a plain tuple in OrderRecord's layout (cheaper to make and to pickle).
        Anything unusual raises, and `explain` decides; the tests hold the two to the same
        answers."""
        (o_id, o_name, o_placed, o_updated, o_paid, o_cancelled, o_refunded, o_cid, o_email,
         o_first, o_last, o_phone, o_currency, o_status, o_sub, o_disc, o_ship, o_tax, o_total,
         o_coupons) = self._order_at  # fmt: skip
        seen, values = self._seen, self.values
        line, row = rows[0]
        cell = row[o_currency]
        currency = seen.currencies.get(cell) or seen.add(seen.currencies, cell, values.currency)
        amounts = seen.amounts.get(currency) or seen.amount_table(currency)
        money = seen.money_text
        cell = row[o_total]
        total = amounts.get(cell) or money(amounts, cell, currency)
        cell = row[o_sub]
        subtotal = (amounts.get(cell) or money(amounts, cell, currency)) if cell else None
        cell = row[o_disc]
        discount = (amounts.get(cell) or money(amounts, cell, currency)) if cell else None
        cell = row[o_ship]
        shipping = (amounts.get(cell) or money(amounts, cell, currency)) if cell else None
        cell = row[o_tax]
        tax = (amounts.get(cell) or money(amounts, cell, currency)) if cell else None
        cell = row[o_status]
        status = seen.statuses.get(cell) or seen.add(seen.statuses, cell, _status)
        time = values.quick_time
        placed_at = time(row[o_placed])
        paid_at = time(row[o_paid]) if row[o_paid] else None
        cancelled_at = time(row[o_cancelled]) if row[o_cancelled] else None
        refunded_at = time(row[o_refunded]) if row[o_refunded] else None
        updated_at = time(row[o_updated]) if row[o_updated] else None
        external_id, name = row[o_id].strip(), row[o_name].strip()
        cell = row[o_coupons]
        coupons = values.coupons(cell, ";") if cell else None
        # The customer.
        cell = row[o_email]
        email = seen.emails.get(cell) if cell else ""
        if email is None:
            email = seen.cleaned(seen.emails, cell, clean_email)
        cell = row[o_phone]
        phone = seen.phones.get(cell) if cell else ""
        if phone is None:
            phone = seen.cleaned(seen.phones, cell, clean_phone)
        customer_id = row[o_cid].strip()
        first_name, last_name = row[o_first].strip(), row[o_last].strip()
        if (
            len(external_id) > 64
            or len(name) > 64
            or len(customer_id) > 64
            or len(first_name) > 100
            or len(last_name) > 100
        ):
            raise Refused
        customer = (
            (customer_id, email, phone, first_name, last_name, None)
            if customer_id or email or phone
            else None
        )
        # The lines.
        p_id, p_sku, p_title, p_quantity, p_price = self._line_at
        prices = seen.prices.get(currency) or seen.price_table(currency)
        lines = []
        for _, row in rows:
            title = row[p_title].strip()
            if not (title or row[p_id] or row[p_sku] or row[p_quantity] or row[p_price]):
                continue
            product_id, sku = row[p_id].strip(), row[p_sku].strip()
            if not title or len(title) > 300 or len(sku) > 64 or len(product_id) > 64:
                raise Refused
            key = (row[p_price], row[p_quantity])
            priced = prices.get(key) or self._price(prices, key, currency)
            lines.append((product_id, sku, title, *priced))
        lines = tuple(lines)
        if subtotal is None:
            subtotal = _subtotal(lines, total)
        return (
            line,
            len(rows),
            external_id,
            name,
            customer,
            email,
            status,
            currency,
            subtotal,
            discount,
            shipping,
            tax,
            total,
            coupons,
            placed_at,
            paid_at,
            cancelled_at,
            refunded_at,
            updated_at,
            lines,
        )

    def _price(self, prices: dict, key: tuple[str, str], currency: str) -> tuple:
        """(quantity, unit price text, line total text) of a line's price and quantity cells."""
        price_text, quantity_text = key[0].strip(), key[1].strip()
        qty = quantity(quantity_text)
        price = self.values.money(price_text, currency) if price_text else ZERO
        return remember(prices, key, (qty, str(price), str(line_total(price, qty))))

    def _customer(self, row) -> CustomerRecord | None:
        i, values = self._i, self.values
        customer = CustomerRecord(
            row[i["customer_id"]].strip(),
            values.email(row[i["email"]].strip()),
            values.phone(row[i["phone"]].strip()),
            row[i["first_name"]].strip(),
            row[i["last_name"]].strip(),
        )
        if len(customer.external_id) > 64 or len(customer.first_name) > 100:
            raise Refused
        if len(customer.last_name) > 100:
            raise Refused
        return customer if (customer.external_id or customer.email or customer.phone) else None

    def _has_line(self, row) -> bool:
        i = self._i
        return any(row[i[column]].strip() for column in LINE_COLUMNS)

    def _line(self, row, currency: str) -> LineRecord:
        i = self._i
        title, sku = row[i["title"]].strip(), row[i["sku"]].strip()
        product_id, price_text = row[i["product_id"]].strip(), row[i["unit_price"]].strip()
        if not title or len(title) > 300 or len(sku) > 64 or len(product_id) > 64:
            raise Refused
        qty = quantity(row[i["quantity"]].strip())
        price = self.values.money(price_text, currency) if price_text else ZERO
        return LineRecord(product_id, sku, title, qty, str(price), str(line_total(price, qty)))

    # --- field by field -----------------------------------------------------------------------

    def explain(self, rows: list[NumberedRow], problems: Problems) -> OrderRecord | None:
        i, values, field = self._i, self.values, self.field
        line, row = rows[0]

        def cell(column: str) -> str:
            return row[i[column]].strip()

        currency = field(problems, line, "currency", values.currency, cell("currency"))
        money = currency or "USD"  # amounts next to a bad currency are still checked
        status = _STATUSES.get(cell("status").lower())
        if status is None:
            problems.add(
                line,
                "status",
                f"{cell('status')!r} is not one of pending, paid, cancelled, refunded",
            )
        amounts = [
            field(problems, line, name, values.money, cell(name), money)
            if cell(name) or name == "total"
            else None
            for name in _AMOUNTS
        ]
        times = [field(problems, line, name, values.time, cell(name)) for name in _TIMES]
        if not cell("placed_at"):
            problems.add(line, "placed_at", "is required")
        fields = {
            "external_id": field(problems, line, "order_id", bounded, cell("order_id"), 64),
            "name": field(problems, line, "name", bounded, cell("name"), 64),
            "coupons": field(
                problems, line, "coupon_codes", values.coupons, cell("coupon_codes"), ";"
            ),
        }
        customer = self._explain_customer(line, cell, problems)
        lines = tuple(
            self._explain_line(line, row, money, problems)
            for line, row in rows
            if self._has_line(row)
        )
        if problems.errors:
            return None
        return self._order(
            rows,
            amounts=amounts,
            times=times,
            lines=lines,
            customer=customer,
            status=status,
            currency=currency,
            **fields,
        )

    def _explain_customer(self, line, cell, problems: Problems) -> CustomerRecord | None:
        field, values = self.field, self.values
        customer = CustomerRecord(
            field(problems, line, "customer_id", bounded, cell("customer_id"), 64),
            field(problems, line, "email", values.email, cell("email")),
            field(problems, line, "phone", values.phone, cell("phone")),
            field(problems, line, "first_name", bounded, cell("first_name"), 100),
            field(problems, line, "last_name", bounded, cell("last_name"), 100),
        )
        return customer if (customer.external_id or customer.email or customer.phone) else None

    def _explain_line(self, line: int, row, money: str, problems: Problems) -> LineRecord | None:
        i, field = self._i, self.field
        known = len(problems.errors)
        title = row[i["title"]].strip()
        if not title:
            problems.add(line, "title", "is required for an order line")
        for column, limit in (("product_id", 64), ("sku", 64), ("title", 300)):
            field(problems, line, column, bounded, row[i[column]].strip(), limit)
        qty = field(problems, line, "quantity", quantity, row[i["quantity"]].strip())
        price_text = row[i["unit_price"]].strip()
        price = (
            field(problems, line, "unit_price", self.values.money, price_text, money)
            if price_text
            else ZERO
        )
        if len(problems.errors) > known or qty is None or price is None:
            return None
        return field(problems, line, "quantity", self._line, row, money)


def _subtotal(lines, total) -> str:
    """The subtotal of an order whose cell is empty: the sum of its lines, else its total."""
    if not lines:
        return str(total)
    return str(sum((Decimal(line[5]) for line in lines), ZERO))


def _status(cell: str) -> str:
    return _STATUSES[cell.strip().lower()]


class _Seen:
    """Raw cells already checked, with what they were read as; bounded like Values' tables."""

    def __init__(self, values):
        self.values = values
        self.currencies: dict[str, str] = {}
        self.statuses: dict[str, str] = {}
        self.emails: dict[str, str] = {}
        self.phones: dict[str, str] = {}
        self.amounts: dict[str, dict[str, str]] = {}  # currency -> cell -> amount text
        self.prices: dict[str, dict[tuple, tuple]] = {}  # currency -> (price, qty) -> line

    @staticmethod
    def add(table: dict, cell: str, read):
        return remember(table, cell, read(cell.strip()))

    @staticmethod
    def cleaned(table: dict, cell: str, clean) -> str:
        """The shared cleaner's answer (it raises on a bad value); the cell itself when it
        was clean already, so that the table keeps one string, not two."""
        value = clean(cell)
        return remember(table, cell, cell if value == cell else value)

    def amount_table(self, currency: str) -> dict:
        return self.amounts.setdefault(currency, {})

    def price_table(self, currency: str) -> dict:
        return self.prices.setdefault(currency, {})

    def money_text(self, table: dict, cell: str, currency: str) -> str:
        if minor_units(currency) == 2 and _in_cents(cell):
            return remember(table, cell, cell)
        return self.add(table, cell, lambda text: str(self.values.money(text, currency)))


def _in_cents(cell: str) -> bool:
    """Whether `cell` already reads as the amount it is, as Values.money would write it: digits
    (at most 11, so below AMOUNT_LIMIT; no leading zero), a point and two digits. Totals are
    mostly all different, so they are worth recognising without Decimal."""
    whole = cell[:-3]
    return (
        cell[-3:-2] == "."
        and cell.isascii()
        and cell[-2:].isdigit()
        and whole.isdigit()
        and len(whole) <= 11
        and (whole[0] != "0" or whole == "0")
    )
