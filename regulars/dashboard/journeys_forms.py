"""The journey editor's form, built from the settings the journey has (library.BuiltIn.defaults):
it parses what the merchant typed into the settings dict that journeys' services check.

A service error names a setting ("delay_hours", "coupon.value", "conditions[1]"); `field_for`
turns that name into the form field it is shown beside.
"""

from decimal import Decimal, InvalidOperation

from django import forms

from regulars.insights.models import Segment
from regulars.journeys import library
from regulars.journeys.conditions import CUSTOMER_FIELDS, ENROLLMENT_FIELDS
from regulars.journeys.models import Journey, Trigger
from regulars.messaging.models import Channel

_TIME = forms.TextInput(attrs={"type": "time", "step": 60})
_NUMBER = {"max_digits": 9, "decimal_places": 2}
PERIODS = {"7d": 7, "30d": 30, "90d": 90, "all": None}
PERIOD_LABELS = {"7d": "7 days", "30d": "30 days", "90d": "90 days", "all": "All time"}
DEFAULT_PERIOD = "30d"

# name: (label, help text); the numbers all go through journeys' bounds check.
NUMBERS = {
    "delay_hours": ("Wait (hours)", "after the moment that starts the journey"),
    "delay_days": ("Wait (days)", "after delivery"),
    "abandoned_minutes": ("Cart left for (minutes)", "before it counts as abandoned"),
    "second_delay_hours": ("Second reminder after (hours)", "after the first one"),
    "lapsed_days": ("Days without an order", "when the win-back starts after N days"),
    "max_days_since_last_order": (
        "Not after (days since the last order)",
        "customers gone longer than this are left alone",
    ),
}
WHEN = [
    ("churn_risk", "P(alive) falls below the threshold"),
    ("expected_order_missed", "The expected next order did not come"),
    ("days", "A number of days without an order"),
]
COUPON_KINDS = [
    ("", "No coupon"),
    ("percent", "Percentage off"),
    ("fixed_amount", "Fixed amount off"),
]
_OPS = [
    ("eq", "is"),
    ("ne", "is not"),
    ("gt", "more than"),
    ("gte", "at least"),
    ("lt", "less than"),
    ("lte", "at most"),
    ("in", "is one of"),
]
# Empty condition rows offered below the journey's own.
SPARE_CONDITIONS = 2
MAX_CONDITIONS = 20


def _condition_fields() -> list[tuple[str, str]]:
    names = [*CUSTOMER_FIELDS, *ENROLLMENT_FIELDS]
    return [("", "—"), *((name, name) for name in names)]


def _kind(field: str) -> str:
    return CUSTOMER_FIELDS[field][1] if field in CUSTOMER_FIELDS else ENROLLMENT_FIELDS[field]


