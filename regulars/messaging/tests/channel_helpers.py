"""An `Outgoing` as the dispatcher builds it, for the channel tests."""

from regulars.messaging.channels.base import Outgoing


def outgoing(channel: str, **overrides) -> Outgoing:
    fields = {
        "message_id": 7,
        "token": "tok-abc123",
        "store_id": 1,
        "customer_id": 42,
        "channel": channel,
        "purpose": "marketing",
        "to_address": "+66812345678",
        "subject": "Your records are back",
        "body_text": "สวัสดีค่ะ, your order shipped.",
        "body_html": "",
        "language": "th",
        "unsubscribe_url": "https://regulars.example/messaging/u/signed/",
        "extra": {
            "external_id": "cust-9",
            "email": "nok@example.com",
            "phone": "+66812345678",
            "customer_id": "42",
        },
    }
    fields.update(overrides)
    return Outgoing(**fields)
