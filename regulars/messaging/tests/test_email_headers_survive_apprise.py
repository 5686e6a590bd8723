"""Apprise's e-mail plugin switches the process-wide UTF-8 charset to quoted-printable when it
loads; the e-mail channel puts Python's own back, so a worker that has sent an SMS still
writes Thai subjects the same way (base64 encoded words, the shorter)."""

import apprise
import pytest
from django.core.mail import EmailMultiAlternatives

from regulars.messaging.channels.email import EmailSender

pytestmark = pytest.mark.django_db

THAI = "ขอบคุณสำหรับคำสั่งซื้อของคุณ"


def test_a_thai_subject_is_base64_encoded_after_apprise_has_loaded(store):
    apprise.Apprise().add("json://127.0.0.1:9/sms")  # loads every Apprise plugin
    EmailSender(None, store).close()

    subject = EmailMultiAlternatives(subject=THAI, body="x", to=["a@example.com"]).message()[
        "Subject"
    ]

    assert str(subject).startswith("=?utf-8?b?")
