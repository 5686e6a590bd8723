"""API keys: the raw key is shown once, on the page that creates it; revoking takes a POST."""

import re

import pytest

from regulars.core.models import ApiKey
from regulars.core.services import authenticate_api_key, do_create_api_key
from regulars.dashboard.tests.shop import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, store, admin):
    client.force_login(admin)
    return client


def _raw_key(html: str) -> str:
    return re.search(r'class="secret-value" value="(rg_[^"]+)"', html).group(1)


def test_a_new_key_is_shown_once_and_works(signed_in, store, admin):
    response = signed_in.post(url("api_keys", store), {"name": "Zapier sync", "scope": "read"})

    raw = _raw_key(response.content.decode())
    key = ApiKey.objects.get(store=store)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert (key.name, key.scope, key.created_by) == ("Zapier sync", "read", admin)
    assert authenticate_api_key(raw) == key
    listing = signed_in.get(url("api_keys", store)).content.decode()
    assert raw not in listing
    assert key.key_hash not in listing
    assert f"<code>{key.prefix}_…</code>" in listing


def test_a_key_needs_a_name(signed_in, store):
    response = signed_in.post(url("api_keys", store), {"name": "  ", "scope": "write"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiKey.objects.filter(store=store).exists()


def test_the_list_shows_prefix_scope_last_use_and_revocation(signed_in, store):
    _used, raw = do_create_api_key(store, name="Used key")
    authenticate_api_key(raw)
    revoked, _ = do_create_api_key(store, name="Old key", scope="read")
    signed_in.post(url("api_key_revoke", store, revoked.pk))

    html = signed_in.get(url("api_keys", store)).content.decode()

    assert html.count('<span class="badge badge--active">Active</span>') == 1
    assert html.count("Revoked</span>") == 1
    assert "Read only" in html and "Read and write" in html
    assert 'data-label="Last used">Never' in html
    assert html.count("Revoke</button>") == 1


def test_revoking_stops_the_key(signed_in, store):
    key, raw = do_create_api_key(store, name="Zapier")

    response = signed_in.post(url("api_key_revoke", store, key.pk))

    assert response.status_code == 302
    assert authenticate_api_key(raw) is None
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None


def test_revoking_needs_a_post(signed_in, store):
    key, raw = do_create_api_key(store, name="Zapier")

    response = signed_in.get(url("api_key_revoke", store, key.pk))

    assert response.status_code == 405
    assert authenticate_api_key(raw) == key
