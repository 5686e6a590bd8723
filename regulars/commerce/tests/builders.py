"""Input builders for tests: valid defaults, override what the test is about."""

from regulars.commerce.schemas import CartIn, CustomerIn, FulfillmentIn, OrderIn


def order_in(external_id="1001", **overrides) -> OrderIn:
    data = {
        "external_id": external_id,
        "name": f"#{external_id}",
        "customer": {"external_id": "c1", "email": "ana@example.com", "first_name": "Ana"},
        "status": "paid",
        "currency": "USD",
        "total": "30.00",
        "placed_at": "2026-03-01T10:00:00Z",
        "updated_at": "2026-03-01T10:00:00Z",
        "lines": [
            {
                "external_id": "l1",
                "product_external_id": "p1",
                "title": "Blue Train LP",
                "quantity": 2,
                "unit_price": "15.00",
            },
        ],
    }
    data.update(overrides)
    return OrderIn(**data)


def customer_in(**overrides) -> CustomerIn:
    data = {"external_id": "c1", "email": "ana@example.com", "first_name": "Ana"}
    data.update(overrides)
    return CustomerIn(**data)


def fulfillment_in(external_id="f1", order_external_id="1001", **overrides) -> FulfillmentIn:
    data = {
        "external_id": external_id,
        "order_external_id": order_external_id,
        "carrier": "UPS",
        "tracking_number": "1Z999",
        "tracking_url": "https://www.ups.com/track?tracknum=1Z999",
        "status": "in_transit",
        "shipped_at": "2026-03-02T10:00:00Z",
        "updated_at": "2026-03-02T10:00:00Z",
    }
    data.update(overrides)
    return FulfillmentIn(**data)


def cart_in(token="cart-1", **overrides) -> CartIn:
    data = {
        "token": token,
        "customer_external_id": "c1",
        "email": "ana@example.com",
        "currency": "USD",
        "checkout_url": "https://shop.example/checkouts/cart-1",
        "updated_at": "2026-03-01T09:00:00Z",
        "lines": [
            {
                "product_external_id": "p1",
                "title": "Blue Train LP",
                "quantity": 1,
                "unit_price": "15.00",
            }
        ],
    }
    data.update(overrides)
    return CartIn(**data)
