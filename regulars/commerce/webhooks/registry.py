"""The store platforms Regulars takes webhooks from, by name (core.models.Platform values)."""

from regulars.commerce.webhooks import shopify, woocommerce
from regulars.commerce.webhooks.base import PlatformSpec

PLATFORMS: dict[str, PlatformSpec] = {spec.name: spec for spec in (shopify.SPEC, woocommerce.SPEC)}


def platform_spec(name: str) -> PlatformSpec:
    return PLATFORMS[name]
