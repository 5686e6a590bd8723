"""Customers: the searchable, filterable list and one customer's profile with its loyalty
scores and its timeline."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from regulars.commerce.models import CONSENT_CHANNELS, ConsentChange, Customer, Source
from regulars.commerce.services import do_set_consent
from regulars.commerce.timeline import timeline_page
from regulars.core.roles import Permission
from regulars.dashboard.forms import CustomerFilterForm, valid_filters
from regulars.dashboard.messaging_forms import CONSENT_LABELS, ConsentForm
from regulars.dashboard.views.base import PAGE_SIZE, not_found_unless, page, store_view
from regulars.insights.selectors import loyalty_for
from regulars.messaging.models import Message

TIMELINE_PAGE_SIZE = 50
# The newest messages and consent changes shown on the customer page; the message log and
# the full history hold the rest.
RECENT_MESSAGES = 10
CONSENT_HISTORY = 20
_FOLDED_FILTERS = {"language", "email_consent", "sms_consent", "last_order_from", "last_order_to"}
_SORTS = {
    "last_order": F("last_order_at"),
    "total_spent": F("total_spent"),
    "created": F("created_at"),
}


@store_view(Permission.VIEW)
def customer_list(request):
    store = request.store
    languages = (
        Customer.objects.filter(store=store)
        .exclude(language="")
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )
    form = CustomerFilterForm(request.GET or None, languages=list(languages))
    filters = valid_filters(form)
    sort = filters.get("sort", "-last_order")
    customers = filter_customers(store, filters).order_by(*_ordering(sort))
    page_obj = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "dashboard/customers/list.html",
        {
            "section": "customers",
            "form": form,
            "page_obj": page_obj,
            "sort": sort,
            "filtered": bool(set(filters) - {"sort"}),
            # Open the folded filters when one of them is set or wrong.
            "more_filters": len((set(filters) | set(form.errors)) & _FOLDED_FILTERS),
        },
    )


def filter_customers(store, filters: dict) -> QuerySet:
    """The store's customers matching the parsed filters of CustomerFilterForm."""
    customers = Customer.objects.filter(store=store)
    for term in filters.get("q", "").split():
        customers = customers.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(phone__icontains=term)
            | Q(external_id__iexact=term)
        )
    for field in ("language", "email_consent", "sms_consent"):
        if field in filters:
            customers = customers.filter(**{field: filters[field]})
    orders = filters.get("orders")
    if orders == "repeat":
        customers = customers.filter(orders_count__gte=2)
    elif orders == "one":
        customers = customers.filter(orders_count=1)
    elif orders == "none":
        customers = customers.filter(orders_count=0)
    if "last_order_from" in filters:
        customers = customers.filter(
            last_order_at__gte=start_of_day(filters["last_order_from"], store.timezone)
        )
    if "last_order_to" in filters:
        customers = customers.filter(
            last_order_at__lt=start_of_day(
                filters["last_order_to"] + timedelta(days=1), store.timezone
            )
        )
    return customers


def start_of_day(day: date, zone: str) -> datetime:
    """Midnight of `day` in the store's zone: a date typed by the merchant is a local day."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


def _ordering(sort: str) -> list:
    key = sort.lstrip("-")
    column = _SORTS.get(key, _SORTS["last_order"])
    if sort.startswith("-"):
        return [column.desc(nulls_last=True), "-pk"]
    return [column.asc(nulls_last=True), "pk"]


@store_view(Permission.VIEW)
def customer_detail(request, customer_id: int):
    return _customer_page(request, _customer(request.store, customer_id))


def _customer(store, customer_id: int) -> Customer:
    return not_found_unless(Customer.objects.filter(store=store, pk=customer_id).first())


def _customer_page(request, customer: Customer, consent_form=None):
    before = _cursor(request.GET.get("before"))
    entries, next_before = timeline_page(customer, before=before, limit=TIMELINE_PAGE_SIZE)
    recent = (
        Message.objects.filter(store=request.store, customer=customer)
        .defer("body_text", "body_html")
        .order_by("-created_at", "-pk")
    )
    return page(
        request,
        "dashboard/customers/detail.html",
        {
            "section": "customers",
            "customer": customer,
            "loyalty": loyalty_for(request.store, customer),
            "entries": entries,
            "before": before,
            "next_before": next_before.isoformat() if next_before else "",
            "consents": consent_states(customer),
            "consent_form": consent_form or ConsentForm(),
            "consent_history": list(
                ConsentChange.objects.filter(store=request.store, customer=customer)
                .select_related("actor")
                .order_by("-at", "-pk")[:CONSENT_HISTORY]
            ),
            "recent_messages": list(recent[: RECENT_MESSAGES + 1]),
            "recent_limit": RECENT_MESSAGES,
        },
        status=400 if consent_form is not None and consent_form.errors else 200,
    )


def consent_states(customer: Customer) -> list[dict]:
    """Each consent channel's state, since when and from where, for the Consent card."""
    return [
        {
            "channel": channel,
            "label": CONSENT_LABELS[channel],
            "state": getattr(customer, f"{channel}_consent"),
            "state_label": getattr(customer, f"get_{channel}_consent_display")(),
            "at": getattr(customer, f"{channel}_consent_at"),
            "source": getattr(customer, f"{channel}_consent_source"),
        }
        for channel in CONSENT_CHANNELS
    ]


@store_view(Permission.SUPPORT)
@require_POST
def customer_consent(request, customer_id: int):
    """Change one channel's consent by hand, with what the customer agreed to or asked."""
    customer = _customer(request.store, customer_id)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _customer_page(request, customer, consent_form=form)
    data = form.cleaned_data
    changed = do_set_consent(
        customer,
        channel=data["channel"],
        state=data["state"],
        source=Source.DASHBOARD,
        text=data["text"],
        actor=request.user,
    )
    label = CONSENT_LABELS[data["channel"]]
    state = getattr(customer, f"get_{data['channel']}_consent_display")().lower()
    if changed:
        messages.success(request, f"{label} consent is now {state}.")
    else:
        messages.info(request, f"{label} consent was already {state}; nothing changed.")
    return redirect(
        reverse("dashboard:customer", args=[request.store.slug, customer.pk]) + "#consent"
    )


def _cursor(value: str | None) -> datetime | None:
    """The `before` of a timeline page link; anything unreadable shows the newest page."""
    try:
        moment = parse_datetime(value or "")
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment
