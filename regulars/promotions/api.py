"""The coupons part of the JSON API (/api/v1/coupons): list the store's coupons, read one by
its code, issue one to a customer (announced to the store's coupon webhook like any other)."""

from ninja import Path, Query, Router

from regulars.commerce.api import page_of
from regulars.commerce.schemas import ErrorsOut
from regulars.commerce.services import access_customer
from regulars.commerce.services.common import aware
from regulars.promotions.schemas import CouponFilters, CouponIn, CouponOut, CouponPage
from regulars.promotions.services import access_coupon, access_coupons, do_issue_coupon

router = Router(tags=["coupons"])

_READ_ERRORS = dict.fromkeys((400, 401, 404, 422, 429), ErrorsOut)
_WRITE_ERRORS = dict.fromkeys((400, 401, 403, 404, 413, 422, 429), ErrorsOut)


@router.get(
    "/coupons",
    response={200: CouponPage, **_READ_ERRORS},
    summary="The store's coupons, newest first",
    description="`status` is issued, redeemed or expired (issued, and past its expiry).",
)
def list_coupons(request, filters: Query[CouponFilters]):
    coupons = access_coupons(
        request.auth.store,
        customer_id=filters.customer_id,
        customer_external_id=filters.customer_external_id,
        status=filters.status or "",
        source=filters.source,
    )
    return 200, page_of(coupons, filters)


@router.get(
    "/coupons/{code}",
    response={200: CouponOut, **_READ_ERRORS},
    summary="One coupon, by its code (any case)",
)
def get_coupon(request, code: str = Path(..., min_length=1, max_length=40)):
    return 200, access_coupon(request.auth.store, code)


@router.post(
    "/coupons",
    response={201: CouponOut, **_WRITE_ERRORS},
    summary="Issue a coupon to a customer",
    description=(
        "Draws a new single-use code (with `prefix`, if given) and announces it to the store's "
        "coupon webhook. The same `idempotency_key` again returns the first coupon."
    ),
)
def issue_coupon(request, payload: CouponIn):
    store = request.auth.store
    customer = access_customer(
        store, customer_id=payload.customer_id, external_id=payload.customer_external_id
    )
    coupon = do_issue_coupon(
        store,
        customer,
        kind=payload.kind,
        value=payload.value,
        minimum_spend=payload.minimum_spend,
        expires_at=aware(payload.expires_at, store),
        valid_days=payload.valid_days,
        prefix=payload.prefix,
        source="api",
        idempotency_key=payload.idempotency_key or None,
        currency=payload.currency or None,
    )
    return 201, coupon
