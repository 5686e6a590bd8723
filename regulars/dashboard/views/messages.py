"""Messages: the send log with its filters, one message as the customer got it, and the
suppression list (addresses nothing may be sent to)."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import redirect

from regulars.core.errors import RegularsError
from regulars.core.roles import Permission
from regulars.dashboard.forms import apply_service_error, valid_filters
from regulars.dashboard.messaging_forms import (
    MessageFilterForm,
    SuppressionAddForm,
    SuppressionFilterForm,
)
from regulars.dashboard.views.base import PAGE_SIZE, not_found_unless, page, store_view
from regulars.dashboard.views.customers import start_of_day
from regulars.messaging.models import Message, MessageStatus, Suppression, SuppressionReason
from regulars.messaging.services.sending import do_suppress, do_unsuppress

# Put before a message's HTML in its preview frame: a link clicked there would open a new
# window, which the sandbox refuses, so a look at the message never counts as a click.
PREVIEW_HEAD = '<base target="_blank">'
# The outcomes shown as a failure (red) rather than a wait (amber).
BAD_STATUSES = (
    MessageStatus.FAILED,
    MessageStatus.BOUNCED,
    MessageStatus.SUPPRESSED,
    MessageStatus.DROPPED,
)


@store_view(Permission.VIEW)
def message_list(request):
    store = request.store
    keys = (
        Message.objects.filter(store=store)
        .exclude(template_key="")
        .order_by("template_key")
        .values_list("template_key", flat=True)
        .distinct()
    )
    form = MessageFilterForm(request.GET or None, template_keys=list(keys))
    filters = valid_filters(form)
    rows = (
        filter_messages(store, filters)
        .select_related("customer")
        .defer("body_text", "body_html")
        .order_by("-created_at", "-pk")
    )
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    customer = None
    if "customer" in filters:
        customer = store.customers.filter(pk=filters["customer"]).first()
    return page(
        request,
        "dashboard/messaging/list.html",
        {
            "section": "messages",
            "tab": "log",
            "form": form,
            "page_obj": page_obj,
            "filtered": bool(filters),
            "for_customer": customer,
        },
    )


def filter_messages(store, filters: dict) -> QuerySet:
    """The store's messages matching the parsed filters of MessageFilterForm."""
    rows = Message.objects.filter(store=store)
    for field in ("status", "channel", "purpose", "template_key"):
        if field in filters:
            rows = rows.filter(**{field: filters[field]})
    if "source" in filters:
        rows = rows.filter(source__istartswith=filters["source"].strip())
    if "customer" in filters:
        rows = rows.filter(customer_id=filters["customer"])
    for term in filters.get("q", "").split():
        rows = rows.filter(
            Q(customer__email__icontains=term)
            | Q(customer__first_name__icontains=term)
            | Q(customer__last_name__icontains=term)
            | Q(to_address__icontains=term)
        )
    if "sent_from" in filters:
        rows = rows.filter(created_at__gte=start_of_day(filters["sent_from"], store.timezone))
    if "sent_to" in filters:
        end = start_of_day(filters["sent_to"] + timedelta(days=1), store.timezone)
        rows = rows.filter(created_at__lt=end)
    return rows


@store_view(Permission.VIEW)
def message_detail(request, message_id: int):
    message = not_found_unless(
        Message.objects.filter(store=request.store, pk=message_id)
        .select_related("customer", "template")
        .first()
    )
    return page(
        request,
        "dashboard/messaging/detail.html",
        {
            "section": "messages",
            "message": message,
            "status_is_bad": message.status in BAD_STATUSES,
            "preview_html": PREVIEW_HEAD + message.body_html if message.body_html else "",
            "events": list(message.events.all()),
            "clicks": list(message.click_rows.order_by("-at", "-pk")[:100]),
        },
    )


# --- suppressions -----------------------------------------------------------------------------


@store_view(Permission.VIEW, post=Permission.SUPPORT)
def suppression_list(request):
    store = request.store
    form = SuppressionAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suppression = do_suppress(
                store,
                channel=data["channel"],
                address=data["address"],
                reason=SuppressionReason.MANUAL,
                detail=data["detail"],
                user=request.user,
            )
        except RegularsError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(
                request,
                f"{suppression.address} is on the suppression list for "
                f"{suppression.get_channel_display()}.",
            )
            return redirect("dashboard:suppressions", store_slug=store.slug)
    filters_form = SuppressionFilterForm(request.GET or None)
    filters = valid_filters(filters_form)
    rows = filter_suppressions(store, filters).select_related("created_by", "message")
    page_obj = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return page(
        request,
        "dashboard/messaging/suppressions.html",
        {
            "section": "messages",
            "tab": "suppressions",
            "form": form,
            "filters_form": filters_form,
            "filtered": bool(filters),
            "page_obj": page_obj,
        },
        status=400 if form.errors else 200,
    )


def filter_suppressions(store, filters: dict) -> QuerySet:
    rows = Suppression.objects.filter(store=store)
    if "q" in filters:
        rows = rows.filter(address__icontains=filters["q"].strip())
    for field in ("channel", "reason"):
        if field in filters:
            rows = rows.filter(**{field: filters[field]})
    return rows


@store_view(Permission.SUPPORT)
def suppression_remove(request, suppression_id: int):
    """GET asks to confirm; POST removes the address from the list."""
    store = request.store
    suppression = not_found_unless(
        Suppression.objects.filter(store=store, pk=suppression_id).first()
    )
    if request.method != "POST":
        return page(
            request,
            "dashboard/messaging/suppression_remove.html",
            {"section": "messages", "tab": "suppressions", "suppression": suppression},
        )
    do_unsuppress(store, suppression.pk)
    messages.success(
        request,
        f"{suppression.address} is no longer suppressed for "
        f"{suppression.get_channel_display()}: messages may go there again.",
    )
    return redirect("dashboard:suppressions", store_slug=store.slug)
