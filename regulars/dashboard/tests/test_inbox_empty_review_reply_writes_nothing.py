"""An empty reply to a review that has none is refused in the view: the review, the product's
rating row (the widget cache's version) are not written. An empty reply to one that has a
reply still removes it."""

import pytest
import time_machine

from regulars.dashboard.tests.shop import url
from regulars.feedback.models import ProductRating
from regulars.feedback.tests.inbox_data import T0, customer, hours, product, review

pytestmark = pytest.mark.django_db


def test_an_empty_reply_where_there_is_none_writes_nothing(client, store, agent):
    lp = product(store, "lp-1")
    bad = review(store, lp, 2, customer=customer(store))
    written = bad.updated_at
    client.force_login(agent)

    with time_machine.travel(T0 + hours(5), tick=False):
        response = client.post(url("feedback_review_reply", store, bad.pk), {"body": "   "})

    assert response.status_code == 302
    bad.refresh_from_db()
    assert (bad.reply, bad.updated_at) == ("", written)
    assert not ProductRating.objects.filter(store=store, product=lp).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Write a reply first." in page


def test_an_empty_reply_still_removes_an_existing_reply(client, store, agent):
    lp = product(store, "lp-1")
    bad = review(store, lp, 2, customer=customer(store), reply="Sorry", replied_at=T0)
    client.force_login(agent)

    response = client.post(url("feedback_review_reply", store, bad.pk), {"body": ""})

    bad.refresh_from_db()
    assert (bad.reply, bad.replied_at) == ("", None)
    assert ProductRating.objects.filter(store=store, product=lp).exists()
    assert "The reply is removed." in client.get(response["Location"]).content.decode()
