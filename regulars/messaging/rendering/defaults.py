"""The built-in templates: the test message every store starts with, and those later apps add.

`ensure_default_templates` (services/templates.py) copies them into a store without ever
overwriting a merchant's edit. Messaging cannot import the apps above it, so they register
their built-ins here from `AppConfig.ready()` (journeys: journeys/templates_library/).
E-mails leave `body_text` empty: the plain-text part is derived from the HTML.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from regulars.core.errors import RegularsError
from regulars.messaging.models import Channel, Purpose


@dataclass(frozen=True)
class DefaultTemplate:
    key: str
    channel: str
    language: str
    purpose: str
    name: str
    subject: str = ""
    body_html: str = ""
    body_text: str = ""


TEST_MESSAGE = "test_message"

_EMAIL_HTML = """<p>{greeting}</p>
<p>{body}</p>
<p>{signature}<br>{{{{ store.name }}}}</p>
"""


def _email(language, name, subject, greeting, body, signature) -> DefaultTemplate:
    return DefaultTemplate(
        key=TEST_MESSAGE,
        channel=Channel.EMAIL,
        language=language,
        purpose=Purpose.TRANSACTIONAL,
        name=name,
        subject=subject,
        body_html=_EMAIL_HTML.format(greeting=greeting, body=body, signature=signature),
    )


def _sms(language, name, text) -> DefaultTemplate:
    return DefaultTemplate(
        key=TEST_MESSAGE,
        channel=Channel.SMS,
        language=language,
        purpose=Purpose.TRANSACTIONAL,
        name=name,
        body_text=text,
    )


DEFAULT_TEMPLATES: list[DefaultTemplate] = [
    _email(
        "en",
        "Test message",
        "Test message from {{ store.name }}",
        "Hello{% if customer.first_name != blank %} {{ customer.first_name }}{% endif %},",
        "This is a test message from {{ store.name }}. If you can read it, e-mail from "
        "the store reaches you.",
        "Best regards,",
    ),
    _email(
        "th",
        "ข้อความทดสอบ",
        "ข้อความทดสอบจาก {{ store.name }}",
        "สวัสดีคุณ{{ customer.first_name }}",
        "นี่คือข้อความทดสอบจาก {{ store.name }} หากคุณอ่านข้อความนี้ได้ แสดงว่าอีเมลจากร้านส่งถึงคุณเรียบร้อยแล้ว",
        "ขอแสดงความนับถือ",
    ),
    _email(
        "hy",
        "Փորձնական հաղորդագրություն",
        "Փորձնական հաղորդագրություն՝ {{ store.name }}",
        "Բարև ձեզ{% if customer.first_name != blank %}, {{ customer.first_name }}{% endif %}։",
        "Սա փորձնական հաղորդագրություն է {{ store.name }} խանութից։ Եթե կարդում եք այն, "
        "ուրեմն խանութի նամակները հասնում են ձեզ։",
        "Հարգանքով՝",
    ),
    _sms(
        "en",
        "Test message",
        "{{ store.name }}: this is a test message. If you can read it, SMS from the store "
        "reaches you.",
    ),
    _sms(
        "th",
        "ข้อความทดสอบ",
        "{{ store.name }}: สวัสดีคุณ{{ customer.first_name }} นี่คือข้อความทดสอบ "
        "หากคุณอ่านข้อความนี้ได้ แสดงว่า SMS จากร้านส่งถึงคุณแล้ว",
    ),
    _sms(
        "hy",
        "Փորձնական հաղորդագրություն",
        "Սա փորձնական հաղորդագրություն է {{ store.name }} խանութից։ Եթե կարդում եք այն, "
        "ուրեմն խանութի SMS-ները հասնում են ձեզ։",
    ),
]


# Every registered built-in by (key, channel, language), in the order registered.
_REGISTRY: dict[tuple[str, str, str], DefaultTemplate] = {}


def register_default_templates(templates: Iterable[DefaultTemplate]) -> None:
    """Add built-ins that stores get when asked for by key. Registering the same (key,
    channel, language) again keeps one: the latest text."""
    for template in templates:
        _REGISTRY[(template.key, template.channel, template.language)] = template


def default_templates(keys: Iterable[str] | None = None) -> list[DefaultTemplate]:
    """The registered built-ins with `keys`; without keys, the ones every store starts with
    (`DEFAULT_TEMPLATES`: a later app's built-ins arrive only when its feature asks for them).
    An unknown key raises RegularsError naming it, rather than quietly giving nothing."""
    if keys is None:
        return list(DEFAULT_TEMPLATES)
    wanted = {keys} if isinstance(keys, str) else set(keys)
    unknown = wanted - {key for key, _, _ in _REGISTRY}
    if unknown:
        names = ", ".join(repr(key) for key in sorted(unknown))
        raise RegularsError(f"keys: no built-in template has the key {names}", field="keys")
    return [template for template in _REGISTRY.values() if template.key in wanted]


register_default_templates(DEFAULT_TEMPLATES)
