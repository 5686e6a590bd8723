"""The click counter: a signed redirect that counts each click and never redirects elsewhere."""

from datetime import UTC, datetime

import time_machine

from regulars.messaging import links
from regulars.messaging.models import Click, Message
from regulars.messaging.services.preferences import do_record_click
from regulars.messaging.tests.link_pages import make_customer, make_message, path_of

DESTINATION = "https://vinylcorner.example/sale?utm_source=regulars&x=1"


def _tracked_path(message, url=DESTINATION) -> str:
    return path_of(links.tracked_url(message.token, url))


def test_a_click_redirects_to_the_destination_and_is_counted(client, store):
    message = make_message(store, make_customer(store))
    at = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    with time_machine.travel(at, tick=False):
        response = client.get(_tracked_path(message))
    assert response.status_code == 302
    assert response["Location"] == DESTINATION
    message.refresh_from_db()
    assert (message.clicks, message.first_clicked_at) == (1, at)
    click = Click.objects.get(message=message)
    assert (click.url, click.at) == (DESTINATION, at)


def test_each_click_counts_once_and_the_first_click_time_stays(client, store):
    message = make_message(store, make_customer(store))
    first = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    with time_machine.travel(first, tick=False):
        client.get(_tracked_path(message))
    with time_machine.travel(datetime(2026, 5, 2, 9, 30, tzinfo=UTC), tick=False):
        client.get(_tracked_path(message))
        client.get(_tracked_path(message, "https://vinylcorner.example/other"))
    message.refresh_from_db()
    assert (message.clicks, message.first_clicked_at) == (3, first)
    assert Click.objects.filter(message=message).count() == 3


def test_a_tampered_destination_gets_a_404_and_no_redirect(client, store):
    message = make_message(store, make_customer(store))
    genuine = links.tracked_url(message.token, DESTINATION).rstrip("/").rsplit("/", 1)[1]
    _payload, signature = genuine.rsplit(":", 1)
    # The same signature over another destination.
    evil_payload = links.tracked_url(message.token, "https://evil.example/").rsplit("/", 2)[1]
    forged = evil_payload.rsplit(":", 1)[0] + ":" + signature
    response = client.get(f"/messaging/c/{forged}/")
    assert response.status_code == 404
    assert "Location" not in response
    message.refresh_from_db()
    assert message.clicks == 0
    assert not Click.objects.exists()


def test_a_next_parameter_is_ignored(client, store):
    message = make_message(store, make_customer(store))
    response = client.get(_tracked_path(message) + "?next=http://evil.example/&url=http://evil")
    assert response.status_code == 302
    assert response["Location"] == DESTINATION
    bad = client.get("/messaging/c/not-a-token/?next=http://evil.example/")
    assert bad.status_code == 404
    assert "Location" not in bad


def test_a_link_of_an_unknown_message_redirects_but_records_nothing(client, store):
    response = client.get(path_of(links.tracked_url("no-such-message", DESTINATION)))
    assert response.status_code == 302
    assert not Click.objects.exists()
    assert do_record_click("no-such-message", DESTINATION) is None


def test_a_head_request_is_not_a_click(client, store):
    message = make_message(store, make_customer(store))
    response = client.head(_tracked_path(message))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.clicks == 0


def test_the_redirect_is_never_cached(client, store):
    message = make_message(store, make_customer(store))
    response = client.get(_tracked_path(message))
    assert "no-store" in response["Cache-Control"]


def test_clicks_in_one_store_leave_the_other_stores_messages_alone(client, store, other_store):
    ours = make_message(store, make_customer(store))
    theirs = make_message(other_store, make_customer(other_store))
    client.get(_tracked_path(ours))
    theirs.refresh_from_db()
    assert theirs.clicks == 0
    assert list(Click.objects.values_list("message_id", flat=True)) == [ours.pk]
    assert Message.objects.get(pk=ours.pk).clicks == 1
