"""The preference page: each channel's state with a box, the consent words, save, confirmation."""

import re
from types import SimpleNamespace

from django.test import Client

from regulars.commerce.models import ConsentChange
from regulars.messaging import links
from regulars.messaging.tests.link_pages import make_customer, path_of


def _checked(page: str) -> set[str]:
    boxes = re.findall(r'<input type="checkbox"[^>]*value="(\w+)"([^>]*)>', page)
    return {channel for channel, rest in boxes if "checked" in rest}


def test_the_page_shows_each_channel_with_its_state(client, store):
    customer = make_customer(store, sms_consent="unsubscribed", push_consent="subscribed")
    response = client.get(path_of(links.preferences_url(customer)))
    assert response.status_code == 200
    page = response.content.decode()
    for channel in ("email", "sms", "whatsapp", "push"):
        assert f'name="channel" value="{channel}"' in page
    assert _checked(page) == {"email", "push"}
    assert "ana@example.com" in page
    assert "+14155550123" in page
    assert (
        "I agree to receive marketing text messages from Vinyl Corner at my phone number. "
        "Message frequency varies. Message and data rates may apply. Reply STOP to opt out."
    ) in page
    assert "Reply STOP to opt out." in page.split('value="whatsapp"')[1]
    assert "Your choices are saved." not in page


def test_saving_applies_each_change_with_the_words_shown(client, store):
    customer = make_customer(store)
    response = client.post(path_of(links.preferences_url(customer)), data={"channel": ["push"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your choices are saved." in page
    assert _checked(page) == {"push"}
    customer.refresh_from_db()
    assert (customer.email_consent, customer.push_consent) == ("unsubscribed", "subscribed")
    assert (customer.sms_consent, customer.whatsapp_consent) == ("unknown", "unknown")
    changes = {c.channel: c for c in ConsentChange.objects.filter(source="preference_page")}
    assert set(changes) == {"email", "push"}
    assert changes["email"].text == ""
    assert changes["push"].text == (
        "I want to receive marketing notifications from Vinyl Corner. "
        "I can turn them off at any time."
    )


def test_saving_the_same_choices_again_changes_nothing(client, store):
    customer = make_customer(store)
    path = path_of(links.preferences_url(customer))
    client.post(path, data={"channel": ["email"]})
    assert not ConsentChange.objects.filter(source="preference_page").exists()


def test_the_form_is_protected_by_a_csrf_token_that_works_without_a_login(store):
    customer = make_customer(store)
    browser = Client(enforce_csrf_checks=True)
    path = path_of(links.preferences_url(customer))
    refused = browser.post(path, data={"channel": ["sms"]})
    assert refused.status_code == 403
    customer.refresh_from_db()
    assert customer.sms_consent == "unknown"
    page = browser.get(path).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    saved = browser.post(path, data={"channel": ["email", "sms"], "csrfmiddlewaretoken": token})
    assert saved.status_code == 200
    customer.refresh_from_db()
    assert customer.sms_consent == "subscribed"


def test_the_page_of_a_customer_of_another_store_is_not_found(client, store, other_store):
    customer = make_customer(store)
    mismatched = SimpleNamespace(store_id=other_store.pk, pk=customer.pk)
    response = client.post(path_of(links.preferences_url(mismatched)), data={"channel": []})
    assert response.status_code == 404
    customer.refresh_from_db()
    assert customer.email_consent == "subscribed"
    assert not ConsentChange.objects.filter(source="preference_page").exists()


def test_an_unsubscribe_token_does_not_open_the_preference_page(client, store):
    customer = make_customer(store)
    token = links.unsubscribe_url(customer, "email").rstrip("/").rsplit("/", 1)[1]
    response = client.post(f"/messaging/p/{token}/", data={})
    assert response.status_code == 404
    customer.refresh_from_db()
    assert customer.email_consent == "subscribed"
