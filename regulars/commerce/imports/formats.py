"""What the two order formats share: a header mapped to column positions, rows grouped into
orders, and the rule that the rows of one order agree on the order's fields.

Both formats put one order line on each row; the rows of one order are consecutive and share
the order's key (Shopify's Name, the generic file's order_id). The first row carries the
order's fields; a following row may leave them empty or repeat them, but never contradict them.
An order is imported whole or not at all.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from regulars.commerce.imports.records import Batch, ImportFileError, OrderRecord, RowError
from regulars.commerce.imports.values import ValueProblem, Values

Row = list[str]
NumberedRow = tuple[int, Row]


class Problems:
    """Collects the problems of one order so that every bad field is reported, not only the first."""

    def __init__(self):
        self.errors: list[RowError] = []
        self.notes: list[RowError] = []

    def add(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))

    def note(self, line: int, column: str, message: str) -> None:
        self.notes.append(RowError(line, column, message, rejected=False))


ZERO = Decimal(0)


class Refused(Exception):
    """The quick reading gives up on an order; the careful one then says why (see `_add`)."""


class OrderFormat:
    """One file format. Subclasses name their columns and build an OrderRecord from rows."""

    name = ""
    label = ""
    key_column = ""
    required: tuple[str, ...] = ()
    # Order-level columns the format reads; following rows must not contradict them.
    order_columns: tuple[str, ...] = ()
    # Lines link to products by external id (generic) or by SKU (Shopify exports carry no id).
    products_by_sku = False

    def __init__(self, header: list[str], values: Values, file_name: str):
        self.values = values
        self.file_name = file_name
        self.width = len(header)
        self.header = header
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
            positions.setdefault(title.strip().lower(), index)
        missing = [c for c in self.required if c.lower() not in positions]
        if missing:
            raise ImportFileError(
                file_name,
                f"is missing the required column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} of a {self.label}",
            )
        # A column the file lacks reads as the empty cell appended to every row.
        self._positions = positions
        self._checked = [
            (name, positions[name.lower()])
            for name in self.order_columns
            if name.lower() in positions
        ]
        self.key_index = positions[self.key_column.lower()]

    def _order(self, rows, *, amounts, times, lines, customer, **fields) -> OrderRecord:
        """The record, with what follows from the rest: subtotal and e-mail. `times` are
        placed, paid and cancelled, then refunded and updated where the format has them."""
        subtotal, discount, shipping, tax, total = amounts
        placed_at, paid_at, cancelled_at, *later = times
        refunded_at, updated_at = later or (None, None)
        if subtotal is None:  # the sum of the lines, else the total
            subtotal = sum((Decimal(x.total) for x in lines), ZERO) if lines else total
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

    def column(self, name: str) -> int:
        return self._positions.get(name.lower(), self.width)

    @classmethod
    def matches(cls, header: list[str]) -> bool:
        titles = {title.strip().lower() for title in header}
        return all(c.lower() in titles for c in cls.required)

    def build(self, rows: list[NumberedRow]) -> OrderRecord:
        """The order of `rows`, assuming all is well: raises at the first problem (then
        `explain` finds every problem). Kept lean because every order goes through it."""
        raise NotImplementedError

    def explain(self, rows: list[NumberedRow], problems: Problems) -> OrderRecord | None:
        """The order of `rows` with every problem recorded in `problems`; None if rejected."""
        raise NotImplementedError

    def field(self, problems: Problems, line: int, column: str, parse, *args):
        """parse(*args), with a refusal recorded against `column` of `line` (None returned)."""
        try:
            return parse(*args)
        except ValueProblem as exc:
            problems.add(line, column, str(exc))
            return None

    # --- grouping -------------------------------------------------------------------------

    def batches(
        self, rows: Iterable[NumberedRow], *, batch_size: int, bytes_read
    ) -> Iterator[Batch]:
        """Orders in batches of `batch_size`, each with the rows rejected while reading it."""
        self._orders, self._errors, self._rows, self._rejected = [], [], 0, 0
        for group in self._groups(rows):
            self._add(group)
            if len(self._orders) >= batch_size:
                yield self._take(bytes_read())
        yield self._take(bytes_read())

    def _take(self, bytes_done: int) -> Batch:
        batch = Batch(self._orders, self._errors, self._rows, self._rejected, bytes_done)
        self._orders, self._errors, self._rows, self._rejected = [], [], 0, 0
        return batch

    def _groups(self, rows: Iterable[NumberedRow]) -> Iterator[list[NumberedRow]]:
        width, key_index = self.width, self.key_index
        seen: set[str] = set()
        group: list[NumberedRow] = []
        current = None
        for line, row in rows:
            self._rows += 1
            if len(row) != width or row.__class__ is not list:
                self._reject_width(line, row)
                continue
            row.append("")  # the cell every absent optional column reads
            key = row[key_index].strip()
            if not key:
                self._reject_row(line, self.key_column, "is required on every row")
                continue
            if key == current:
                group.append((line, row))
                continue
            if group:
                yield group
            if key in seen:
                self._reject_row(
                    line,
                    self.key_column,
                    f"order {key!r} appeared earlier in the file; the rows of one order must be"
                    " consecutive",
                )
                group, current = [], None
                continue
            seen.add(key)
            group, current = [(line, row)], key
        if group:
            yield group

    def _reject_width(self, line: int, row) -> None:
        if isinstance(row, RowError):  # not UTF-8 (reader.py)
            self._errors.append(row)
            self._rejected += 1
            return
        count = len(row)
        # Too few cells: the first column without its cell is the one to name.
        column = self.header[count] if count < self.width else ""
        self._reject_row(line, column, f"has {count} columns; the header has {self.width}")

    def _reject_row(self, line: int, column: str, message: str) -> None:
        self._errors.append(RowError(line, column, message))
        self._rejected += 1

    def _add(self, group: list[NumberedRow]) -> None:
        if len(group) == 1 or self._agree(group):
            try:
                self._orders.append(self.build(group))
                return
            except Exception:  # noqa: S110 - explain() below finds and reports the problem
                pass
        problems = Problems()
        if len(group) > 1:
            self._check_agreement(group, problems)
        order = self.explain(group, problems)
        if problems.errors or order is None:
            self._errors.extend(problems.errors)
            self._rejected += len(group)
            return
        self._errors.extend(problems.notes)
        self._orders.append(order)

    def _agree(self, group: list[NumberedRow]) -> bool:
        first = group[0][1]
        checked = self._checked
        for _line, row in group[1:]:
            for _name, index in checked:
                value = row[index]
                if value and value != first[index]:
                    return False
        return True

    def _check_agreement(self, group: list[NumberedRow], problems: Problems) -> None:
        first_line, first = group[0]
        for line, row in group[1:]:
            for name, index in self._checked:
                value = row[index]
                if value and value != first[index] and value.strip() != first[index].strip():
                    problems.add(
                        line,
                        name,
                        f"{value.strip()!r} differs from {first[index].strip()!r} on line"
                        f" {first_line}, the first row of this order",
                    )


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)
