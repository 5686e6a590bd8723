"""Customer data is HTML-escaped in an HTML body only; Thai and Armenian come through intact."""

from regulars.messaging.rendering import build_context, render_message, render_source
from regulars.messaging.tests import rendering_data as data


def test_a_script_in_a_customer_name_is_escaped_in_html_but_not_in_text_or_subject(store):
    customer = data.customer(store, first_name="<script>alert('x')</script>", last_name="O'Neil")
    data.template(
        store,
        key="hello",
        channel="email",
        subject="Hi {{ customer.first_name }}",
        body_html="<p>Hi {{ customer.name }} & welcome</p>",
        body_text="Hi {{ customer.name }} & welcome",
    )

    rendered = render_message(
        store,
        key="hello",
        channel="email",
        language="en",
        context=build_context(store, customer, recommendations=False),
    )

    assert rendered.body_html == (
        "<p>Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; O&#39;Neil & welcome</p>"
    )
    assert rendered.body_text == "Hi <script>alert('x')</script> O'Neil & welcome"
    assert rendered.subject == "Hi <script>alert('x')</script>"


def test_a_derived_plain_text_shows_the_name_as_the_customer_wrote_it(store):
    rendered = render_source(
        channel="email",
        subject="Hi",
        body_html="<p>Hi {{ customer.first_name }}</p>",
        body_text="",
        context={"customer": {"first_name": "Tom & <Jerry>"}},
    )

    assert rendered.body_html == "<p>Hi Tom &amp; &lt;Jerry&gt;</p>"
    assert rendered.body_text == "Hi Tom & <Jerry>"


def test_a_safe_looking_string_in_the_context_is_still_escaped():
    from markupsafe import Markup

    rendered = render_source(
        channel="email",
        subject="Hi",
        body_html="<p>{{ customer.first_name }}</p>",
        body_text="",
        context={"customer": {"first_name": Markup("<b>bold</b>")}},
    )

    assert rendered.body_html == "<p>&lt;b&gt;bold&lt;/b&gt;</p>"


def test_thai_text_is_intact_through_rendering(store):
    customer = data.customer(store, first_name="สมหญิง", last_name="ใจดี", language="th")
    data.template(
        store,
        key="thanks",
        channel="email",
        language="th",
        subject="ขอบคุณค่ะ คุณ{{ customer.first_name }}",
        body_html="<p>เรียนคุณ{{ customer.name }}</p><p>ขอบคุณที่สั่งซื้อสินค้ากับเรา</p>",
    )

    rendered = render_message(
        store,
        key="thanks",
        channel="email",
        language=customer.language,
        context=build_context(store, customer, recommendations=False),
    )

    assert rendered.subject == "ขอบคุณค่ะ คุณสมหญิง"
    assert rendered.body_html == "<p>เรียนคุณสมหญิง ใจดี</p><p>ขอบคุณที่สั่งซื้อสินค้ากับเรา</p>"
    assert rendered.body_text == "เรียนคุณสมหญิง ใจดี\n\nขอบคุณที่สั่งซื้อสินค้ากับเรา"


def test_armenian_text_is_intact_through_rendering(store):
    customer = data.customer(store, first_name="Արամ", last_name="Խաչատրյան", language="hy")
    data.template(
        store,
        key="thanks",
        channel="sms",
        language="hy",
        body_text="Շնորհակալություն, {{ customer.first_name }}։ Ձեր պատվերն ընդունված է։",
    )

    rendered = render_message(
        store,
        key="thanks",
        channel="sms",
        language="hy",
        context=build_context(store, customer, recommendations=False),
    )

    assert rendered.body_text == "Շնորհակալություն, Արամ։ Ձեր պատվերն ընդունված է։"
    assert rendered.body_html == ""
