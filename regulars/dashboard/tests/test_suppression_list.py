"""The suppression list: why each address is on it and since when, the message that put it
there; staff add an address by hand and remove one after confirming."""

import re

import pytest
from django.test import Client

from regulars.dashboard.tests.messaging_data import sent_message, suppressed
from regulars.dashboard.tests.shop import customer, url
from regulars.messaging.models import Suppression
from regulars.messaging.services.sending import do_suppress

pytestmark = pytest.mark.django_db


def test_the_list_shows_reason_detail_and_the_message_that_caused_it(client, store, owner):
    ana = customer(store, "c1", first_name="Ana")
    message = sent_message(store, ana)
    suppressed(store, "ana@example.com", message=message)
    client.force_login(owner)

    html = client.get(url("suppressions", store)).content.decode()

    assert '<span class="row-link">ana@example.com</span>' in html
    assert '<span class="sub">550 5.1.1 no such user</span>' in html
    assert '<span class="badge badge--suppression-bounced">Hard bounce</span>' in html
    assert f'<a href="{url("message", store, message.pk)}">#{message.pk}</a>' in html


def test_an_agent_adds_an_address_by_hand(client, store, agent):
    client.force_login(agent)

    response = client.post(
        url("suppressions", store),
        {"channel": "email", "address": " Noisy@Example.com ", "detail": "Asked by phone"},
    )

    assert response.status_code == 302
    row = Suppression.objects.get(store=store)
    assert (row.channel, row.address, row.reason, row.detail, row.created_by) == (
        "email",
        "noisy@example.com",
        "manual",
        "Asked by phone",
        agent,
    )
    html = client.get(url("suppressions", store)).content.decode()
    assert "noisy@example.com is on the suppression list for E-mail." in html
    assert "by agent@example.com" in html


def test_an_address_without_text_is_refused_beside_the_field(client, store, owner):
    client.force_login(owner)

    response = client.post(url("suppressions", store), {"channel": "sms", "address": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Suppression.objects.exists()


def test_removing_asks_first_and_removes_on_the_post(client, store, agent):
    row = suppressed(store)
    client.force_login(agent)

    confirm = client.get(url("suppression_remove", store, row.pk))
    assert Suppression.objects.filter(pk=row.pk).exists()
    removed = client.post(url("suppression_remove", store, row.pk), follow=True)

    assert "Remove gone@example.com from the suppression list?" in confirm.content.decode()
    assert 'name="csrfmiddlewaretoken"' in confirm.content.decode()
    assert not Suppression.objects.filter(pk=row.pk).exists()
    assert "gone@example.com is no longer suppressed for E-mail" in removed.content.decode()


def test_the_removal_needs_the_csrf_token(store, agent):
    row = suppressed(store)
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)

    response = client.post(url("suppression_remove", store, row.pk))

    assert response.status_code == 403
    assert Suppression.objects.filter(pk=row.pk).exists()


def test_a_viewer_sees_the_list_without_forms_and_cannot_change_it(client, store, member):
    row = suppressed(store)
    client.force_login(member)

    html = client.get(url("suppressions", store)).content.decode()
    add = client.post(url("suppressions", store), {"channel": "email", "address": "x@y.example"})
    confirm = client.get(url("suppression_remove", store, row.pk))
    remove = client.post(url("suppression_remove", store, row.pk))

    assert "Suppress an address" not in html and "Remove…" not in html
    assert (add.status_code, confirm.status_code, remove.status_code) == (403, 403, 403)
    assert list(Suppression.objects.values_list("address", flat=True)) == ["gone@example.com"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["b@example.com", "+14155550123", "gone@example.com"]),
        ("?channel=sms", ["+14155550123"]),
        ("?reason=manual", ["b@example.com"]),
        ("?q=gone", ["gone@example.com"]),
    ],
)
def test_the_list_is_filtered(client, store, owner, query, expected):
    suppressed(store)
    suppressed(store, "+14155550123", channel="sms")
    do_suppress(store, channel="email", address="b@example.com", reason="manual")
    client.force_login(owner)

    html = client.get(url("suppressions", store) + query).content.decode()

    assert re.findall(r'<span class="row-link">([^<]*)</span>', html) == expected
