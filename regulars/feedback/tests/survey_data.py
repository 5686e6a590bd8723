"""Customers, orders and survey sends for the survey tests, made through the services the
product uses (commerce's upserts, surveys.do_send_for).

The real SMTP server (`smtp_server`) and the Shopify fixtures are in conftest.py.
"""

import re
from email.message import EmailMessage
from html import unescape

from regulars.feedback.models import SurveySend
from regulars.feedback.services import surveys
from regulars.messaging.tests import rendering_data as data
from regulars.messaging.tests.link_pages import path_of

# A person's browser on a phone (the survey page records no tap without a User-Agent).
PHONE_BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


def customer(store, external_id: str = "ana", *, language: str = "en", **fields):
    return data.customer(
        store, external_id, first_name=external_id.capitalize(), language=language, **fields
    )


def order_with_product(store, customer, external_id: str = "1001"):
    """A paid order of `customer` with one line of a product of the store."""
    data.product(store, f"lp-{external_id}", "Blue Train LP", price="25.00")
    return data.order(store, external_id, customer.external_id, [(f"lp-{external_id}", 1)])


def nps_send(store, customer, key: str = "test:1", *, order=None) -> SurveySend:
    survey = surveys.ensure_surveys(store)[surveys.NPS]
    return surveys.do_send_for(survey, customer, key, order=order, source="test")


def csat_send(store, customer, key: str = "test:csat:1", *, order=None) -> SurveySend:
    survey = surveys.ensure_surveys(store)[surveys.CSAT]
    return surveys.do_send_for(survey, customer, key, order=order, source="test")


def page_path(send: SurveySend, score: int | str | None = None) -> str:
    """The path of the send's survey page (with `?score=`), for the test client."""
    path = path_of(surveys.survey_link(send))
    return path if score is None else f"{path}?score={score}"


def html_of(mail: EmailMessage) -> str:
    return mail.get_body(preferencelist=("html",)).get_content()


def text_of(mail: EmailMessage) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()


def score_links(html: str) -> dict[int, str]:
    """The one-tap links of an e-mail's score buttons, by score (href unescaped)."""
    found = re.findall(r'<a href="([^"]+)"[^>]*>(\d{1,2})</a>', html)
    return {int(score): unescape(href) for href, score in found}
