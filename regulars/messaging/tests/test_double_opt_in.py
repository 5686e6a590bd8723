"""Double opt-in: with the store's option on, a new e-mail subscriber confirms through a link."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from regulars.commerce.models import ConsentChange
from regulars.messaging import links
from regulars.messaging.models import Message
from regulars.messaging.services.channels import do_save_messaging_settings
from regulars.messaging.services.preferences import do_confirm_subscription
from regulars.messaging.tests.link_pages import make_customer, path_of

EMAIL_WORDING = (
    "I want to receive marketing e-mails from Vinyl Corner: offers, news and recommendations. "
    "I can unsubscribe at any time with the link in every e-mail."
)


def _subscribe_on_the_page(client, customer):
    return client.post(path_of(links.preferences_url(customer)), data={"channel": ["email"]})


def test_subscribing_waits_for_confirmation_and_sends_the_link(client, store, owner):
    do_save_messaging_settings(store, owner, double_opt_in=True)
    customer = make_customer(store, email_consent="unsubscribed")
    page = _subscribe_on_the_page(client, customer).content.decode()
    assert "We sent a confirmation link to ana@example.com." in page
    customer.refresh_from_db()
    assert (customer.email_consent, customer.email_consent_source) == ("pending", "preference_page")
    pending = ConsentChange.objects.get(customer=customer, state="pending")
    assert pending.text == EMAIL_WORDING
    message = Message.objects.get(customer=customer, source="double_opt_in")
    assert (message.channel, message.purpose, message.to_address) == (
        "email",
        "transactional",
        "ana@example.com",
    )
    assert message.subject == "Confirm your subscription to Vinyl Corner"
    confirm_path = "/messaging/confirm/"
    assert confirm_path in message.body_text
    assert confirm_path in message.body_html
    # The confirmation link is ours: never rewritten into a tracked link.
    assert "/messaging/c/" not in message.body_text + message.body_html


def test_the_confirmation_e_mail_is_in_the_customers_language(client, store, owner):
    do_save_messaging_settings(store, owner, double_opt_in=True)
    customer = make_customer(store, email_consent="unknown", language="th", first_name="Somchai")
    _subscribe_on_the_page(client, customer)
    message = Message.objects.get(customer=customer, source="double_opt_in")
    assert message.subject == "ยืนยันการสมัครรับข่าวสารจาก Vinyl Corner"
    assert message.body_text.startswith("สวัสดีคุณ Somchai")
    assert "ลิงก์นี้ใช้ได้ 7 วัน" in message.body_text
    assert '<html lang="th">' in message.body_html
    armenian = make_customer(
        store, external_id="c2", email="anush@example.com", language="hy", email_consent="unknown"
    )
    _subscribe_on_the_page(client, armenian)
    message = Message.objects.get(customer=armenian, source="double_opt_in")
    assert message.subject == "Հաստատեք ձեր բաժանորդագրությունը Vinyl Corner խանութի նամակներին"


def test_saving_again_while_pending_sends_no_second_e_mail(client, store, owner):
    do_save_messaging_settings(store, owner, double_opt_in=True)
    customer = make_customer(store, email_consent="unsubscribed")
    _subscribe_on_the_page(client, customer)
    _subscribe_on_the_page(client, customer)
    assert Message.objects.filter(customer=customer, source="double_opt_in").count() == 1


def test_the_link_confirms_on_post_only(client, store, owner):
    do_save_messaging_settings(store, owner, double_opt_in=True)
    customer = make_customer(store, email_consent="unsubscribed")
    _subscribe_on_the_page(client, customer)
    path = path_of(links.confirm_url(customer))
    shown = client.get(path)
    assert shown.status_code == 200
    assert EMAIL_WORDING in shown.content.decode()
    customer.refresh_from_db()
    assert customer.email_consent == "pending"
    done = client.post(path)
    assert "Your subscription is confirmed" in done.content.decode()
    customer.refresh_from_db()
    assert (customer.email_consent, customer.email_consent_source) == (
        "subscribed",
        "double_opt_in",
    )
    confirmed = ConsentChange.objects.get(customer=customer, state="subscribed")
    assert (confirmed.previous, confirmed.source, confirmed.text) == (
        "pending",
        "double_opt_in",
        EMAIL_WORDING,
    )


def test_an_expired_confirm_link_is_refused(client, store, owner):
    do_save_messaging_settings(store, owner, double_opt_in=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        customer = make_customer(store, email_consent="unsubscribed")
        _subscribe_on_the_page(client, customer)
        path = path_of(links.confirm_url(customer))
    with time_machine.travel(start + timedelta(days=8), tick=False):
        response = client.post(path)
    assert response.status_code == 404
    customer.refresh_from_db()
    assert customer.email_consent == "pending"
    assert not ConsentChange.objects.filter(customer=customer, state="subscribed").exists()


def test_a_confirm_link_does_not_resubscribe_someone_who_unsubscribed_since(client, store, owner):
    do_save_messaging_settings(store, owner, double_opt_in=True)
    customer = make_customer(store, email_consent="unsubscribed")
    _subscribe_on_the_page(client, customer)
    path = path_of(links.confirm_url(customer))
    client.post(path_of(links.unsubscribe_url(customer, "email")))
    page = client.post(path).content.decode()
    assert "Nothing to confirm" in page
    customer.refresh_from_db()
    assert customer.email_consent == "unsubscribed"
    assert do_confirm_subscription(customer) is False


def test_without_the_option_subscribing_is_immediate(client, store):
    customer = make_customer(store, email_consent="unsubscribed")
    page = _subscribe_on_the_page(client, customer).content.decode()
    assert "confirmation link" not in page
    customer.refresh_from_db()
    assert customer.email_consent == "subscribed"
    assert ConsentChange.objects.get(customer=customer, state="subscribed").text == EMAIL_WORDING
    assert not Message.objects.filter(customer=customer).exists()
