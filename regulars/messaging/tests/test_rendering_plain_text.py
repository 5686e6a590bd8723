"""An e-mail without a plain-text body gets one derived from its HTML."""

from regulars.messaging.rendering import render_source
from regulars.messaging.rendering.plaintext import html_to_text

HTML = """<html><head><title>Order</title><style>p { color: red; }</style></head>
<body>
  <h1>Thanks,   Ana!</h1>
  <p>Your order <strong>#1001</strong> is on its way.<br>Track it
     <a href="https://www.ups.com/track?tracknum=1Z999">on the UPS site</a>.</p>
  <ul><li>2 &times; Blue Train LP</li><li>1 &times; A Love Supreme &amp; more</li></ul>
  <table><tr><td>Total</td><td>30.00&nbsp;USD</td></tr></table>
  <p><a href="https://shop.example/">https://shop.example/</a> &lt;3</p>
  <img src="https://shop.example/logo.png" alt="Vinyl Corner">
  <script>alert("never shown")</script>
</body></html>"""


def test_it_keeps_text_links_and_line_breaks_and_drops_tags():
    assert html_to_text(HTML) == (
        "Thanks, Ana!\n"
        "\n"
        "Your order #1001 is on its way.\n"
        "Track it on the UPS site (https://www.ups.com/track?tracknum=1Z999).\n"
        "\n"
        "- 2 × Blue Train LP\n"
        "- 1 × A Love Supreme & more\n"
        "\n"
        "Total 30.00 USD\n"
        "\n"
        "https://shop.example/ <3\n"
        "\n"
        "Vinyl Corner"
    )


def test_an_email_without_plain_text_gets_the_derived_one():
    rendered = render_source(
        channel="email",
        subject="Hi",
        body_html='<p>Hi {{ customer.first_name }},</p><p><a href="{{ store.url }}">Visit</a></p>',
        body_text="",
        context={"customer": {"first_name": "Ana"}, "store": {"url": "https://shop.example"}},
    )

    assert rendered.body_text == "Hi Ana,\n\nVisit (https://shop.example)"


def test_a_given_plain_text_is_kept():
    rendered = render_source(
        channel="email",
        subject="Hi",
        body_html="<p>Hi {{ customer.first_name }}</p>",
        body_text="  Hello {{ customer.first_name }}, in plain words.\n",
        context={"customer": {"first_name": "Ana"}},
    )

    assert rendered.body_text == "Hello Ana, in plain words."
    assert rendered.body_html == "<p>Hi Ana</p>"


def test_the_subject_is_one_line():
    rendered = render_source(
        channel="email",
        subject="Hi\n{% if customer.first_name %}\n  {{ customer.first_name }}\n{% endif %}",
        body_html="<p>x</p>",
        body_text="",
        context={"customer": {"first_name": "Ana\r\nBcc: evil@example.com"}},
    )

    assert rendered.subject == "Hi Ana Bcc: evil@example.com"
