from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "regulars.promotions"
    label = "promotions"
    verbose_name = "Coupons and redemptions"
