"""The demo store starts with the built-in message templates, so "send me a test" and the
template editor work at the first login."""

from regulars.messaging.models import Template


def test_the_demo_store_has_the_test_message_in_three_languages_for_email_and_sms(demo):
    templates = set(
        Template.objects.filter(store=demo, key="test_message").values_list("channel", "language")
    )

    assert templates == {(c, lang) for c in ("email", "sms") for lang in ("en", "th", "hy")}
