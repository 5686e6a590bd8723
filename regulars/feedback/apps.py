from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "regulars.feedback"
    label = "feedback"
    verbose_name = "Feedback: surveys and product reviews"
