from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "regulars.feedback"
    label = "feedback"
    verbose_name = "Feedback: surveys and product reviews"

    def ready(self) -> None:
        from regulars.core.events import subscribe

        # review_import_cli registers on import: `regulars import reviews`.
        from regulars.feedback import events, journey_links, review_import_cli, review_links  # noqa: F401
        from regulars.feedback.services import surveys, webhook

        # The journeys' data.feedback_url, feedback_scores and feedback_kind (delivery
        # follow-up), and the check of its `survey` setting.
        journey_links.register()
        # The journeys' data.review_url (review request) and "review posted" trigger.
        review_links.register()
        # The journeys' "survey answered" trigger.
        subscribe(events.SURVEY_ANSWERED, surveys.on_survey_answered)
        # The outgoing webhook: review.published, and survey.detractor on a first answer.
        subscribe(events.REVIEW_PUBLISHED, webhook.on_review_published)
        subscribe(events.SURVEY_ANSWERED, webhook.on_survey_answered)
