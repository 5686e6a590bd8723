"""The template editor saves a valid template, refuses an invalid one with the field and line
and keeps what was typed, keeps a saved template's key, channel and language, and deletes."""

import pytest

from regulars.dashboard.tests.messaging_data import template
from regulars.dashboard.tests.shop import url
from regulars.messaging.models import Template

pytestmark = pytest.mark.django_db

BROKEN_HTML = (
    "<p>Hi {{ customer.first_name }}</p>\n<ul>\n<li>{{ customer.name }}{% endif %}</li>\n</ul>"
)


def _form(**fields) -> dict:
    return {
        "key": "win_back",
        "channel": "email",
        "language": "th",
        "purpose": "marketing",
        "name": "Win back",
        "subject": "คิดถึงคุณ {{ customer.first_name }}",
        "body_html": "<p>สวัสดี {{ customer.first_name }}</p>",
        "body_text": "",
        "action": "save",
        **fields,
    }


def test_a_new_template_is_saved_and_opened(client, store, owner):
    client.force_login(owner)

    response = client.post(url("message_template_new", store), _form())

    saved = Template.objects.get(store=store)
    assert response.status_code == 302
    assert response["Location"] == url("message_template", store, saved.pk)
    assert (saved.key, saved.channel, saved.language, saved.purpose) == (
        "win_back",
        "email",
        "th",
        "marketing",
    )
    assert saved.subject == "คิดถึงคุณ {{ customer.first_name }}"
    assert saved.updated_by == owner


def test_an_invalid_template_names_the_field_and_line_keeps_the_text_and_saves_nothing(
    client, store, owner
):
    client.force_login(owner)

    response = client.post(url("message_template_new", store), _form(body_html=BROKEN_HTML))

    html = response.content.decode()
    assert response.status_code == 400
    assert '<label class="field field--error">\n  <span class="field__label">HTML</span>' in html
    assert "body_html, line 3: unexpected tag &#x27;endif&#x27;" in html
    assert "&lt;li&gt;{{ customer.name }}{% endif %}&lt;/li&gt;" in html
    assert 'value="คิดถึงคุณ {{ customer.first_name }}"' in html
    assert not Template.objects.filter(store=store).exists()


def test_an_unknown_variable_is_refused_with_its_name(client, store, owner):
    client.force_login(owner)

    response = client.post(
        url("message_template_new", store),
        _form(channel="sms", subject="", body_html="", body_text="Hi\n{{ custmer.name }}"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "body_text, line 2: unknown variable &#x27;custmer&#x27;" in html
    assert not Template.objects.filter(store=store).exists()


def test_a_new_template_may_not_replace_one_with_the_same_key_channel_and_language(
    client, store, owner
):
    existing = template(store, owner)
    client.force_login(owner)

    response = client.post(
        url("message_template_new", store), _form(key="welcome", language="en", name="Other")
    )

    assert response.status_code == 400
    assert "This store already has a “welcome” template for E-mail in en" in (
        response.content.decode()
    )
    existing.refresh_from_db()
    assert existing.name == "Welcome"


def test_editing_keeps_the_key_channel_and_language_whatever_is_posted(client, store, owner):
    existing = template(store, owner)
    client.force_login(owner)

    response = client.post(
        url("message_template", store, existing.pk),
        _form(key="hijack", channel="sms", language="hy", subject="Hello again", name="New name"),
    )

    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.key, existing.channel, existing.language) == ("welcome", "email", "en")
    assert (existing.subject, existing.name) == ("Hello again", "New name")
    assert Template.objects.filter(store=store).count() == 1


def test_add_a_language_starts_from_a_copy(client, store, owner):
    existing = template(store, owner)
    client.force_login(owner)

    html = client.get(
        url("message_template_new", store) + f"?copy={existing.pk}&language=hy"
    ).content.decode()

    assert 'value="welcome"' in html
    assert '<option value="hy" selected>' in html
    assert "&lt;p&gt;Hi {{ customer.first_name }}&lt;/p&gt;</textarea>" in html


def test_a_template_is_deleted_by_a_post(client, store, owner):
    existing = template(store, owner)
    client.force_login(owner)

    response = client.post(url("message_template_delete", store, existing.pk), follow=True)

    assert not Template.objects.filter(pk=existing.pk).exists()
    assert "The template welcome (email, en) is deleted." in response.content.decode()


def test_the_list_groups_templates_by_key_with_channels_and_languages(client, store, owner):
    template(store, owner)
    template(store, owner, language="th")
    template(store, owner, channel="sms", subject="", body_html="", body_text="Hi")
    client.force_login(owner)

    html = client.get(url("message_templates", store)).content.decode()

    assert html.count('<code class="h-code">welcome</code>') == 1
    assert "<td>E-mail</td>" in html and "<td>SMS</td>" in html
    assert ">en</a> · <a" in html and ">th</a>" in html


def test_the_editor_lists_the_documented_variables(client, store, owner):
    client.force_login(owner)

    html = client.get(url("message_template_new", store)).content.decode()

    assert "<dt><code>customer.first_name</code>" in html
    assert "<dt><code>recommended_products[].title</code>" in html


def test_the_preview_button_renders_without_saving(client, store, owner):
    client.force_login(owner)

    response = client.post(
        url("message_template_new", store),
        _form(action="preview", body_text="Plain {{ store.name }}"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<pre class="pre pre--text" data-preview-text>Plain Vinyl Corner</pre>' in html
    assert "<span data-preview-subject>คิดถึงคุณ Ana</span>" in html
    assert not Template.objects.filter(store=store).exists()
