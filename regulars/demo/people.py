"""Generated but plausible people for the demo's CDNOW customers.

About 70 % write in English and live in a US (or Toronto) time zone, 15 % in Thai (Bangkok) and
15 % in Armenian (Yerevan), each with a name in their own script. E-mail addresses use the
reserved example domains, so nothing sent from the demo can reach a real inbox.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from regulars.commerce.models import Consent
from regulars.demo import names

LANGUAGE_WEIGHTS = (("en", 70), ("th", 15), ("hy", 15))
_US_ZONE_NAMES = tuple(zone for zone, _, _ in names.US_ZONES)
_US_ZONE_WEIGHTS = tuple(weight for _, weight, _ in names.US_ZONES)
_US_AREA_CODES = {zone: codes for zone, _, codes in names.US_ZONES}
# Exchanges 200-999 but never N11 (service codes) nor 555 (directory assistance).
_US_EXCHANGES = tuple(n for n in range(200, 1000) if n % 100 != 11 and n != 555)


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    email_name: str  # romanised, for the e-mail address
    language: str
    timezone: str
    phone_country: str  # "1", "66" or "374"
    area_codes: tuple[str, ...]


def _person(rng: random.Random) -> Person:
    language = rng.choices(
        [code for code, _ in LANGUAGE_WEIGHTS], [w for _, w in LANGUAGE_WEIGHTS]
    )[0]
    if language == "th":
        (first, first_latin), (last, last_latin) = (
            rng.choice(names.THAI_FIRST),
            rng.choice(names.THAI_LAST),
        )
        return Person(
            first,
            last,
            f"{first_latin}.{last_latin}",
            "th",
            "Asia/Bangkok",
            "66",
            names.THAI_MOBILE,
        )
    if language == "hy":
        (first, first_latin), (last, last_latin) = (
            rng.choice(names.ARMENIAN_FIRST),
            rng.choice(names.ARMENIAN_LAST),
        )
        return Person(
            first,
            last,
            f"{first_latin}.{last_latin}",
            "hy",
            "Asia/Yerevan",
            "374",
            names.ARMENIAN_MOBILE,
        )
    first, last = rng.choice(names.ENGLISH_FIRST), rng.choice(names.ENGLISH_LAST)
    zone = rng.choices(_US_ZONE_NAMES, _US_ZONE_WEIGHTS)[0]
    email_name = f"{first}.{last}".lower().replace("'", "")
    return Person(first, last, email_name, "en", zone, "1", _US_AREA_CODES[zone])


def _phone(rng: random.Random, person: Person) -> str:
    prefix = rng.choice(person.area_codes)
    if person.phone_country == "1":
        exchange = rng.choice(_US_EXCHANGES)
        return f"+1{prefix}{exchange}{rng.randrange(10_000):04d}"
    if person.phone_country == "66":
        return f"+66{prefix}{rng.randrange(10**7):07d}"
    return f"+374{prefix}{rng.randrange(10**6):06d}"


def _email(rng: random.Random, person: Person, number: int) -> str:
    # The CDNOW number keeps every address unique without looking like a serial.
    style = rng.randrange(3)
    local = person.email_name
    if style == 1:
        local = local.replace(".", "")
    elif style == 2:
        local = f"{local.split('.')[0][0]}{local.split('.')[1]}"
    return f"{local}{number}@{rng.choice(names.EMAIL_DOMAINS)}"


def _consents(rng: random.Random, row: dict, has_phone: bool, end: datetime) -> None:
    seen = row["first_seen_at"]
    span_days = max(1.0, (end - seen).total_seconds() / 86400 - 1)
    roll = rng.random()
    if roll < 0.62:
        row["email_consent"] = Consent.SUBSCRIBED
        row["email_consent_at"] = seen + timedelta(minutes=rng.randint(1, 30))
        row["email_consent_source"] = rng.choice(("checkout", "signup_form", "popup"))
    elif roll < 0.74:
        row["email_consent"] = Consent.UNSUBSCRIBED
        row["email_consent_at"] = seen + timedelta(days=rng.uniform(1, span_days))
        row["email_consent_source"] = "unsubscribe_link"
    roll = rng.random() if has_phone else 1.0
    if roll < 0.35:
        row["sms_consent"] = Consent.SUBSCRIBED
        row["sms_consent_at"] = seen + timedelta(minutes=rng.randint(1, 30))
        row["sms_consent_source"] = "checkout"
    elif roll < 0.40:
        row["sms_consent"] = Consent.UNSUBSCRIBED
        row["sms_consent_at"] = seen + timedelta(days=rng.uniform(1, span_days))
        row["sms_consent_source"] = "reply_stop"


def make_customer(
    rng: random.Random,
    *,
    pk: int,
    external_id: str,
    first_order_at: datetime,
    end: datetime,
    today: date,
) -> dict:
    """A customer row, first seen shortly before their first order (same visit for half)."""
    person = _person(rng)
    if rng.random() < 0.5:
        first_seen = first_order_at - timedelta(minutes=rng.uniform(2, 90))
    else:
        first_seen = first_order_at - timedelta(days=rng.uniform(0.1, 21))
    has_phone = rng.random() < 0.55
    birthday = None
    if rng.random() < 0.35:
        birthday = date(today.year - rng.randint(18, 72), rng.randint(1, 12), rng.randint(1, 28))
    row = {
        "id": pk,
        "external_id": external_id,
        "email": _email(rng, person, int(external_id)),
        "phone": _phone(rng, person) if has_phone else "",
        "first_name": person.first_name,
        "last_name": person.last_name,
        "language": person.language,
        "timezone": person.timezone,
        "birthday": birthday,
        "first_seen_at": first_seen,
        "email_consent": Consent.UNKNOWN,
        "email_consent_at": None,
        "email_consent_source": "",
        "sms_consent": Consent.UNKNOWN,
        "sms_consent_at": None,
        "sms_consent_source": "",
        "source_updated_at": first_seen,
    }
    _consents(rng, row, has_phone, end)
    return row
