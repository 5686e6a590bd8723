"""Merchant dashboard views, one module per area; every store page goes through base.store_view."""
