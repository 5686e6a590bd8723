"""The built-in journey templates: valid, complete in English, Thai and Armenian, and rendered
for a real customer, order and shipment without a blank where a value belongs."""

import pytest

from regulars.core.errors import RegularsError
from regulars.journeys import library
from regulars.journeys.templates_library import CATALOGUE, JOURNEY_TEMPLATES, register
from regulars.messaging.models import Template
from regulars.messaging.rendering import (
    build_context,
    check_template,
    render_message,
    sms_segments,
)
from regulars.messaging.services.templates import do_save_template, ensure_default_templates
from regulars.messaging.tests import rendering_data as data

LANGUAGES = ("en", "th", "hy")
FIRST_NAMES = {"en": "Ana", "th": "สมชาย", "hy": "Անի"}
# Sample values as long as real ones: the SMS limits below are measured with them.
TRACKING_URL = "https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784"
CART_URL = "https://shop.example/cart/c/8f3a2b9e"
PREFERENCES_URL = "https://regulars.example/messaging/p/eyJjIjoxfQ:1tXyZa/"
COUPON = {
    "code": "BACK-7KQ2M9",
    "description": "20% off your next order",
    "expires_at": "2026-04-01",
}
CART = {
    "url": CART_URL,
    "total": "42.00 USD",
    "lines": [
        {
            "title": "Kind of Blue LP",
            "quantity": 2,
            "price": "21.00 USD",
            "url": "https://shop.example/p/kind-of-blue",
            "image_url": "https://shop.example/i/kind-of-blue.jpg",
        }
    ],
}

# The brief's table: T = transactional, M = marketing.
PURPOSES = {
    "order_confirmation": ("transactional", {"email", "sms"}),
    "shipping_update": ("transactional", {"email", "sms"}),
    "delivery_followup": ("transactional", {"email"}),
    "review_request": ("marketing", {"email"}),
    "first_order_thanks": ("marketing", {"email"}),
    "first_order_anniversary": ("marketing", {"email"}),
    "birthday_coupon": ("marketing", {"email", "sms"}),
    "winback": ("marketing", {"email", "sms"}),
    "cart_reminder": ("marketing", {"email", "sms"}),
    "cart_reminder_second": ("marketing", {"email"}),
    "champions_surprise": ("marketing", {"email"}),
}

# What each message must show, by (key, channel).
NAME, ORDER, COUPON_CODE, TRACKING, CART_LINK, LINE, PRODUCT = (
    "first name",
    "order name",
    "coupon code",
    "tracking url",
    "cart url",
    "ordered product url",
    "recommended product url",
)
EXPECTED = {
    ("order_confirmation", "email"): {NAME, ORDER, LINE},
    ("order_confirmation", "sms"): {ORDER},
    ("shipping_update", "email"): {NAME, ORDER, TRACKING},
    ("shipping_update", "sms"): {ORDER, TRACKING},
    ("delivery_followup", "email"): {NAME, ORDER},
    ("review_request", "email"): {NAME, LINE},
    ("first_order_thanks", "email"): {NAME, ORDER},
    ("first_order_anniversary", "email"): {NAME, COUPON_CODE},
    ("birthday_coupon", "email"): {NAME, COUPON_CODE},
    ("birthday_coupon", "sms"): {NAME, COUPON_CODE},
    ("winback", "email"): {NAME, COUPON_CODE, PRODUCT},
    ("winback", "sms"): {NAME, COUPON_CODE},
    ("cart_reminder", "email"): {NAME, CART_LINK},
    ("cart_reminder", "sms"): {CART_LINK},
    ("cart_reminder_second", "email"): {NAME, CART_LINK, COUPON_CODE, PRODUCT},
    ("champions_surprise", "email"): {NAME, COUPON_CODE},
}
WITH_COUPON = {
    "first_order_anniversary",
    "birthday_coupon",
    "winback",
    "cart_reminder_second",
    "champions_surprise",
}
SMS_SEGMENTS = {"en": 1, "th": 3, "hy": 3}  # GSM-7 160 characters; UCS-2 67 a segment


@pytest.fixture
def shop_with_orders(store):
    """The store with the journey templates copied in, a customer per language with a paid
    order of two products (one shipped), and another customer's order that makes a third
    product "bought together" with theirs."""
    register()
    ensure_default_templates(store, keys=set(CATALOGUE))
    data.product(store, "blue-train", "Blue Train LP", price="15.00")
    data.product(store, "a-love-supreme", "A Love Supreme LP", price="18.00")
    data.customer(store, "other")
    data.order(store, "900", "other", [("blue-train", 1), ("a-love-supreme", 1)])
    customers = {}
    for language in LANGUAGES:
        customer_id = f"c-{language}"
        data.customer(store, customer_id, first_name=FIRST_NAMES[language], language=language)
        data.order(store, f"10{language}", customer_id, [("blue-train", 2, "15.00")], total="30.00")
        data.fulfillment(store, f"f-{language}", f"10{language}", tracking_url=TRACKING_URL)
        customers[language] = customer_id
    return store


