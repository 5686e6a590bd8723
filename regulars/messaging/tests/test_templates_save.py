"""Saving templates: created or updated per (store, key, channel, language); invalid ones never."""

import pytest

from regulars.core.errors import RegularsError
from regulars.messaging.models import Template
from regulars.messaging.services.templates import do_delete_template, do_save_template

SMS = {
    "key": "win_back",
    "channel": "sms",
    "language": "th",
    "purpose": "marketing",
    "name": "Win back",
    "subject": "",
    "body_html": "",
    "body_text": "สวัสดีคุณ{{ customer.first_name }} เราคิดถึงคุณ",
}


def test_it_creates_a_template(store, owner):
    template = do_save_template(store, owner, **SMS)

    saved = Template.objects.get(pk=template.pk)
    assert (saved.store, saved.key, saved.channel, saved.language) == (
        store,
        "win_back",
        "sms",
        "th",
    )
    assert saved.body_text == "สวัสดีคุณ{{ customer.first_name }} เราคิดถึงคุณ"
    assert (saved.purpose, saved.name, saved.updated_by) == ("marketing", "Win back", owner)


def test_saving_the_same_key_channel_and_language_again_updates_it(store, owner, member):
    first = do_save_template(store, owner, **SMS)

    second = do_save_template(store, member, **(SMS | {"body_text": "แวะมาอีกนะ"}))

    assert second.pk == first.pk
    assert Template.objects.filter(store=store).count() == 1
    saved = Template.objects.get(pk=first.pk)
    assert (saved.body_text, saved.updated_by) == ("แวะมาอีกนะ", member)


def test_another_language_is_another_template(store, owner):
    do_save_template(store, owner, **SMS)
    do_save_template(store, owner, **(SMS | {"language": "hy", "body_text": "Բարև ձեզ"}))

    assert sorted(Template.objects.filter(store=store).values_list("language", flat=True)) == [
        "hy",
        "th",
    ]


def test_an_invalid_template_is_refused_with_field_and_line_and_nothing_is_saved(store, owner):
    with pytest.raises(RegularsError) as caught:
        do_save_template(
            store, owner, **(SMS | {"body_text": "Hi\n{% if customer %}\n{% endfor %}"})
        )

    assert caught.value.field == "body_text"
    assert caught.value.message == "body_text, line 3: unexpected tag 'endfor'"
    assert not Template.objects.filter(store=store).exists()


def test_an_invalid_edit_leaves_the_saved_template_as_it_was(store, owner):
    template = do_save_template(store, owner, **SMS)

    with pytest.raises(RegularsError) as caught:
        do_save_template(store, owner, **(SMS | {"body_text": "{{ secret_key }}"}))

    assert caught.value.field == "body_text"
    assert caught.value.message.startswith("body_text, line 1: unknown variable 'secret_key'")
    template.refresh_from_db()
    assert template.body_text == SMS["body_text"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"language": "pt"},
            "language",
            "language: 'pt' is not a language of this site; use one of en, th, hy",
        ),
        (
            {"key": "Win Back!"},
            "key",
            "key: 'Win Back!' is not a template key (lower-case letters, digits, - and _, "
            "at most 60, such as order_confirmation)",
        ),
        (
            {"purpose": "spam"},
            "purpose",
            "purpose: 'spam' is not a purpose; use one of transactional, marketing",
        ),
        (
            {"channel": "pigeon"},
            "channel",
            "channel: 'pigeon' is not a channel; use one of email, sms, whatsapp, push, webhook",
        ),
    ],
)
def test_it_refuses_bad_fields_and_saves_nothing(store, owner, change, field, message):
    with pytest.raises(RegularsError) as caught:
        do_save_template(store, owner, **(SMS | change))

    assert (caught.value.field, caught.value.message) == (field, message)
    assert not Template.objects.exists()


def test_it_deletes_the_stores_template(store, owner):
    template = do_save_template(store, owner, **SMS)

    do_delete_template(store, template.pk)

    assert not Template.objects.filter(pk=template.pk).exists()


def test_a_store_cannot_delete_another_stores_template(store, other_store, owner, outsider):
    theirs = do_save_template(other_store, outsider, **SMS)

    with pytest.raises(RegularsError) as caught:
        do_delete_template(store, theirs.pk)

    assert (caught.value.code, caught.value.field) == ("not_found", "template_id")
    assert Template.objects.filter(pk=theirs.pk).exists()


def test_deleting_with_a_malformed_id_is_not_found(store, owner):
    do_save_template(store, owner, **SMS)

    with pytest.raises(RegularsError) as caught:
        do_delete_template(store, "1 OR 1=1")

    assert caught.value.code == "not_found"
    assert Template.objects.filter(store=store).count() == 1
