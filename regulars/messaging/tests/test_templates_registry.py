"""Later apps register their built-in templates; a store gets them only when asked by key."""

import pytest

from regulars.core.errors import RegularsError
from regulars.messaging.models import Template
from regulars.messaging.rendering import defaults
from regulars.messaging.rendering.defaults import (
    DEFAULT_TEMPLATES,
    DefaultTemplate,
    default_templates,
    register_default_templates,
)
from regulars.messaging.services.templates import ensure_default_templates


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch):
    """Each test registers into a copy, so the real registry is left as the apps made it."""
    monkeypatch.setattr(defaults, "_REGISTRY", dict(defaults._REGISTRY))


def _thanks(language: str, text: str = "Thank you, {{ customer.first_name }}!") -> DefaultTemplate:
    return DefaultTemplate(
        key="thanks_note",
        channel="sms",
        language=language,
        purpose="marketing",
        name="Thanks",
        body_text=text,
    )


def test_registering_the_same_template_twice_keeps_one_with_the_latest_text():
    register_default_templates([_thanks("en"), _thanks("th")])
    register_default_templates([_thanks("en", "Thanks again!")])

    found = default_templates({"thanks_note"})

    assert [(t.language, t.body_text) for t in found] == [
        ("en", "Thanks again!"),
        ("th", "Thank you, {{ customer.first_name }}!"),
    ]


def test_without_keys_a_store_gets_only_what_every_store_starts_with(store):
    register_default_templates([_thanks("en")])

    assert default_templates() == DEFAULT_TEMPLATES
    assert ensure_default_templates(store) == len(DEFAULT_TEMPLATES)
    assert not Template.objects.filter(store=store, key="thanks_note").exists()


def test_with_keys_a_store_gets_only_those(store, other_store):
    register_default_templates([_thanks("en"), _thanks("hy")])

    added = ensure_default_templates(store, keys={"thanks_note"})

    assert added == 2
    assert sorted(Template.objects.filter(store=store).values_list("key", "language")) == [
        ("thanks_note", "en"),
        ("thanks_note", "hy"),
    ]
    assert not Template.objects.filter(store=other_store).exists()


def test_the_test_message_can_be_asked_for_by_key(store):
    assert ensure_default_templates(store, keys={"test_message"}) == 6


def test_an_unknown_key_names_itself_and_copies_nothing(store):
    with pytest.raises(RegularsError) as raised:
        ensure_default_templates(store, keys={"test_message", "no_such_key"})

    assert raised.value.field == "keys"
    assert str(raised.value) == "keys: no built-in template has the key 'no_such_key'"
    assert not Template.objects.filter(store=store).exists()