def _context(store, language, key, *, status="in_transit"):
    from regulars.commerce.models import Customer, Fulfillment, Order

    customer = Customer.objects.get(store=store, external_id=f"c-{language}")
    order = Order.objects.get(store=store, external_id=f"10{language}")
    fulfillment = Fulfillment.objects.get(store=store, external_id=f"f-{language}")
    fulfillment.status = status
    extra = {
        "data": {"cart": CART, "years": 2, "first_order_at": "2024-03-01"},
        "preferences_url": PREFERENCES_URL,
    }
    return build_context(
        store,
        customer,
        order=order,
        fulfillment=fulfillment,
        coupon=COUPON if key in WITH_COUPON else None,
        extra=extra,
    )


def _render(store, key, channel, language, **kwargs):
    rendered = render_message(
        store,
        key=key,
        channel=channel,
        language=language,
        context=_context(store, language, key, **kwargs),
    )
    assert rendered.language == language
    return rendered


def _shown(rendered) -> str:
    return f"{rendered.subject}\n{rendered.body_text}"


def _expected_text(language, what) -> str:
    return {
        NAME: FIRST_NAMES[language],
        ORDER: f"#10{language}",
        COUPON_CODE: COUPON["code"],
        TRACKING: TRACKING_URL,
        CART_LINK: CART_URL,
        LINE: "https://shop.example/p/blue-train",
        PRODUCT: "https://shop.example/p/a-love-supreme",
    }[what]


def test_every_template_is_valid_for_its_channel():
    assert JOURNEY_TEMPLATES
    for template in JOURNEY_TEMPLATES:
        check_template(
            channel=template.channel,
            subject=template.subject,
            body_html=template.body_html,
            body_text=template.body_text,
        )


def test_every_key_has_english_thai_and_armenian_for_each_of_its_channels():
    found = {(t.key, t.channel, t.language) for t in JOURNEY_TEMPLATES}

    assert found == {
        (key, channel, language)
        for key, (_purpose, channels) in PURPOSES.items()
        for channel in channels
        for language in LANGUAGES
    }
    assert len(found) == len(JOURNEY_TEMPLATES)  # one text each, no duplicates


def test_every_template_has_the_purpose_of_its_key():
    for template in JOURNEY_TEMPLATES:
        assert template.purpose == PURPOSES[template.key][0], template.key


def test_every_template_has_a_name_and_emails_leave_the_plain_text_to_be_derived():
    for template in JOURNEY_TEMPLATES:
        assert template.name.strip()
        if template.channel == "email":
            assert template.subject and template.body_html and not template.body_text
        else:
            assert template.body_text and not (template.subject or template.body_html)


def test_every_template_a_built_in_journey_sends_is_in_the_library():
    sent = {key for built_in in library.LIBRARY.values() for key in built_in.templates}

    assert sent <= set(CATALOGUE)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("key", "channel"), sorted(EXPECTED))
def test_it_renders_for_a_real_customer_with_every_value_in_place(
    shop_with_orders, key, channel, language
):
    rendered = _render(shop_with_orders, key, channel, language)

    shown = _shown(rendered) + rendered.body_html
    assert "{{" not in shown and "{%" not in shown and "None" not in shown
    assert 'href=""' not in rendered.body_html
    for what in EXPECTED[(key, channel)]:
        assert _expected_text(language, what) in _shown(rendered), what
    if channel == "email":
        assert rendered.subject and rendered.body_html.lstrip().startswith("<p>")


