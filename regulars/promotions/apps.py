from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "regulars.promotions"
    label = "promotions"
    verbose_name = "Coupons and redemptions"

    def ready(self) -> None:
        from regulars.commerce.domain_events import ORDER_PAID, ORDER_PLACED
        from regulars.core.events import subscribe
        from regulars.promotions.services.redemption import redeem_order_coupons

        # An order carrying a code redeems the coupon, at placement or payment (whichever
        # arrives first). ORDERS_IMPORTED is left alone on purpose: a CSV import is history.
        subscribe(ORDER_PLACED, redeem_order_coupons)
        subscribe(ORDER_PAID, redeem_order_coupons)
