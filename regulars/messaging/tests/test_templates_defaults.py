"""Built-in templates: a store gets a test message in English, Thai and Armenian out of the box."""

from regulars.messaging.models import Template
from regulars.messaging.rendering import build_context, check_template, render_message
from regulars.messaging.rendering.defaults import DEFAULT_TEMPLATES
from regulars.messaging.services.templates import do_save_template, ensure_default_templates
from regulars.messaging.tests import rendering_data as data


def test_every_built_in_template_is_valid():
    for default in DEFAULT_TEMPLATES:
        check_template(
            channel=default.channel,
            subject=default.subject,
            body_html=default.body_html,
            body_text=default.body_text,
        )


def test_it_gives_a_store_the_test_message_for_email_and_sms_in_three_languages(store):
    added = ensure_default_templates(store)

    assert added == 6
    assert sorted(
        Template.objects.filter(store=store).values_list("key", "channel", "language", "purpose")
    ) == [
        ("test_message", "email", "en", "transactional"),
        ("test_message", "email", "hy", "transactional"),
        ("test_message", "email", "th", "transactional"),
        ("test_message", "sms", "en", "transactional"),
        ("test_message", "sms", "hy", "transactional"),
        ("test_message", "sms", "th", "transactional"),
    ]


def test_running_it_again_adds_nothing(store):
    ensure_default_templates(store)

    assert ensure_default_templates(store) == 0
    assert Template.objects.filter(store=store).count() == 6


def test_it_never_overwrites_a_merchants_edit(store, owner):
    do_save_template(
        store,
        owner,
        key="test_message",
        channel="sms",
        language="th",
        purpose="transactional",
        name="ทดสอบ",
        subject="",
        body_html="",
        body_text="ร้านเราเอง: ทดสอบ",
    )

    added = ensure_default_templates(store)

    assert added == 5
    assert Template.objects.get(store=store, channel="sms", language="th").body_text == (
        "ร้านเราเอง: ทดสอบ"
    )


def test_it_leaves_other_stores_alone(store, other_store):
    ensure_default_templates(store)

    assert not Template.objects.filter(store=other_store).exists()


def test_the_thai_test_sms_renders_in_thai(store):
    ensure_default_templates(store)
    customer = data.customer(store, first_name="สมชาย")

    rendered = render_message(
        store,
        key="test_message",
        channel="sms",
        language="th",
        context=build_context(store, customer),
    )

    assert rendered.language == "th"
    assert rendered.body_text == (
        "Vinyl Corner: สวัสดีคุณสมชาย นี่คือข้อความทดสอบ หากคุณอ่านข้อความนี้ได้ แสดงว่า SMS จากร้านส่งถึงคุณแล้ว"
    )


def test_the_armenian_test_email_renders_in_armenian(store):
    ensure_default_templates(store)
    customer = data.customer(store, first_name="Անի")

    rendered = render_message(
        store,
        key="test_message",
        channel="email",
        language="hy",
        context=build_context(store, customer),
    )

    assert rendered.subject == "Փորձնական հաղորդագրություն՝ Vinyl Corner"
    assert rendered.body_text == (
        "Բարև ձեզ, Անի։\n\n"
        "Սա փորձնական հաղորդագրություն է Vinyl Corner խանութից։ Եթե կարդում եք այն, "
        "ուրեմն խանութի նամակները հասնում են ձեզ։\n\n"
        "Հարգանքով՝\nVinyl Corner"
    )
