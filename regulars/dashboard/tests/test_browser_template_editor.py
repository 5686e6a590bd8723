"""In a real Chromium: type into the template editor and watch the preview, rendered for a
customer of the store, and the SMS segment counter follow; an error names its line; the HTML
preview sits in a sandboxed frame where a customer's script-like name is only text."""

import os

import pytest

from regulars.conftest import PASSWORD
from regulars.dashboard.tests.shop import customer
from regulars.dashboard.tests.test_browser_timeline import CHROMIUM, CHROMIUM_ARGS

# 96 UTF-16 units once rendered: past the 70 of one UCS-2 segment, so two.
THAI = "สวัสดีค่ะ คุณ{{ customer.first_name }} ขอบคุณที่สั่งซื้อแผ่นเสียงกับเรา แล้วพบกันใหม่ ส่งของให้ภายในสามวันทำการ"


def _keep_error(message, problems: list[str]) -> None:
    if message.type == "error":
        problems.append(f"{message.text} at {message.location['url']}")


def _sign_in(page, base: str, owner) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.browser
@pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
)
def test_the_preview_and_the_segment_count_follow_the_typing(
    live_server, transactional_db, store, owner, tmp_path, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that this test knows what it does.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    customer(store, "c1", first_name="<b>Nok</b>", email="nok@example.com")
    problems: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda message: _keep_error(message, problems))
            page.on("pageerror", lambda error: problems.append(str(error)))
            _sign_in(page, live_server.url, owner)
            page.wait_for_url(f"{live_server.url}/s/{store.slug}/customers/")
            page.goto(f"{live_server.url}/s/{store.slug}/messages/templates/new/")

            segments = page.locator("[data-preview-segments]")
            expect(segments).to_be_hidden()
            page.select_option("select[name=channel]", "sms")
            page.fill("textarea[name=body_text]", "Hi {{ customer.first_name }}, your LP shipped.")
            expect(page.locator("[data-preview-text]")).to_have_text(
                "Hi <b>Nok</b>, your LP shipped."
            )
            expect(segments).to_be_visible()
            expect(page.locator("[data-segments-encoding]")).to_have_text("GSM-7")
            expect(page.locator("[data-segments-count]")).to_have_text("1")
            expect(page.locator("[data-preview-customer]")).to_have_text(
                "for <b>Nok</b> (nok@example.com)"
            )

            page.fill("textarea[name=body_text]", THAI)
            expect(page.locator("[data-segments-encoding]")).to_have_text("UCS-2")
            expect(page.locator("[data-segments-count]")).to_have_text("2")
            expect(page.locator("[data-segments-characters]")).to_have_text("96")

            page.fill("textarea[name=body_text]", "Hi\n{% if customer.name %}")
            error = page.locator("[data-preview-error]")
            expect(error).to_be_visible()
            expect(error).to_have_text(
                "body_text: body_text, line 2: expected tag endif, but the text ends"
            )

            page.select_option("select[name=channel]", "email")
            page.fill("input[name=subject]", "Hello {{ customer.first_name }}")
            page.fill("textarea[name=body_html]", "<p>Hello {{ customer.first_name }}</p>")
            page.fill("textarea[name=body_text]", "")
            expect(error).to_be_hidden()
            expect(page.locator("[data-preview-subject]")).to_have_text("Hello <b>Nok</b>")
            expect(segments).to_be_hidden()
            frame = page.frame_locator("iframe[data-preview-html]")
            expect(frame.locator("p")).to_have_text("Hello <b>Nok</b>")
            assert frame.locator("b").count() == 0
            assert page.locator("iframe[data-preview-html]").get_attribute("sandbox") == ""

            shot = tmp_path / "editor.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 20_000
            assert problems == []
        finally:
            browser.close()
