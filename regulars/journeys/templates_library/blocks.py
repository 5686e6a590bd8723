"""The pieces the built-in journey messages share: the same python-liquid markup in every
language, with the words passed in (a label carries its own punctuation, which differs by
language). Built by joining plain strings, so Liquid's braces read as written.

Text that may be empty is guarded: `!= blank` for the strings `build_context` always fills,
`.size > 0` for free-form `data.*` values, which may also be missing (in Liquid an empty
string is true, and a missing value is not blank).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Email:
    name: str
    subject: str
    body_html: str


@dataclass(frozen=True)
class Sms:
    name: str
    text: str


def order_lines() -> str:
    return "".join(
        [
            "<ul>\n",
            "{%- for line in order.lines %}\n",
            '<li>{% if line.url != blank %}<a href="{{ line.url }}">{{ line.title }}</a>',
            "{% else %}{{ line.title }}{% endif %} × {{ line.quantity }} – {{ line.total }}</li>\n",
            "{%- endfor %}\n",
            "</ul>\n",
        ]
    )


def order_totals(*, subtotal: str, shipping: str, discount: str, total: str) -> str:
    """`discount` names the coupon codes with CODES, e.g. "Discount (CODES):"."""
    codes = '{{ order.coupon_codes | join: ", " }}'
    return "".join(
        [
            "<p>", subtotal, " {{ order.subtotal }}<br>\n",
            shipping, " {{ order.shipping_total }}<br>\n",
            "{% if order.coupon_codes.size > 0 %}",
            discount.replace("CODES", codes), " −{{ order.discount_total }}<br>\n",
            "{% endif %}",
            "<strong>", total, " {{ order.total }}</strong></p>\n",
        ]
    )  # fmt: skip


def coupon(*, code: str, until: str, how: str) -> str:
    """The coupon, its code in bold on a line of its own; nothing when there is no coupon."""
    return "".join(
        [
            "{% if coupon %}\n",
            "<p>", code, "<br>\n",
            "<strong>{{ coupon.code }}</strong>",
            "{% if coupon.description != blank %}<br>\n{{ coupon.description }}{% endif %}",
            "{% if coupon.expires_at != blank %}<br>\n", until, " {{ coupon.expires_at }}{% endif %}",
            "</p>\n",
            "<p>", how, "</p>\n",
            "{% endif %}\n",
        ]
    )  # fmt: skip


def recommended(intro: str) -> str:
    return "".join(
        [
            "{% if recommended_products.size > 0 %}\n",
            "<p>", intro, "</p>\n",
            "<ul>\n",
            "{%- for product in recommended_products %}\n",
            '<li>{% if product.url != blank %}<a href="{{ product.url }}">{{ product.title }}</a>',
            "{% else %}{{ product.title }}{% endif %}",
            "{% if product.price != blank %} – {{ product.price }}{% endif %}</li>\n",
            "{%- endfor %}\n",
            "</ul>\n",
            "{% endif %}\n",
        ]
    )  # fmt: skip


def cart(*, total: str, button: str) -> str:
    return "".join(
        [
            "<ul>\n",
            "{%- for line in data.cart.lines %}\n",
            '<li>{% if line.url.size > 0 %}<a href="{{ line.url }}">{{ line.title }}</a>',
            "{% else %}{{ line.title }}{% endif %} × {{ line.quantity }}",
            "{% if line.price.size > 0 %} – {{ line.price }}{% endif %}</li>\n",
            "{%- endfor %}\n",
            "</ul>\n",
            "{% if data.cart.total.size > 0 %}",
            "<p>", total, " <strong>{{ data.cart.total }}</strong></p>",
            "{% endif %}\n",
            "{% if data.cart.url.size > 0 %}",
            '<p><a href="{{ data.cart.url }}"><strong>', button, "</strong></a></p>",
            "{% endif %}\n",
        ]
    )  # fmt: skip


def tracking(*, link: str, number: str) -> str:
    """The tracking number with its carrier, then the tracking link."""
    return "".join(
        [
            "{% if fulfillment.tracking_number != blank %}",
            "<p>", number, " <strong>{{ fulfillment.tracking_number }}</strong>",
            "{% if fulfillment.carrier != blank %} ({{ fulfillment.carrier }}){% endif %}</p>",
            "{% endif %}\n",
            "{% if fulfillment.tracking_url != blank %}",
            '<p><a href="{{ fulfillment.tracking_url }}"><strong>', link, "</strong></a></p>",
            "{% endif %}\n",
        ]
    )  # fmt: skip


def preferences(label: str) -> str:
    """The footer line of every marketing e-mail (the sender adds List-Unsubscribe)."""
    return '<p><a href="{{ preferences_url }}">' + label + "</a></p>\n"


def score_buttons(
    *, question: str, low: str, high: str, csat_question: str, csat_low: str, csat_high: str
) -> str:
    """One-tap score links (`data.feedback_scores`: [{"score", "url"}], from the feedback app)
    as a row of buttons, then what the ends of the scale mean; nothing when there are none.
    The words are NPS's (0-10), or CSAT's (1-5) when `data.feedback_kind` is "csat".

    A table with inline styles: the layout every e-mail client keeps (no CSS classes, no
    flexbox). Cells share the width, so eleven buttons fit a phone's screen.
    """
    cell = (
        "display:block;padding:10px 0;border:1px solid #c9c9c1;border-radius:6px;"
        "background:#ffffff;color:#1d1d1b;font-size:16px;line-height:20px;font-weight:bold;"
        "text-align:center;text-decoration:none;"
    )
    table = (
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        'style="max-width:520px;'
    )
    legend = 'style="padding:4px 3px 0;font-size:12px;line-height:16px;color:#5f5f58;"'
    csat = '{% if data.feedback_kind == "csat" %}'

    def either(nps_words: str, csat_words: str) -> str:
        return csat + csat_words + "{% else %}" + nps_words + "{% endif %}"

    return "".join(
        [
            "{% if data.feedback_scores.size > 0 %}\n",
            "<p>", either(question, csat_question), "</p>\n",
            table, 'border-collapse:separate;border-spacing:3px 0;"><tr>\n',
            "{%- for choice in data.feedback_scores %}\n",
            '<td align="center" valign="middle" width="9%" style="padding:0;">',
            '<a href="{{ choice.url }}" style="', cell, '">{{ choice.score }}</a></td>\n',
            "{%- endfor %}\n",
            "</tr></table>\n",
            table, '"><tr>',
            '<td align="left" ', legend, ">", either(low, csat_low), "</td>",
            '<td align="right" ', legend, ">", either(high, csat_high), "</td>",
            "</tr></table>\n",
            "{% endif %}\n",
        ]
    )  # fmt: skip
