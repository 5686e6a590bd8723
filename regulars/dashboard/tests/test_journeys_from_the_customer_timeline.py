"""A journey on a customer's timeline links to that journey's list of the customer's
enrollments; another store's enrollment is a 404."""

import pytest

from regulars.dashboard.tests.journeys_data import winback_history
from regulars.dashboard.tests.shop import url
from regulars.journeys.models import Enrollment

pytestmark = pytest.mark.django_db


def test_the_timeline_links_to_the_customer_in_the_journey(client, store, owner):
    winback_history(store)
    ana = Enrollment.objects.get(store=store, customer__first_name="Person0")
    client.force_login(owner)

    timeline = client.get(url("customer", store, ana.customer_id)).content.decode()
    link = url("enrollment", store, ana.pk)
    landed = client.get(link, follow=True)

    assert f'href="{link}"' in timeline
    page = landed.content.decode()
    assert landed.redirect_chain[-1][0].endswith(f"?customer={ana.customer_id}")
    assert "Person0" in page and "Person1" not in page
    assert "1 enrollment," in page


def test_another_stores_enrollment_is_not_found(client, store, other_store, outsider):
    winback_history(store)
    ana = Enrollment.objects.filter(store=store).first()
    client.force_login(outsider)

    assert client.get(url("enrollment", other_store, ana.pk)).status_code == 404
    assert client.get(url("enrollment", store, ana.pk)).status_code == 404
