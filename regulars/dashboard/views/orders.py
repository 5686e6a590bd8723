"""Orders: the list with search and filters, and one order with lines and shipments."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet

from regulars.commerce.models import Order
from regulars.core.roles import Permission
from regulars.dashboard.forms import OrderFilterForm, valid_filters
from regulars.dashboard.views.base import PAGE_SIZE, not_found_unless, page, store_view
from regulars.dashboard.views.customers import start_of_day


@store_view(Permission.VIEW)
def order_list(request):
    form = OrderFilterForm(request.GET or None)
    filters = valid_filters(form)
    orders = (
        filter_orders(request.store, filters)
        .select_related("customer")
        .order_by("-placed_at", "-pk")
    )
    page_obj = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "dashboard/orders/list.html",
        {"section": "orders", "form": form, "page_obj": page_obj, "filtered": bool(filters)},
    )


def filter_orders(store, filters: dict) -> QuerySet:
    orders = Order.objects.filter(store=store)
    for term in filters.get("q", "").split():
        orders = orders.filter(
            Q(name__icontains=term)
            | Q(external_id__iexact=term)
            | Q(email__icontains=term)
            | Q(customer__email__icontains=term)
        )
    if "status" in filters:
        orders = orders.filter(status=filters["status"])
    if "placed_from" in filters:
        orders = orders.filter(placed_at__gte=start_of_day(filters["placed_from"], store.timezone))
    if "placed_to" in filters:
        end = start_of_day(filters["placed_to"] + timedelta(days=1), store.timezone)
        orders = orders.filter(placed_at__lt=end)
    return orders


@store_view(Permission.VIEW)
def order_detail(request, order_id: int):
    order = not_found_unless(
        Order.objects.filter(store=request.store, pk=order_id).select_related("customer").first()
    )
    return page(
        request,
        "dashboard/orders/detail.html",
        {
            "section": "orders",
            "order": order,
            "lines": list(order.lines.select_related("product").order_by("pk")),
            "fulfillments": list(order.fulfillments.order_by("shipped_at", "pk")),
            "recovered_carts": list(order.recovered_carts.order_by("updated_at")),
        },
    )
