"""Recent abandoned carts, a few recovered by the order that followed, and storefront events."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from regulars.commerce.models import Cart, Event, Order, Product
from regulars.demo.tests.conftest import TODAY

END = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=ZoneInfo("America/New_York"))


def test_a_few_hundred_carts_for_the_whole_log_in_the_last_thirty_days(build):
    store = build(customers=2000).store
    carts = Cart.objects.filter(store=store)

    assert carts.count() == 25  # one per 80 customers
    assert carts.filter(updated_at__lt=END - timedelta(days=30)).count() == 0
    assert carts.exclude(recovered_order=None).count() == 2  # a tenth, rounded


def test_a_recovered_cart_is_followed_by_its_customers_order(build):
    store = build(customers=2000).store
    recovered = Cart.objects.filter(store=store).exclude(recovered_order=None)

    assert recovered.exists()
    for cart in recovered.select_related("recovered_order"):
        order = cart.recovered_order
        assert order.customer_id == cart.customer_id
        assert timedelta(hours=1) <= order.placed_at - cart.updated_at <= timedelta(hours=72)
        assert cart.value == order.total


def test_an_abandoned_cart_has_no_later_order_from_its_customer(build):
    store = build(customers=2000).store
    abandoned = Cart.objects.filter(store=store, recovered_order=None)

    assert abandoned.count() == 23
    for cart in abandoned:
        later = Order.objects.filter(customer=cart.customer, placed_at__gte=cart.updated_at)
        assert not later.exists(), cart.token
        assert cart.value == sum(
            (Decimal(line["unit_price"]) * line["quantity"] for line in cart.lines), Decimal(0)
        )
        assert cart.checkout_url.startswith("https://demo.regulars.example/checkouts/")


def test_events_are_views_searches_and_pages_of_this_stores_products(demo):
    events = Event.objects.filter(store=demo)
    products = {p.external_id: p for p in Product.objects.filter(store=demo)}
    kinds = set(events.values_list("kind", flat=True))
    viewed = events.filter(kind__in=["product_viewed", "added_to_cart"])

    assert {"product_viewed", "searched", "page_viewed"} <= kinds
    assert kinds <= {"product_viewed", "searched", "page_viewed", "added_to_cart"}
    assert [
        e.pk
        for e in viewed
        if products[e.properties["product_external_id"]].url != e.properties["url"]
    ] == []
    assert events.filter(kind="searched", properties__query="").count() == 0


def test_the_catalog_has_a_few_hundred_cds_priced_8_to_25_dollars_in_genres(demo):
    products = Product.objects.filter(store=demo)

    assert products.count() == 315
    assert products.filter(price__lt=8).count() == products.filter(price__gt=25).count() == 0
    assert len(set(products.values_list("category", flat=True))) == 14
    assert len(set(products.values_list("title", flat=True))) == 315
    assert all(
        url.startswith("https://demo.regulars.example/products/")
        for url in products.values_list("url", flat=True)
    )
