"""Shopify's orders export (Admin > Orders > Export, "Plain CSV file").

One row per line item. The first row of an order carries the order's fields; the following
rows of the same Name carry the line item columns (and repeat Name, Email, Created at).
The export has no customer id and no product id: customers are matched by e-mail (else
phone) and products by SKU, see docs/csv-import.md.

`build` reads an order the quick way and gives up at the first problem; `explain` reads it
again field by field to report every problem with its column.
"""

from regulars.commerce.imports.formats import ZERO, NumberedRow, OrderFormat, Problems, Refused
from regulars.commerce.imports.records import CustomerRecord, LineRecord, OrderRecord
from regulars.commerce.imports.values import ValueProblem, bounded, line_total, quantity
from regulars.commerce.models import OrderStatus

# Shopify's financial statuses; a Cancelled at time makes an order cancelled unless refunded.
# Plain text values, not the enum members: records cross a process boundary (pipeline.py).
_FINANCIAL_STATUS = {
    "": OrderStatus.PENDING.value,
    "pending": OrderStatus.PENDING.value,
    "authorized": OrderStatus.PENDING.value,
    "partially_paid": OrderStatus.PENDING.value,
    "paid": OrderStatus.PAID.value,
    "partially_refunded": OrderStatus.PAID.value,
    "refunded": OrderStatus.REFUNDED.value,
    "voided": OrderStatus.CANCELLED.value,
    "expired": OrderStatus.CANCELLED.value,
}
_YES = {"yes": True, "true": True, "no": False, "false": False}
_PHONES = ("Phone", "Billing Phone", "Shipping Phone")
_AMOUNTS = ("Subtotal", "Discount Amount", "Shipping", "Taxes")
_LINE_COLUMNS = (
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Lineitem discount",
)


