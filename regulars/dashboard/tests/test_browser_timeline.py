"""In a real Chromium: sign in, open the customers list, click a customer, read the timeline."""

import os

import pytest

from regulars.conftest import PASSWORD
from regulars.dashboard.tests.shop import cart, customer, event, order, shipment

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
)
def test_a_merchant_signs_in_and_reads_a_customer_timeline(
    live_server, transactional_db, store, owner, tmp_path, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that this test knows what it does.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    customer(store, "c1", first_name="Ana", last_name="Silva", language="th")
    event(store, "c1", "searched", {"query": "coltrane"}, "2026-03-01T14:00:00Z")
    order(store, "1001", "c1", placed_at="2026-03-01T15:00:00Z")
    shipment(store, "f1", "1001", status="delivered", delivered_at="2026-03-03T20:30:00Z")
    cart(store, "t1", "c1", updated_at="2026-03-04T12:00:00Z")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{live_server.url}/login/")
            page.fill("input[name=username]", owner.email)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/s/{store.slug}/customers/")

            page.click("a.row-link:has-text('Ana Silva')")
            page.wait_for_selector("ol.timeline")

            titles = page.locator("li.tl .tl__title").all_inner_texts()
            assert titles == [
                "Abandoned a cart",
                "Order #1001 delivered",
                "Order #1001 shipped",
                "Paid order #1001",
                "Placed order #1001",
                "Searched for “coltrane”",
            ]
            assert page.locator("li.tl").first.is_visible()
            assert page.locator("h1").inner_text() == "Ana Silva"
            shot = tmp_path / "timeline.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
