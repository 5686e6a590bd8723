"""In a real Chromium on a phone-sized screen with JavaScript switched off: the customer opens
the survey link, taps a score, writes the reason and sends it; the buttons are big enough for a
thumb and the page fits the screen."""

import os

import pytest

from regulars.feedback.models import SurveyAnswer
from regulars.feedback.tests.survey_data import customer, nps_send, page_path
from regulars.insights.models import SurveyResponse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
)
def test_a_customer_answers_the_survey_on_a_phone_without_javascript(
    live_server, transactional_db, store, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that this test knows what it does.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    send = nps_send(store, customer(store, "nok", language="th"))
    url = live_server.url + page_path(send)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False
            )
            page = context.new_page()
            page.goto(url)
            expect(page.locator("h1")).to_contain_text("คุณมีแนวโน้มจะแนะนำ Vinyl Corner")
            scores = page.locator("ol.scale button")
            expect(scores).to_have_count(11)
            for index in range(11):
                box = scores.nth(index).bounding_box()
                assert box["width"] >= 40 and box["height"] >= 40, box
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box

            scores.nth(3).tap()

            expect(page.locator('ol.scale button[aria-pressed="true"]')).to_have_text("3")
            expect(page.locator(".notice--wait")).to_contain_text("ขออภัยที่ทำให้คุณผิดหวังค่ะ")
            reason = page.locator("textarea#comment")
            box = reason.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
            reason.fill("กล่องบุบมาค่ะ")
            page.locator("button[name=send]").tap()

            expect(page.locator("h1")).to_have_text("ขอบคุณค่ะ")
            assert page.url.endswith("?sent=1")
        finally:
            browser.close()

    answer = SurveyAnswer.objects.get()
    assert (answer.score, answer.comment, answer.language) == (3, "กล่องบุบมาค่ะ", "th")
    assert SurveyResponse.objects.get().comment == "กล่องบุบมาค่ะ"
