"""The signed links of feedback, as in messaging/links.py: the token is the only authentication
of the public page it opens, so it carries what the page acts on and cannot be altered, reused
for another customer or guessed (django.core.signing, a salt per purpose).

A survey token names one SurveySend (its customer and store come from the row); a review token
names an order and its customer. Neither expires: a customer may answer late, and a link
answered once is still only ever the same customer's answer (a second use updates it).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from regulars.core.errors import CoreErrorCode, RegularsError

_SALT_SURVEY = "regulars.feedback.survey"
_SALT_REVIEW = "regulars.feedback.review"


class BadLink(RegularsError):
    """A forged, altered or wrong-purpose token. Deliberately says no more than that."""

    def __init__(self):
        super().__init__("This link is not valid.", code=CoreErrorCode.NOT_FOUND)


@dataclass(frozen=True)
class SurveyToken:
    store_id: int
    send_id: int


@dataclass(frozen=True)
class ReviewToken:
    store_id: int
    order_id: int
    customer_id: int


def _sign(payload: list, salt: str) -> str:
    return signing.Signer(salt=salt).sign_object(payload, compress=True)


def _unsign(token: str, salt: str, length: int) -> list:
    try:
        payload = signing.Signer(salt=salt).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadLink() from None
    if not (isinstance(payload, list) and len(payload) == length):
        raise BadLink()
    if not all(isinstance(part, int) for part in payload):
        raise BadLink()
    return payload


def survey_token(store_id: int, send_id: int) -> str:
    return _sign([store_id, send_id], _SALT_SURVEY)


def read_survey_token(token: str) -> SurveyToken:
    return SurveyToken(*_unsign(token, _SALT_SURVEY, 2))


def review_token(store_id: int, order_id: int, customer_id: int) -> str:
    return _sign([store_id, order_id, customer_id], _SALT_REVIEW)


def read_review_token(token: str) -> ReviewToken:
    return ReviewToken(*_unsign(token, _SALT_REVIEW, 3))


def survey_url(store_id: int, send_id: int, score: int | None = None) -> str:
    """The survey page; with `score`, the one-tap link that records that score as it opens."""
    url = settings.BASE_URL + reverse("feedback:survey", args=[survey_token(store_id, send_id)])
    return url if score is None else f"{url}?score={score}"


def review_url(store_id: int, order_id: int, customer_id: int) -> str:
    return settings.BASE_URL + reverse(
        "feedback:review", args=[review_token(store_id, order_id, customer_id)]
    )
