"""Moved to core so that every app's tests may use it (promotions' coupon webhook too)."""

from regulars.core.tests.http_receiver import (  # noqa: F401
    HttpReceiver,
    Received,
    http_receiver,
    running_http_receiver,
)
