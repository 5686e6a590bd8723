from regulars.commerce.models import Customer
from regulars.demo.tests.fingerprint import fingerprint


def _first_names(store) -> list[str]:
    return list(
        Customer.objects.filter(store=store)
        .order_by("external_id")
        .values_list("first_name", flat=True)[:20]
    )


def test_the_same_seed_builds_the_same_store_twice(build):
    first = build("demo-a").store
    second = build("demo-b").store

    assert fingerprint(first) == fingerprint(second)
    assert _first_names(first) == _first_names(second)
    assert fingerprint(first)["customers"][0] == 300


def test_another_seed_builds_another_store(build):
    first = build("demo-a", seed=7).store
    other = build("demo-b", seed=8).store

    ours, theirs = fingerprint(first), fingerprint(other)
    assert ours["products"] != theirs["products"]
    assert ours["customers"] != theirs["customers"]
    assert _first_names(first) != _first_names(other)
