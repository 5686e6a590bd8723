"""check_template refuses what cannot be saved, naming the part, the line and the reason."""

import pytest

from regulars.core.errors import RegularsError
from regulars.messaging.rendering import TemplateInvalid, check_template

VARIABLE_NAMES = (
    "coupon, customer, data, fulfillment, order, preferences_url, recommended_products, store, "
    "unsubscribe_url"
)


def _refusal(**parts) -> TemplateInvalid:
    values = {"channel": "email", "subject": "Hi", "body_html": "<p>Hi</p>", "body_text": ""}
    values.update(parts)
    with pytest.raises(TemplateInvalid) as caught:
        check_template(**values)
    return caught.value


def test_a_valid_email_passes():
    assert (
        check_template(
            channel="email",
            subject="Your order {{ order.name }}",
            body_html=(
                "{% assign first = customer.first_name | default: 'there' %}<p>Hi {{ first }}</p>"
                "{% for line in order.lines %}<li>{{ line.quantity }} × {{ line.title }}</li>"
                "{% endfor %}{% for product in recommended_products %}{{ forloop.index }}"
                "{{ product.title | upcase }}{% endfor %}"
            ),
            body_text="",
        )
        is None
    )


def test_it_names_the_part_the_line_and_the_reason_of_broken_liquid():
    error = _refusal(
        body_html="<p>Hello</p>\n{% for line in order.lines %}\n<li>{{ line.title }}</li>"
        "{% endfor %}{% endfor %}"
    )
    assert isinstance(error, RegularsError)
    assert error.field == "body_html"
    assert error.message == "body_html, line 3: unexpected tag 'endfor'"


def test_it_names_the_subject_when_the_subject_is_broken():
    error = _refusal(subject="Hello {{ customer.first_name")
    assert (error.field, error.message) == (
        "subject",
        "subject, line 1: expected '}}', found end of file",
    )


def test_a_block_left_open_is_reported_at_the_end_of_the_text():
    error = _refusal(channel="sms", body_text="Line one\n{% if customer.first_name %}\nHi")
    assert (error.field, error.message) == (
        "body_text",
        "body_text, line 3: expected tag endif, but the text ends",
    )


def test_it_refuses_an_unknown_variable_with_its_name_and_line():
    error = _refusal(body_html="<p>\n\n{{ customr.first_name }}</p>")
    assert (error.field, error.message) == (
        "body_html",
        f"body_html, line 3: unknown variable 'customr' (use one of {VARIABLE_NAMES})",
    )


def test_it_refuses_an_unknown_filter():
    error = _refusal(channel="sms", body_text="Hi\n{{ customer.first_name | shout }}")
    assert error.message == "body_text, line 2: unknown filter 'shout'"


@pytest.mark.parametrize(
    ("parts", "field", "message"),
    [
        ({"subject": " "}, "subject", "subject: an e-mail needs a subject"),
        (
            {"body_html": "", "body_text": "  "},
            "body_html",
            "body_html: an e-mail needs a body (HTML, plain text or both)",
        ),
        ({"channel": "sms", "body_text": ""}, "body_text", "body_text: an SMS needs a text"),
        (
            {"channel": "whatsapp", "body_text": ""},
            "body_text",
            "body_text: a WhatsApp message needs a text",
        ),
        (
            {"channel": "push", "body_text": ""},
            "body_text",
            "body_text: a push message needs a text",
        ),
        (
            {"channel": "fax"},
            "channel",
            "channel: 'fax' is not a channel; use one of email, sms, whatsapp, push, webhook",
        ),
    ],
)
def test_each_channel_needs_its_parts(parts, field, message):
    error = _refusal(**parts)
    assert (error.field, error.message) == (field, message)


def test_an_email_with_only_a_plain_text_body_is_valid():
    assert check_template(channel="email", subject="Hi", body_html="", body_text="Hello") is None


def test_it_refuses_a_body_over_the_size_limit():
    error = _refusal(body_html="x" * 200_001)
    assert error.message == "body_html: longer than 200,000 characters"
