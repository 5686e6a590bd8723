"""Dashboard forms: they parse what the merchant typed; the core and commerce services decide.

Filter forms are read from the query string and never fail a page: an invalid field is
reported beside the field and left out of the filter.
"""

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from regulars.commerce.models import Consent, DeliveryStatus, OrderStatus
from regulars.core.errors import RateLimited, RegularsError
from regulars.core.models import ApiKeyScope, Platform
from regulars.core.money import ISO_4217
from regulars.core.ratelimit import hit
from regulars.core.roles import Role

# Sign-in attempts allowed per minute for one e-mail from one address.
LOGIN_ATTEMPTS_PER_MINUTE = 10

_DATE = forms.DateInput(attrs={"type": "date"})


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with the e-mail address (it is the username), rate-limited per IP and e-mail."""

    username = forms.CharField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    rate_limited = False
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "This e-mail address and password do not match an account.",
    }

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()

    def clean(self):
        email = self.cleaned_data.get("username", "")
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        try:
            hit(f"login:{address}:{email}", limit=LOGIN_ATTEMPTS_PER_MINUTE, window_seconds=60)
        except RateLimited as exc:
            self.rate_limited = True
            raise forms.ValidationError(
                "Too many sign-in attempts for this e-mail address. "
                f"Wait {exc.retry_after} seconds and try again.",
                code="rate_limited",
            ) from exc
        return super().clean()


def apply_service_error(form: forms.Form, error: RegularsError) -> None:
    """Show a service's error beside the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --- list filters -----------------------------------------------------------------------------

CUSTOMER_SORTS = {
    "last_order": "Last order",
    "total_spent": "Total spent",
    "created": "Created",
}


class CustomerFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    language = forms.ChoiceField(required=False, label="Language")
    email_consent = forms.ChoiceField(
        required=False, label="E-mail consent", choices=_blank("Any", Consent.choices)
    )
    sms_consent = forms.ChoiceField(
        required=False, label="SMS consent", choices=_blank("Any", Consent.choices)
    )
    orders = forms.ChoiceField(
        required=False,
        label="Orders",
        choices=[
            ("", "Any"),
            ("repeat", "Repeat buyers (2+ orders)"),
            ("one", "One order"),
            ("none", "No orders"),
        ],
    )
    last_order_from = forms.DateField(required=False, label="Last order from", widget=_DATE)
    last_order_to = forms.DateField(required=False, label="Last order to", widget=_DATE)
    sort = forms.ChoiceField(
        required=False,
        label="Sort by",
        choices=[
            (f"{sign}{key}", f"{label}, {order}")
            for key, label in CUSTOMER_SORTS.items()
            for sign, order in (("-", "highest or newest first"), ("", "lowest or oldest first"))
        ],
    )

    def __init__(self, data=None, *, languages=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["language"].choices = _blank("Any", [(code, code) for code in languages])


class InsightsPeriodForm(forms.Form):
    """A period of the merchant's choosing on the Insights page: days in the store's time zone,
    both included."""

    start = forms.DateField(label="From", widget=_DATE)
    end = forms.DateField(label="To", widget=_DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The period must end on or after its first day.")
        return data


class OrderFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    status = forms.ChoiceField(
        required=False, choices=_blank("Any", OrderStatus.choices), label="Status"
    )
    placed_from = forms.DateField(required=False, label="Placed from", widget=_DATE)
    placed_to = forms.DateField(required=False, label="Placed to", widget=_DATE)


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=_blank("Any", DeliveryStatus.choices), label="Status"
    )
    platform = forms.ChoiceField(
        required=False, choices=_blank("Any", Platform.choices), label="Platform"
    )


def valid_filters(form: forms.Form) -> dict:
    """The fields that parsed, without the empty ones: bad fields are shown, not applied."""
    form.is_valid()
    return {
        name: value
        for name, value in getattr(form, "cleaned_data", {}).items()
        if name not in form.errors and value not in (None, "")
    }


# --- settings ---------------------------------------------------------------------------------


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name", help_text="Where the key is used")
    scope = forms.ChoiceField(choices=ApiKeyScope.choices, initial=ApiKeyScope.WRITE)


class WebhookSecretForm(forms.Form):
    platform = forms.ChoiceField(choices=Platform.choices, widget=forms.HiddenInput)
    secret = forms.CharField(
        max_length=256,
        label="New signing secret",
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


def _timezones() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class StoreSettingsForm(forms.Form):
    name = forms.CharField(max_length=200)
    currency = forms.ChoiceField(choices=[(code, code) for code in sorted(ISO_4217)])
    timezone = forms.ChoiceField(label="Time zone")
    language = forms.CharField(
        max_length=12,
        label="Default language",
        help_text="A language code: "
        + ", ".join(f"{code} ({name})" for code, name in settings.LANGUAGES),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = _timezones()


class StaffAddForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
