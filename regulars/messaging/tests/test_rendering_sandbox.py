"""A template cannot reach anything but the data given to it: attempts are refused or harmless.

Each attempt is tried twice: when saving (check_template refuses it) and, for templates that
got into the database some other way, when rendering (nothing harmful comes out).
"""

import pytest

from regulars.messaging.models import Template
from regulars.messaging.rendering import (
    RenderFailed,
    TemplateInvalid,
    build_context,
    check_template,
    render_message,
    render_source,
)
from regulars.messaging.tests import rendering_data as data


def _saved_unchecked(store, body_text: str) -> Template:
    """A template written straight to the table, as if it had dodged check_template."""
    return Template.objects.create(
        store=store, key="sneaky", channel="sms", language="en", body_text=body_text
    )


def _render_unchecked(store, customer, body_text: str) -> str:
    _saved_unchecked(store, body_text)
    return render_message(
        store,
        key="sneaky",
        channel="sms",
        language="en",
        context=build_context(store, customer, recommendations=False),
    ).body_text


def _refusal(body_text: str) -> str:
    with pytest.raises(TemplateInvalid) as caught:
        check_template(channel="sms", subject="", body_html="", body_text=body_text)
    return caught.value.message


def test_python_attributes_of_a_variable_are_refused_and_render_nothing(store):
    customer = data.customer(store, first_name="Ana")
    source = "[{{ customer.__class__ }}][{{ customer['__class__'] }}][{{ customer._meta }}]"

    assert _refusal(source) == "body_text, line 1: '__class__' is not available in templates"
    assert _render_unchecked(store, customer, source) == "[][][]"


def test_reaching_python_globals_through_a_variable_is_refused_and_renders_nothing(store):
    customer = data.customer(store)
    source = "{{ customer.first_name.__init__.__globals__ }}|{{ store.name.__class__.__mro__ }}"

    assert _refusal(source) == "body_text, line 1: '__init__' is not available in templates"
    assert _render_unchecked(store, customer, source) == "|"


def test_an_undocumented_variable_is_refused_and_unknown_names_render_nothing(store):
    customer = data.customer(store)

    assert _refusal("{{ x.__init__.__globals__ }}").startswith(
        "body_text, line 1: unknown variable 'x'"
    )
    assert _render_unchecked(store, customer, "[{{ settings.SECRET_KEY }}]") == "[]"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "{% include 'settings.py' %}",
            "body_text, line 1: the 'include' tag is not available: "
            "a message template can only use its own text",
        ),
        (
            "Hi\n{% render '/etc/passwd' %}",
            "body_text, line 2: the 'render' tag is not available: "
            "a message template can only use its own text",
        ),
        (
            "{% liquid\n  echo 'a'\n  include 'regulars/settings.py' %}",
            "body_text, line 3: the 'include' tag is not available: "
            "a message template can only use its own text",
        ),
    ],
)
def test_including_or_rendering_another_file_is_refused(store, source, message):
    assert _refusal(source) == message
    # Even in a template that was never checked, the tag fails before anything is read.
    customer = data.customer(store)
    with pytest.raises(TemplateInvalid) as caught:
        _render_unchecked(store, customer, source)
    assert caught.value.message == message


def test_the_safe_filter_that_would_switch_escaping_off_does_not_exist():
    with pytest.raises(TemplateInvalid) as caught:
        check_template(
            channel="email",
            subject="Hi",
            body_html="{{ customer.first_name | safe }}",
            body_text="",
        )
    assert caught.value.message == "body_html, line 1: unknown filter 'safe'"


def test_a_huge_loop_stops_at_the_iteration_limit():
    source = "{% for i in (1..100000000) %}x{% endfor %}"
    check_template(channel="sms", subject="", body_html="", body_text=source)  # valid Liquid

    with pytest.raises(RenderFailed) as caught:
        render_source(channel="sms", subject="", body_html="", body_text=source, context={})

    assert (caught.value.field, caught.value.message) == (
        "body_text",
        "body_text, line 1: loop iteration limit reached",
    )


def test_nested_loops_count_towards_the_same_limit():
    source = "{% for i in (1..1000) %}{% for j in (1..1000) %}x{% endfor %}{% endfor %}"

    with pytest.raises(RenderFailed) as caught:
        render_source(channel="sms", subject="", body_html="", body_text=source, context={})

    assert caught.value.message == "body_text, line 1: loop iteration limit reached"


def test_output_is_limited_in_size():
    source = (
        "{% capture k %}{% for i in (1..1000) %}x{% endfor %}{% endcapture %}"
        "{% for i in (1..1000) %}{{ k }}{% endfor %}"
    )

    with pytest.raises(RenderFailed) as caught:
        render_source(channel="sms", subject="", body_html="", body_text=source, context={})

    assert caught.value.message == "body_text, line 1: output stream limit reached"


def test_a_doubling_string_stops_at_the_local_namespace_limit():
    source = (
        "{% assign s = 'xxxxxxxxxxxxxxxx' %}"
        "{% for i in (1..20) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}"
    )

    with pytest.raises(RenderFailed) as caught:
        render_source(channel="sms", subject="", body_html="", body_text=source, context={})

    assert caught.value.message == "body_text, line 1: local namespace limit reached"


def test_a_model_instance_is_never_given_to_a_template(store):
    customer = data.customer(store)

    with pytest.raises(TypeError) as caught:
        render_source(
            channel="sms",
            subject="",
            body_html="",
            body_text="{{ customer.first_name }}",
            context={"customer": customer},
        )

    assert str(caught.value) == (
        "a Customer cannot be given to a message template; give plain data "
        "(see regulars.messaging.rendering.build_context)"
    )