class JourneySettingsForm(forms.Form):
    allow_reentry = forms.BooleanField(
        required=False,
        label="A customer may go through it again",
        help_text="Off: once per customer, ever.",
    )

    def __init__(self, journey: Journey, data=None):
        self.journey = journey
        self.built = library.LIBRARY[journey.key]
        self.current = {**self.built.defaults, **journey.settings}
        super().__init__(data, initial=self._initial())
        self._add_fields()

    # --- building -------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.fields

    def _settings(self) -> set[str]:
        names = set(self.built.defaults)
        if self.built.trigger in (Trigger.CHURN_RISK, Trigger.LAPSED):
            names |= {"when", "lapsed_days"}
        return names

    def _add_fields(self) -> None:
        names = self._settings()
        fields = self.fields
        if "channel" in names:
            fields["channel"] = forms.ChoiceField(
                choices=[(c, Channel(c).label) for c in self.built.channels],
                help_text="How the journey's messages go out.",
            )
        if "sms_too" in names:
            fields["sms_too"] = forms.BooleanField(
                required=False, label="Also by SMS, to customers who agreed to SMS"
            )
        if "when" in names:
            fields["when"] = forms.ChoiceField(choices=WHEN, label="Starts when")
        if "threshold" in names:
            fields["threshold"] = forms.DecimalField(
                required=False,
                max_digits=3,
                decimal_places=2,
                label="P(alive) threshold",
                help_text="0.01 to 0.99; empty: the store's churn threshold (Insights).",
            )
        for name, (label, help_text) in NUMBERS.items():
            if name in names:
                fields[name] = forms.DecimalField(label=label, help_text=help_text, **_NUMBER)
        if "local_time" in names:
            fields["local_time"] = forms.CharField(
                required=False,
                max_length=5,
                widget=_TIME,
                label="At local time",
                help_text="In the customer's time zone; empty: as soon as due.",
            )
        if "second_reminder" in names:
            fields["second_reminder"] = forms.BooleanField(
                required=False, label="Send a second reminder"
            )
        if "segment" in names:
            fields["segment"] = forms.ChoiceField(choices=Segment.choices, label="Segment entered")
        if "coupon" in names:
            self._add_coupon_fields()
        self._add_condition_fields()

    def _add_coupon_fields(self) -> None:
        self.fields["coupon_kind"] = forms.ChoiceField(
            choices=COUPON_KINDS, required=False, label="Coupon"
        )
        self.fields["coupon_value"] = forms.DecimalField(
            required=False, label="Value", help_text="percent, or amount off", **_NUMBER
        )
        self.fields["coupon_minimum_spend"] = forms.DecimalField(
            required=False, label="Minimum spend", help_text="empty: none", **_NUMBER
        )
        self.fields["coupon_valid_days"] = forms.IntegerField(
            required=False, label="Valid for (days)"
        )

    def timing_fields(self) -> list:
        """The numbers and the time of day, in the order the journey uses them."""
        return [self[name] for name in [*NUMBERS, "local_time"] if name in self.fields]

    def condition_rows(self) -> list[dict]:
        """The condition fields row by row, for the template."""
        return [
            {
                "field": self[f"cond_{i}_field"],
                "op": self[f"cond_{i}_op"],
                "value": self[f"cond_{i}_value"],
            }
            for i in range(self.rows)
        ]

    def _add_condition_fields(self) -> None:
        existing = len(self.current.get("conditions") or [])
        self.rows = min(MAX_CONDITIONS, existing + SPARE_CONDITIONS)
        for i in range(self.rows):
            self.fields[f"cond_{i}_field"] = forms.ChoiceField(
                choices=_condition_fields(), required=False, label="Field"
            )
            self.fields[f"cond_{i}_op"] = forms.ChoiceField(
                choices=_OPS, required=False, label="Test"
            )
            self.fields[f"cond_{i}_value"] = forms.CharField(
                required=False, max_length=200, label="Value"
            )

    def _initial(self) -> dict:
        current = self.current
        initial = {
            name: value for name, value in current.items() if name not in ("coupon", "conditions")
        }
        initial["allow_reentry"] = self.journey.allow_reentry
        initial.setdefault("when", "churn_risk")
        initial.setdefault("lapsed_days", 90)
        coupon = current.get("coupon")
        if coupon:
            initial |= {
                "coupon_kind": coupon.get("kind", "percent"),
                "coupon_value": coupon.get("value"),
                "coupon_minimum_spend": coupon.get("minimum_spend"),
                "coupon_valid_days": coupon.get("valid_days"),
            }
        for i, condition in enumerate(current.get("conditions") or []):
            value = condition.get("value")
            initial |= {
                f"cond_{i}_field": condition.get("field"),
                f"cond_{i}_op": condition.get("op", "eq"),
                f"cond_{i}_value": _show(value),
            }
        return initial

    # --- reading --------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        if data.get("coupon_kind") and data.get("coupon_value") is None:
            self.add_error("coupon_value", "Give the coupon's value: a percent or an amount off.")
        return data

    def changes(self) -> dict:
        """The settings as journeys' services take them (call after is_valid())."""
        data = self.cleaned_data
        changes = {"allow_reentry": data["allow_reentry"]}
        for name in self._settings() - {"coupon", "conditions"}:
            if name not in self.fields:
                continue
            value = data.get(name)
            if isinstance(value, Decimal):
                value = str(value)
            changes[name] = value
        if "coupon" in self._settings():
            changes["coupon"] = self._coupon()
        conditions, self.row_of = self._conditions()
        changes["conditions"] = conditions
        return changes

    def _coupon(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("coupon_kind"):
            return None
        minimum = data.get("coupon_minimum_spend")
        return {
            "kind": data["coupon_kind"],
            "value": str(data["coupon_value"]) if data.get("coupon_value") is not None else None,
            "minimum_spend": str(minimum) if minimum is not None else None,
            "valid_days": data.get("coupon_valid_days") or 30,
        }

    def _conditions(self) -> tuple[list[dict], list[int]]:
        """The filled rows as conditions, and the row each one came from."""
        conditions, rows = [], []
        for i in range(self.rows):
            field = self.cleaned_data.get(f"cond_{i}_field")
            if not field:
                continue
            op = self.cleaned_data.get(f"cond_{i}_op") or "eq"
            text = self.cleaned_data.get(f"cond_{i}_value", "")
            conditions.append({"field": field, "op": op, "value": _parse(text, _kind(field), op)})
            rows.append(i)
        return conditions, rows

    def field_for(self, name: str | None) -> str | None:
        """The form field a service error about setting `name` belongs to (None: the form)."""
        if not name:
            return None
        if name.startswith("conditions["):
            index = int(name[len("conditions[") :].split("]")[0])
            rows = getattr(self, "row_of", [])
            return f"cond_{rows[index]}_value" if index < len(rows) else None
        if name == "coupon":
            return "coupon_kind"
        name = name.replace(".", "_")
        return name if name in self.fields else None


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    return "" if value is None else str(value)


def _parse(text: str, kind: str, op: str):
    """A condition's value as typed, in the type its field compares with."""
    if op == "in":
        return [_parse(part.strip(), kind, "eq") for part in text.split(",") if part.strip()]
    text = text.strip()
    if kind == "bool":
        return {"true": True, "yes": True, "false": False, "no": False}.get(text.lower(), text)
    if kind in ("number", "days"):
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text  # the service names it: "... is not a number"
        if not number.is_finite():
            return text
        return int(number) if number == number.to_integral_value() else float(number)
    return text
