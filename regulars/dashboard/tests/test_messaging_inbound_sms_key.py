"""Settings · Messaging · SMS replies: the inbound key is generated (shown once), pasted or
switched off by owners and admins only, and a generated key really verifies a STOP."""

import re

import pytest
from django.test import Client

from regulars.dashboard.tests.shop import url
from regulars.messaging.services.inbound import (
    do_set_inbound_sms_secret,
    inbound_secret,
    inbound_sms_url,
)
from regulars.messaging.tests.inbound_helpers import (
    TWILIO_TOKEN,
    customer_with_phone,
    twilio_post,
    twilio_sms,
)

pytestmark = pytest.mark.django_db

PHONE = "+15551234567"


def _key_url(store) -> str:
    return url("messaging_inbound_key", store)


def test_the_page_shows_the_inbound_address_and_no_key_yet(client, store, owner):
    client.force_login(owner)

    html = client.get(url("messaging_channels", store)).content.decode()

    assert "Replies (STOP / START)" in html
    assert f"<code>{inbound_sms_url(store)}</code>" in html
    assert "None: replies are refused." in html
    assert f'action="{_key_url(store)}"' in html


def test_a_generated_key_is_shown_once_and_verifies_a_stop(client, store, owner):
    client.force_login(owner)
    customer = customer_with_phone(store, PHONE)

    response = client.post(_key_url(store), {"action": "generate"})

    html = response.content.decode()
    key = inbound_secret(store)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert key.startswith("whsec_")
    assert f'value="{key}"' in html
    later = client.get(url("messaging_channels", store)).content.decode()
    assert key not in later
    assert f"<code>…{key[-4:]}</code>" in later

    # The key the merchant copied is the one the endpoint checks.
    reply = twilio_post(Client(), store, twilio_sms(PHONE, "STOP"), token=key)

    assert reply.status_code == 200
    customer.refresh_from_db()
    assert customer.sms_consent == "unsubscribed"


def test_a_pasted_key_is_used_and_switching_off_removes_it(client, store, admin):
    client.force_login(admin)

    response = client.post(
        _key_url(store), {"action": "use", "inbound_secret": f"  {TWILIO_TOKEN} "}
    )

    assert response.status_code == 302
    assert response["Location"] == url("messaging_channels", store) + "#channel-sms-inbound"
    assert inbound_secret(store) == TWILIO_TOKEN
    html = client.get(url("messaging_channels", store)).content.decode()
    assert TWILIO_TOKEN not in html

    client.post(_key_url(store), {"action": "off"})

    assert inbound_secret(store) == ""


def test_a_too_short_key_is_shown_beside_its_field(client, store, owner):
    client.force_login(owner)
    do_set_inbound_sms_secret(store, owner, TWILIO_TOKEN)

    response = client.post(_key_url(store), {"action": "use", "inbound_secret": "abc"})

    html = response.content.decode()
    assert response.status_code == 400
    error = re.search(
        r'<label class="field field--error">.*?name="inbound_secret".*?'
        r'<span class="field__error">([^<]*)</span>',
        html,
        re.S,
    )
    assert error is not None
    assert "needs 16 characters at least" in error.group(1)
    assert inbound_secret(store) == TWILIO_TOKEN


def test_use_without_a_key_does_not_switch_inbound_sms_off(client, store, owner):
    client.force_login(owner)
    do_set_inbound_sms_secret(store, owner, TWILIO_TOKEN)

    response = client.post(_key_url(store), {"action": "use", "inbound_secret": ""})

    assert response.status_code == 400
    assert "Paste the key to use." in response.content.decode()
    assert inbound_secret(store) == TWILIO_TOKEN


def test_a_viewer_sees_the_address_but_cannot_change_the_key(client, store, member):
    client.force_login(member)  # a viewer of `store`

    page = client.get(url("messaging_channels", store)).content.decode()
    response = client.post(_key_url(store), {"action": "generate"})

    assert f"<code>{inbound_sms_url(store)}</code>" in page
    assert f'action="{_key_url(store)}"' not in page
    assert response.status_code == 403
    assert inbound_secret(store) == ""


def test_another_stores_owner_cannot_change_the_key(client, store, owner, other_store, outsider):
    do_set_inbound_sms_secret(store, owner, TWILIO_TOKEN)
    client.force_login(outsider)

    response = client.post(_key_url(store), {"action": "off"})

    assert response.status_code == 404
    assert inbound_secret(store) == TWILIO_TOKEN
    assert inbound_secret(other_store) == ""
