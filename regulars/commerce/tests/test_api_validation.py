"""Bad input gets a 4xx naming every bad item and field, and nothing of the batch is written."""

import pytest

from regulars.commerce.models import Customer, Order, Product
from regulars.commerce.tests.api_client import api_for, customer, order, product


@pytest.fixture
def api(client, store):
    return api_for(client, store)


def _without(item: dict, name: str) -> dict:
    return {key: value for key, value in item.items() if key != name}


@pytest.mark.parametrize(
    ("kind", "item", "field", "code", "message"),
    [
        (
            "customers",
            customer(email="ann.example.com"),
            "email",
            "invalid",
            "'ann.example.com' is not an e-mail address",
        ),
        (
            "customers",
            customer(phone="081 234 5678"),
            "phone",
            "invalid",
            "'081 234 5678' is not a phone number with a country code (such as +66 81 234 5678)",
        ),
        (
            "products",
            product(price="-1.00"),
            "price",
            "invalid",
            "Input should be greater than or equal to 0",
        ),
        (
            "orders",
            order(currency="ABC"),
            "currency",
            "invalid",
            "'ABC' is not an ISO 4217 currency code",
        ),
        ("orders", _without(order(), "total"), "total", "required", "This field is required."),
        (
            "orders",
            order(status="shipped"),
            "status",
            "invalid",
            "Input should be 'pending', 'paid', 'cancelled' or 'refunded'",
        ),
        (
            "orders",
            order(placed_at="yesterday"),
            "placed_at",
            "invalid",
            "Input should be a valid datetime or date, input is too short",
        ),
        (
            "orders",
            order(placed_at="0001-01-01T00:00:00+01:00"),
            "placed_at",
            "invalid",
            "0001-01-01T00:00:00+01:00 is not a plausible time (years 1900 to 2200)",
        ),
        (
            "orders",
            order(total="100000000000.00"),
            "total",
            "invalid",
            "Decimal input should have no more than 11 digits before the decimal point",
        ),
        (
            "customers",
            {"first_name": "Nobody"},
            None,
            "invalid",
            "A customer needs an external_id, an email or a phone",
        ),
    ],
)
def test_a_bad_field_is_named_with_its_item_index(api, store, kind, item, field, code, message):
    good = {"customers": customer, "products": product, "orders": order}[kind]
    items = [good(external_id="ok-0"), good(external_id="ok-1"), item]

    response = api.batch(kind, items)

    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {
                "code": code,
                "field": "items[2]" + (f".{field}" if field else ""),
                "message": message,
                "index": 2,
            }
        ]
    }
    for model in (Customer, Product, Order):
        assert not model.objects.filter(store=store).exists()


def test_every_bad_field_of_every_item_is_named(api, store):
    bad_line = {"title": "Kind of Blue", "quantity": 1, "unit_price": "-9.99"}
    items = [
        order(),
        order(external_id="1002", currency="ABC", lines=[order()["lines"][0], bad_line]),
        order(external_id="1003", customer={"email": "nobody", "phone": "12"}, status="lost"),
    ]

    response = api.batch("orders", items)

    assert response.status_code == 422
    assert [(e["index"], e["field"], e["code"]) for e in response.json()["errors"]] == [
        (1, "items[1].currency", "invalid"),
        (1, "items[1].lines[1].unit_price", "invalid"),
        (2, "items[2].customer.email", "invalid"),
        (2, "items[2].customer.phone", "invalid"),
        (2, "items[2].status", "invalid"),
    ]
    assert not Order.objects.filter(store=store).exists()
    assert not Customer.objects.filter(store=store).exists()


def test_a_line_whose_total_cannot_be_kept_is_named(api, store):
    line = {"title": "Box set", "quantity": 1_000_000, "unit_price": "99999999.00"}

    response = api.batch("orders", [order(lines=[line])])

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "field": "items[0].lines[0]",
            "message": "Quantity × unit_price comes to 99999999000000.00, more than the largest "
            "amount kept",
            "index": 0,
        }
    ]
    assert not Order.objects.filter(store=store).exists()


def test_malformed_json_gets_400_with_the_place_of_the_mistake(api, store):
    response = api.post("/customers/batch", '{"items": [{"email": "a@example.com",}]}', raw=True)

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "code": "malformed_json",
                "field": None,
                "message": "The body is not valid JSON: Expecting property name enclosed in "
                "double quotes at line 1 column 38.",
                "index": None,
            }
        ]
    }
    assert not Customer.objects.filter(store=store).exists()


def test_nan_is_not_json(api, store):
    response = api.post(
        "/products/batch", '{"items": [{"external_id": "p", "price": NaN}]}', raw=True
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "malformed_json"
    assert response.json()["errors"][0]["message"] == (
        "The body is not valid JSON: NaN is not allowed in JSON"
    )


def test_a_body_that_is_not_utf8_is_malformed(api):
    response = api.post("/customers/batch", b'{"items": [{"email": "\xff"}]}', raw=True)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "malformed_json"


def test_an_empty_body_is_named(api):
    response = api.post("/customers/batch", "", raw=True)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "code": "required",
            "field": None,
            "message": 'The request body must be a JSON object such as {"items": [...]}: '
            "This field is required.",
            "index": None,
        }
    ]


def test_a_body_without_items_is_named(api):
    response = api.post("/customers/batch", {"customers": []})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"code": "required", "field": "items", "message": "This field is required.", "index": None}
    ]


def test_text_with_a_nul_character_is_refused_with_its_field(api, store):
    response = api.batch("customers", [customer(), customer(external_id="c2", first_name="A\x00")])

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "field": "items[1].first_name",
            "message": "Text may not contain the NUL character (\\u0000).",
            "index": 1,
        }
    ]
    assert not Customer.objects.filter(store=store).exists()


def test_a_body_over_the_size_limit_gets_413(api, store, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    items = [customer(external_id=f"c{n}", email=f"c{n}@example.com") for n in range(50)]

    response = api.batch("customers", items)

    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"
    assert not Customer.objects.filter(store=store).exists()


def test_bad_query_parameters_are_named(api):
    response = api.get("/orders", limit="0", status="lost", placed_since="soon")

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("limit", "invalid"),
        ("status", "invalid"),
        ("placed_since", "invalid"),
    ]


def test_an_unknown_path_gets_a_json_404(api):
    response = api.get("/customer")

    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "code": "not_found",
                "field": None,
                "message": "There is no API endpoint at /api/v1/customer; see /api/docs for the "
                "list.",
                "index": None,
            }
        ]
    }


def test_a_path_with_a_line_break_gets_a_json_404_too(api, client):
    # Django's path patterns stop at a line break, so no API route (not even the catch-all)
    # matches: the site's 404 answers, in the API's format for /api/ paths.
    response = api.get("/orders/a%0Ab")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [error] = response.json()["errors"]
    assert (error["code"], error["field"]) == ("not_found", None)
    assert "text/html" in client.get("/no-such-page%0A/").headers["Content-Type"]
