"""The built-in journey messages in English.

SMS stay in GSM-7 (no curly quotes or dashes), so one segment holds 160 characters.
"""

from regulars.journeys.templates_library import blocks
from regulars.journeys.templates_library.blocks import Email, Sms

HI = '<p>Hi {{ customer.first_name | default: "there" }},</p>\n'
NAME = "{% if customer.first_name != blank %}, {{ customer.first_name }}{% endif %}"
SIGNED = "<p>Warm regards,<br>\n{{ store.name }}</p>\n"
FOOTER = blocks.preferences("Manage your e-mail preferences")
COUPON = blocks.coupon(code="Your code:", until="Valid until", how="Enter the code at checkout.")
STOP = " Reply STOP to opt out"

ORDER_TOTALS = blocks.order_totals(
    subtotal="Subtotal:", shipping="Shipping:", discount="Discount (CODES):", total="Total:"
)
CART = blocks.cart(total="Total:", button="Return to your cart")
TRACKING = blocks.tracking(link="Track your parcel", number="Tracking number:")

TEXTS: dict[str, dict[str, Email | Sms]] = {
    "order_confirmation": {
        "email": Email(
            "Order confirmation",
            "We've got your order {{ order.name }}",
            HI
            + "<p>Thank you for your order at {{ store.name }}! Here is what you ordered:</p>\n"
            + blocks.order_lines()
            + ORDER_TOTALS
            + "<p><strong>What happens next:</strong> we pack your order with care and send "
            "you the tracking link as soon as it ships.</p>\n"
            "<p>Questions, or something to change? Just reply to this e-mail: it comes "
            "straight to us.</p>\n" + SIGNED,
        ),
        "sms": Sms(
            "Order confirmation",
            "{{ store.name }}: thank you for your order {{ order.name }} ({{ order.total }})! "
            "We'll send you the tracking link as soon as it ships.",
        ),
    },
    "shipping_update": {
        "email": Email(
            "Shipping update",
            "{% case fulfillment.status %}"
            "{% when 'out_for_delivery' %}Your order {{ order.name }} arrives today"
            "{% when 'delivered' %}Your order {{ order.name }} has been delivered"
            "{% when 'failed' %}We couldn't deliver your order {{ order.name }}"
            "{% else %}Your order {{ order.name }} is on its way"
            "{% endcase %}",
            HI + "{% case fulfillment.status %}\n"
            "{% when 'out_for_delivery' %}\n"
            "<p>Good news: your order {{ order.name }} is out for delivery and should reach "
            "you today.</p>\n"
            "{% when 'delivered' %}\n"
            "<p>Your order {{ order.name }} has been delivered. We hope you love it!</p>\n"
            "<p>If anything is missing or not right, reply to this e-mail and we'll sort it "
            "out.</p>\n"
            "{% when 'failed' %}\n"
            "<p>The carrier could not deliver your order {{ order.name }}. The tracking page "
            "says what happens next; or reply to this e-mail and we'll help you get it.</p>\n"
            "{% else %}\n"
            "<p>Your order {{ order.name }} is on its way!</p>\n"
            "{% endcase %}\n"
            "{% unless fulfillment.status == 'delivered' %}\n"
            + TRACKING
            + "{% endunless %}\n"
            + SIGNED,
        ),
        "sms": Sms(
            "Shipping update",
            "{{ store.name }}: {% case fulfillment.status %}"
            "{% when 'out_for_delivery' %}your order {{ order.name }} is out for delivery today."
            "{% when 'delivered' %}your order {{ order.name }} has been delivered. Enjoy!"
            "{% when 'failed' %}we couldn't deliver your order {{ order.name }}."
            "{% if fulfillment.tracking_url != blank %} See what's next:{% endif %}"
            "{% else %}your order {{ order.name }} is on its way!"
            "{% endcase %}"
            "{% if fulfillment.status != 'delivered' and fulfillment.tracking_url != blank %}"
            " {{ fulfillment.tracking_url }}{% endif %}",
        ),
    },
    "delivery_followup": {
        "email": Email(
            "Delivery follow-up",
            "Did everything arrive well?",
            HI + "<p>Your order {{ order.name }} has arrived, and we'd love to know: did "
            "everything arrive well?</p>\n"
            + blocks.score_buttons(
                question="How likely are you to recommend {{ store.name }} to a friend? "
                "Tap a number:",
                low="0 = not at all likely",
                high="10 = extremely likely",
                csat_question="How satisfied are you with your order from {{ store.name }}? "
                "Tap a number:",
                csat_low="1 = very dissatisfied",
                csat_high="5 = very satisfied",
            )
            + "{% if data.feedback_url.size > 0 %}\n"
            '<p><a href="{{ data.feedback_url }}"><strong>Tell us how it went</strong></a>: '
            "it takes a few seconds.</p>\n"
            "<p>And if anything is missing or damaged, reply to this e-mail and we'll make "
            "it right.</p>\n"
            "{% else %}\n"
            "<p>Just reply to this e-mail and tell us how it went. If anything is missing or "
            "damaged, we'll make it right.</p>\n"
            "{% endif %}\n" + SIGNED,
        ),
    },
    "review_request": {
        "email": Email(
            "Review request",
            "How do you like your order" + NAME + "?",
            HI + "<p>We hope you're enjoying your order from {{ store.name }}. Would you take "
            "a minute to tell other shoppers what you think? Your review helps them choose, "
            "and helps us do better.</p>\n"
            "{% if data.review_url.size > 0 %}\n"
            "<ul>\n"
            "{%- for line in order.lines %}\n"
            "<li>{{ line.title }}</li>\n"
            "{%- endfor %}\n"
            "</ul>\n"
            '<p><a href="{{ data.review_url }}"><strong>Write a review</strong></a></p>\n'
            "{% else %}\n"
            "<ul>\n"
            "{%- for line in order.lines %}\n"
            '<li>{% if line.url != blank %}<a href="{{ line.url }}">Review {{ line.title }}</a>'
            "{% else %}{{ line.title }}{% endif %}</li>\n"
            "{%- endfor %}\n"
            "</ul>\n"
            "{% endif %}\n"
            "<p>Thank you!<br>\n{{ store.name }}</p>\n" + FOOTER,
        ),
    },
    "first_order_thanks": {
        "email": Email(
            "First-order thank-you",
            "Thank you for choosing {{ store.name }}",
            HI + "<p>Thank you for trusting us with your first order, {{ order.name }}. It "
            "means a lot to everyone at {{ store.name }}.</p>\n"
            "<p>We're taking good care of it, and we're here for anything you need: just "
            "reply to this e-mail.</p>\n"
            "<p>We hope it's the first of many.</p>\n"
            "<p>Warmly,<br>\n{{ store.name }}</p>\n" + FOOTER,
        ),
    },
    "first_order_anniversary": {
        "email": Email(
            "First-order anniversary",
            "{% if data.years > 1 %}{{ data.years }} years{% else %}A year{% endif %} "
            "together{% if coupon %}: a gift for you{% endif %}",
            HI + "<p>{% if data.years > 1 %}{{ data.years }} years{% else %}A year{% endif %} "
            "ago{% if data.first_order_at.size > 0 %}, on {{ data.first_order_at }},"
            "{% endif %} you placed your first order with {{ store.name }}. Thank you for "
            "staying with us ever since!</p>\n"
            "{% if coupon %}<p>To celebrate, here's a gift for you:</p>{% endif %}\n"
            + COUPON
            + "<p>Here's to many more,<br>\n{{ store.name }}</p>\n"
            + FOOTER,
        ),
    },
    "birthday_coupon": {
        "email": Email(
            "Birthday coupon",
            "Happy birthday" + NAME + "! A little gift from {{ store.name }}",
            "<p>Happy birthday" + NAME + "!</p>\n"
            "<p>Everyone at {{ store.name }} wishes you a wonderful day."
            "{% if coupon %} Here's a little gift from us:{% endif %}</p>\n"
            + COUPON
            + "<p>Enjoy your day!<br>\n{{ store.name }}</p>\n"
            + FOOTER,
        ),
        "sms": Sms(
            "Birthday coupon",
            "Happy birthday" + NAME + "! A gift from {{ store.name }}"
            "{% if coupon %}: {% if coupon.description != blank %}{{ coupon.description }} "
            "with {% endif %}code {{ coupon.code }}"
            "{% if coupon.expires_at != blank %}, valid until {{ coupon.expires_at }}"
            "{% endif %}{% endif %}." + STOP,
        ),
    },
    "winback": {
        "email": Email(
            "Win-back",
            "We miss you" + NAME + "{% if coupon %}: a gift to welcome you back{% endif %}",
            HI + "<p>It's been a while since your last order at {{ store.name }}, and we've "
            "missed you.{% if coupon %} Here's a little something to welcome you back:"
            "{% endif %}</p>\n"
            + COUPON
            + blocks.recommended("A few things we think you'll like:")
            + "<p>Hope to see you soon,<br>\n{{ store.name }}</p>\n"
            + FOOTER,
        ),
        "sms": Sms(
            "Win-back",
            "{{ store.name }}: we miss you" + NAME + "!"
            "{% if coupon %} A welcome-back gift: code {{ coupon.code }}"
            "{% if coupon.expires_at != blank %}, valid until {{ coupon.expires_at }}{% endif %}."
            "{% elsif recommended_products.size > 0 %} Picked for you: "
            "{{ recommended_products.first.url }}{% endif %}" + STOP,
        ),
    },
    "cart_reminder": {
        "email": Email(
            "Cart reminder",
            "You left something in your cart",
            HI + "<p>You left a few things in your cart at {{ store.name }}. We've saved them "
            "for you:</p>\n"
            + CART
            + "<p>Questions about sizes, delivery or anything else? Just reply to this "
            "e-mail.</p>\n" + SIGNED + FOOTER,
        ),
        "sms": Sms(
            "Cart reminder",
            "{{ store.name }}: your cart is saved"
            "{% if data.cart.total.size > 0 %} ({{ data.cart.total }}){% endif %}."
            "{% if data.cart.url.size > 0 %} Complete your order: {{ data.cart.url }}{% endif %}"
            + STOP,
        ),
    },
    "cart_reminder_second": {
        "email": Email(
            "Cart reminder (second)",
            "{% if coupon %}A little extra for your cart{% else %}Your cart is still waiting"
            "{% endif %}",
            HI
            + "<p>Your cart at {{ store.name }} is still waiting for you:</p>\n"
            + CART
            + "{% if coupon %}<p>To make deciding easier, here's a little extra:</p>{% endif %}\n"
            + COUPON
            + blocks.recommended("You might also like:")
            + SIGNED
            + FOOTER,
        ),
    },
    "champions_surprise": {
        "email": Email(
            "Champions surprise",
            "A thank-you surprise for you" + NAME,
            HI + "<p>{% if customer.orders_count > 1 %}You've placed {{ customer.orders_count }} "
            "orders with {{ store.name }}, and customers{% else %}Customers{% endif %} like "
            "you are the reason we love what we do. Thank you!</p>\n"
            "{% if coupon %}<p>As a small surprise, here's a gift just for you:</p>{% endif %}\n"
            + COUPON
            + "<p>With gratitude,<br>\n{{ store.name }}</p>\n"
            + FOOTER,
        ),
    },
}