class ShopifyFormat(OrderFormat):
    name = "shopify"
    label = "Shopify orders export"
    key_column = "Name"
    required = (
        "Name",
        "Created at",
        "Currency",
        "Total",
        "Lineitem quantity",
        "Lineitem name",
        "Lineitem price",
    )
    order_columns = (
        "Email",
        "Financial Status",
        "Paid at",
        "Currency",
        "Subtotal",
        "Shipping",
        "Taxes",
        "Total",
        "Discount Code",
        "Discount Amount",
        "Created at",
        "Accepts Marketing",
        "Billing Name",
        "Billing Phone",
        "Phone",
        "Cancelled at",
        "Id",
    )
    products_by_sku = True

    def __init__(self, header, values, file_name):
        super().__init__(header, values, file_name)
        names = (*self.order_columns, "Name", "Shipping Name", "Shipping Phone", *_LINE_COLUMNS)
        self._i = {name: self.column(name) for name in names}

    # --- the quick way ------------------------------------------------------------------------

    def build(self, rows: list[NumberedRow]) -> OrderRecord:
        i, values = self._i, self.values
        row = rows[0][1]
        currency = values.currency(row[i["Currency"]].strip())
        total = values.money(row[i["Total"]].strip(), currency)
        amounts = [row[i[name]].strip() for name in _AMOUNTS]
        subtotal, discount, shipping, tax = (
            values.money(a, currency) if a else None for a in amounts
        )
        cancelled_at = values.time(row[i["Cancelled at"]].strip())
        status = _status(row[i["Financial Status"]].strip(), cancelled_at)
        name = row[i["Name"]].strip()
        external_id = row[i["Id"]].strip() or name
        phones = [row[i[column]].strip() for column in _PHONES]
        customer = self._customer(row, next((values.phone(p) for p in phones if p), ""))
        if status is None or len(name) > 64 or len(external_id) > 64:
            raise Refused
        return self._order(
            rows,
            name=name,
            external_id=external_id,
            status=status,
            currency=currency,
            customer=customer,
            amounts=(subtotal, discount, shipping, tax, total),
            coupons=values.coupons(row[i["Discount Code"]], ","),
            times=(
                values.time_text(values.moment(row[i["Created at"]].strip())),
                values.time(row[i["Paid at"]].strip()),
                cancelled_at,
            ),
            lines=tuple(self._line(row, currency) for _, row in rows),
        )

    def _customer(self, row, phone: str) -> CustomerRecord | None:
        i = self._i
        full_name = row[i["Billing Name"]].strip() or row[i["Shipping Name"]].strip()
        first, _, last = full_name.partition(" ")
        customer = CustomerRecord(
            "",
            self.values.email(row[i["Email"]].strip()),
            phone,
            first,
            last.strip(),
            _YES.get(row[i["Accepts Marketing"]].strip().lower()),
        )
        if len(customer.first_name) > 100 or len(customer.last_name) > 100:
            raise Refused
        return customer if (customer.email or customer.phone) else None

    def _line(self, row, currency: str) -> LineRecord:
        i, money = self._i, self.values.money
        title, sku = row[i["Lineitem name"]].strip(), row[i["Lineitem sku"]].strip()
        if not title or len(title) > 300 or len(sku) > 64:
            raise Refused
        qty = quantity(row[i["Lineitem quantity"]].strip())
        price = money(row[i["Lineitem price"]].strip(), currency)
        discount_text = row[i["Lineitem discount"]].strip()
        discount = money(discount_text, currency) if discount_text else ZERO
        return LineRecord(sku, sku, title, qty, str(price), str(line_total(price, qty, discount)))

    # --- field by field -----------------------------------------------------------------------

    def explain(self, rows: list[NumberedRow], problems: Problems) -> OrderRecord | None:
        i, values, field = self._i, self.values, self.field
        line, row = rows[0]

        def cell(column: str) -> str:
            return row[i[column]].strip()

        currency = field(problems, line, "Currency", values.currency, cell("Currency"))
        money = currency or "USD"  # amounts next to a bad currency are still checked
        amounts = [
            field(problems, line, name, values.money, cell(name), money) if cell(name) else None
            for name in _AMOUNTS
        ]
        amounts.append(field(problems, line, "Total", values.money, cell("Total"), money))
        times = [field(problems, line, c, values.time, cell(c)) for c in ("Created at", "Paid at")]
        if not cell("Created at"):
            problems.add(line, "Created at", "is required")
        times.append(field(problems, line, "Cancelled at", values.time, cell("Cancelled at")))
        status = _status(cell("Financial Status"), times[2])
        if status is None:
            known = ", ".join(sorted(_FINANCIAL_STATUS)[1:])
            problems.add(
                line,
                "Financial Status",
                f"{cell('Financial Status')!r} is not a Shopify financial status ({known})",
            )
        fields = {
            "name": field(problems, line, "Name", bounded, cell("Name"), 64),
            "external_id": field(problems, line, "Id", bounded, cell("Id") or cell("Name"), 64),
            "coupons": field(
                problems, line, "Discount Code", values.coupons, cell("Discount Code"), ","
            ),
        }
        customer = self._explain_customer(line, row, cell, problems)
        lines = tuple(self._explain_line(line, row, money, problems) for line, row in rows)
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

    def _explain_customer(self, line: int, row, cell, problems: Problems) -> CustomerRecord | None:
        self.field(problems, line, "Email", self.values.email, cell("Email"))
        full_name = cell("Billing Name") or cell("Shipping Name")
        first, _, last = full_name.partition(" ")
        for part in (first, last.strip()):
            self.field(problems, line, "Billing Name", bounded, part, 100)
        if problems.errors:
            return None
        return self._customer(row, self._explain_phone(line, cell, problems))

    def _explain_phone(self, line: int, cell, problems: Problems) -> str:
        """The first phone number that checks out. Shoppers type these freely, often without
        the country code: a number that does not check out is left out and noted, and the
        order is still imported, because its purchase history matters more than the number."""
        refused = set()
        for column in _PHONES:
            text = cell(column)
            if not text or text in refused:
                continue
            try:
                return self.values.phone(text)
            except ValueProblem as exc:
                refused.add(text)
                problems.note(line, column, f"{exc}; the order was imported without it")
        return ""

    def _explain_line(self, line: int, row, money: str, problems: Problems) -> LineRecord | None:
        i, field, values = self._i, self.field, self.values
        known = len(problems.errors)

        def cell(column: str) -> str:
            return row[i[column]].strip()

        if not cell("Lineitem name"):
            problems.add(line, "Lineitem name", "is required")
        field(problems, line, "Lineitem name", bounded, cell("Lineitem name"), 300)
        field(problems, line, "Lineitem sku", bounded, cell("Lineitem sku"), 64)
        field(problems, line, "Lineitem quantity", quantity, cell("Lineitem quantity"))
        field(problems, line, "Lineitem price", values.money, cell("Lineitem price"), money)
        if cell("Lineitem discount"):
            field(
                problems, line, "Lineitem discount", values.money, cell("Lineitem discount"), money
            )
        if len(problems.errors) > known:
            return None
        return field(problems, line, "Lineitem quantity", self._line, row, money)


def _status(text: str, cancelled_at: str | None) -> str | None:
    status = _FINANCIAL_STATUS.get(text.lower())
    if status is not None and cancelled_at is not None and status != OrderStatus.REFUNDED:
        return OrderStatus.CANCELLED.value
    return status
