"""The survey links in journey messages, registered with journeys.steps.register_link:

- `data.feedback_url`: the survey page of the enrollment's send;
- `data.feedback_scores`: [{"score": 0, "url": ...}, ... {"score": 10, ...}], one link per
  score, for the one-tap buttons of the delivery follow-up e-mail: 0-10 for NPS, 1-5 for CSAT,
  none for a custom survey (its questions are answered on the page: only the link);
- `data.feedback_kind`: "nps", "csat" or "custom", for the template's wording of the buttons.

Which survey: the journey's setting `survey` (the key of one of the store's surveys, "nps" by
default), checked when it is set (`check_journey_survey`, registered with journeys).

Journeys build every registered link for every message they send, so the links are made only
for the journeys that carry a survey (SURVEY_JOURNEYS); others get "" and [], and their
messages create no SurveySend. One send per enrollment (key "journey:<enrollment id>"), so a
message rendered again links to the same answer. The dashboard's preview renders an unsaved
enrollment: it gets links of the right shape that lead nowhere, and nothing is written.
"""

from django.conf import settings
from django.urls import reverse

from regulars.core.errors import RegularsError
from regulars.feedback.models import Survey, SurveyKind, SurveySend
from regulars.feedback.services import surveys
from regulars.feedback.services.survey_checks import SCALES
from regulars.journeys.library import register_setting_check
from regulars.journeys.models import Enrollment
from regulars.journeys.steps import register_link

# The built-in journeys whose messages ask a survey (post-support will join them).
SURVEY_JOURNEYS = frozenset({"delivery_followup"})
SURVEY_SETTING = "survey"
_PREVIEW_TOKEN = "preview"
_CACHE = "_feedback_survey_send"


def feedback_url(enrollment: Enrollment) -> str:
    if enrollment.pk is None:
        return _preview_url() if _preview_kind(enrollment) else ""
    send = _send(enrollment)
    return surveys.survey_link(send) if send is not None else ""


def feedback_scores(enrollment: Enrollment) -> list[dict]:
    if enrollment.pk is None:
        scale = SCALES.get(_preview_kind(enrollment))
        if scale is None:
            return []
        low, high = scale
        return [{"score": n, "url": f"{_preview_url()}?score={n}"} for n in range(low, high + 1)]
    send = _send(enrollment)
    if send is None or send.survey.kind not in SCALES:
        return []
    return surveys.score_links(send)


def feedback_kind(enrollment: Enrollment) -> str:
    if enrollment.pk is None:
        return _preview_kind(enrollment)
    send = _send(enrollment)
    return send.survey.kind if send is not None else ""


def _carries_survey(enrollment: Enrollment) -> bool:
    return enrollment.journey.key in SURVEY_JOURNEYS


def _survey_key(enrollment: Enrollment) -> str:
    return enrollment.journey.settings.get(SURVEY_SETTING) or surveys.NPS


def _preview_url() -> str:
    return settings.BASE_URL + reverse("feedback:survey", args=[_PREVIEW_TOKEN])


def _preview_kind(enrollment: Enrollment) -> str:
    """The kind of the journey's survey, read without writing (the preview writes nothing)."""
    if not _carries_survey(enrollment):
        return ""
    key = _survey_key(enrollment)
    found = (
        Survey.objects.filter(store_id=enrollment.journey.store_id, key=key)
        .values_list("kind", "enabled")
        .first()
    )
    if found is None:
        return str(surveys.BUILT_IN[key][0]) if key in surveys.BUILT_IN else ""
    kind, enabled = found
    return kind if enabled else ""


def _send(enrollment: Enrollment) -> SurveySend | None:
    """The enrollment's send of the journey's survey (None when the journey carries no survey,
    or the store switched that survey off or no longer has it); kept on the enrollment object,
    which every link of one message shares."""
    if _CACHE in enrollment.__dict__:
        return enrollment.__dict__[_CACHE]
    send = None
    if _carries_survey(enrollment):
        survey = _journey_survey(enrollment)
        if survey is not None and survey.enabled:
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


def _journey_survey(enrollment: Enrollment) -> Survey | None:
    store = enrollment.journey.store
    key = _survey_key(enrollment)
    if key in surveys.BUILT_IN:
        return surveys.ensure_surveys(store)[key]
    return Survey.objects.filter(store=store, key=key).first()


def check_journey_survey(store, value) -> str:
    """The `survey` setting of a journey: the key of one of the store's surveys that is
    switched on (empty: "nps"). A RegularsError naming the setting otherwise."""
    if value in (None, ""):
        return surveys.NPS
    key = value.strip().lower() if isinstance(value, str) else value
    if not isinstance(key, str):
        raise RegularsError("survey: the key of one of the store's surveys.", field=SURVEY_SETTING)
    survey = None
    if store is not None:
        if key in surveys.BUILT_IN:
            survey = surveys.ensure_surveys(store)[key]
        else:
            survey = Survey.objects.filter(store=store, key=key).first()
    if survey is None:
        keys = [*surveys.BUILT_IN]
        if store is not None:
            keys += list(
                Survey.objects.filter(store=store, kind=SurveyKind.CUSTOM)
                .order_by("key")
                .values_list("key", flat=True)[:20]
            )
        raise RegularsError(
            f"survey: the store has no survey {value!r}; use one of {', '.join(keys)}.",
            field=SURVEY_SETTING,
        )
    if not survey.enabled:
        raise RegularsError(
            f"survey: {key!r} is switched off; switch it on (Feedback → Surveys) first.",
            field=SURVEY_SETTING,
        )
    return key


def register() -> None:
    register_link("feedback_url", feedback_url)
    register_link("feedback_scores", feedback_scores)
    register_link("feedback_kind", feedback_kind)
    register_setting_check(SURVEY_SETTING, check_journey_survey)
