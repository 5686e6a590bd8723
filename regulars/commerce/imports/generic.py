"""The generic orders CSV documented in docs/csv-import.md: one row per order line.

`build` reads an order the quick way and gives up at the first problem; `explain` then reads it
again field by field to report every problem with its column. Both apply the same rules; the
tests hold them to the same answers.
"""

from decimal import Decimal

from regulars.commerce.imports.formats import NumberedRow, OrderFormat, Problems
from regulars.commerce.imports.records import CustomerRecord, LineRecord, OrderRecord
from regulars.commerce.imports.values import bounded, line_total, quantity
from regulars.commerce.models import OrderStatus

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
_ZERO = Decimal(0)


class _Refused(Exception):
    pass


class GenericFormat(OrderFormat):
    name = "generic"
    label = "generic orders CSV"
    key_column = "order_id"
    required = ("order_id", "placed_at", "currency", "total")
    order_columns = ORDER_COLUMNS

    def __init__(self, header, values, file_name):
        super().__init__(header, values, file_name)
        self._i = {column: self.column(column) for column in ORDER_COLUMNS + LINE_COLUMNS}

    # --- the quick way ------------------------------------------------------------------------

    def build(self, rows: list[NumberedRow]) -> OrderRecord:
        i, values = self._i, self.values
        row = rows[0][1]
        money, time = values.money, values.time
        currency = values.currency(row[i["currency"]].strip())
        status = _STATUSES[row[i["status"]].strip().lower()]
        total = money(row[i["total"]].strip(), currency)
        amounts = [row[i[name]].strip() for name in _AMOUNTS[:4]]
        subtotal, discount, shipping, tax = (money(a, currency) if a else None for a in amounts)
        placed_at = values.time_text(values.moment(row[i["placed_at"]].strip()))
        paid_at, cancelled_at, refunded_at, updated_at = (
            time(row[i[name]].strip()) for name in _TIMES[1:]
        )
        external_id, name = row[i["order_id"]].strip(), row[i["name"]].strip()
        customer = self._customer(row)
        lines = tuple(self._line(row, currency) for _, row in rows if self._has_line(row))
        if len(external_id) > 64 or len(name) > 64:
            raise _Refused
        return self._order(
            rows,
            external_id=external_id,
            name=name,
            customer=customer,
            status=status,
            currency=currency,
            amounts=(subtotal, discount, shipping, tax, total),
            coupons=values.coupons(row[i["coupon_codes"]], ";"),
            times=(placed_at, paid_at, cancelled_at, refunded_at, updated_at),
            lines=lines,
        )

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
            raise _Refused
        if len(customer.last_name) > 100:
            raise _Refused
        return customer if (customer.external_id or customer.email or customer.phone) else None

    def _has_line(self, row) -> bool:
        i = self._i
        return any(row[i[column]].strip() for column in LINE_COLUMNS)

    def _line(self, row, currency: str) -> LineRecord:
        i = self._i
        title, sku = row[i["title"]].strip(), row[i["sku"]].strip()
        product_id, price_text = row[i["product_id"]].strip(), row[i["unit_price"]].strip()
        if not title or len(title) > 300 or len(sku) > 64 or len(product_id) > 64:
            raise _Refused
        qty = quantity(row[i["quantity"]].strip())
        price = self.values.money(price_text, currency) if price_text else _ZERO
        return LineRecord(product_id, sku, title, qty, str(price), str(line_total(price, qty)))

    def _order(self, rows, *, amounts, times, lines, customer, **fields) -> OrderRecord:
        """The record, with what follows from the rest: subtotal, paid time, e-mail."""
        subtotal, discount, shipping, tax, total = amounts
        placed_at, paid_at, cancelled_at, refunded_at, updated_at = times
        if subtotal is None:
            subtotal = sum((Decimal(x.total) for x in lines), _ZERO) if lines else total
        return OrderRecord(
            line=rows[0][0],
            rows=len(rows),
            customer=customer,
            email=customer.email if customer else "",
            subtotal=str(subtotal),
            discount_total=_text(discount),
            shipping_total=_text(shipping),
            tax_total=_text(tax),
            total=str(total),
            coupon_codes=fields.pop("coupons"),
            placed_at=placed_at,
            paid_at=paid_at,
            cancelled_at=cancelled_at,
            refunded_at=refunded_at,
            updated_at=updated_at,
            lines=lines,
            **fields,
        )

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
            else _ZERO
        )
        if len(problems.errors) > known or qty is None or price is None:
            return None
        return field(problems, line, "quantity", self._line, row, money)


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)
