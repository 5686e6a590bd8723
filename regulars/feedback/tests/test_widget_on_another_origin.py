"""In a real Chromium on a phone-sized screen: a plain store page, served from another origin,
embeds the reviews with the script tag; the reviews render there with their stars, a review
holding <script> shows as text and runs nothing, the frame pages without JavaScript of its own,
and the same page may read the JSON across origins."""

import functools
import http.server
import os
import threading

import pytest

from regulars.feedback.tests.public_data import (
    NASTY,
    fresh_public_state,  # noqa: F401 - the fixture below
    many_reviews,
    product,
    review,
)

pytestmark = pytest.mark.usefixtures("fresh_public_state")

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
PHONE = {"width": 390, "height": 844}

STORE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Blue Train LP</title></head>
<body>
<h1>Blue Train LP</h1>
<div id="reviews"></div>
<script src="{regulars}/static/feedback/widget.js" data-store="{store}" data-product="lp-1"
        data-target="#reviews" async></script>
<p id="from-json"></p>
</body></html>
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def store_site(tmp_path):
    """A plain web server for the store's page, on 127.0.0.1 (the live server is localhost)."""
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
)
def test_the_widget_renders_on_a_store_page_of_another_origin(
    live_server, transactional_db, store, store_site, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    lp = product(store)
    many_reviews(lp, 11)
    review(lp, 5, 24 * 400, title=NASTY, body="Body " + NASTY, reply="We reply: " + NASTY)
    review(lp, 1, 24 * 401, title="Never shown", status="pending")
    folder, origin = store_site
    (folder / "product.html").write_text(
        STORE_PAGE.format(regulars=live_server.url, store=store.public_id)
    )
    assert origin.split(":")[1] != live_server.url.split(":")[1]  # another host, another origin

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE, is_mobile=True)
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(f"{origin}/product.html")

            frame = page.frame_locator("#reviews iframe[data-regulars-widget]")
            frame.locator("h1").wait_for()
            assert frame.locator("h1").inner_text() == "Customer reviews"
            assert frame.locator(".summary__avg").inner_text() == "3.33"
            assert frame.locator(".summary__count").inner_text() == "Based on 12 reviews"
            assert frame.locator(".meter").is_visible()
            first = frame.locator(".review").first
            assert first.locator(".stars").inner_text() == "★★★★★"
            assert first.locator(".review__title").inner_text() == NASTY
            assert first.locator(".review__body").inner_text() == "Body " + NASTY
            assert first.locator(".reply__body").inner_text() == "We reply: " + NASTY
            assert frame.locator(".review").count() == 10
            assert frame.get_by_text("Never shown").count() == 0

            # The frame grows to its content (auto-height by postMessage).
            page.wait_for_function(
                "() => parseInt(document.querySelector('#reviews iframe').style.height) > 900"
            )
            box = page.locator("#reviews iframe").bounding_box()
            assert box["width"] == pytest.approx(PHONE["width"] - 16, abs=2)

            # Older reviews by a plain link inside the frame.
            frame.locator("a[rel=next]").click()
            frame.locator("a[rel=prev]").wait_for()
            assert frame.locator(".review").count() == 2
            assert frame.locator(".review__title").last.inner_text() == "Review 0"

            # The store's own script may read the JSON from its origin, and show it as text.
            title = page.evaluate(
                """async (url) => {
                    const answer = await fetch(url);
                    const data = await answer.json();
                    const out = document.querySelector('#from-json');
                    out.textContent = data.reviews[0].title;
                    return out.textContent;
                }""",
                f"{live_server.url}/f/api/{store.public_id}/products/lp-1/reviews",
            )
            assert title == NASTY
            assert page.locator("#from-json").inner_text() == NASTY

            assert dialogs == []
            assert page.evaluate("() => document.querySelectorAll('img').length") == 0
        finally:
            browser.close()
