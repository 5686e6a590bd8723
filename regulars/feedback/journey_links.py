"""The survey links in journey messages, registered with journeys.steps.register_link:

- `data.feedback_url`: the NPS survey page of the enrollment's send;
- `data.feedback_scores`: [{"score": 0, "url": ...}, ... {"score": 10, ...}], one link per
  score, for the one-tap buttons of the delivery follow-up e-mail.

Journeys build every registered link for every message they send, so the links are made only
for the journeys that carry a survey (SURVEY_JOURNEYS); others get "" and [], and their
messages create no SurveySend. One send per enrollment (key "journey:<enrollment id>"), so a
message rendered again links to the same answer. The dashboard's preview renders an unsaved
enrollment: it gets links of the right shape that lead nowhere, and nothing is written.
"""

from django.conf import settings
from django.urls import reverse

from regulars.feedback.models import SurveySend
from regulars.feedback.services import surveys
from regulars.journeys.models import Enrollment
from regulars.journeys.steps import register_link

# The built-in journeys whose messages ask the NPS question (post-support will join them).
SURVEY_JOURNEYS = frozenset({"delivery_followup"})
_PREVIEW_TOKEN = "preview"
_CACHE = "_feedback_survey_send"


def feedback_url(enrollment: Enrollment) -> str:
    if enrollment.pk is None:
        return _preview_url() if _carries_survey(enrollment) else ""
    send = _send(enrollment)
    return surveys.survey_link(send) if send is not None else ""


def feedback_scores(enrollment: Enrollment) -> list[dict]:
    if enrollment.pk is None:
        if not _carries_survey(enrollment):
            return []
        return [{"score": n, "url": f"{_preview_url()}?score={n}"} for n in range(0, 11)]
    send = _send(enrollment)
    return surveys.score_links(send) if send is not None else []


def _carries_survey(enrollment: Enrollment) -> bool:
    return enrollment.journey.key in SURVEY_JOURNEYS


def _preview_url() -> str:
    return settings.BASE_URL + reverse("feedback:survey", args=[_PREVIEW_TOKEN])


def _send(enrollment: Enrollment) -> SurveySend | None:
    """The enrollment's send of the store's NPS survey (None when the journey carries no
    survey or the store switched the survey off); kept on the enrollment object, which both
    links of one message share."""
    if _CACHE in enrollment.__dict__:
        return enrollment.__dict__[_CACHE]
    send = None
    if _carries_survey(enrollment):
        survey = surveys.ensure_surveys(enrollment.journey.store)[surveys.NPS]
        if survey.enabled:
            send = surveys.do_send_for(
                survey,
                enrollment.customer,
                f"journey:{enrollment.pk}",
                order=enrollment.order,
                channel=enrollment.journey.settings.get("channel") or "email",
                source=f"journey:{enrollment.journey.key}",
            )
    enrollment.__dict__[_CACHE] = send
    return send


def register() -> None:
    register_link("feedback_url", feedback_url)
    register_link("feedback_scores", feedback_scores)
