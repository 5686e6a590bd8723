"""In a real Chromium: a merchant opens Journeys, switches the abandoned-cart journey on with its
switch, and sees it on, in the list and on the journey's page, with its templates in the store."""

import os

import pytest

from regulars.conftest import PASSWORD
from regulars.dashboard.tests.test_browser_timeline import CHROMIUM, CHROMIUM_ARGS
from regulars.journeys.models import Journey
from regulars.messaging.models import Template


def _keep_error(message, problems: list[str]) -> None:
    if message.type == "error":
        problems.append(f"{message.text} at {message.location['url']}")


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
)
def test_a_merchant_switches_a_journey_on_and_sees_it_on(
    live_server, transactional_db, store, owner, tmp_path, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that this test knows what it does.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from regulars.journeys.tests.journey_data import register_journey_templates

    register_journey_templates()
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

            page.get_by_role("link", name="Journeys").click()
            page.wait_for_url(f"{live_server.url}/s/{store.slug}/journeys/")
            row = page.locator('tr[data-journey="abandoned_cart"]')
            expect(row.locator("[data-journey-state]")).to_have_text("Off")

            row.get_by_role("button", name="Switch on Abandoned cart").click()

            expect(page.locator(".flash--success")).to_contain_text(
                "The journey “Abandoned cart” is on"
            )
            row = page.locator('tr[data-journey="abandoned_cart"]')
            expect(row.locator("[data-journey-state]")).to_have_text("On")
            expect(row.get_by_role("button", name="Switch off Abandoned cart")).to_be_visible()
            other = page.locator('tr[data-journey="winback"] [data-journey-state]')
            expect(other).to_have_text("Off")

            row.get_by_role("link", name="Abandoned cart").click()
            expect(page.locator("h1")).to_have_text("Abandoned cart")
            expect(page.locator(".page-head [data-journey-state]")).to_have_text("On")
            expect(page.locator('[data-template-link="cart_reminder:sms:th"]')).to_have_text("th")

            shot = tmp_path / "journeys.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 20_000
            assert problems == []
        finally:
            browser.close()

    journey = Journey.objects.get(store=store, key="abandoned_cart")
    assert journey.enabled and journey.enabled_at is not None
    assert Template.objects.filter(store=store, key="cart_reminder", language="th").exists()
