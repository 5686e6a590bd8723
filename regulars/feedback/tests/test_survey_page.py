"""The survey page /f/s/<token>/: one-tap scores (buttons of one form on the page, links in the
e-mail), the reason form (CSRF), the thank-you state,
the promoter's review invitation and the detractor's apology, in the customer's language, and
a clear message (nothing recorded) for a score that is not on the scale."""

import html
import re

import pytest

from regulars.feedback.models import SurveyAnswer
from regulars.feedback.tests.survey_data import (
    PHONE_BROWSER,
    csat_send,
    customer,
    nps_send,
    order_with_product,
    page_path,
)
from regulars.insights.models import SurveyResponse


@pytest.fixture(autouse=True)
def _links(settings):
    settings.BASE_URL = "https://regulars.example"


def _text(response) -> str:
    """The page as read (entities such as &#x27; unescaped)."""
    return html.unescape(response.content.decode())


SCORE_BUTTON = re.compile(r'<button type="submit" name="score" value="(\d+)"')


def test_the_page_offers_every_score_as_a_button_that_works_without_javascript(client, store):
    send = nps_send(store, customer(store))

    page = client.get(page_path(send))

    assert page.status_code == 200
    body = _text(page)
    assert "How likely are you to recommend Vinyl Corner to a friend or colleague?" in body
    assert SCORE_BUTTON.findall(body) == [str(n) for n in range(11)]
    assert 'aria-pressed="true"' not in body
    assert "<script" not in body
    assert 'name="comment"' not in body  # no reason box before a score
    assert page["Content-Language"] == "en"
    assert not SurveyAnswer.objects.exists()


def test_a_csat_page_has_five_scores(client, store):
    page = client.get(page_path(csat_send(store, customer(store))))

    assert SCORE_BUTTON.findall(_text(page)) == ["1", "2", "3", "4", "5"]
    assert "Very satisfied" in _text(page)


def test_a_score_that_is_not_on_the_scale_gets_a_clear_message_and_records_nothing(client, store):
    send = nps_send(store, customer(store))

    for garbage in ("11", "-3", "ten", "5;DROP", "%00"):
        page = client.get(page_path(send, garbage))
        assert page.status_code == 400, garbage
        assert "That score is not on the scale: choose a number from 0 to 10." in _text(page)

    assert not SurveyAnswer.objects.exists() and not SurveyResponse.objects.exists()


def test_a_head_request_records_nothing(client, store):
    send = nps_send(store, customer(store))

    client.head(page_path(send, 4))

    assert not SurveyAnswer.objects.exists()


def test_the_reason_is_posted_with_csrf_and_the_thank_you_follows(store):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=PHONE_BROWSER)
    send = nps_send(store, customer(store))
    page = browser.get(page_path(send, 8))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _text(page)).group(1)

    forged = browser.post(page_path(send), {"comment": "no token"})
    assert forged.status_code == 403
    assert SurveyAnswer.objects.get().comment == ""

    posted = browser.post(
        page_path(send), {"comment": "Quick <b>delivery</b>", "csrfmiddlewaretoken": token}
    )
    assert posted.status_code == 303
    thanks = browser.get(posted["Location"])
    assert "Thank you!" in _text(thanks)
    assert SurveyAnswer.objects.get().comment == "Quick <b>delivery</b>"
    again = browser.get(page_path(send))
    assert "Quick &lt;b&gt;delivery&lt;/b&gt;" in again.content.decode()  # shown as text


def test_a_reason_without_a_score_is_refused_on_the_page(client, store):
    send = nps_send(store, customer(store))

    page = client.post(page_path(send), {"comment": "Hello"})

    assert page.status_code == 400
    assert "Please choose a score first." in _text(page)
    assert not SurveyAnswer.objects.exists()


def test_a_promoter_is_invited_to_review_the_order(client, store):
    ana = customer(store)
    send = nps_send(store, ana, order=order_with_product(store, ana))

    page = client.get(page_path(send, 10))

    body = _text(page)
    assert "Would you tell other shoppers what you think?" in body
    link = re.search(r'<a class="button" href="([^"]+)">Write a review</a>', body).group(1)
    from regulars.feedback import links

    review = links.read_review_token(link.rstrip("/").rsplit("/", 1)[1])
    assert (review.store_id, review.order_id, review.customer_id) == (
        store.pk,
        send.order_id,
        ana.pk,
    )


def test_a_promoter_without_an_order_is_only_thanked(client, store):
    page = client.get(page_path(nps_send(store, customer(store)), 9))

    assert "Write a review" not in _text(page)


def test_a_detractor_sees_an_apology_and_no_review_invitation(client, store):
    ana = customer(store)
    send = nps_send(store, ana, order=order_with_product(store, ana))

    page = client.get(page_path(send, 2))

    body = _text(page)
    assert "We're sorry we let you down." in body
    assert "Write a review" not in body


@pytest.mark.parametrize(
    ("language", "question", "apology", "bad_score"),
    [
        (
            "th",
            "คุณมีแนวโน้มจะแนะนำ Vinyl Corner ให้เพื่อนหรือคนรู้จักมากน้อยแค่ไหนคะ",
            "ขออภัยที่ทำให้คุณผิดหวังค่ะ",
            "กรุณาเลือกตัวเลขตั้งแต่ 0 ถึง 10 ค่ะ",
        ),
        (
            "hy",
            "Որքա՞ն հավանական է, որ Vinyl Corner խանութը խորհուրդ տաք ընկերոջը կամ գործընկերոջը։",
            "Ներողություն ենք խնդրում, որ հիասթափեցրինք ձեզ։",
            "ընտրեք թիվ 0-ից 10։",
        ),
    ],
)
def test_the_page_speaks_the_customers_language(
    client, store, language, question, apology, bad_score
):
    send = nps_send(store, customer(store, language=language))

    first = client.get(page_path(send))
    tapped = client.get(page_path(send, 3))
    refused = client.get(page_path(send, 42))

    assert question in _text(first)
    assert f'<html lang="{language}">' in _text(first)
    assert first["Content-Language"] == language
    assert apology in _text(tapped)
    assert bad_score in _text(refused)
    assert SurveyAnswer.objects.get().language == language


def test_the_stores_own_wording_replaces_the_default_question(client, store):
    send = nps_send(store, customer(store))
    send.survey.question = "Would you send a friend our way?"
    send.survey.save()

    assert "Would you send a friend our way?" in _text(client.get(page_path(send)))
