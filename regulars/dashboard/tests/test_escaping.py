"""Everything a store or a shopper sent is shown as text: never markup, never a script link."""

import pytest

from regulars.commerce.models import Customer, WebhookDelivery
from regulars.commerce.tests.fixtures import WebhookSender, connect
from regulars.dashboard.tests.shop import customer, event, order, url
from regulars.insights.services import do_refresh_insights
from regulars.insights.tests.history import NOW

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def evil(store) -> Customer:
    customer(store, "c1", first_name=SCRIPT, last_name='"><img src=x onerror=alert(2)>')
    order(store, "1001", "c1", name="#<b>1</b>", coupon_codes=[SCRIPT])
    event(
        store,
        "c1",
        "product_viewed",
        {"title": SCRIPT, "url": "javascript:alert(3)"},
        "2026-03-01T09:00:00Z",
    )
    return Customer.objects.get(store=store, external_id="c1")


@pytest.mark.parametrize("page", ["customers", "customer", "orders", "order"])
def test_a_customer_named_like_a_script_is_shown_escaped(client, store, owner, evil, page):
    client.force_login(owner)
    args = {"customer": [evil.pk], "order": [evil.orders.get().pk]}.get(page, [])

    html = client.get(url(page, store, *args)).content.decode()

    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "<b>1</b>" not in html
    assert ESCAPED in html


def test_a_scored_customer_named_like_a_script_is_shown_escaped_beside_the_scores(
    client, store, owner, evil
):
    do_refresh_insights(store, now=NOW)
    client.force_login(owner)

    html = client.get(url("customer", store, evil.pk)).content.decode()

    assert 'id="loyalty-title">Loyalty</h2>' in html
    assert "<dt>Orders</dt><dd>1 · $30.00 spent</dd>" in html
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert ESCAPED in html


def test_a_javascript_link_from_an_event_is_not_made_a_link(client, store, owner, evil):
    client.force_login(owner)

    html = client.get(url("customer", store, evil.pk)).content.decode()

    assert "javascript:" not in html
    assert f"Viewed {ESCAPED}" in html


def test_a_delivery_body_is_shown_escaped(client, store, owner, django_capture_on_commit_callbacks):
    connect(store)
    body = b'{"note": "</pre><script>alert(4)</script>"}'
    WebhookSender(client, django_capture_on_commit_callbacks).shopify(
        store, "orders/create", body, extra={"X-Evil": "<script>alert(5)</script>"}
    )
    client.force_login(owner)
    delivery = WebhookDelivery.objects.get(store=store)

    html = client.get(url("delivery", store, delivery.pk)).content.decode()

    assert "<script>alert(4)" not in html and "<script>alert(5)" not in html
    assert "&lt;/pre&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in html
