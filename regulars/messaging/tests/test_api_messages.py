"""The messaging API: a store's system queues a message from one of its templates for one of
its customers and reads the send log; keys of other stores see and touch nothing."""

import pytest

from regulars.commerce.schemas import CustomerIn
from regulars.commerce.services import upsert_customer
from regulars.commerce.tests.api_client import api_for
from regulars.core.models import ApiKeyScope
from regulars.messaging.models import Message, MessageStatus
from regulars.messaging.services.templates import do_save_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, store):
    return api_for(client, store)


@pytest.fixture
def ana(store):
    return upsert_customer(
        store,
        CustomerIn(external_id="c-7", email="Ana@Example.com", first_name="Ana"),
        source="api",
    ).obj


@pytest.fixture
def reply_template(store, owner):
    return do_save_template(
        store,
        owner,
        key="support_reply",
        channel="email",
        language="en",
        purpose="transactional",
        name="Reply",
        subject="About your order, {{ customer.first_name }}",
        body_html="<p>{{ data.reply }}</p>",
        body_text="",
    )


def _message(**fields) -> dict:
    return {
        "customer_external_id": "c-7",
        "channel": "email",
        "purpose": "transactional",
        "template_key": "support_reply",
        "context": {"reply": "Your parcel left today."},
        **fields,
    }


def test_a_queued_message_is_rendered_for_the_customer_and_logged(api, ana, reply_template):
    response = api.post("/messages", _message())

    assert response.status_code == 202, response.content
    body = response.json()
    message = Message.objects.get(pk=body["id"])
    assert (message.customer, message.source, message.status) == (ana, "api", MessageStatus.QUEUED)
    assert body["subject"] == "About your order, Ana"
    assert body["to_address"] == "ana@example.com"
    assert "<p>Your parcel left today.</p>" in body["body_html"]
    assert "Your parcel left today." in body["body_text"]


def test_the_same_idempotency_key_twice_queues_one_message(api, ana, reply_template):
    first = api.post("/messages", _message(idempotency_key="ticket-41-reply-1"))
    second = api.post("/messages", _message(idempotency_key="ticket-41-reply-1"))

    assert first.json()["id"] == second.json()["id"]
    assert Message.objects.count() == 1


def test_a_message_needs_a_customer_of_this_store(api, client, other_store, reply_template):
    upsert_customer(other_store, CustomerIn(external_id="c-7", email="x@example.com"), source="api")

    response = api.post("/messages", _message())

    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "customer_external_id"
    assert not Message.objects.exists()


def test_a_bad_channel_and_a_missing_customer_are_named(api, ana, reply_template):
    response = api.post("/messages", _message(channel="fax", customer_external_id=""))

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert "channel" in fields
    assert not Message.objects.exists()


def test_an_unknown_template_is_refused_with_its_key(api, ana):
    response = api.post("/messages", _message(template_key="no_such_thing"))

    assert response.status_code == 404
    assert "no_such_thing" in response.json()["errors"][0]["message"]
    assert not Message.objects.exists()


def test_a_read_only_key_cannot_queue_but_can_read_the_log(client, store, ana, reply_template):
    writer, reader = api_for(client, store), api_for(client, store, ApiKeyScope.READ)
    writer.post("/messages", _message())

    assert reader.post("/messages", _message()).status_code == 403
    page = reader.get("/messages", customer_external_id="c-7").json()
    assert page["count"] == 1
    assert page["items"][0]["status"] == "queued"


def test_another_stores_key_sees_none_of_the_messages(
    api, client, other_store, ana, reply_template
):
    queued = api.post("/messages", _message()).json()
    outsider = api_for(client, other_store)

    assert outsider.get("/messages").json()["count"] == 0
    assert outsider.get(f"/messages/{queued['id']}").status_code == 404
    assert api.get(f"/messages/{queued['id']}").json()["subject"] == "About your order, Ana"
