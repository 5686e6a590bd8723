"""Redemption: an order that arrives carrying a coupon's code redeems that coupon.

Subscribed in apps.ready() to ORDER_PLACED and ORDER_PAID (whichever comes first counts; the
second finds nothing left to do). The store enforced the coupon's rules at its checkout, so the
order is the proof of use: it is recorded even for a code past its expiry (a late webhook) or
used by another customer. Orders from a CSV import are history, not new redemptions, and arrive
as one ORDERS_IMPORTED event that is not subscribed.
"""

from django.db import transaction

from regulars.commerce.models import Order
from regulars.core import prepared
from regulars.core.events import enqueue_on_commit
from regulars.core.prepared import Prepared
from regulars.promotions.models import AnnouncementEvent, Coupon, CouponStatus
from regulars.promotions.services.coupons import announcing, normalise_code


def redeem_order_coupons(*, store_id: int, order_id: int, **_ids) -> list[int]:
    """Mark the store's coupons whose codes `order_id` carries as redeemed by it; their ids.

    A conditional UPDATE (still issued?) per coupon: of two workers, or two orders with the
    same code, exactly one changes the row; the other changes nothing and announces nothing.
    """
    # Asked twice for every order (placed, paid): compiled once (core.prepared).
    order = prepared.first(Order, _ORDER_CODES, store_id, order_id)
    if order is None or not order.coupon_codes:
        return []
    codes = {normalise_code(code) for code in order.coupon_codes} - {""}
    candidates = list(
        Coupon.objects.filter(
            store_id=store_id, code__in=codes, status=CouponStatus.ISSUED
        ).values_list("pk", flat=True)
    )
    redeemed = []
    with transaction.atomic():
        announce = bool(candidates) and announcing(store_id)
        for coupon_id in candidates:
            changed = Coupon.objects.filter(
                pk=coupon_id, store_id=store_id, status=CouponStatus.ISSUED
            ).update(
                status=CouponStatus.REDEEMED, redeemed_at=order.placed_at, redeemed_order=order
            )
            if changed:
                redeemed.append(coupon_id)
                if announce:
                    from regulars.promotions.tasks import announce_coupon

                    enqueue_on_commit(announce_coupon, coupon_id, AnnouncementEvent.REDEEMED.value)
    return redeemed


_ORDER_CODES = Prepared(
    lambda store_id, order_id: prepared.select(
        Order.objects.filter(pk=order_id, store_id=store_id).only(
            "pk", "store", "coupon_codes", "placed_at"
        )
    ),
    int,
    int,
)