@pytest.mark.parametrize("language", LANGUAGES)
def test_marketing_emails_end_with_the_preferences_link(shop_with_orders, language):
    for key, (purpose, _channels) in PURPOSES.items():
        rendered = _render(shop_with_orders, key, "email", language)
        link = f'<a href="{PREFERENCES_URL}">'
        if purpose == "marketing":
            last = rendered.body_html.strip().splitlines()[-1]
            assert last.startswith(f"<p>{link}"), key
        else:
            assert link not in rendered.body_html, key


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_tracking_link_is_escaped_in_html_and_plain_in_text(shop_with_orders, language):
    rendered = _render(shop_with_orders, "shipping_update", "email", language)

    assert f'href="{TRACKING_URL.replace("&", "&amp;")}"' in rendered.body_html
    assert TRACKING_URL in rendered.body_text
    assert "1Z999" in rendered.body_text and "UPS" in rendered.body_text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_each_shipment_status_has_its_own_wording(shop_with_orders, language, channel):
    statuses = ("in_transit", "out_for_delivery", "delivered", "failed")
    shown = {
        s: _render(shop_with_orders, "shipping_update", channel, language, status=s)
        for s in statuses
    }

    first_lines = {
        s: (r.subject if channel == "email" else r.body_text.split("http")[0])
        for s, r in shown.items()
    }
    assert len(set(first_lines.values())) == len(statuses)
    for status, rendered in shown.items():
        assert f"#10{language}" in _shown(rendered)
        # Once delivered, a tracking link is no use.
        assert (TRACKING_URL in _shown(rendered)) == (status != "delivered"), status


@pytest.mark.parametrize("language", LANGUAGES)
def test_sms_stay_within_their_segments(shop_with_orders, language):
    statuses = ("in_transit", "out_for_delivery", "delivered", "failed")
    for key, (_purpose, channels) in PURPOSES.items():
        if "sms" not in channels:
            continue
        for status in statuses if key == "shipping_update" else statuses[:1]:
            text = _render(shop_with_orders, key, "sms", language, status=status).body_text
            segments = sms_segments(text)
            assert segments.segments <= SMS_SEGMENTS[language], (key, status, text)
            assert segments.encoding == ("GSM-7" if language == "en" else "UCS-2"), text


@pytest.mark.parametrize("language", LANGUAGES)
def test_marketing_sms_tell_how_to_stop_them(shop_with_orders, language):
    for key, (purpose, channels) in PURPOSES.items():
        if "sms" in channels:
            text = _render(shop_with_orders, key, "sms", language).body_text
            assert ("STOP" in text) == (purpose == "marketing"), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_feedback_and_review_links_are_used_when_given(shop_with_orders, language):
    links = {"feedback_url": "https://r.example/f/abc", "review_url": "https://r.example/r/abc"}
    for key, name in (("delivery_followup", "feedback_url"), ("review_request", "review_url")):
        context = _context(shop_with_orders, language, key)
        context["data"] = {name: links[name]}
        rendered = render_message(
            shop_with_orders, key=key, channel="email", language=language, context=context
        )

        assert f'href="{links[name]}"' in rendered.body_html, key


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("key", "channel"), sorted(EXPECTED))
def test_it_reads_well_without_a_name_a_coupon_or_data(shop_with_orders, key, channel, language):
    from regulars.commerce.models import Customer

    Customer.objects.filter(store=shop_with_orders, external_id=f"c-{language}").update(
        first_name=""
    )
    context = _context(shop_with_orders, language, key) | {"coupon": None, "data": {}}
    context["fulfillment"]["tracking_url"] = ""

    rendered = render_message(
        shop_with_orders, key=key, channel=channel, language=language, context=context
    )

    shown = _shown(rendered) + rendered.body_html
    assert "{{" not in shown and "None" not in shown and 'href=""' not in shown
    assert COUPON["code"] not in shown and CART_URL not in shown
    assert " ," not in shown and "  " not in rendered.body_text
    # A text about a coupon keeps no label for a coupon that is not there.
    for label in ("Your code:", "โค้ดส่วนลดของคุณ:", "Ձեր կոդը՝"):
        assert label not in shown


def test_a_customer_with_no_first_name_is_greeted_warmly(shop_with_orders):
    from regulars.commerce.models import Customer

    Customer.objects.filter(store=shop_with_orders).update(first_name="")
    greetings = {"en": "Hi there,", "th": "สวัสดีค่ะ คุณลูกค้า", "hy": "Բարև ձեզ, հարգելի հաճախորդ։"}
    for language, greeting in greetings.items():
        rendered = _render(shop_with_orders, "order_confirmation", "email", language)
        assert rendered.body_text.startswith(greeting), language


def test_win_back_without_a_coupon_shows_what_they_may_like_instead(shop_with_orders):
    for language in LANGUAGES:
        context = _context(shop_with_orders, language, "winback") | {"coupon": None}
        sms = render_message(
            shop_with_orders, key="winback", channel="sms", language=language, context=context
        )
        email = render_message(
            shop_with_orders, key="winback", channel="email", language=language, context=context
        )

        assert "https://shop.example/p/a-love-supreme" in sms.body_text
        assert "https://shop.example/p/a-love-supreme" in email.body_text
        assert COUPON["code"] not in sms.body_text + email.body_text


