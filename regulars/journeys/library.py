"""The built-in journeys: what each one does, its defaults, and its steps built from settings.

A store gets every built-in journey switched off; switching one on copies its templates into
the store (messaging keeps them editable). A merchant's settings only change the values the
`SETTINGS` table names; `build_steps` turns them into the step list the runner follows:

    {"type": "wait", "hours": 24, "local_time": "10:00"}   wait, then until 10:00 local time
    {"type": "condition", "all": [...], "otherwise": "exit" | "skip"}  (skip: the next step)
    {"type": "coupon", "kind": "percent", "value": "15", ...}   issue a coupon (promotions)
    {"type": "send", "template": key, "channel": "email", "purpose": ..., "deadline_hours": h,
     "skip_if": [...]}                                      queue a message (messaging)
    {"type": "exit"}

`skip_if` names the stale rules of steps.py: a step that would no longer be true is skipped
(no "shipped" message once the parcel is delivered, no cart reminder once the cart is bought).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from regulars.journeys.models import Trigger

TRANSACTIONAL, MARKETING = "transactional", "marketing"

# Exit rules (checked by event handlers at once, and again before every step).
EXIT_ORDER_CLOSED = "order_closed"  # the enrollment's order was cancelled or refunded
EXIT_CART_RECOVERED = "cart_recovered"
EXIT_UNSUBSCRIBED = "unsubscribed"  # the customer withdrew e-mail marketing consent
EXIT_ORDERED = "ordered"  # the customer placed an order after entering

# Stale rules for send steps (steps.py).
STALE_FULFILLMENT_MOVED_ON = "fulfillment_moved_on"
STALE_ORDER_CLOSED = "order_closed"
STALE_CART_RECOVERED = "cart_recovered"


@dataclass(frozen=True)
class BuiltIn:
    key: str
    name: str
    description: str
    trigger: str
    defaults: dict
    build: Callable[[dict], list[dict]]
    templates: tuple[str, ...]
    exit_on: tuple[str, ...] = ()
    allow_reentry: bool = True
    purpose: str = MARKETING
    channels: tuple[str, ...] = ("email",)
    # Conditions every entry must meet, whatever the merchant sets (conditions.py).
    entry_conditions: tuple[dict, ...] = ()


def _send(template: str, settings: dict, *, purpose: str, priority: int = 0, **rules) -> dict:
    step = {
        "type": "send",
        "template": template,
        "channel": settings.get("channel", "email"),
        "purpose": purpose,
        "priority": priority,
        "deadline_hours": settings.get("deadline_hours", rules.pop("deadline_hours", 72)),
    }
    step.update(rules)
    return step


def _wait(
    *,
    minutes: float = 0,
    hours: float = 0,
    days: float = 0,
    local_time: str = "",
    on_the_day: bool = False,
) -> dict:
    """`on_the_day`: an occasion (a birthday, an anniversary) whose day is the store's date
    when the step is due; the message goes at `local_time` of that date in the customer's
    zone, or at once when that moment has passed there (a customer ahead of the store)."""
    step = {"type": "wait", "minutes": minutes + 60 * hours + 1440 * days}
    if local_time:
        step["local_time"] = local_time
        if on_the_day:
            step["on_the_day"] = True
    return step


# The consent fields conditions.py knows, by channel.
_CONSENT_FIELD = {"email": "consent.email", "sms": "consent.sms"}


def _coupon(settings: dict, prefix: str, *, channel: str = "") -> list[dict]:
    """The coupon step, after a check that the marketing message carrying it may reach the
    customer: a coupon nobody hears about would still be issued and announced to the store."""
    coupon = settings.get("coupon")
    if not coupon:
        return []
    steps = []
    field = _CONSENT_FIELD.get(channel or settings.get("channel", "email"))
    if field:
        steps.append(
            {
                "type": "condition",
                "all": [{"field": field, "op": "eq", "value": "subscribed"}],
                "otherwise": "exit",
            }
        )
    return [*steps, {"type": "coupon", "prefix": prefix, **coupon}]


def _order_confirmation(s: dict) -> list[dict]:
    return [
        _send(
            "order_confirmation",
            s,
            purpose=TRANSACTIONAL,
            priority=10,
            deadline_hours=24,
            skip_if=[STALE_ORDER_CLOSED],
        )
    ]


def _shipping_update(s: dict) -> list[dict]:
    rule = {"skip_if": [STALE_FULFILLMENT_MOVED_ON, STALE_ORDER_CLOSED], "deadline_hours": 12}
    steps = [
        _send(
            "shipping_update", s | {"channel": "email"}, purpose=TRANSACTIONAL, priority=8, **rule
        )
    ]
    if s.get("sms_too"):
        # SMS only to customers who opted in (messaging would refuse it anyway; skipping here
        # keeps the journey's figures honest).
        steps += [
            {
                "type": "condition",
                "all": [{"field": "consent.sms", "op": "eq", "value": "subscribed"}],
                "otherwise": "exit",
            },
            _send(
                "shipping_update", s | {"channel": "sms"}, purpose=TRANSACTIONAL, priority=8, **rule
            ),
        ]
    return steps


def _delivery_followup(s: dict) -> list[dict]:
    return [
        _wait(hours=s["delay_hours"], local_time=s.get("local_time", "")),
        _send(
            "delivery_followup",
            s,
            purpose=TRANSACTIONAL,
            deadline_hours=72,
            skip_if=[STALE_ORDER_CLOSED],
        ),
    ]


def _review_request(s: dict) -> list[dict]:
    return [
        _wait(days=s["delay_days"], local_time=s.get("local_time", "")),
        _send(
            "review_request",
            s,
            purpose=MARKETING,
            deadline_hours=7 * 24,
            skip_if=[STALE_ORDER_CLOSED],
        ),
    ]


def _first_order_thanks(s: dict) -> list[dict]:
    return [
        _wait(hours=s["delay_hours"]),
        _send(
            "first_order_thanks",
            s,
            purpose=MARKETING,
            deadline_hours=72,
            skip_if=[STALE_ORDER_CLOSED],
        ),
    ]


def _dated_coupon(template: str, prefix: str) -> Callable[[dict], list[dict]]:
    def build(s: dict) -> list[dict]:
        return [
            _wait(local_time=s.get("local_time", ""), on_the_day=True),
            *_coupon(s, prefix),
            _send(template, s, purpose=MARKETING, deadline_hours=48),
        ]

    return build


def _winback(s: dict) -> list[dict]:
    return [
        _wait(local_time=s.get("local_time", "")),
        *_coupon(s, "BACK"),
        _send("winback", s, purpose=MARKETING, deadline_hours=72),
    ]


def _abandoned_cart(s: dict) -> list[dict]:
    stale = {"skip_if": [STALE_CART_RECOVERED]}
    steps = [_send("cart_reminder", s, purpose=MARKETING, deadline_hours=12, **stale)]
    if s.get("second_reminder", True):
        steps += [
            _wait(hours=s["second_delay_hours"]),
            *_coupon(s, "CART", channel="email"),
            _send(
                "cart_reminder_second",
                s | {"channel": "email"},
                purpose=MARKETING,
                deadline_hours=24,
                **stale,
            ),
        ]
    return steps


def _champions(s: dict) -> list[dict]:
    return [
        _wait(local_time=s.get("local_time", "")),
        *_coupon(s, "VIP"),
        _send("champions_surprise", s, purpose=MARKETING, deadline_hours=72),
    ]


_COUPON_15 = {"kind": "percent", "value": "15", "minimum_spend": None, "valid_days": 30}

LIBRARY: dict[str, BuiltIn] = {
    b.key: b
    for b in [
        BuiltIn(
            "order_confirmation",
            "Order confirmation",
            "Right after an order: what was bought, what happens next, how to reach the store.",
            Trigger.ORDER_PLACED,
            {"channel": "email"},
            _order_confirmation,
            ("order_confirmation",),
            exit_on=(EXIT_ORDER_CLOSED,),
            purpose=TRANSACTIONAL,
            channels=("email", "sms"),
        ),
        BuiltIn(
            "shipping_update",
            "Shipping updates",
            "Each change of a shipment's status, with the tracking link; SMS too if opted in.",
            Trigger.FULFILLMENT_UPDATED,
            {"channel": "email", "sms_too": False},
            _shipping_update,
            ("shipping_update",),
            exit_on=(EXIT_ORDER_CLOSED,),
            purpose=TRANSACTIONAL,
        ),
        BuiltIn(
            "delivery_followup",
            "Delivery follow-up",
            "A day after delivery: did everything arrive well? With a one-tap feedback link.",
            Trigger.DELIVERED,
            # survey: the key of the store's survey it asks (feedback checks and sends it).
            {"channel": "email", "delay_hours": 24, "local_time": "", "survey": "nps"},
            _delivery_followup,
            ("delivery_followup",),
            exit_on=(EXIT_ORDER_CLOSED,),
            purpose=TRANSACTIONAL,
        ),
        BuiltIn(
            "review_request",
            "Review request",
            "Some days after delivery, ask for a review of what was bought.",
            Trigger.DELIVERED,
            {"channel": "email", "delay_days": 7, "local_time": "10:00"},
            _review_request,
            ("review_request",),
            exit_on=(EXIT_ORDER_CLOSED, EXIT_UNSUBSCRIBED),
        ),
        BuiltIn(
            "first_order_thanks",
            "First-order thank-you",
            "A personal thank-you a few hours after a customer's first order.",
            Trigger.ORDER_PAID,
            {"channel": "email", "delay_hours": 3},
            _first_order_thanks,
            ("first_order_thanks",),
            exit_on=(EXIT_ORDER_CLOSED, EXIT_UNSUBSCRIBED),
            allow_reentry=False,
            entry_conditions=({"field": "order.is_first", "op": "eq", "value": True},),
        ),
        BuiltIn(
            "first_order_anniversary",
            "First-order anniversary",
            "A year after the first order (and every year after), a thank-you with a coupon.",
            Trigger.FIRST_ORDER_ANNIVERSARY,
            {"channel": "email", "local_time": "10:00", "coupon": _COUPON_15},
            _dated_coupon("first_order_anniversary", "YEAR"),
            ("first_order_anniversary",),
            exit_on=(EXIT_UNSUBSCRIBED,),
        ),
        BuiltIn(
            "birthday_coupon",
            "Birthday coupon",
            "On the customer's birthday, a coupon (customers with a known birthday).",
            Trigger.BIRTHDAY,
            {"channel": "email", "local_time": "09:00", "coupon": {**_COUPON_15, "valid_days": 14}},
            _dated_coupon("birthday_coupon", "BDAY"),
            ("birthday_coupon",),
            exit_on=(EXIT_UNSUBSCRIBED,),
            channels=("email", "sms"),
        ),
        BuiltIn(
            "winback",
            "Win-back",
            "When a customer starts drifting away (their own P(alive) falls below the store's "
            "threshold), a coupon and products they may like.",
            Trigger.CHURN_RISK,
            {
                "channel": "email",
                "local_time": "10:00",
                "coupon": {**_COUPON_15, "value": "20"},
                "threshold": None,  # None: the store's churn threshold (insights settings)
                "max_days_since_last_order": 365,
            },
            _winback,
            ("winback",),
            exit_on=(EXIT_UNSUBSCRIBED, EXIT_ORDERED),
            channels=("email", "sms"),
        ),
        BuiltIn(
            "abandoned_cart",
            "Abandoned cart",
            "An hour after a cart is left, a reminder; a day later a second one with products "
            "they may like and an optional incentive.",
            Trigger.CART_ABANDONED,
            {
                "channel": "email",
                "abandoned_minutes": 60,
                "second_reminder": True,
                "second_delay_hours": 23,
                "coupon": None,
            },
            _abandoned_cart,
            ("cart_reminder", "cart_reminder_second"),
            exit_on=(EXIT_CART_RECOVERED, EXIT_ORDERED, EXIT_UNSUBSCRIBED),
            channels=("email", "sms"),
        ),
        BuiltIn(
            "champions_surprise",
            "Champions surprise",
            "A customer who becomes a champion (RFM) gets a thank-you and a surprise coupon.",
            Trigger.SEGMENT_ENTERED,
            {
                "channel": "email",
                "local_time": "10:00",
                "segment": "champions",
                "coupon": _COUPON_15,
            },
            _champions,
            ("champions_surprise",),
            exit_on=(EXIT_UNSUBSCRIBED,),
            allow_reentry=False,
        ),
    ]
}


# Settings whose values only a later app can check (journeys does not import it): name ->
# check(store, value) returning the value to keep or raising a RegularsError that names the
# setting. Filled in that app's AppConfig.ready() (feedback: "survey").
SETTING_CHECKS: dict[str, Callable] = {}


def register_setting_check(name: str, check: Callable) -> None:
    SETTING_CHECKS[name] = check


def builtin(key: str) -> BuiltIn:
    return LIBRARY[key]


def entry_conditions(key: str, settings: dict) -> list[dict]:
    built = LIBRARY.get(key)
    return [*(built.entry_conditions if built else ()), *(settings.get("conditions") or [])]


def build_steps(key: str, settings: dict) -> list[dict]:
    built = LIBRARY[key]
    return built.build(built.defaults | settings)
