"""NPS and CSAT answers given elsewhere (a support tool, a call centre) and sent through the API:
kept as insights' SurveyResponse, which the figures and the NPS trend read.

Idempotent on the sender's `external_id` (unique per store): the same id again corrects the
kept answer. Ids of answers Regulars' own surveys or a CSV import wrote cannot be taken over.
These answers are figures only: they are not in the inbox and send no webhook (there is no
survey send behind them to reply to).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from regulars.core.errors import RegularsError
from regulars.insights.models import SCORE_RANGE, SurveyKind, SurveyResponse

API_SOURCE = "api"


def access_responses(
    store,
    *,
    kind: str = "",
    customer_id: int | None = None,
    customer_external_id: str = "",
    source: str = "",
    since: datetime | None = None,
):
    responses = SurveyResponse.objects.filter(store=store).select_related("customer", "order")
    if kind:
        responses = responses.filter(kind=kind)
    if customer_id:
        responses = responses.filter(customer_id=customer_id)
    if customer_external_id:
        responses = responses.filter(customer__external_id=customer_external_id)
    if source:
        responses = responses.filter(source=source)
    if since is not None:
        responses = responses.filter(answered_at__gte=since)
    return responses.order_by("-answered_at", "-pk")


def check_score(kind: str, score: int) -> None:
    low, high = SCORE_RANGE[SurveyKind(kind)]
    if not low <= score <= high:
        raise RegularsError(
            f"A {kind.upper()} score is a whole number from {low} to {high}; {score} is not.",
            field="score",
        )


@dataclass
class Recorded:
    response: SurveyResponse
    created: bool


def do_record_response(
    store,
    customer,
    *,
    kind: str,
    score: int,
    external_id: str,
    answered_at: datetime,
    comment: str = "",
    channel: str = "",
    order=None,
) -> Recorded:
    check_score(kind, score)
    values = {
        "customer": customer,
        "order": order,
        "kind": kind,
        "score": score,
        "comment": comment,
        "channel": channel,
        "answered_at": answered_at,
    }
    for _ in range(2):  # a concurrent first insert of the same id: read it back once
        existing = SurveyResponse.objects.filter(store=store, external_id=external_id).first()
        if existing is not None:
            if existing.source != API_SOURCE:
                raise RegularsError(
                    f"The id {external_id!r} belongs to an answer recorded by "
                    f"{'a survey of Regulars' if existing.source == 'survey' else 'an import'}; "
                    "give an id of your own.",
                    field="external_id",
                )
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            return Recorded(existing, created=False)
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    store=store, external_id=external_id, source=API_SOURCE, **values
                )
            return Recorded(response, created=True)
        except IntegrityError:
            continue
    raise RegularsError("The answer could not be recorded; send it again.", field="external_id")
