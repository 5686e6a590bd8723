"""Staff: owners add people by e-mail with a role, change roles and remove people; a store
always keeps an owner."""

import pytest
from django.contrib.auth import get_user_model

from regulars.core.models import Membership
from regulars.dashboard.tests.shop import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def _roles(store) -> dict:
    return dict(Membership.objects.filter(store=store).values_list("user__username", "role"))


def test_the_owner_adds_a_new_person_who_then_needs_a_password(signed_in, store):
    response = signed_in.post(
        url("staff", store), {"email": "Friend@Example.com", "role": "agent"}, follow=True
    )

    assert _roles(store)["friend@example.com"] == "agent"
    assert not get_user_model().objects.get(username="friend@example.com").has_usable_password()
    html = response.content.decode()
    assert "friend@example.com is now agent of this store." in html
    assert "regulars changepassword friend@example.com" in html


def test_the_owner_adds_an_existing_user_of_another_store(signed_in, store, outsider):
    signed_in.post(url("staff", store), {"email": outsider.email, "role": "admin"})

    assert _roles(store)["outsider@example.com"] == "admin"


def test_the_owner_changes_a_role(signed_in, store, member):
    membership = Membership.objects.get(store=store, user=member)

    signed_in.post(url("staff_role", store, membership.pk), {"role": "admin"})

    assert _roles(store)["member@example.com"] == "admin"


def test_the_owner_removes_someone(signed_in, store, member):
    membership = Membership.objects.get(store=store, user=member)

    signed_in.post(url("staff_remove", store, membership.pk))

    assert "member@example.com" not in _roles(store)


def test_the_last_owner_can_neither_be_demoted_nor_removed(signed_in, store, owner):
    membership = Membership.objects.get(store=store, user=owner)

    demoted = signed_in.post(
        url("staff_role", store, membership.pk), {"role": "viewer"}, follow=True
    )
    removed = signed_in.post(url("staff_remove", store, membership.pk), follow=True)

    assert _roles(store)["owner@example.com"] == "owner"
    assert "A store must keep at least one owner." in demoted.content.decode()
    assert "A store must keep at least one owner." in removed.content.decode()


def test_an_owner_who_leaves_a_store_with_another_owner_goes_home(signed_in, store, owner, member):
    Membership.objects.filter(store=store, user=member).update(role="owner")
    membership = Membership.objects.get(store=store, user=owner)

    response = signed_in.post(url("staff_remove", store, membership.pk))

    assert response["Location"] == "/"
    assert "owner@example.com" not in _roles(store)


def test_a_bad_email_or_role_is_refused(signed_in, store):
    bad_email = signed_in.post(url("staff", store), {"email": "not-an-email", "role": "agent"})
    bad_role = signed_in.post(url("staff", store), {"email": "a@example.com", "role": "emperor"})

    assert (bad_email.status_code, bad_role.status_code) == (400, 400)
    assert "Enter a valid email address." in bad_email.content.decode()
    assert set(_roles(store)) == {"owner@example.com", "member@example.com"}
