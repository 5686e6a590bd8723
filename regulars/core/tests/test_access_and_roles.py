import pytest

from regulars.core.errors import RegularsError, StorePermissionDenied
from regulars.core.models import Membership
from regulars.core.roles import Permission, Role, role_allows
from regulars.core.services import access_store, do_remove_member, do_set_member, stores_for_user


def test_each_role_allows_exactly_its_permissions():
    assert role_allows(Role.VIEWER, Permission.VIEW)
    assert not role_allows(Role.VIEWER, Permission.REPLAY)
    assert role_allows(Role.AGENT, Permission.SUPPORT)
    assert not role_allows(Role.AGENT, Permission.INTEGRATIONS)
    assert role_allows(Role.ADMIN, Permission.INTEGRATIONS)
    assert not role_allows(Role.ADMIN, Permission.STAFF)
    assert all(role_allows(Role.OWNER, p) for p in Permission)
    assert not role_allows("nonsense", Permission.VIEW)


def test_owner_reaches_their_store(owner, store):
    found, membership = access_store(owner, store.slug, Permission.STAFF)
    assert found == store
    assert membership.role == Role.OWNER


def test_an_outsider_is_told_the_store_does_not_exist(outsider, store):
    with pytest.raises(RegularsError) as caught:
        access_store(outsider, store.slug, Permission.VIEW)
    assert caught.value.code == "not_found"


def test_a_viewer_may_read_but_not_manage_keys(member, store):
    access_store(member, store.slug, Permission.VIEW)
    with pytest.raises(StorePermissionDenied):
        access_store(member, store.slug, Permission.INTEGRATIONS)


def test_stores_for_user_lists_only_their_stores(owner, outsider, store, other_store):
    assert stores_for_user(owner) == [store]
    assert stores_for_user(outsider) == [other_store]


def test_a_store_always_keeps_an_owner(owner, store):
    membership = Membership.objects.get(store=store, user=owner)
    with pytest.raises(RegularsError):
        do_remove_member(store, membership)
    with pytest.raises(RegularsError):
        do_set_member(store, email=owner.email, role=Role.ADMIN)
    assert Membership.objects.get(store=store, user=owner).role == Role.OWNER


def test_adding_staff_by_email_creates_a_user_without_a_usable_password(store):
    membership = do_set_member(store, email="New.Agent@Example.com", role=Role.AGENT)
    assert membership.user.username == "new.agent@example.com"
    assert not membership.user.has_usable_password()
    with pytest.raises(RegularsError) as caught:
        do_set_member(store, email="x@example.com", role="superhero")
    assert caught.value.field == "role"
