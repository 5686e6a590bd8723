"""In a real Chromium: a merchant opens Feedback from the navigation, finds the unhappy customer
first with how long they have waited, the NPS trend drawn by Plotly and the frequent terms
beside it, then answers a bad review in place; the reply is saved and the review leaves the
unanswered list, without a script error."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from regulars.conftest import PASSWORD
from regulars.dashboard.tests.test_browser_timeline import CHROMIUM, CHROMIUM_ARGS
from regulars.feedback.models import Review
from regulars.feedback.tests.inbox_data import answer, customer, product, review
from regulars.insights.models import SurveyResponse


def _keep_error(message, problems: list[str]) -> None:
    if message.type == "error":
        problems.append(f"{message.text} at {message.location['url']}")


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
)
def test_a_merchant_answers_a_bad_review_from_the_inbox(
    live_server, transactional_db, store, owner, tmp_path, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that this test knows what it does.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    now = timezone.now()
    ana = customer(store, first_name="Ana")
    bad = review(
        store, product(store), 1, customer=ana, at=now - timedelta(hours=2), body="Warped record"
    )
    detractor = answer(
        store, ana, 2, "Delivery was slow, box crushed", at=now - timedelta(hours=30)
    )
    for score in (10, 9, 2, 8):
        SurveyResponse.objects.create(store=store, kind="nps", score=score, answered_at=now)
    problems: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda message: _keep_error(message, problems))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(f"{live_server.url}/login/")
            page.fill("input[name=username]", owner.email)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/s/{store.slug}/customers/")

            page.get_by_role("link", name="Feedback").click()
            page.wait_for_url(f"{live_server.url}/s/{store.slug}/feedback/")
            items = page.locator("[data-item]")
            expect(items).to_have_count(2)
            expect(items.nth(0)).to_have_attribute("data-item", f"survey-{detractor.pk}")
            expect(items.nth(0).locator("[data-waiting]")).to_have_text("Unanswered for 30 hours")
            expect(items.nth(0).locator(".waiting--overdue")).to_be_visible()
            expect(
                page.locator('.chart[data-figure="nps-chart"][data-drawn="true"]')
            ).to_be_visible()
            expect(page.locator('[data-terms="en"]')).to_contain_text("crushed")

            card = page.locator(f'[data-item="review-{bad.pk}"]')
            card.locator("textarea[name=body]").fill("Sorry! A new copy is on its way.")
            card.get_by_role("button", name="Publish the reply").click()

            expect(page.locator(".flash--success")).to_contain_text(
                "Your reply is public under the review."
            )
            expect(page.locator("[data-item]")).to_have_count(1)
            shot = tmp_path / "inbox.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 20_000
            assert problems == []
        finally:
            browser.close()

    bad.refresh_from_db()
    assert (bad.reply, bad.replied_by) == ("Sorry! A new copy is on its way.", owner)
    assert Review.objects.get(pk=bad.pk).replied_at is not None
