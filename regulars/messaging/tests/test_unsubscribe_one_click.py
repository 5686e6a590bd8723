"""RFC 8058 one-click unsubscribe: a mail client's POST, with no cookie and no CSRF token."""

from django.test import Client

from regulars.commerce.models import ConsentChange
from regulars.messaging import links
from regulars.messaging.tests.link_pages import make_customer, path_of


def test_one_post_with_list_unsubscribe_one_click_unsubscribes(store):
    customer = make_customer(store)
    # A mail client: no session, no cookie, CSRF checks on as in production.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path_of(links.unsubscribe_url(customer, "email")),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not mail_client.cookies
    customer.refresh_from_db()
    assert customer.email_consent == "unsubscribed"
    assert customer.email_consent_source == "one_click"
    change = ConsentChange.objects.get(customer=customer, state="unsubscribed")
    assert (change.channel, change.previous, change.source) == ("email", "subscribed", "one_click")


def test_the_one_click_post_also_works_as_multipart_form_data(store):
    customer = make_customer(store, sms_consent="subscribed")
    response = Client(enforce_csrf_checks=True).post(
        path_of(links.unsubscribe_url(customer, "sms")), data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.sms_consent, customer.sms_consent_source) == ("unsubscribed", "one_click")
    assert customer.email_consent == "subscribed"


def test_a_get_never_unsubscribes(client, store):
    customer = make_customer(store)
    response = client.get(path_of(links.unsubscribe_url(customer, "email")))
    assert response.status_code == 200
    assert "Unsubscribe ana@example.com from marketing e-mails from Vinyl Corner?" in (
        response.content.decode()
    )
    customer.refresh_from_db()
    assert customer.email_consent == "subscribed"
    assert not ConsentChange.objects.filter(customer=customer, state="unsubscribed").exists()


def test_the_page_button_unsubscribes_with_its_own_source(client, store):
    customer = make_customer(store)
    response = client.post(path_of(links.unsubscribe_url(customer, "email")))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You are unsubscribed" in page
    assert "ana@example.com will no longer receive marketing e-mails from Vinyl Corner." in page
    assert links.preferences_url(customer) in page
    customer.refresh_from_db()
    assert (customer.email_consent, customer.email_consent_source) == (
        "unsubscribed",
        "unsubscribe_page",
    )


def test_unsubscribing_twice_records_one_change(client, store):
    customer = make_customer(store)
    path = path_of(links.unsubscribe_url(customer, "email"))
    client.post(path, data={"List-Unsubscribe": "One-Click"})
    second = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert second.status_code == 200
    assert ConsentChange.objects.filter(customer=customer, state="unsubscribed").count() == 1


def test_the_page_links_to_the_preference_page_and_is_not_indexed(client, store):
    customer = make_customer(store)
    response = client.get(path_of(links.unsubscribe_url(customer, "email")))
    assert links.preferences_url(customer) in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert '<html lang="en">' in response.content.decode()


def test_an_already_unsubscribed_customer_sees_so_without_a_button(client, store):
    customer = make_customer(store, email_consent="unsubscribed")
    page = client.get(path_of(links.unsubscribe_url(customer, "email"))).content.decode()
    assert "You are unsubscribed" in page
    assert '<form method="post">' not in page
