"""/webhooks/<platform>/<store public id>: what a merchant pastes into Shopify or WooCommerce.

A trailing slash is accepted too, since merchants copy URLs with and without one.
"""

from django.urls import re_path

from regulars.commerce.webhooks import views

app_name = "commerce"

_PUBLIC_ID = r"(?P<public_id>[A-Za-z0-9_-]{1,24})"

urlpatterns = [
    re_path(rf"^shopify/{_PUBLIC_ID}/?$", views.shopify, name="shopify-webhook"),
    re_path(rf"^woocommerce/{_PUBLIC_ID}/?$", views.woocommerce, name="woocommerce-webhook"),
]
