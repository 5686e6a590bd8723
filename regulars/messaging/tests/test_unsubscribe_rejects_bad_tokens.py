"""Forged, altered, wrong-purpose and other-store tokens: a bare 404, and nothing changes."""

from types import SimpleNamespace

import pytest

from regulars.commerce.models import ConsentChange
from regulars.messaging import links
from regulars.messaging.tests.link_pages import make_customer, path_of


def _altered(path: str) -> str:
    token = path.rstrip("/").rsplit("/", 1)[1]
    middle = len(token) // 2
    changed = token[:middle] + ("x" if token[middle] != "x" else "y") + token[middle + 1 :]
    return path.replace(token, changed)


def _assert_rejected(response, customer):
    assert response.status_code == 404
    page = response.content.decode()
    assert "This link is not valid" in page
    # No hint of why (expired, altered, wrong page): nothing to learn by probing.
    for word in ("signature", "expired", "Vinyl Corner", "ana@example.com"):
        assert word not in page
    customer.refresh_from_db()
    assert customer.email_consent == "subscribed"
    assert not ConsentChange.objects.filter(customer=customer, state="unsubscribed").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_rejects_a_forged_token(client, store, method):
    customer = make_customer(store)
    forged = "/messaging/u/WzEsMSwiZW1haWwiXQ:c2lnbmVkLWJ5LW5vYm9keS1hdC1hbGwtMDEyMzQ1Njc4/"
    response = getattr(client, method)(forged, data={"List-Unsubscribe": "One-Click"})
    _assert_rejected(response, customer)


def test_it_rejects_a_token_with_one_character_altered(client, store):
    customer = make_customer(store)
    path = _altered(path_of(links.unsubscribe_url(customer, "email")))
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    _assert_rejected(response, customer)


def test_it_rejects_a_preference_token_on_the_unsubscribe_page(client, store):
    customer = make_customer(store)
    token = path_of(links.preferences_url(customer)).rstrip("/").rsplit("/", 1)[1]
    response = client.post(f"/messaging/u/{token}/", data={"List-Unsubscribe": "One-Click"})
    _assert_rejected(response, customer)


def test_it_rejects_a_token_naming_another_store(client, store, other_store):
    customer = make_customer(store)
    make_customer(other_store, email="somchai@example.com")
    # Correctly signed, but the customer id does not belong to the store the token names.
    mismatched = SimpleNamespace(store_id=other_store.pk, pk=customer.pk)
    response = client.post(
        path_of(links.unsubscribe_url(mismatched, "email")), data={"List-Unsubscribe": "One-Click"}
    )
    _assert_rejected(response, customer)


def test_the_404_page_is_in_english_whatever_the_browser_asks(client, store):
    customer = make_customer(store, language="th")
    path = _altered(path_of(links.unsubscribe_url(customer, "email")))
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"