def test_switching_on_copies_only_the_keys_asked_for(store, other_store):
    register()

    added = ensure_default_templates(store, keys={"winback", "delivery_followup"})

    assert added == 9  # winback: e-mail and SMS, delivery follow-up: e-mail; three languages
    assert set(Template.objects.filter(store=store).values_list("key", flat=True)) == {
        "winback",
        "delivery_followup",
    }
    assert sorted(
        Template.objects.filter(store=store, key="winback").values_list("channel", "language")
    ) == [(c, lang) for c in ("email", "sms") for lang in ("en", "hy", "th")]
    assert not Template.objects.filter(store=other_store).exists()


def test_copying_never_overwrites_a_merchants_edit(store, owner):
    register()
    do_save_template(
        store,
        owner,
        key="winback",
        channel="sms",
        language="th",
        purpose="marketing",
        name="ของเราเอง",
        subject="",
        body_html="",
        body_text="{{ store.name }}: คิดถึงค่ะ",
    )

    added = ensure_default_templates(store, keys={"winback"})

    assert added == 5
    assert Template.objects.get(
        store=store, key="winback", channel="sms", language="th"
    ).body_text == ("{{ store.name }}: คิดถึงค่ะ")
    assert ensure_default_templates(store, keys={"winback"}) == 0


def test_an_unknown_key_is_refused_and_nothing_is_copied(store):
    register()

    with pytest.raises(RegularsError) as raised:
        ensure_default_templates(store, keys={"winback", "wniback"})

    assert raised.value.field == "keys"
    assert "'wniback'" in str(raised.value)
    assert not Template.objects.filter(store=store).exists()


def test_registering_twice_keeps_one_of_each(store):
    register()
    register()

    assert ensure_default_templates(store, keys=set(CATALOGUE)) == len(JOURNEY_TEMPLATES)


SURVEY_URL = "https://regulars.example/f/s/WzEsMV0:abc/"
SCORES = [{"score": n, "url": f"{SURVEY_URL}?score={n}&via=mail"} for n in range(11)]
SCALE_ENDS = {
    "en": ("0 = not at all likely", "10 = extremely likely"),
    "th": ("0 = ไม่แนะนำเลย", "10 = แนะนำแน่นอน"),
    "hy": ("0՝ բոլորովին հավանական չէ", "10՝ անպայման"),
}


def _follow_up(store, language, data):
    context = _context(store, language, "delivery_followup")
    context["data"] = data
    return render_message(
        store, key="delivery_followup", channel="email", language=language, context=context
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_delivery_follow_up_shows_eleven_one_tap_score_buttons(shop_with_orders, language):
    import re

    rendered = _follow_up(
        shop_with_orders, language, {"feedback_url": SURVEY_URL, "feedback_scores": SCORES}
    )

    html = rendered.body_html
    buttons = re.findall(r'<td[^>]*><a href="([^"]+)"[^>]*>(\d+)</a></td>', html)
    assert [int(score) for _href, score in buttons] == list(range(11))
    for href, score in buttons:  # each link escaped for HTML, to its own score
        assert href == f"{SURVEY_URL}?score={score}&amp;via=mail"
    assert "<table" in html and "display:flex" not in html and "<style" not in html
    low, high = SCALE_ENDS[language]
    assert low in rendered.body_text and high in rendered.body_text
    # The text link to the survey page is still there.
    assert f'<a href="{SURVEY_URL}"><strong>' in html
    assert f"{SURVEY_URL}?score=7&via=mail" in rendered.body_text


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_score_links_the_follow_up_keeps_its_single_link(shop_with_orders, language):
    rendered = _follow_up(shop_with_orders, language, {"feedback_url": SURVEY_URL})

    assert "<table" not in rendered.body_html
    assert "?score=" not in rendered.body_html
    assert f'<a href="{SURVEY_URL}"><strong>' in rendered.body_html
    assert SCALE_ENDS[language][0] not in rendered.body_text


def test_score_links_cannot_break_out_of_the_attribute(shop_with_orders):
    nasty = [{"score": '1"><script>x</script>', "url": 'https://e.example/"onmouseover="x'}]

    rendered = _follow_up(
        shop_with_orders, "en", {"feedback_url": SURVEY_URL, "feedback_scores": nasty}
    )

    assert "<script>" not in rendered.body_html
    assert '"onmouseover="' not in rendered.body_html
    assert 'href="https://e.example/&#34;onmouseover=&#34;x"' in rendered.body_html
    assert "1&#34;&gt;&lt;script&gt;x&lt;/script&gt;</a>" in rendered.body_html
