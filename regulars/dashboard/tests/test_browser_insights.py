"""In a real Chromium: sign in, open Insights and find every chart drawn by Plotly (served from
the installed package, no CDN) without a script error; then read a customer's Loyalty card."""

import os

import pytest

from regulars.conftest import PASSWORD
from regulars.dashboard.tests.insights_data import scored, store_with_report
from regulars.dashboard.tests.test_browser_timeline import CHROMIUM, CHROMIUM_ARGS

ALL_CHARTS_DRAWN = """() => {
  const charts = document.querySelectorAll(".chart");
  return charts.length > 0
    && document.querySelectorAll('.chart[data-drawn="true"]').length === charts.length;
}"""


def _keep_error(message, problems: list[str]) -> None:
    if message.type == "error":
        problems.append(f"{message.text} at {message.location['url']}")


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
)
def test_a_merchant_opens_insights_and_sees_every_chart_drawn(
    live_server, transactional_db, store, owner, tmp_path, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that this test knows what it does.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    store_with_report(store, tmp_path)
    regular, score = scored(store, orders__gte=3)
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

            page.goto(f"{live_server.url}/s/{store.slug}/insights/")
            page.wait_for_function(ALL_CHARTS_DRAWN)

            charts = page.locator(".chart").count()
            drawn = page.locator('.chart[data-drawn="true"]').count()
            assert drawn == charts == 5
            assert page.locator(".chart .main-svg").count() >= charts  # Plotly's own SVG
            assert page.locator("h1").inner_text() == "Insights"
            shot = tmp_path / "insights.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 50_000

            page.goto(f"{live_server.url}/s/{store.slug}/customers/{regular.pk}/")
            card = page.locator("section.loyalty")
            assert card.locator("h2").inner_text() == "Loyalty"
            assert card.locator(".badge--segment").inner_text() == score.get_segment_display()
            assert card.is_visible()
            assert f"{100 * score.p_alive:.1f}%" in card.inner_text()
            assert problems == []
        finally:
            browser.close()
