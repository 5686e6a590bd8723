"""Shared steps of the journeys tests: switch a journey on, let the worker do its rounds."""

from datetime import datetime
from email.message import EmailMessage

from django.utils import timezone

from regulars.journeys.runner import run_due
from regulars.journeys.schedule import evaluate_time_triggers
from regulars.journeys.services import do_set_journey_enabled, do_update_journey_settings
from regulars.messaging.services.sending import dispatch_due


def switch_on(store, key: str, **settings):
    if settings:
        do_update_journey_settings(store, key, settings)
    return do_set_journey_enabled(store, key, True)


def worker_round(now: datetime | None = None) -> None:
    """What the worker's tick does: time-based triggers, due steps, due messages."""
    now = now or timezone.now()
    evaluate_time_triggers(now)
    while run_due(now=now):
        pass
    while dispatch_due(now=now):
        pass


def emails(smtp_server) -> list[EmailMessage]:
    return smtp_server.messages()


def html_of(mail: EmailMessage) -> str:
    return mail.get_body(preferencelist=("html",)).get_content()


def text_of(mail: EmailMessage) -> str:
    return mail.get_body(preferencelist=("plain",)).get_content()
