"""Mail scanners open the links of a message before the customer does. A score link opened by a
known scanner or previewer, or without a User-Agent, records nothing; what the customer chooses
on the survey page (a POST, which scanners do not send) outlasts the links opened later; and a
detractor's alert is not sent when the score was changed before it left. A person's taps in the
e-mail still answer in one tap, and a second tap still changes the answer."""

from datetime import UTC, datetime

import pytest

from regulars.feedback.models import FollowUp, SurveyAnswer
from regulars.feedback.scanners import is_link_scanner
from regulars.feedback.services import surveys
from regulars.feedback.tests.survey_data import PHONE_BROWSER, customer, nps_send, page_path
from regulars.insights.models import SurveyResponse

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)

SCANNERS = [
    "",
    "Mozilla/4.0 (compatible; ms-office; MSOffice 16)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
    "Mozilla/5.0 (compatible; Barracuda Sentinel (EE))",
    "Proofpoint URL Defense",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/124.0.0.0 Safari/537.36",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "WhatsApp/2.23.20.0 A",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "Go-http-client/1.1",
]
PEOPLE = [
    PHONE_BROWSER,
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Linux; Android 9; CUBOT_X19) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36",
]


@pytest.mark.parametrize("agent", SCANNERS)
def test_a_scanner_opening_a_score_link_records_nothing(client, store, agent):
    send = nps_send(store, customer(store))

    page = client.get(page_path(send, 0), HTTP_USER_AGENT=agent)

    assert page.status_code == 200
    assert 'aria-pressed="true"' not in page.content.decode()
    assert not SurveyAnswer.objects.exists() and not SurveyResponse.objects.exists()
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("agent", PEOPLE)
def test_a_persons_browser_is_no_scanner(agent):
    assert not is_link_scanner(agent)


def test_a_person_still_answers_in_one_tap_and_a_second_tap_changes_it(client, store):
    send = nps_send(store, customer(store))

    client.get(page_path(send, 3))
    client.get(page_path(send, 8))

    assert SurveyAnswer.objects.get().score == 8
    assert SurveyResponse.objects.get().score == 8


def _tap_on_page(client, send, score):
    return client.post(page_path(send), {"score": str(score)})


def test_a_score_chosen_on_the_page_outlasts_links_opened_later(client, store):
    send = nps_send(store, customer(store))
    client.get(page_path(send, 2))  # the tap in the e-mail

    chosen = _tap_on_page(client, send, 7)  # then a change of mind, on the page
    assert chosen.status_code == 303
    assert chosen["Location"] == page_path(send)  # back to the page, not the thank-you
    # Later every link of the message is opened again (a scanner that passes for a browser).
    for score in range(11):
        later = client.get(page_path(send, score))
        assert later.status_code == 200

    answer = SurveyAnswer.objects.get()
    assert answer.score == 7 and answer.confirmed_at is not None
    assert SurveyResponse.objects.get().score == 7
    body = later.content.decode()
    assert "You chose 7 on this page, so we kept that answer." in body
    assert 'value="7" aria-pressed="true"' in body

    _tap_on_page(client, send, 10)  # the page itself still changes it
    assert SurveyAnswer.objects.get().score == 10


def test_the_reason_sent_from_the_page_confirms_the_score(client, store):
    send = nps_send(store, customer(store))
    client.get(page_path(send, 4))

    client.post(page_path(send), {"comment": "Slow, but it came"})
    client.get(page_path(send, 10))

    answer = SurveyAnswer.objects.get()
    assert (answer.score, answer.comment) == (4, "Slow, but it came")


def test_a_score_button_keeps_the_reason_being_typed(client, store):
    send = nps_send(store, customer(store))
    client.get(page_path(send, 5))

    client.post(page_path(send), {"score": "6", "comment": "Half of it was missing"})

    answer = SurveyAnswer.objects.get()
    assert (answer.score, answer.comment) == (6, "Half of it was missing")


def test_no_alert_when_the_score_is_no_longer_a_detractors_when_it_would_leave(
    store, smtp_server, database_queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from regulars.feedback.tasks import send_detractor_alert

    send = nps_send(store, customer(store))
    # A scanner passing for a browser opens every button, 0 to 10, within seconds.
    with django_capture_on_commit_callbacks(execute=True):
        for score in range(11):
            surveys.do_answer(send, score=score, now=NOW)

    [queued] = DBTaskResult.objects.filter(task_path__endswith="send_detractor_alert")
    send_detractor_alert.call(*queued.args_kwargs["args"])  # the worker, five minutes later

    assert smtp_server.received == []
    assert SurveyAnswer.objects.get().score == 10
