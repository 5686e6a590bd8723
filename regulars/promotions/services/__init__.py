"""Promotions' services: the only code that writes coupons, their webhook and its log."""

from regulars.promotions.services.coupons import (
    access_coupon,
    access_coupons,
    coupon_variables,
    describe,
    do_issue_coupon,
    normalise_code,
)
from regulars.promotions.services.redemption import redeem_order_coupons
from regulars.promotions.services.webhook import (
    coupon_webhook,
    do_announce,
    do_configure_coupon_webhook,
    do_send_test_event,
)

__all__ = [
    "access_coupon",
    "access_coupons",
    "coupon_variables",
    "coupon_webhook",
    "describe",
    "do_announce",
    "do_configure_coupon_webhook",
    "do_issue_coupon",
    "do_send_test_event",
    "normalise_code",
    "redeem_order_coupons",
]
