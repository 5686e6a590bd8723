"""Customers: the searchable, filterable list and one customer's profile with its loyalty
scores and its timeline."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.utils.dateparse import parse_datetime

from regulars.commerce.models import Customer
from regulars.commerce.timeline import timeline_page
from regulars.core.roles import Permission
from regulars.dashboard.forms import CustomerFilterForm, valid_filters
from regulars.dashboard.views.base import PAGE_SIZE, not_found_unless, page, store_view
from regulars.insights.selectors import loyalty_for

TIMELINE_PAGE_SIZE = 50
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
    customer = not_found_unless(
        Customer.objects.filter(store=request.store, pk=customer_id).first()
    )
    before = _cursor(request.GET.get("before"))
    entries, next_before = timeline_page(customer, before=before, limit=TIMELINE_PAGE_SIZE)
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
        },
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
