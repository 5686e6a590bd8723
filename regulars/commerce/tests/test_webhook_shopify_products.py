"""Shopify product topics keep the catalogue: title, storefront link, lowest price, type, tags."""

from decimal import Decimal

import pytest

from regulars.commerce.models import DeliveryStatus, Product, WebhookDelivery
from regulars.commerce.tests.fixtures import WebhookSender, connect, encode, payload, raw


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    return WebhookSender(client, django_capture_on_commit_callbacks)


@pytest.fixture
def shop(store):
    return connect(store)


def test_products_update_keeps_the_product(shop, send):
    send.shopify(shop, "products/update", raw("shopify", "products_update.2025-10.json"))

    product = Product.objects.get(store=shop)
    assert product.external_id == "788032119674292922"
    assert product.title == "Example T-Shirt"
    # From the X-Shopify-Shop-Domain header and the handle.
    assert product.url == "https://vinyl-corner.myshopify.com/products/example-t-shirt"
    assert (product.price, product.currency) == (Decimal("19.99"), "USD")
    assert product.category == "Shirts"
    assert product.tags == ["example", "mens", "t-shirt"]
    assert (product.published, product.in_stock) == (True, True)
    assert product.source == "shopify"


def test_products_create_takes_the_lowest_variant_price_and_first_image(shop, send):
    body = payload("shopify", "products_update.2025-10.json")
    body["variants"][1]["price"] = "14.50"
    body["image"] = {"src": "https://cdn.shopify.com/s/files/1/t-shirt.jpg"}

    send.shopify(shop, "products/create", encode(body))

    product = Product.objects.get(store=shop)
    assert product.price == Decimal("14.50")
    assert product.image_url == "https://cdn.shopify.com/s/files/1/t-shirt.jpg"


def test_a_sold_out_draft_product_is_neither_published_nor_in_stock(shop, send):
    body = payload("shopify", "products_update.2025-10.json")
    body["status"] = "draft"
    for variant in body["variants"]:
        variant["inventory_quantity"] = 0

    send.shopify(shop, "products/update", encode(body))

    product = Product.objects.get(store=shop)
    assert (product.published, product.in_stock) == (False, False)


def test_a_variant_price_that_is_not_an_amount_fails_naming_the_variant(shop, send):
    body = payload("shopify", "products_update.2025-10.json")
    body["variants"][1]["price"] = "cheap"

    send.shopify(shop, "products/update", encode(body))

    delivery = WebhookDelivery.objects.get(store=shop)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.error == "variants[1].price: 'cheap' is not an amount"
    assert Product.objects.count() == 0
