"""A saved template is parsed once and reused for every message until it is edited."""

from regulars.messaging.models import Template
from regulars.messaging.rendering import render_message, template_variables
from regulars.messaging.rendering.render import COMPILED
from regulars.messaging.tests import rendering_data as data


def _render(store, name):
    return render_message(
        store,
        key="welcome",
        channel="sms",
        language="en",
        context={"customer": {"first_name": name}},
    )


def test_rendering_many_messages_reuses_one_compiled_template(store):
    data.template(store, body_text="Hi {{ customer.first_name }}")
    template = Template.objects.get(store=store)
    compiled = COMPILED.get(template)

    texts = [_render(store, f"n{i}").body_text for i in range(200)]

    assert (texts[0], texts[-1]) == ("Hi n0", "Hi n199")
    assert COMPILED.get(Template.objects.get(pk=template.pk)) is compiled


def test_an_edit_is_rendered_at_once(store, owner):
    data.template(store, body_text="Hi {{ customer.first_name }}")
    before = COMPILED.get(Template.objects.get(store=store))
    assert _render(store, "Ana").body_text == "Hi Ana"

    data.template(store, owner, body_text="Hello again, {{ customer.first_name }}")

    assert _render(store, "Ana").body_text == "Hello again, Ana"
    assert COMPILED.get(Template.objects.get(store=store)) is not before


def test_it_knows_which_variables_a_template_reads(store):
    data.template(
        store,
        body_text="{% for p in recommended_products %}{{ p.title }}{% endfor %} {{ customer.name }}",
    )

    assert template_variables(Template.objects.get(store=store)) == {
        "recommended_products",
        "customer",
    }
