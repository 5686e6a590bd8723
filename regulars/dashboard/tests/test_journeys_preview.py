"""The preview of a journey's messages: each send step rendered for a real customer of the
store, with their cart, order and a sample coupon; picked by e-mail; escaped everywhere; and
nothing sent, issued or saved."""

import re
from html import unescape

import pytest

from regulars.dashboard.tests.journeys_data import register_journey_templates, with_order_and_cart
from regulars.dashboard.tests.shop import url
from regulars.journeys.models import Enrollment
from regulars.journeys.services import do_update_journey_settings, ensure_journeys
from regulars.messaging.models import Message, Template
from regulars.promotions.models import Coupon

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def owner_client(client, owner, store):
    register_journey_templates()
    ensure_journeys(store)
    client.force_login(owner)
    return client


def _steps(html: str) -> dict[str, dict]:
    """Step number -> its subject, srcdoc (as the browser reads it) and text."""
    found = {}
    for number, body in re.findall(r'data-preview-step="(\d+)">(.*?)</section>', html, re.S):
        subject = re.search(r"data-preview-subject>(.*?)</span>", body, re.S)
        srcdoc = re.search(r'srcdoc="([^"]*)"', body)
        text = re.search(r"data-preview-text>(.*?)</pre>", body, re.S)
        found[number] = {
            "subject": subject.group(1) if subject else "",
            "srcdoc": unescape(srcdoc.group(1)) if srcdoc else "",
            "text": text.group(1) if text else "",
            "raw": body,
        }
    return found


def test_each_send_step_renders_for_the_most_recent_buyer_with_their_cart(owner_client, store):
    with_order_and_cart(store, "old", first_name="Old")
    with_order_and_cart(store, "ana", first_name="Ana")
    do_update_journey_settings(
        store, "abandoned_cart", {"coupon": {"kind": "percent", "value": "10", "valid_days": 7}}
    )

    response = owner_client.get(url("journey_preview", store, "abandoned_cart"))

    assert response.status_code == 200
    html = response.content.decode()
    steps = _steps(html)
    # The two reminders; between them a wait, the consent check and the coupon.
    assert list(steps) == ["1", "5"]
    assert "Ana" in steps["1"]["srcdoc"] and "Kind of Blue LP" in steps["1"]["srcdoc"]
    assert "https://shop.example/checkouts/ana-cart" in steps["1"]["srcdoc"]
    assert steps["5"]["subject"] == "A little extra for your cart"
    assert "CART-SAMPLE" in steps["5"]["srcdoc"] and "10% off" in steps["5"]["srcdoc"]
    assert "ana@example.com" in html
    # The store has no copy yet (the journey is off): the built-in text, said so.
    assert "built-in text, en" in steps["1"]["raw"]


def test_the_stores_own_template_is_used_and_linked(owner_client, store, owner):
    with_order_and_cart(store, "ana", first_name="Ana")
    Template.objects.create(
        store=store,
        key="cart_reminder",
        channel="email",
        language="en",
        purpose="marketing",
        subject="Still thinking, {{ customer.first_name }}?",
        body_html="<p>Your cart: {{ data.cart.total }}</p>",
    )

    html = owner_client.get(url("journey_preview", store, "abandoned_cart")).content.decode()

    step = _steps(html)["1"]
    assert step["subject"] == "Still thinking, Ana?"
    assert "Your cart: 22.00 USD" in step["srcdoc"]
    assert "en template</a>" in step["raw"]


def test_a_customer_is_picked_by_e_mail_and_an_unknown_one_is_said_so(owner_client, store):
    with_order_and_cart(store, "ana", first_name="Ana")
    with_order_and_cart(store, "bob", first_name="Bob")
    path = url("journey_preview", store, "order_confirmation")

    ana = owner_client.get(path + "?customer=ANA@example.com").content.decode()
    nobody = owner_client.get(path + "?customer=zed@example.com").content.decode()

    assert "Ana" in _steps(ana)["1"]["subject"] + _steps(ana)["1"]["srcdoc"]
    assert "Bob" not in _steps(ana)["1"]["srcdoc"]
    assert "No customer of this store matches &#x27;zed@example.com&#x27;." in nobody
    assert "Bob" in _steps(nobody)["1"]["srcdoc"]  # the most recent buyer instead


def test_a_customers_markup_is_only_text_in_every_part(owner_client, store):
    with_order_and_cart(store, "eve", first_name='<script>alert("x")</script>')

    html = owner_client.get(url("journey_preview", store, "winback")).content.decode()

    assert "<script>alert" not in html
    step = next(iter(_steps(html).values()))
    assert "&lt;script&gt;" in step["subject"]
    # In the frame the browser reads the srcdoc once: the name is escaped text there too.
    assert "&lt;script&gt;alert" in step["srcdoc"] and "<script>" not in step["srcdoc"]
    assert 'sandbox referrerpolicy="no-referrer"' in step["raw"]


def test_a_store_without_customers_previews_for_a_sample(owner_client, store):
    html = owner_client.get(url("journey_preview", store, "birthday_coupon")).content.decode()

    assert "a sample customer" in html
    assert "Ana" in _steps(html)["4"]["srcdoc"]


def test_a_preview_sends_issues_and_saves_nothing(owner_client, store):
    with_order_and_cart(store, "ana", first_name="Ana")

    for key in ("abandoned_cart", "winback", "birthday_coupon", "first_order_anniversary"):
        assert owner_client.get(url("journey_preview", store, key)).status_code == 200

    assert (Message.objects.count(), Coupon.objects.count(), Enrollment.objects.count()) == (
        0,
        0,
        0,
    )
    assert not Template.objects.filter(store=store).exists()
