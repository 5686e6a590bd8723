"""The customer page's Consent card: each channel's state, since when and from where; a change
by staff kept with what the customer agreed to or asked, and who made it."""

import pytest

from regulars.commerce.models import ConsentChange, Customer
from regulars.commerce.services import do_set_consent
from regulars.dashboard.tests.messaging_data import queued_message
from regulars.dashboard.tests.shop import customer, url

pytestmark = pytest.mark.django_db

AGREED = "Said on the phone (March 3) that texts about new records are welcome."


@pytest.fixture
def ana(store) -> Customer:
    return customer(store, "c1", first_name="Ana", phone="+14155550123")


def test_the_card_shows_every_channel_with_its_state(client, store, owner, ana):
    do_set_consent(ana, channel="email", state="subscribed", source="shopify")
    client.force_login(owner)

    html = client.get(url("customer", store, ana.pk)).content.decode()

    for channel, state in [
        ("email", "Subscribed"),
        ("sms", "Not asked"),
        ("whatsapp", "Not asked"),
        ("push", "Not asked"),
    ]:
        assert f'<dd data-consent="{channel}"><span class="badge badge--consent-' in html
        assert f">{state}</span>" in html
    assert " · via shopify</span>" in html


def test_an_agent_changes_a_channel_with_a_note_and_it_is_kept_with_the_actor(
    client, store, agent, ana
):
    client.force_login(agent)

    response = client.post(
        url("customer_consent", store, ana.pk),
        {"channel": "sms", "state": "subscribed", "text": AGREED},
    )

    assert response.status_code == 302
    assert response["Location"] == url("customer", store, ana.pk) + "#consent"
    ana.refresh_from_db()
    assert (ana.sms_consent, ana.sms_consent_source) == ("subscribed", "dashboard")
    change = ConsentChange.objects.get(customer=ana)
    assert (change.channel, change.previous, change.state) == ("sms", "unknown", "subscribed")
    assert (change.source, change.text, change.actor) == ("dashboard", AGREED, agent)


def test_the_history_shows_when_what_who_and_the_words(client, store, owner, agent, ana):
    client.force_login(agent)
    client.post(
        url("customer_consent", store, ana.pk),
        {"channel": "sms", "state": "subscribed", "text": AGREED},
    )

    html = client.get(url("customer", store, ana.pk), follow=True).content.decode()

    assert "sms: not asked → <strong>subscribed</strong>" in html
    assert "dashboard · by agent@example.com" in html
    assert "“Said on the phone (March 3) that texts about new records are welcome.”" in html
    assert "SMS consent is now subscribed." in html


def test_a_change_without_a_note_is_refused_and_changes_nothing(client, store, owner, ana):
    client.force_login(owner)

    response = client.post(
        url("customer_consent", store, ana.pk), {"channel": "email", "state": "subscribed"}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    ana.refresh_from_db()
    assert ana.email_consent == "unknown"
    assert not ConsentChange.objects.filter(customer=ana).exists()


def test_the_same_state_again_writes_no_history(client, store, owner, ana):
    do_set_consent(ana, channel="email", state="unsubscribed", source="one_click")
    client.force_login(owner)

    response = client.post(
        url("customer_consent", store, ana.pk),
        {"channel": "email", "state": "unsubscribed", "text": "Asked again by mail."},
        follow=True,
    )

    assert "E-mail consent was already unsubscribed; nothing changed." in response.content.decode()
    assert ConsentChange.objects.filter(customer=ana).count() == 1


def test_a_viewer_sees_the_card_but_no_form_and_cannot_post(client, store, member, ana):
    client.force_login(member)

    page = client.get(url("customer", store, ana.pk)).content.decode()
    response = client.post(
        url("customer_consent", store, ana.pk),
        {"channel": "email", "state": "subscribed", "text": "I say so."},
    )

    assert 'id="consent-title">Consent</h2>' in page
    assert "Change consent…" not in page
    assert response.status_code == 403
    ana.refresh_from_db()
    assert ana.email_consent == "unknown"
    assert not ConsentChange.objects.filter(customer=ana).exists()


def test_the_customers_messages_are_listed_with_a_link_to_each(client, store, owner, ana):
    message = queued_message(store, ana, subject="Spring sale")
    client.force_login(owner)

    html = client.get(url("customer", store, ana.pk)).content.decode()

    assert f'<a href="{url("message", store, message.pk)}">Spring sale</a>' in html
    assert '<span class="badge badge--queued">Queued</span>' in html


def test_past_ten_messages_the_page_links_to_the_customers_log(client, store, owner, ana):
    for n in range(11):
        queued_message(store, ana, subject=f"Sale {n}")
    client.force_login(owner)

    html = client.get(url("customer", store, ana.pk)).content.decode()
    card = html[html.index('id="messages"') : html.index('id="timeline-title"')]

    assert "Sale 10</a>" in card and "Sale 1</a>" in card and "Sale 0</a>" not in card
    assert f'href="{url("messages", store)}?customer={ana.pk}">All messages' in html
