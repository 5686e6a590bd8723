"""In a real Chromium: a customer opens the preferences link from an e-mail, changes a box and
saves. The page's own form must pass Django's CSRF origin check (a "no-referrer" policy made
the browser send "Origin: null" and the save was refused with a 403)."""

import os

import pytest

from regulars.messaging import links
from regulars.messaging.tests.link_pages import make_customer, path_of

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
)
def test_a_customer_saves_their_choices_in_a_browser(
    live_server, transactional_db, store, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    customer = make_customer(store)
    url = live_server.url + path_of(links.preferences_url(customer))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url)
            page.locator('input[name="channel"][value="email"]').uncheck()
            page.locator('input[name="channel"][value="push"]').check()
            with page.expect_navigation():
                page.locator("form button[type=submit]").first.click()
            expect(page.locator("body")).to_contain_text("Your choices are saved.")
        finally:
            browser.close()

    customer.refresh_from_db()
    assert (customer.email_consent, customer.push_consent) == ("unsubscribed", "subscribed")
