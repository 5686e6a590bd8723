import hashlib

import time_machine

from regulars.core.models import ApiKey
from regulars.core.services import authenticate_api_key, do_create_api_key, do_revoke_api_key


def test_only_a_hash_of_the_key_is_stored(store, owner):
    key, raw = do_create_api_key(store, name="Shop sync", created_by=owner)
    row = ApiKey.objects.get(pk=key.pk)
    assert raw not in {row.key_hash, row.prefix, row.name}
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(row.prefix + "_")


def test_a_key_authenticates_and_records_its_last_use(store):
    key, raw = do_create_api_key(store, name="Shop sync")
    with time_machine.travel("2026-05-01 12:00:00Z", tick=False):
        found = authenticate_api_key(raw)
    assert found.pk == key.pk and found.store == store
    key.refresh_from_db()
    assert key.last_used_at.isoformat() == "2026-05-01T12:00:00+00:00"


def test_a_tampered_or_unknown_key_is_refused(store):
    _, raw = do_create_api_key(store, name="Shop sync")
    assert authenticate_api_key(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert authenticate_api_key("rg_0000000000_nothing") is None
    assert authenticate_api_key("") is None
    assert authenticate_api_key("Bearer " + raw) is None


def test_a_revoked_key_is_refused(store):
    key, raw = do_create_api_key(store, name="Shop sync")
    do_revoke_api_key(key)
    assert authenticate_api_key(raw) is None
    key.refresh_from_db()
    assert key.revoked_at is not None
