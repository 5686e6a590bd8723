"""The template's language: the one asked for, its base, the store's default, English; never
another store's template."""

import pytest

from regulars.core.services import do_create_store
from regulars.messaging.rendering import TemplateMissing, language_chain, render_message
from regulars.messaging.tests import rendering_data as data

TEXTS = {
    "en": "Hello {{ store.name }}",
    "th": "สวัสดี {{ store.name }}",
    "hy": "Բարև {{ store.name }}",
}


def _templates(store, *languages):
    for language in languages:
        data.template(
            store, key="welcome", channel="sms", language=language, body_text=TEXTS[language]
        )


def _render(store, language):
    return render_message(
        store, key="welcome", channel="sms", language=language, context={"store": {"name": "VC"}}
    )


def test_the_asked_language_is_used_when_the_store_has_it(store):
    _templates(store, "en", "th", "hy")

    rendered = _render(store, "th")

    assert (rendered.language, rendered.body_text) == ("th", "สวัสดี VC")
    assert rendered.template.language == "th"


def test_a_regional_language_falls_back_to_its_base(store):
    _templates(store, "en", "th", "hy")

    assert _render(store, "th-TH").body_text == "สวัสดี VC"
    assert _render(store, "hy_AM").body_text == "Բարև VC"


def test_a_language_the_store_lacks_falls_back_to_the_stores_default(owner):
    armenian_store = do_create_store(
        name="Yerevan Records",
        currency="AMD",
        timezone_name="Asia/Yerevan",
        language="hy",
        owner=owner,
    )
    _templates(armenian_store, "en", "hy")

    rendered = _render(armenian_store, "pt-BR")

    assert (rendered.language, rendered.body_text) == ("hy", "Բարև VC")


def test_english_is_the_last_resort(other_store):
    # other_store's default language is Thai, but it only has an English template.
    _templates(other_store, "en")

    assert _render(other_store, "hy").body_text == "Hello VC"
    assert _render(other_store, "").body_text == "Hello VC"


def test_no_template_in_any_tried_language_names_key_channel_and_languages(other_store):
    data.template(
        other_store, key="welcome", channel="email", language="th", subject="สวัสดี", body_text="สวัสดี"
    )

    with pytest.raises(TemplateMissing) as caught:
        _render(other_store, "pt-BR")

    assert caught.value.code == "not_found"
    assert caught.value.message == (
        "The store has no 'welcome' template for sms in pt-br, pt, th, en."
    )


def test_the_chain_tries_each_language_once(store):
    assert language_chain(store, "en-GB") == ["en-gb", "en"]
    assert language_chain(store, "pt-BR") == ["pt-br", "pt", "en"]


def test_a_store_never_renders_another_stores_template(store, other_store):
    # store (default English) has only English; other_store has Thai.
    _templates(store, "en")
    data.template(other_store, key="welcome", channel="sms", language="th", body_text="ของร้านอื่น")

    rendered = _render(store, "th")

    assert (rendered.language, rendered.body_text) == ("en", "Hello VC")
    assert rendered.template.store == store


def test_a_store_without_the_template_is_refused_even_when_another_store_has_it(store, other_store):
    _templates(other_store, "en", "th")

    with pytest.raises(TemplateMissing):
        _render(store, "en")
