import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from regulars.core.models import Membership, Store


@pytest.mark.django_db
def test_it_creates_a_store_with_a_new_owner_who_can_log_in(capsys):
    call_command(
        "createstore",
        "Chez Nous",
        owner="Chef@Example.com",
        currency="eur",
        timezone="Europe/Paris",
        language="fr",
    )
    store = Store.objects.get(slug="chez-nous")
    assert (store.currency, store.timezone, store.default_language) == ("EUR", "Europe/Paris", "fr")
    membership = Membership.objects.get(store=store)
    assert (membership.user.username, membership.role) == ("chef@example.com", "owner")
    password = capsys.readouterr().out.split("with password ")[1].split(" ")[0]
    assert authenticate(username="chef@example.com", password=password) is not None


@pytest.mark.django_db
def test_a_bad_time_zone_is_named_and_nothing_is_created():
    with pytest.raises(CommandError, match="timezone") as caught:
        call_command("createstore", "Shop", owner="a@example.com", timezone="Mars/Base")
    assert caught.value.returncode == 2
    assert not Store.objects.exists()
