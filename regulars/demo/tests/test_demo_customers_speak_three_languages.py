"""Customers write English, Thai or Armenian, with names in their script and matching zones."""

from collections import Counter

import phonenumbers
from django.core.validators import validate_email

from regulars.commerce.models import Customer


def _in_block(text: str, first: int, last: int) -> bool:
    return bool(text) and all(first <= ord(char) <= last for char in text)


def test_languages_are_mostly_english_with_thai_and_armenian(build):
    store = build(customers=2000).store

    shares = Counter(Customer.objects.filter(store=store).values_list("language", flat=True))

    assert set(shares) == {"en", "th", "hy"}
    assert 0.64 < shares["en"] / 2000 < 0.76
    assert 0.11 < shares["th"] / 2000 < 0.19
    assert 0.11 < shares["hy"] / 2000 < 0.19


def test_thai_and_armenian_customers_have_names_in_their_own_script(demo):
    customers = Customer.objects.filter(store=demo)
    thai, armenian = customers.filter(language="th"), customers.filter(language="hy")

    assert thai.exists() and armenian.exists()
    assert [c.pk for c in thai if not _in_block(c.first_name + c.last_name, 0x0E00, 0x0E7F)] == []
    assert [
        c.pk for c in armenian if not _in_block(c.first_name + c.last_name, 0x0530, 0x058F)
    ] == []
    assert [c.pk for c in customers.filter(language="en") if not c.first_name.isascii()] == []


def test_time_zones_match_the_language(demo):
    zones = {
        language: set(
            Customer.objects.filter(store=demo, language=language).values_list(
                "timezone", flat=True
            )
        )
        for language in ("en", "th", "hy")
    }

    assert zones["th"] == {"Asia/Bangkok"}
    assert zones["hy"] == {"Asia/Yerevan"}
    assert all(zone.startswith("America/") for zone in zones["en"])


def test_emails_are_unique_valid_and_on_reserved_example_domains(demo):
    emails = list(Customer.objects.filter(store=demo).values_list("email", flat=True))

    for email in emails:
        validate_email(email)
    assert len(set(emails)) == len(emails) == 300
    assert {email.rsplit("@", 1)[1] for email in emails} <= {
        "example.com",
        "example.net",
        "example.org",
    }


def test_phones_are_valid_e164_numbers_of_the_customers_country(demo):
    country = {"en": 1, "th": 66, "hy": 374}
    phones = Customer.objects.filter(store=demo).exclude(phone="").values_list("language", "phone")
    wrong = []
    for language, phone in phones:
        number = phonenumbers.parse(phone, None)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if (
            not phonenumbers.is_valid_number(number)
            or e164 != phone
            or number.country_code != country[language]
        ):
            wrong.append(phone)

    assert 100 < len(phones) < 250
    assert wrong == []


def test_some_customers_have_birthdays_and_consents_carry_time_and_source(demo):
    customers = Customer.objects.filter(store=demo)

    assert 50 < customers.exclude(birthday=None).count() < 160
    subscribed = customers.filter(email_consent="subscribed")
    assert subscribed.count() > 100
    assert subscribed.filter(email_consent_at=None).count() == 0
    assert subscribed.filter(email_consent_source="").count() == 0
    assert customers.filter(sms_consent="subscribed").filter(phone="").count() == 0
    assert customers.filter(email_consent="unknown").exclude(email_consent_at=None).count() == 0
